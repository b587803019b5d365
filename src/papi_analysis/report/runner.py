"""Execute the parameterized notebooks with papermill: one province, or all 63 in parallel.

``papi-analysis report`` writes, per province, ``reports/<slug>/<notebook>.ipynb``
(executed) and ``.html`` (code hidden, for readers), and the notebooks write
their figures to ``figures/<slug>/``. A notebook is re-run only when its inputs
changed (notebook, parameters, data, library code) or it failed last time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from .. import config
from ..data import provinces

KERNEL = "python3"
NOTEBOOKS: dict[str, str] = {
    "trends": "01_trends.ipynb",
    "targets": "02_target_realism.ipynb",
    "links": "03_dimension_links.ipynb",
    "indices": "04_other_indices.ipynb",
}


class ReportError(ValueError):
    """A report request that cannot be run as asked."""


@dataclass
class Task:
    """One notebook for one province."""

    province_code: int
    slug: str
    notebook: str  # key of NOTEBOOKS
    parameters: dict
    force: bool = False
    geography: str = "63"  # "63" or "34": the geography province_code belongs to


@dataclass
class Result:
    slug: str
    notebook: str
    status: str  # ok | skipped (up to date) | failed | not applicable
    message: str
    seconds: float


def strip_volatile(path: Path) -> None:
    """Remove timestamps, durations and absolute paths that papermill and Jupyter write."""
    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "exception", "environment_variables"):
        pm.pop(key, None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, path)


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Refuse parameter names the notebook does not declare (papermill would only log a warning)."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(f"{notebook.name} has no parameter(s) {', '.join(unknown)}; "
                          f"its parameters are {', '.join(declared)}.")


def execute(notebook: Path, output: Path, parameters: dict | None = None, cwd: Path | None = None) -> Path:
    """Run ``notebook`` with papermill into ``output`` (kernel ``python3``), then strip volatile metadata."""
    import papermill

    check_parameters(notebook, parameters or {})
    output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters or {}, kernel_name=KERNEL,
        cwd=str(cwd or config.NOTEBOOKS), progress_bar=False, log_output=False,
    )
    strip_volatile(output)
    return output


def to_html(notebook: Path, output: Path, title: str = "PAPI") -> Path:
    """Standalone HTML with the code hidden: what a non-programmer opens."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4),
                                          resources={"metadata": {"name": title}})
    output.write_text(body, encoding="utf-8")
    return output


def refresh_committed_notebooks() -> list[Path]:
    """Re-execute every notebook in ``notebooks/`` in place with its default parameters.

    The stored outputs are what nbval compares the cells marked ``# NBVAL_CHECK_OUTPUT`` against.
    """
    done = []
    for name in NOTEBOOKS.values():
        path = config.NOTEBOOKS / name
        execute(path, path)
        done.append(path)
    return done


# --------------------------------------------------------------------------- report tasks


def seed_plan_for(code: int) -> str | None:
    """The most recent seed plan of a province, if there is one."""
    from ..analysis.targets import load_targets

    targets = load_targets()
    mine = targets[targets["province_code"] == code].sort_values("target_year")
    return None if mine.empty else str(mine["plan_id"].iloc[-1])


def declares_parameter(notebook: str, parameter: str) -> bool:
    """True when ``notebooks/<NOTEBOOKS[notebook]>`` declares ``parameter`` in its parameters cell."""
    import papermill

    return parameter in papermill.inspect_notebook(str(config.NOTEBOOKS / NOTEBOOKS[notebook]))


def tasks_for(province: str | int, notebooks: list[str], lang: str, plan: str | None = None,
              force: bool = False, geography: str = "63") -> list[Task]:
    """The notebook runs that make one province's report (``geography`` "63" or "34").

    The ``geography`` parameter is passed only to notebooks that declare it; a 34-province
    report from a notebook that does not is refused (it would show the old province).
    """
    unknown = [n for n in notebooks if n not in NOTEBOOKS]
    if unknown:
        raise ReportError(f"Unknown notebook(s) {unknown}; choose from {', '.join(NOTEBOOKS)}.")
    if lang not in ("vi", "en"):
        raise ReportError(f"--lang must be vi or en, not {lang!r}.")
    geography = provinces.check_geography(geography)
    record = provinces.get(province, geography=geography)
    tasks = []
    for name in notebooks:
        if name == "trends":
            params = {"province": record.name_vi, "lang": lang}
        elif name == "links":
            params = {"province": record.name_vi, "lang": lang}
        elif name == "indices":
            from ..data.index_targets import index_plan_for

            params = {"plan": index_plan_for(record.code) or "", "province": record.name_vi, "lang": lang}
        else:
            # seed plans are keyed by the 63 provinces: a 34-province report evaluates only --plan
            chosen = plan or (seed_plan_for(record.code) if geography == "63" else None)
            params = {"plan": str(Path(chosen).resolve()) if chosen and Path(chosen).suffix else chosen,
                      "province": record.name_vi, "lang": lang}
        if declares_parameter(name, "geography"):
            params["geography"] = geography
        elif geography != "63":
            raise ReportError(f"{NOTEBOOKS[name]} has no 'geography' parameter yet, so it can only report on the "
                              f"63 provinces; run it with --geography 63 or leave it out (--notebooks).")
        tasks.append(Task(record.code, record.slug, name, params, force, geography))
    return tasks


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parents[1].rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hash(task: Task) -> str:
    """Everything a notebook's output depends on: notebook, parameters, raw data, library code."""
    digest = hashlib.sha256()
    digest.update((config.NOTEBOOKS / NOTEBOOKS[task.notebook]).read_bytes())
    digest.update(json.dumps(task.parameters, sort_keys=True, ensure_ascii=False).encode())
    digest.update(config.RAW_CHECKSUMS.read_bytes())
    digest.update(_code_fingerprint().encode())
    plan = task.parameters.get("plan")
    if plan and Path(plan).suffix and Path(plan).exists():
        digest.update(Path(plan).read_bytes())
    return digest.hexdigest()


