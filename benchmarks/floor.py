"""The rendering floor: the province-specific work of a report batch, without the machinery that runs it.

For every notebook the batch executed (read from ``reports/last_run.json``), this runs the notebook's code cells
in this process (an IPython shell, matplotlib's Agg backend, the same parameters, national results and figures
from the caches the batch filled), so every figure is built, rasterised and written and every table made; then
it exports the batch's executed notebook to HTML (to a scratch file). No kernel, no papermill, no notebook
files. ``--jobs`` processes share the notebooks as the batch's workers do, with one BLAS thread each.

Usage: python benchmarks/floor.py [--jobs 2]   (prints the wall seconds as JSON)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
os.environ["MPLBACKEND"] = "Agg"

ROOT = Path(__file__).resolve().parents[1]
_SHELL = None


def _shell():
    global _SHELL
    if _SHELL is None:
        from IPython.core.interactiveshell import InteractiveShell

        _SHELL = InteractiveShell.instance()
    return _SHELL


def run_notebook(job: tuple[str, dict, str, str]) -> float:
    """Execute one notebook's code in-process and export the batch's executed copy to HTML; seconds taken."""
    import nbformat
    from IPython.utils.capture import capture_output

    from papi_analysis.run.export import to_html

    source, parameters, executed, lang = job
    start = time.perf_counter()
    shell = _shell()
    shell.reset(new_session=True)
    os.chdir(ROOT / "notebooks")
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue  # the committed notebook's own injected parameters: this run's come with the parameters cell
        code = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            code += "\n" + "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
        with capture_output():
            result = shell.run_cell(code, store_history=False)
        if not result.success:
            raise RuntimeError(f"{source}: {result.error_in_exec or result.error_before_exec}")
    with tempfile.TemporaryDirectory() as folder:
        to_html(Path(executed), Path(folder) / "report.html", lang)
    return time.perf_counter() - start


def jobs_from_last_run() -> list[tuple[str, dict, str, str]]:
    log = json.loads((ROOT / "reports" / "last_run.json").read_text())
    jobs = []
    for result in log["results"]:
        if result["status"] != "ok":
            continue
        executed = (ROOT / result["html"]).with_suffix(".ipynb")
        manifest = json.loads(executed.with_suffix(".json").read_text())
        parameters = dict(manifest["parameters"])
        if parameters.get("plan") and Path(str(parameters["plan"])).suffix:
            parameters["plan"] = str((ROOT / parameters["plan"]).resolve())
        jobs.append((str(ROOT / "notebooks" / manifest["notebook"]), parameters, str(executed), manifest["lang"]))
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    jobs = jobs_from_last_run()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        seconds = list(pool.map(run_notebook, jobs))
    wall = time.perf_counter() - start
    print(
        json.dumps(
            {"notebooks": len(jobs), "wall_seconds": round(wall, 1), "cpu_seconds_in_notebooks": round(sum(seconds), 1)}
        )
    )


if __name__ == "__main__":
    # the workers' IPython shell replaces __main__: run from the module so the pool finds run_notebook by name
    sys.path.insert(0, str(Path(__file__).parent))
    import floor

    sys.exit(floor.main())
