"""Benchmarks of the report runner against the rendering floor, in one run (``make benchmark``).

Measured, each as a fresh process like a user would run it (wall seconds on this machine):

1. ``papi-analysis build-data``;
2. one province's full report (``--province "Quảng Nam" --force --jobs 2``, with ``--pdf`` when Chromium is
   installed), first with the national caches emptied (the first report after a change of data or code), then
   three times with them filled (every later report; the median is shown; the bar is 12 s);
3. the all-province batch, ``report --all --force --jobs 2`` on the 63 provinces (national caches filled first, by
   an untimed report of one province), then the
   **floor** for exactly the notebooks it ran (``benchmarks/floor.py``: the same code cells in-process, figures
   built, rasterised and written, HTML exported; no kernel, no papermill), and the ratio batch / floor (bar 1.3);
4. ``report --all --jobs 2`` again with nothing changed (everything skipped; bar 10 s);
5. the same batch and floor on the 34 provinces;
6. the trivial-papermill floor: N papermill runs of a one-line notebook with 2 jobs (kernel start-up only).

Memory: each worker's kernel resident set after its first and last notebook of the 63-province batch, and the
largest peak (``reports/last_run.json``, written by the runner). Writes benchmarks/results.json and prints the
Markdown table the README's performance section shows.

Usage: python benchmarks/run_benchmarks.py [--provinces N]   (N < 63: a quicker, partial batch)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLI = str(BIN / "papi-analysis")
PROCESSED = ROOT / "data" / "processed"

TRIVIAL = """
import sys, nbformat, papermill
from concurrent.futures import ProcessPoolExecutor
from nbformat.v4 import new_notebook, new_code_cell
n, jobs, folder = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell("print(x)")])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbformat.write(nb, f"{folder}/trivial.ipynb")
def run(i):
    papermill.execute_notebook(f"{folder}/trivial.ipynb", f"{folder}/out_{i}.ipynb", parameters={"x": i},
                               kernel_name="python3", progress_bar=False)
with ProcessPoolExecutor(max_workers=jobs) as pool:
    list(pool.map(run, range(n)))
