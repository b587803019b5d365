"""Time to read and evaluate a plan against its number of rows (issue 29 item 6): generated plans of 50, 500 and
5,000 targets (every kind, all 63 provinces, every indicator, baseline years 2012-2023; ``tests/fixtures/big_plans.py``)
are read (:func:`~papi_analysis.analysis.targets.load_targets`) and evaluated
(:func:`~papi_analysis.analysis.targets.evaluate_targets`, no figures); prints seconds and seconds per row of each.
Linear time shows as a flat or falling seconds-per-row column: a plan pays once for each cell (indicator, baseline year,
target year) it touches (at most a few hundred) and then a few milliseconds per row. Wall-clock seconds depend on what
else the machine runs; the CPU seconds of this process are printed beside them.

    .venv/bin/python benchmarks/plan_size.py                  # 50, 500, 5,000 rows
    .venv/bin/python benchmarks/plan_size.py --rows 50 500 --profile 500   # and cProfile of the 500-row evaluation

The backtest the verdicts' calibration needs is cached on disk (``build-data`` or a first report makes it); it is
loaded once before the timings.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from big_plans import write_plan  # noqa: E402

from papi_analysis import load_scores  # noqa: E402
from papi_analysis.analysis import targets  # noqa: E402
from papi_analysis.data.plan_reader.schema import MAX_TARGETS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--profile", type=int, default=0, help="profile the evaluation of the plan of this many rows")
    args = parser.parse_args()
    panel = load_scores(geography="63")
    start = time.perf_counter()
    targets.evaluate_targets(targets.select_plan("quang-nam-2021"), panel)  # backtest and calibration loaded once
    print(
        f"[warm-up: cached backtest and calibration loaded, a seed plan evaluated: {time.perf_counter() - start:.1f} s]"
    )
    print(f"limit: {MAX_TARGETS:,} targets per file")
    print(
        f"{'rows':>6}  {'read (s)':>9}  {'evaluate (s)':>12}  {'total (s)':>9}  {'s per row':>9}  "
        f"{'CPU (s)':>8}  {'CPU s per row':>13}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for n in args.rows:
            path = write_plan(Path(folder) / f"plan_{n}.csv", panel, n)
            start, cpu = time.perf_counter(), time.process_time()
            plan = targets.load_targets(path)
            read = time.perf_counter() - start
            profiler = cProfile.Profile() if n == args.profile else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            evaluation = targets.evaluate_targets(plan, panel)
            if profiler:
                profiler.disable()
            evaluate = time.perf_counter() - start
            cpu = time.process_time() - cpu
            assert len(evaluation) == n
            total = read + evaluate
            print(
                f"{n:>6,}  {read:>9.2f}  {evaluate:>12.2f}  {total:>9.2f}  {total / n:>9.4f}  {cpu:>8.2f}  "
                f"{cpu / n:>13.4f}",
                flush=True,
            )
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
