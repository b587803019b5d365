"""Full rolling-origin backtest of the target model (all years, three tail shapes) and its timing.

    PYTHONPATH=src python benchmarks/backtest_targets.py

Prints the per-family table (all years and 2019-2024), the tail comparison, the cells left out and the
calibration status; the test suite runs the 2019-2024 part (tests/test_targets_calibration.py).
"""

from __future__ import annotations

import time

import pandas as pd

from papi_analysis import load_scores
from papi_analysis.analysis import targets


def main() -> None:
    pd.set_option("display.width", 200)
    panel = load_scores()
    start = time.perf_counter()
    predictions = targets.backtest(panel)
    print(f"backtest: {len(predictions)} rows in {time.perf_counter() - start:.1f} s")
    columns = ["family", "n", "years", "mean_forecast", "observed", "brier", "brier_base", "skill", "skill_low",
               "skill_high", "ece", "interval_coverage"]
    for label, years in (("all years", None), ("2019-2024", (2019, 2024))):
        print(f"\n{label}\n" + targets.family_table(predictions, years)[columns].round(3).to_string(index=False))
        print(targets.compare_tails(predictions, years).round(3).to_string(index=False))
    print("\nleft out\n" + targets.dropped_cells(predictions).to_string(index=False))
    print("\n" + targets.calibration_status(predictions).to_string(index=False))


if __name__ == "__main__":
    main()
