"""Peers that are alike: provinces of similar income (GRDP per head) and of similar D1-D8 profile.

Beside the region peers of :func:`trends.peers`, two sets in the spirit of the
EU Regional Competitiveness Index's "peers of similar development":

* **income peers** — the ``k`` provinces whose GRDP per head (million VND per
  person, 2010 prices; GSO via the provincial panel in data/raw/context/, 2012-2021)
  is closest on a log scale, in the latest context year at or before the PAPI year
  (``context_year`` in the output: for PAPI 2022-2024 that is 2021);
* **profile peers** — the ``k`` provinces with the most similar D1-D8 profile in
  the PAPI year: Euclidean distance between the dimension scores standardised
  across provinces (each dimension counts the same).

Province codes are taken from the panel and the context table as given: nothing
assumes the 63 provinces. A province without context data gets no income peers
(an empty table, not an error), and says so through :func:`compare_with_peers`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import context as context_data
from ..data import provinces, schema
from . import ranking

GRDP = "GRDPperCap2010"
PEER_SETS = ("income", "profile")


def province_code(province: str | int) -> int:
    """A province code as given (any geography), or resolved from a name."""
    if isinstance(province, (int, np.integer)) and not isinstance(province, bool):
        return int(province)
    return provinces.resolve(province)


def _ranked(panel: pd.DataFrame, year: int, dimension: str) -> pd.DataFrame:
    rows = panel[(panel["year"] == year) & (panel["dimension"] == dimension)]
    if rows["score"].notna().sum() == 0:
        raise ValueError(f"No scores for {dimension} in {year}.")
    ranked = ranking.rank_and_group(rows[rows["score"].notna()])
    return ranked.set_index("province_code")[["province", "score", "rank", "n_ranked", "group"]]


def income_peers(
    panel: pd.DataFrame,
    province: str | int,
    year: int,
    dimension: str = schema.TOTAL,
    k: int = 5,
    context: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The province and its ``k`` nearest provinces by log GRDP per head (``distance`` = |log ratio|).

    ``context``: a wide table with ``year``, ``province_code`` and ``GRDPperCap2010`` (default: the project's
    :func:`context.context_wide`). Columns: ``peer_set``, ``province_code``, ``province``, ``selected``,
    ``grdp_per_head``, ``context_year``, ``distance``, ``score``, ``rank``, ``n_ranked``, ``group``.
    """
    if context is None and provinces.geography_of(panel) != "63":
        # GRDP per head is published for the 63 former provinces: their codes would name other units here
        return _empty("income")
    code = province_code(province)
    context = context_data.context_wide([GRDP]) if context is None else context
    ranked = _ranked(panel, year, dimension)
    usable = context.dropna(subset=[GRDP])
    usable = usable[usable["province_code"].isin(ranked.index)]
    earlier = usable[usable["year"] <= year]
    pool = earlier if not earlier.empty else usable
    if pool.empty or code not in set(pool["province_code"]):
        return _empty("income")
    context_year = int(pool.loc[pool["province_code"] == code, "year"].max())
    cross = pool[pool["year"] == context_year].set_index("province_code")[GRDP]
    distance = (np.log(cross) - np.log(cross[code])).abs()
    chosen = distance.drop(code).nsmallest(k).index
    out = ranked.loc[[code, *chosen]].copy()
    out["grdp_per_head"] = cross.loc[out.index]
    out["context_year"] = context_year
    out["distance"] = distance.loc[out.index]
    return _finish(out, code, "income")


def profile_peers(
    panel: pd.DataFrame, province: str | int, year: int, dimension: str = schema.TOTAL, k: int = 5
) -> pd.DataFrame:
    """The province and its ``k`` nearest provinces by D1-D8 profile in ``year`` (standardised Euclidean distance).

    Uses the dimensions PAPI scored that year (D1-D6 before 2018) and the provinces with all of them;
    ``score``, ``rank`` and ``group`` are for ``dimension``.
    """
    code = province_code(province)
    rows = panel[(panel["year"] == year) & panel["dimension"].isin(schema.DIMENSIONS)]
    wide = rows.pivot_table(index="province_code", columns="dimension", values="score").dropna()
    if code not in wide.index:
        return _empty("profile")
    z = (wide - wide.mean()) / wide.std(ddof=0)
    distance = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1))
    chosen = distance.drop(code).nsmallest(k).index
    ranked = _ranked(panel, year, dimension)
    out = ranked.reindex([code, *chosen]).copy()
    out["grdp_per_head"] = np.nan
    out["context_year"] = pd.NA
    out["distance"] = distance.loc[out.index]
    return _finish(out, code, "profile")


def _finish(out: pd.DataFrame, code: int, peer_set: str) -> pd.DataFrame:
    out = out.reset_index()
    out.insert(0, "peer_set", peer_set)
    out["selected"] = out["province_code"] == code
    out["context_year"] = out["context_year"].astype("Int64")
    return out[
        [
            "peer_set",
            "province_code",
            "province",
            "selected",
            "grdp_per_head",
            "context_year",
            "distance",
            "score",
            "rank",
            "n_ranked",
            "group",
        ]
    ]


def _empty(peer_set: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype="object")
            for c in [
                "peer_set",
                "province_code",
                "province",
                "selected",
                "grdp_per_head",
                "context_year",
                "distance",
                "score",
                "rank",
                "n_ranked",
                "group",
            ]
        }
    )


def compare_with_peers(peers: pd.DataFrame) -> pd.Series:
    """How the selected province compares with one peer set: its score, the peers' median (selected
    province excluded), the gap in points, and its place among the set (1 = best of the ``n_in_set``)."""
    if peers.empty:
        return pd.Series(
            {
                "peer_set": None,
                "n_peers": 0,
                "score": np.nan,
                "peer_median": np.nan,
                "gap": np.nan,
                "place_in_set": pd.NA,
                "n_in_set": 0,
            }
        )
    own = peers[peers["selected"]].iloc[0]
    others = peers[~peers["selected"]]["score"].dropna()
    place = int((others > own["score"]).sum()) + 1
    return pd.Series(
        {
            "peer_set": peers["peer_set"].iloc[0],
            "n_peers": len(others),
            "score": own["score"],
            "peer_median": others.median(),
            "gap": own["score"] - others.median(),
            "place_in_set": place,
            "n_in_set": len(others) + 1,
        }
    )
