"""Full rolling-origin backtest of the target model (all years, three tail shapes) and its timing.

    PYTHONPATH=src python benchmarks/backtest_targets.py             # families, tails, cells left out, status
    PYTHONPATH=src python benchmarks/backtest_targets.py --centres   # the centre comparison of model.py (~3 min)
    PYTHONPATH=src python benchmarks/backtest_targets.py --geography 34

Prints the per-family table (all years and 2019-2024), the tail comparison, the cells left out and the
calibration status (on the 34 provinces also merged and unmerged units apart); the test suite runs the 2019-2024
part (tests/test_targets_calibration.py). ``--centres`` reruns the backtest and the advisor check with each
candidate centre of the national year effect and prints the criterion fixed in advance (forecast years 2016-2021)
beside the held-out years 2022-2024.
"""

from __future__ import annotations

import argparse
import importlib
import time

import numpy as np
import pandas as pd

from papi_analysis import load_scores
from papi_analysis.analysis import targets

model = importlib.import_module("papi_analysis.analysis.targets.model")

SELECTION, HELD_OUT = targets.SPREAD_PERIODS  # the centre is chosen on the first, checked on the second


def centre_row(predictions: pd.DataFrame, advice: pd.DataFrame, years: tuple[int, int]) -> dict:
    """ECE of the score families, band coverage and advice met, and the criterion (sum of the three ECEs plus the
    mean |advice met - chance|) over ``years``."""
    t = targets.family_table(predictions, years).set_index("family")
    a = advice[advice["year"].between(*years)]
    met = a.assign(k=a["met"] * a["n"]).groupby("chance")[["k", "n"]].sum()
    met = met["k"] / met["n"]
    row = {f"ece_{f}": t.loc[f, "ece"] for f in ("change_at_least", "gain", "score_at_least")}
    row |= {
        "band50": t.loc["band50", "observed"],
        "band90": t.loc["band90", "observed"],
        "n": int(t.loc["band50", "n"]),
    }
    row |= {f"advice_{round(p * 100)}": met[p] for p in targets.advisor.CHANCES}
    row["criterion"] = sum(row[f"ece_{f}"] for f in ("change_at_least", "gain", "score_at_least")) + float(
        np.mean([abs(met[p] - p) for p in targets.advisor.CHANCES])
    )
    return row


def compare_centres(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate centre and period (selection 2016-2021, held out 2022-2024)."""
    rows = []
    keep = model.CENTRE
    try:
        for centre in model.CENTRE_CHOICES:
            model.CENTRE = centre
            model._RAW_CACHE.clear()
            years = list(range(SELECTION[0], HELD_OUT[1] + 1))
            predictions = targets.backtest(panel, years=years, compare_tails=False)
            advice = pd.concat([targets.advisor_calibration(panel, [y]).assign(year=y) for y in years])
            for label, span in (("2016-2021 (selection)", SELECTION), ("2022-2024 (held out)", HELD_OUT)):
                rows.append({"centre": centre, "years": label} | centre_row(predictions, advice, span))
    finally:
        model.CENTRE = keep
        model._RAW_CACHE.clear()
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", action="store_true")
    parser.add_argument("--geography", default="63", choices=["63", "34"])
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    panel = load_scores(geography=args.geography)
    if args.centres:
        table = compare_centres(panel)
        for label, part in table.groupby("years", sort=False):
            print(f"\n{label}\n" + part.drop(columns="years").round(3).to_string(index=False))
        return
    start = time.perf_counter()
    predictions = targets.backtest(panel)
    print(f"backtest: {len(predictions)} rows in {time.perf_counter() - start:.1f} s")
    columns = [
        "family",
        "n",
        "years",
        "mean_forecast",
        "observed",
        "brier",
        "brier_base",
        "skill",
        "skill_low",
        "skill_high",
        "ece",
        "interval_coverage",
    ]
    for label, years in (("all years", None), ("2019-2024", (2019, 2024))):
        print(f"\n{label}\n" + targets.family_table(predictions, years)[columns].round(3).to_string(index=False))
        print(targets.compare_tails(predictions, years).round(3).to_string(index=False))
    if args.geography == "34":
        split = targets.family_table_by_unit_kind(predictions, panel)
        print(
            "\nmerged and unmerged units, all years\n"
            + split[["units", "family", "n", "observed", "ece"]].round(3).to_string(index=False)
        )
        print(
            "\nsize exponent by origin: "
            + ", ".join(
                f"{y} {model.error_pool(panel, y).size_exponent:.2f}" for y in range(2016, int(panel["year"].max()) + 2)
            )
        )
    print("\nleft out\n" + targets.dropped_cells(predictions).to_string(index=False))
    print("\n" + targets.calibration_status(predictions).to_string(index=False))


if __name__ == "__main__":
    main()