def _shown(path: Path) -> str:
    """A path as a reader should see it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(config.ROOT))
    except ValueError:
        return str(path)


def run_task(task: Task) -> Result:
    """Execute one notebook for one province; outputs replace the old ones only on success."""
    start = time.monotonic()
    name = NOTEBOOKS[task.notebook]
    stem = Path(name).stem
    folder = config.REPORTS / task.slug
    final_nb, final_html, manifest = folder / name, folder / f"{stem}.html", folder / f"{stem}.json"
    if task.notebook == "indices" and not task.parameters.get("plan"):
        return Result(task.slug, task.notebook, "not applicable",
                      f"no PAR INDEX or SIPAS targets for {provinces.name(task.province_code)} in "
                      "data/raw/targets/indices/", 0.0)
    if task.notebook == "targets" and not task.parameters.get("plan"):
        return Result(task.slug, task.notebook, "not applicable",
                      f"no plan for {provinces.name(task.province_code, geography=task.geography)} in data/raw/targets/; "
                      "pass --plan FILE to evaluate your own targets", 0.0)
    key = input_hash(task)
    if not task.force and manifest.exists() and final_nb.exists() and final_html.exists():
        if json.loads(manifest.read_text()).get("input_hash") == key:
            return Result(task.slug, task.notebook, "skipped", "up to date", time.monotonic() - start)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{stem}.{os.getpid()}.running.ipynb"
    failed = folder / f"{stem}.failed.ipynb"
    try:
        execute(config.NOTEBOOKS / name, tmp, task.parameters)
    except Exception as err:  # papermill raises PapermillExecutionError; kernels can also die
        if tmp.exists():
            shutil.move(tmp, failed)
        manifest.unlink(missing_ok=True)
        cell = getattr(err, "exec_count", None)
        detail = f"{getattr(err, 'ename', type(err).__name__)}: {getattr(err, 'evalue', err)}"
        where = f" in cell [{cell}]" if cell is not None else ""
        return Result(task.slug, task.notebook, "failed",
                      f"{name} failed{where}: {detail} (executed notebook kept in {_shown(failed)})",
                      time.monotonic() - start)
    html_tmp = folder / f".{stem}.{os.getpid()}.html"
    to_html(tmp, html_tmp, title=f"PAPI — {provinces.name(task.province_code, geography=task.geography)} — {stem}")
    os.replace(tmp, final_nb)
    os.replace(html_tmp, final_html)
    failed.unlink(missing_ok=True)
    manifest.write_text(json.dumps({"input_hash": key, "parameters": task.parameters}, indent=2,
                                   ensure_ascii=False) + "\n")
    return Result(task.slug, task.notebook, "ok", f"wrote {_shown(final_html)}",
                  time.monotonic() - start)


def run_tasks(tasks: list[Task], jobs: int = 1, progress: bool = True) -> list[Result]:
    """Run tasks on ``jobs`` local processes (each starts its own kernel); never stops at a failure."""
    if jobs < 1:
        raise ReportError(f"--jobs must be at least 1, not {jobs}.")
    from ..data.panel import read_panel

    read_panel()  # build data/processed/ once, before workers start
    if jobs == 1 or len(tasks) == 1:
        iterator = map(run_task, tasks)
        if progress:
            from tqdm import tqdm

            iterator = tqdm(iterator, total=len(tasks), desc="notebooks", unit="nb")
        return list(iterator)
    results = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_task, t) for t in tasks]
        done = as_completed(futures)
        if progress:
            from tqdm import tqdm

            done = tqdm(done, total=len(futures), desc="notebooks", unit="nb")
        for future in done:
            results.append(future.result())
    order = {(t.slug, t.notebook): i for i, t in enumerate(tasks)}
    return sorted(results, key=lambda r: order[(r.slug, r.notebook)])


def summary(results: list[Result]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines = [", ".join(f"{n} {status}" for status, n in sorted(counts.items()))]
    for r in results:
        if r.status == "failed":
            lines.append(f"  {r.slug} / {r.notebook}: failed: {r.message}")
    not_applicable = [r for r in results if r.status == "not applicable"]
    if len(not_applicable) == 1:
        lines.append(f"  {not_applicable[0].slug} / {not_applicable[0].notebook}: {not_applicable[0].message}")
    elif not_applicable:
        skipped_targets = sum(r.notebook == "targets" for r in not_applicable)
        if skipped_targets:
            lines.append(f"  targets notebook not run for {skipped_targets} provinces without a plan "
                         "(add their targets to data/raw/targets/ or pass --plan FILE)")
        skipped_indices = len(not_applicable) - skipped_targets
        if skipped_indices:
            lines.append(f"  indices notebook not run for {skipped_indices} provinces without PAR INDEX or SIPAS "
                         "targets (add them to data/raw/targets/indices/)")
    return "\n".join(lines)


def results_as_dicts(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]
