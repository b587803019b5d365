"""Distance to the frontier and to the next group's cut-off: where a plan can aim.

For each dimension (and the total) in one year: the gap in points to the best
province (the frontier) and to the score that would have put the province in
the next group up (the published-year quartile cut-off, :func:`ranking.quartile_cutoffs`),
plus the World Bank style distance-to-frontier score
``100 * (score - worst) / (best - worst)`` (100 = the best province, 0 = the worst).
Where PAPI published an SE, the gap to the next cut-off is also given in SEs:
a gap under about 2 SEs is within what sampling noise alone can close or open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import schema
from . import ranking
from .peers import province_code

NEXT_GROUP = {"lowest": ("low_average", 0), "low_average": ("high_average", 1), "high_average": ("highest", 2)}


def distance_to_frontier(
    panel: pd.DataFrame, province: str | int, year: int, dimensions: tuple[str, ...] | list[str] = schema.INDICATORS
) -> pd.DataFrame:
    """One row per dimension scored in ``year`` for the province.

    Columns: ``dimension``, ``score``, ``se``, ``rank``, ``n_ranked``, ``group``, ``frontier`` (best score),
    ``frontier_province_code``, ``gap_to_frontier`` (points, >= 0), ``dtf_score`` (0-100), ``next_group``
    (missing in the highest group), ``next_cutoff`` (points), ``gap_to_next_group`` (points, > 0 unless
    already at the top), ``gap_in_se`` (gap to the next cut-off / published SE; missing without an SE).
    """
    code = province_code(province)
    rows = []
    for dimension in dimensions:
        cross = panel[(panel["year"] == year) & (panel["dimension"] == dimension) & panel["score"].notna()]
        if cross.empty or code not in set(cross["province_code"]):
            continue
        ranked = ranking.rank_and_group(cross).set_index("province_code")
        own = ranked.loc[code]
        cutoffs = ranking.quartile_cutoffs(ranked["score"])  # (25th, 50th, 75th)
        best, worst = ranked["score"].max(), ranked["score"].min()
        nxt = NEXT_GROUP.get(own["group"])
        next_cutoff = cutoffs[nxt[1]] if nxt else np.nan
        gap_next = next_cutoff - own["score"] if nxt else np.nan
        se = own["se"] if pd.notna(own["se"]) and own["se"] > 0 else np.nan
        rows.append(
            {
                "year": year,
                "dimension": dimension,
                "province_code": code,
                "score": own["score"],
                "se": se,
                "rank": int(own["rank"]),
                "n_ranked": int(own["n_ranked"]),
                "group": own["group"],
                "frontier": best,
                "frontier_province_code": int(ranked["score"].idxmax()),
                "gap_to_frontier": best - own["score"],
                "dtf_score": 100 * (own["score"] - worst) / (best - worst) if best > worst else np.nan,
                "next_group": nxt[0] if nxt else pd.NA,
                "next_cutoff": next_cutoff,
                "gap_to_next_group": gap_next,
                "gap_in_se": gap_next / se if nxt else np.nan,
            }
        )
    if not rows:
        raise ValueError(f"Province {code} has no score in {year}.")
    out = pd.DataFrame(rows)
    out["next_group"] = out["next_group"].astype("str")
    return out
