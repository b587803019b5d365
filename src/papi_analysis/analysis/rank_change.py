"""Why did a rank change, and is the change more than sampling noise?

Rank changes are in places, positive = moved up (rank 21 -> 16 is +5), as in
:mod:`trends`. A rank change is only computed between years on the same scale:
the total across the 2017/2018 break (6 vs 8 dimensions) is refused.

* :func:`rank_change_decomposition` splits an observed change exactly into the
  part from the province's own score change (the rank it would have had in the
  later year had every other province kept its earlier score) and the part from
  the other provinces' moves (the rest). When the set of ranked provinces
  differs between the years (2022 lacks Bắc Giang and Bắc Ninh, 2023 lacks
  Quảng Ninh and Bình Dương), provinces entering or leaving the ranking are
  part of the others' part, and of the "no true change" range below.
* :func:`rank_change_noise` simulates rank changes under "no true change": every
  province's true score is the same in both years (taken as the mean of its two
  published scores), each year's published score is that plus normal error with
  that year's SE. The 95% range of the simulated change is what noise alone
  produces; an observed change outside it is "beyond noise".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import schema
from . import rank_uncertainty
from .rank_uncertainty import ALPHA, DEFAULT_DRAWS, DEFAULT_SEED


def _check_comparable(year_from: int, year_to: int, dimension: str) -> None:
    if year_from >= year_to:
        raise ValueError(f"year_from ({year_from}) must be before year_to ({year_to}).")
    if dimension == schema.TOTAL and year_from <= 2017 < year_to:
        raise ValueError(
            f"The total of {year_from} (6 dimensions, 6-60) and {year_to} (8 dimensions, 8-80) "
            "are different scales: compare dimensions, or years on the same side of 2017/2018."
        )


def _scores(panel: pd.DataFrame, year: int, dimension: str) -> pd.Series:
    rows = panel[(panel["year"] == year) & (panel["dimension"] == dimension) & panel["score"].notna()]
    if rows.empty:
        raise ValueError(f"No scores for {dimension} in {year}.")
    return rows.set_index("province_code")["score"].astype(float)


def _rank_of(value: float, others: np.ndarray) -> int:
    """Rank of ``value`` among ``others`` (1 = best; ties share the best rank, as ranking.rank_and_group)."""
    return int((others > value).sum()) + 1


def rank_change_decomposition(panel: pd.DataFrame, year_from: int, year_to: int, dimension: str) -> pd.DataFrame:
    """For every province scored in both years: ``rank_from``, ``rank_to``, ``rank_change`` (up = positive),
    ``rank_if_others_stood_still`` (its ``year_to`` score ranked among the others' ``year_from`` scores),
    ``own_part`` = rank_from - that rank, ``others_part`` = that rank - rank_to; own_part + others_part =
    rank_change exactly. ``score_change`` in points; ``crosses_break`` flags a methodology break."""
    _check_comparable(year_from, year_to, dimension)
    before, after = _scores(panel, year_from, dimension), _scores(panel, year_to, dimension)
    rows = []
    for code in before.index.intersection(after.index):
        others_before = before.drop(code).to_numpy()
        rank_from = _rank_of(before[code], others_before)
        rank_to = _rank_of(after[code], after.drop(code).to_numpy())
        still = _rank_of(after[code], others_before)
        rows.append(
            {
                "province_code": int(code),
                "score_from": before[code],
                "score_to": after[code],
                "score_change": after[code] - before[code],
                "rank_from": rank_from,
                "rank_to": rank_to,
                "rank_change": rank_from - rank_to,
                "rank_if_others_stood_still": still,
                "own_part": rank_from - still,
                "others_part": still - rank_to,
            }
        )
    out = pd.DataFrame(rows)
    out.insert(0, "dimension", dimension)
    out.insert(0, "year_to", year_to)
    out.insert(0, "year_from", year_from)
    out["n_from"], out["n_to"] = len(before), len(after)
    out["crosses_break"] = schema.is_break_between(year_from, year_to, dimension)
    return out.sort_values("province_code").reset_index(drop=True)


def rank_change_noise(
    panel: pd.DataFrame,
    year_from: int,
    year_to: int,
    dimension: str,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    alpha: float = ALPHA,
    borrow_se: str = "gaps",
) -> pd.DataFrame:
    """Observed rank change beside the 95% range of changes that noise alone would produce.

    One row per province scored in both years: ``rank_change`` (observed, up = positive),
    ``noise_low``/``noise_high`` (the 2.5th and 97.5th percentiles of the simulated change under no true
    change), ``p_noise`` (share of simulated changes at least as large in absolute value as the observed
    one), ``beyond_noise`` (observed outside the noise range), and ``se_basis_from``/``se_basis_to``
    (published or borrowed, see :func:`rank_uncertainty.cross_section`). Missing where either year has no SE.
    """
    _check_comparable(year_from, year_to, dimension)
    a = rank_uncertainty.cross_section(panel, year_from, dimension, borrow_se).set_index("province_code")
    b = rank_uncertainty.cross_section(panel, year_to, dimension, borrow_se).set_index("province_code")
    decomposition = rank_change_decomposition(panel, year_from, year_to, dimension).set_index("province_code")
    out = decomposition[["year_from", "year_to", "dimension", "rank_from", "rank_to", "rank_change"]].copy()
    out["se_basis_from"] = a.loc[out.index, "se_basis"]
    out["se_basis_to"] = b.loc[out.index, "se_basis"]
    if a["se"].isna().any() or b["se"].isna().any():
        for column in ("noise_low", "noise_high", "p_noise"):
            out[column] = np.nan
        out["beyond_noise"] = pd.array([pd.NA] * len(out), dtype="boolean")
        return out.reset_index()
    codes = a.index.union(b.index)
    truth = pd.concat([a["score"], b["score"]], axis=1).mean(axis=1).reindex(codes).to_numpy()
    rng = np.random.default_rng(seed)

    def simulated_ranks(section: pd.DataFrame) -> pd.DataFrame:
        idx = codes.get_indexer(section.index)
        draws = truth[idx] + rng.standard_normal((n_draws, len(idx))) * section["se"].to_numpy(float)
        return pd.DataFrame(rank_uncertainty._ranks(draws), columns=section.index)

    ranks_a, ranks_b = simulated_ranks(a), simulated_ranks(b)
    both = out.index
    change = ranks_a[both].to_numpy() - ranks_b[both].to_numpy()
    out["noise_low"] = np.quantile(change, alpha / 2, axis=0)
    out["noise_high"] = np.quantile(change, 1 - alpha / 2, axis=0)
    observed = out["rank_change"].to_numpy()
    out["p_noise"] = (np.abs(change) >= np.abs(observed)[None, :]).mean(axis=0)
    out["beyond_noise"] = ((observed < out["noise_low"]) | (observed > out["noise_high"])).astype("boolean")
    return out.reset_index()
