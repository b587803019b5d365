"""Coverage of the rank intervals by simulation on real cross-sections (a measurement, not a test).

True scores = the published scores (``shrink`` 1) or pulled halfway to their mean (0.5); each
replication draws published-like scores from the published SEs and recomputes the intervals.
Run: ``PYTHONPATH=src python benchmarks/rank_coverage.py`` (about 10 minutes on one core).
"""

from __future__ import annotations

import pandas as pd

from papi_analysis import load_scores
from papi_analysis.analysis import rank_uncertainty

CASES = ((2023, "total"), (2019, "D3"), (2019, "total"))


def main(n_reps: int = 400, n_draws: int = 1000) -> pd.DataFrame:
    panel = load_scores()
    rows = []
    for year, dimension in CASES:
        section = rank_uncertainty.rank_intervals(panel, year, dimension, borrow_se="never")
        for shrink in (1.0, 0.5):
            result = rank_uncertainty.coverage_check(
                section["score"].to_numpy(), section["se"].to_numpy(), n_reps=n_reps, n_draws=n_draws, shrink=shrink
            )
            rows.append(result.assign(year=year, dimension=dimension))
            print(rows[-1].round(4).to_string(index=False), flush=True)
    return pd.concat(rows, ignore_index=True)


if __name__ == "__main__":
    main()
