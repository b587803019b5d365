"""Full rolling-origin backtest of the target model (2016-2024, every tail shape beside the one chosen at each origin),
judged against its own noise, with both competitors, the advisor per block, the false-alarm and power simulation and
the design rules chosen at every origin; and its timing.

    PYTHONPATH=src python benchmarks/backtest_targets.py                 # 63 provinces
    PYTHONPATH=src python benchmarks/backtest_targets.py --geography 34  # merged and unmerged units apart too

Prints, per kind of target and block (2016-2021, 2022-2024 which no design rule saw, both): forecasts, mean forecast
against the observed rate (95% interval resampling years), ECE against the 95% bound of a correct model on the same
forecasts, Brier difference against the position base rate and the Student-t random walk (competitor minus model,
per forecast, 95% interval resampling years); the bands' and the advice's coverage against a correct model's range;
which kinds are flagged; the CRPS comparison; the flag rates of a correct and of wrong synthetic forecasters; the
centre rule and tail shape chosen at each origin. The test suite runs the 2019-2024 part
(tests/test_targets_calibration.py).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from papi_analysis import load_scores
from papi_analysis.analysis import targets


def _timed(label: str, compute):
    start = time.perf_counter()
    out = compute()
    print(f"[{label}: {time.perf_counter() - start:.1f} s]", flush=True)
    return out


def family_block_table(predictions: pd.DataFrame, units: str = "all") -> pd.DataFrame:
    """The README's table: per family and block, n, forecast, observed with its interval, ECE and the correct model's
    bound, the Brier differences against both competitors with their intervals, inside or beyond the noise, and
    whether the kind is flagged."""
    j = targets.judgement(predictions)
    tests = j["tests"].set_index(["family", "units", "block"])
    flagged = j["kinds"].set_index(["family", "units"])["flagged"]
    p = predictions if units == "all" else predictions[predictions["units"] == units]
    rows = []
    for years in targets.BLOCKS + (targets.ALL_YEARS,):
        block = f"{years[0]}-{years[1]}"
        for r in targets.family_table(p, years).itertuples():
            key = (r.family, units, block)
            found = tests.loc[[key]] if key in tests.index else []
            test = found.iloc[0] if len(found) == 1 else None  # advice: one test per chance, printed below
            rows.append(
                dict(
                    family=r.family,
                    block=block,
                    n=r.n,
                    forecast=r.mean_forecast,
                    observed=r.observed,
                    obs_low=r.observed_low,
                    obs_high=r.observed_high,
                    value=None if test is None else test["observed"],
                    null_low=None if test is None else test["null_low"],
                    null_high=None if test is None else test["null_high"],
                    inside=None if test is None else bool(test["inside"]),
                    diff_base=getattr(r, "diff_base", None),
                    diff_base_low=getattr(r, "diff_base_low", None),
                    diff_base_high=getattr(r, "diff_base_high", None),
                    diff_rw=getattr(r, "diff_rw", None),
                    diff_rw_low=getattr(r, "diff_rw_low", None),
                    diff_rw_high=getattr(r, "diff_rw_high", None),
                    flagged=bool(flagged.get((r.family, units), False)),
                )
            )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--geography", default="63", choices=["63", "34"])
    parser.add_argument("--worlds", type=int, default=1000, help="simulated worlds per scenario of the power check")
    args = parser.parse_args()
    pd.set_option("display.width", 220)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 40)
    panel = load_scores(geography=args.geography)
    total = time.perf_counter()
    predictions = _timed("backtest, 2016-2024, four tail shapes", lambda: targets.backtest(panel))
    print(f"{len(predictions):,} rows")
    _timed("judgement against a correct model's noise, 1,000 worlds", lambda: targets.judgement(predictions))
    classes = ["all"] + (["merged", "unmerged"] if args.geography == "34" else [])
    for units in classes:
        print(f"\nkinds of target, {units} units (value: ECE, or coverage for bands and advice)")
        print(family_block_table(predictions, units).round(3).to_string(index=False))
        tests = targets.judgement(predictions)["tests"]
        cov = tests[tests["family"].isin(["band50", "band90", "advice"]) & (tests["units"] == units)]
        print(f"\nbands and advice, {units} units")
        print(
            cov[
                [
                    "family",
                    "event",
                    "block",
                    "n",
                    "observed",
                    "observed_low",
                    "observed_high",
                    "null_low",
                    "null_high",
                    "inside",
                ]
            ]
            .round(3)
            .to_string(index=False)
        )
        kinds = targets.judgement(predictions)["kinds"]
        print(f"\nflagged kinds, {units} units\n" + kinds[kinds["units"] == units].round(3).to_string(index=False))
    print("\ncompetitors (CRPS of the change in points per dimension; Brier per event family)")
    print(targets.competitor_table(predictions).round(3).to_string(index=False))
    print("\ntail shapes: chosen at each origin and each fixed")
    for years in targets.BLOCKS + (targets.ALL_YEARS,):
        print(f"{years[0]}-{years[1]}\n" + targets.compare_tails(predictions, years).round(3).to_string(index=False))
    rates = _timed(
        f"false alarms and power, {args.worlds} worlds per scenario",
        lambda: targets.simulate_flag_rates(predictions, worlds=args.worlds),
    )
    print("\nshare of simulated worlds flagged")
    print(rates.pivot_table(index=["family", "units"], columns="scenario", values="flagged").round(3).to_string())
    print("\ndesign rules chosen at each origin")
    rules = targets.centre_choices(panel, list(range(2016, int(panel["year"].max()) + 2)))
    rules["tails"] = [
        targets.relative_pool(panel, y).tails if targets.relative_pool(panel, y) is not None else None
        for y in rules["origin"]
    ]
    rules["size_exponent"] = [
        targets.relative_pool(panel, y).size_exponent if targets.relative_pool(panel, y) is not None else None
        for y in rules["origin"]
    ]
    print(rules.round(3).to_string(index=False))
    print("\ncells left out\n" + targets.dropped_cells(predictions).to_string(index=False))
    print(f"\n[total: {time.perf_counter() - total:.1f} s]")


if __name__ == "__main__":
    main()
