"""Ranks and PAPI's four performance groups.

PAPI colours provinces by quartile of each year's distribution of provinces with
data: *highest* (at or above the 75th percentile), *high-average* (50th-75th),
*low-average* (25th-50th) and *lowest* (below the 25th percentile).

Convention used here: percentiles by linear interpolation between order
statistics (numpy's default, Excel's PERCENTILE.INC); a province exactly on a
cut-off goes to the higher group. With 63 provinces this gives the published
group sizes 16/16/15/16 (2019, 2020). With 61 provinces (2023, 2024) it gives
16/15/15/15 where PAPI published 15/15/15/16: no single percentile rule
reproduces both, so for 61-province years one province at the top and one at
the bottom cut-off may sit one group away from PAPI's own colouring. Group
membership near a cut-off is within sampling noise anyway.

How sure a rank or a group is: :func:`papi_analysis.analysis.rank_uncertainty.rank_intervals` (95% rank
intervals and group probabilities from the published SEs), which builds on this module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUPS: tuple[str, ...] = ("highest", "high_average", "low_average", "lowest")


def quartile_cutoffs(scores: pd.Series) -> tuple[float, float, float]:
    """(25th, 50th, 75th) percentiles of the provinces with data, in points."""
    values = scores.dropna().to_numpy(dtype=float)
    if values.size == 0:
        return (np.nan, np.nan, np.nan)
    q25, q50, q75 = np.percentile(values, [25, 50, 75])
    return float(q25), float(q50), float(q75)


def assign_groups(scores: pd.Series) -> pd.Series:
    """Performance group of each score within one cross-section (missing scores get no group)."""
    q25, q50, q75 = quartile_cutoffs(scores)
    groups = np.select(
        [scores >= q75, scores >= q50, scores >= q25, scores < q25],
        list(GROUPS),
        default="",
    )
    result = pd.Series(groups, index=scores.index, dtype="str")
    return result.where(scores.notna(), other=pd.NA)


def rank_and_group(panel: pd.DataFrame) -> pd.DataFrame:
    """Panel with ``rank`` (1 = best score that year and dimension; ties share the best rank),
    ``n_ranked`` (provinces with data) and ``group`` (one of :data:`GROUPS`, missing where the score is).

    Asked for many times by a report (every target, every rank figure): kept in memory by the panel's content."""
    from .cache import remembered

    return remembered("rank_and_group", lambda: _rank_and_group(panel), panel)


def _rank_and_group(panel: pd.DataFrame) -> pd.DataFrame:
    out = panel.copy()
    by = out.groupby(["year", "dimension"], sort=False)["score"]
    out["rank"] = by.rank(ascending=False, method="min").astype("Int64")
    out["n_ranked"] = by.transform("count").astype("int64")
    out["group"] = by.transform(assign_groups).astype("str")
    return out
