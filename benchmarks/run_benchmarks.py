"""Benchmarks: whole-process wall time and peak memory of the project's main jobs.

Measures, each as a fresh process (like a user would run it):
  1. ``papi-analysis build-data``
  2. one province's full report (three notebooks, --force, --jobs 2)
  3. N provinces (trends + links notebooks) with --jobs 1 and --jobs 2
  4. the floor: the same number of papermill runs of a trivial notebook, with 1 and 2 jobs
     (kernel start-up and papermill overhead only)

Peak memory is the largest resident set of any single process in the job (the
CLI, a worker or a kernel: ``getrusage(RUSAGE_CHILDREN).ru_maxrss``), not their sum.
Writes benchmarks/results.json and prints a Markdown table for the README.

Usage: python benchmarks/run_benchmarks.py [--provinces N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROVINCES = ["Quảng Nam", "Cao Bằng", "Thừa Thiên Huế", "Đắk Lắk", "Bình Thuận", "Cà Mau", "Hà Nội", "Bắc Giang",
             "Lào Cai", "Kon Tum", "Long An", "Nghệ An"]

FLOOR_SCRIPT = """
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


# a fresh wrapper per job, so the peak is that job's own (getrusage of children only ever grows)
WRAPPER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(label: str, command: list[str]) -> dict:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=ROOT, check=True, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    peak_kib = int(done.stdout.strip().splitlines()[-1])
    result = {"job": label, "seconds": round(seconds, 1), "peak_rss_mib": round(peak_kib / 1024)}
    print(f"{label}: {seconds:.1f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinces", type=int, default=6, help="provinces for the batch runs (default 6)")
    args = parser.parse_args()
    names = PROVINCES[: args.provinces]
    cli = str(BIN / "papi-analysis")
    batch = [cli, "report", "--quiet", "--force", "--notebooks", "trends,links"]
    for name in names:
        batch += ["--province", name]
    runs = 2 * len(names)
    results = [
        measure("build-data", [cli, "build-data"]),
        measure("one province, full report (3 notebooks, --jobs 2)",
                [cli, "report", "--province", "Quảng Nam", "--force", "--quiet", "--jobs", "2"]),
        measure(f"{len(names)} provinces, trends+links ({runs} notebooks), --jobs 1", batch + ["--jobs", "1"]),
        measure(f"{len(names)} provinces, trends+links ({runs} notebooks), --jobs 2", batch + ["--jobs", "2"]),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for jobs in (1, 2):
            results.append(measure(f"floor: {runs} trivial papermill runs, {jobs} job(s)",
                                   [sys.executable, "-c", FLOOR_SCRIPT, str(runs), str(jobs), folder]))
    by = {r["job"]: r for r in results}
    ratio = {jobs: by[f"{len(names)} provinces, trends+links ({runs} notebooks), --jobs {jobs}"]["seconds"]
             / by[f"floor: {runs} trivial papermill runs, {jobs} job(s)"]["seconds"] for jobs in (1, 2)}
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(
        {"machine": machine, "results": results, "ratio_to_floor": ratio}, indent=2, ensure_ascii=False) + "\n")
    print(f"\nMachine: {machine}\n")
    print("| job | wall time (s) | peak RSS of largest process (MiB) |")
    print("|---|---:|---:|")
    for r in results:
        print(f"| {r['job']} | {r['seconds']} | {r['peak_rss_mib']:.0f} |")
    print(f"\nbatch / floor: {ratio[1]:.1f}x with 1 job, {ratio[2]:.1f}x with 2 jobs")


if __name__ == "__main__":
    main()