"""


def timed(label: str, command: list[str]) -> dict:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    print(f"{label}: {seconds:.1f} s", flush=True)
    return {"job": label, "seconds": round(seconds, 1), "output": done.stdout}


def clear_national_caches() -> None:
    """Empty every cache of national results and figures (the backtest, links, rank intervals, figures)."""
    shutil.rmtree(PROCESSED / "cache", ignore_errors=True)
    shutil.rmtree(PROCESSED / "figure_cache", ignore_errors=True)
    for path in list(PROCESSED.glob("links_*.csv")) + list(PROCESSED.glob("backtest_*.csv")):
        path.unlink()


def run_log() -> dict:
    return json.loads((ROOT / "reports" / "last_run.json").read_text())


def memory(log: dict) -> dict:
    """Per worker: kernel RSS after its first and last notebook (MiB), the largest peak, and the RSS after the first
    and the last notebook of each kind (a trends notebook holds more than a links one, so growth is read within a
    kind)."""
    by_worker: dict[int, list] = {}
    for result in log["results"]:
        if result.get("worker_pid") is not None:
            by_worker.setdefault(result["worker_pid"], []).append(result)
    for rows in by_worker.values():  # the log lists tasks in request order; memory is read in the order they ran
        rows.sort(key=lambda r: r["worker_sequence"])
    workers = []
    for rows in by_worker.values():
        kinds = {}
        for kind in dict.fromkeys(r["notebook"] for r in rows):
            same = [r for r in rows if r["notebook"] == kind]
            if len(same) >= 2:
                kinds[kind] = {
                    "notebooks": len(same),
                    "first_mib": round(same[0]["kernel_rss_mib"]),
                    "last_mib": round(same[-1]["kernel_rss_mib"]),
                }
        workers.append(
            {
                "notebooks": len(rows),
                "first_mib": round(rows[0]["kernel_rss_mib"]),
                "last_mib": round(rows[-1]["kernel_rss_mib"]),
                "peak_mib": round(max(r["kernel_peak_mib"] for r in rows)),
                "by_kind": kinds,
                # the whole trajectory, in the order the worker ran its notebooks: [notebook, MiB]
                "rss_mib": [[r["notebook"], round(r["kernel_rss_mib"])] for r in rows],
            }
        )
    return {"workers": workers}


#: the province whose report fills a geography's national caches before its batch is timed
WARM_UP = {"63": "Quảng Nam", "34": "Huế"}


def batch_and_floor(geography: str, provinces: int | None) -> list[dict]:
    command = [CLI, "report", "--all", "--force", "--quiet", "--jobs", "2", "--geography", geography]
    if provinces:
        command = [CLI, "report", "--force", "--quiet", "--jobs", "2", "--geography", geography]
        names = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import json; from papi_analysis.data import provinces; "
                    f"print(json.dumps(list(provinces.registry(geography='{geography}')['name_vi'])[:{provinces}]))",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for name in names:
            command += ["--province", name]
    label = f"{'all ' if not provinces else ''}{provinces or (63 if geography == '63' else 34)} provinces ({geography})"
    # untimed: the national results of this geography (backtests, links, rank intervals, national figures) are
    # computed once here, so that the batch and the floor after it both find them stored
    subprocess.run(
        [
            CLI,
            "report",
            "--province",
            WARM_UP[geography],
            "--geography",
            geography,
            "--force",
            "--quiet",
            "--jobs",
            "2",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    batch = timed(f"batch: {label}, --jobs 2", command)
    log = run_log()
    batch["notebooks"] = sum(r["status"] == "ok" for r in log["results"])
    batch["memory"] = memory(log)
    floor = timed(
        f"floor: the same {batch['notebooks']} notebooks in-process, 2 processes",
        [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "--jobs", "2"],
    )
    floor["notebooks"] = batch["notebooks"]
    batch["ratio_to_floor"] = round(batch["seconds"] / floor["seconds"], 2)
    batch["command"] = command
    return [batch, floor]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinces", type=int, default=None, help="first N provinces instead of --all")
    parser.add_argument(
        "--parts",
        default="one,63,34,trivial",
        help="what to measure (default all: one,63,34,trivial); a partial run replaces those rows of "
        "benchmarks/results.json and keeps the others",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    pdf = (
        ["--pdf"]
        if shutil.which("chromium") or shutil.which("chromium-browser") or os.environ.get("PAPI_CHROMIUM")
        else []
    )
    one = [CLI, "report", "--province", "Quảng Nam", "--force", "--quiet", "--jobs", "2", *pdf]
    results = [timed("build-data", [CLI, "build-data"])]
    if "one" in parts:
        clear_national_caches()
        results.append(timed(f"one province, full report{' + PDF' if pdf else ''}, national caches empty", one))
        # a 15-second job varies by a second or two between runs: the median of three, with the range
        warm = [
            timed(f"one province, full report{' + PDF' if pdf else ''}, national caches filled", one) for _ in range(3)
        ]
        seconds = sorted(w["seconds"] for w in warm)
        warm[0].update(seconds=seconds[1], runs=f"median of 3 runs ({seconds[0]}-{seconds[2]} s)")
        results.append(warm[0])
    if "63" in parts:
        results += batch_and_floor("63", args.provinces)
        rerun = [c for c in results[-2].pop("command") if c != "--force"]
        results.append(timed("the same batch again, nothing changed (everything skipped)", rerun))
    if "34" in parts:
        results += batch_and_floor("34", args.provinces)
        results[-2].pop("command")
    if "trivial" not in parts:
        return _write(results, partial=True)
    with tempfile.TemporaryDirectory() as folder:
        n = 40
        trivial = timed(
            f"trivial papermill floor: {n} one-line notebooks, 2 jobs",
            [sys.executable, "-c", TRIVIAL, str(n), "2", folder],
        )
        trivial["notebooks"] = n
        results.append(trivial)
    _write(results, partial=parts != {"one", "63", "34", "trivial"})


def _write(results: list[dict], partial: bool) -> None:
    for r in results:
        r.pop("output", None)
    path = ROOT / "benchmarks" / "results.json"
    if partial and path.exists():  # keep the rows of the parts not measured this time, in their order
        new = {r["job"]: r for r in results}
        old = json.loads(path.read_text())["results"]
        results = [new.pop(r["job"], r) for r in old] + list(new.values())
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
        f"Python {platform.python_version()}"
    )
    path.write_text(
        json.dumps(
            {"date": date.today().isoformat(), "machine": machine, "results": results}, indent=2, ensure_ascii=False
        )
        + "\n"
    )
    print(f"\nMeasured {date.today().isoformat()} on {machine}.\n")
    print("| job | notebooks | wall time (s) | ratio to floor |")
    print("|---|---:|---:|---:|")
    for r in results:
        job = f"{r['job']}, {r['runs']}" if r.get("runs") else r["job"]
        print(f"| {job} | {r.get('notebooks', '')} | {r['seconds']} | {r.get('ratio_to_floor', '')} |")
    for r in results:
        for w in r.get("memory", {}).get("workers", []):
            kinds = "; ".join(
                f"{k['first_mib']} → {k['last_mib']} MiB over its {k['notebooks']} {kind} notebooks"
                for kind, k in w.get("by_kind", {}).items()
            )
            print(
                f"\n{r['job']}: a worker ran {w['notebooks']} notebooks; its kernel used {w['first_mib']} MiB after "
                f"the first and {w['last_mib']} MiB after the last (peak {w['peak_mib']} MiB)"
                + (f"; after the first and last of a kind: {kinds}." if kinds else "."),
                end="",
            )
    print()


if __name__ == "__main__":
    main()
