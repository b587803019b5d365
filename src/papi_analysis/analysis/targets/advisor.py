"""What target can a province reasonably set? Scores, ranks and groups with a 90%, 70% and 50% chance.

Every number comes from the one predictive model (:func:`.forecast.forecast_cell`): the score reached with chance p
is the (1 - p) quantile of the province's simulated score; the rank (group) reached with chance p is the one the
province reaches or beats in a share p of the simulated cross-sections. The backtest (:mod:`.backtest`, family
``advice``) checks the advice out of sample with the same code: an advised p target should be met about p of the
time; :func:`advisor_calibration` and :func:`.status.advice_table` read it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data import schema
from .. import ranking
from .backtest import backtest_cached
from .forecast import ADVICE_CHANCES, forecast_cell, groups_of, ranks_of

CHANCES: tuple[float, ...] = ADVICE_CHANCES
N_DRAWS = 4000


def advise(
    panel: pd.DataFrame, province_code: int, baseline_year: int | None = None, seed: int = 20250701
) -> pd.DataFrame:
    """One row per indicator (total and each dimension) for the year after ``baseline_year`` (default: the last
    year in ``panel``): baseline score and rank, for each chance p the score, rank and group reached with
    that chance, the distance to the national top quartile (room) and the model's expected change (a negative
    one means regression to the mean is likely to pull the score back)."""
    rng = np.random.default_rng(seed)
    baseline_year = int(panel["year"].max()) if baseline_year is None else int(baseline_year)
    rows = []
    for dim in (schema.TOTAL,) + schema.dimensions_in(min(baseline_year, 2024)):
        cell, notes = forecast_cell(panel, dim, baseline_year, baseline_year + 1)
        row: dict = dict(indicator=dim, baseline_year=baseline_year, target_year=baseline_year + 1)
        if cell is None or province_code not in set(cell.baseline["province_code"]):
            rows.append(row | dict(note="; ".join(notes) or "no published baseline"))
            continue
        scores = cell.baseline["score"].to_numpy()
        i = int(np.flatnonzero(cell.baseline["province_code"].to_numpy() == province_code)[0])
        draws = cell.draws(rng, N_DRAWS)
        own = draws[:, i]
        ranks = ranks_of(draws)[:, i]
        groups = groups_of(draws)[:, i]
        row |= dict(
            baseline=float(scores[i]),
            baseline_rank=int((scores > scores[i]).sum() + 1),
            n_ranked=len(scores),
            expected_change=float(cell.mean_change[i]),
            room_to_top_quartile=float(max(0.0, np.quantile(scores, 0.75) - scores[i])),
        )
        for p in CHANCES:
            key = f"{round(p * 100)}"
            row[f"score_{key}"] = float(np.quantile(own, 1 - p))
            row[f"rank_{key}"] = int(np.quantile(ranks, p, method="higher"))
            reach = [(groups <= g).mean() for g in range(4)]
            row[f"group_{key}"] = ranking.GROUPS[next(g for g in range(4) if reach[g] >= p)]
        row["note"] = "; ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows)


def advisor_calibration(panel: pd.DataFrame, years: list[int], seed: int = 20250701) -> pd.DataFrame:
    """Out of sample, for each chance p: the share of (year, indicator, province) whose advised score (from the
    year before, rolling origin) was reached in ``years``, and n (from the backtest's ``advice`` rows; ``seed`` is
    kept for compatibility: the backtest has its own)."""
    p = backtest_cached(panel)
    a = p[(p["family"] == "advice") & p["year"].isin(list(years))]
    out = a.groupby("p_model")["outcome"].agg(met="mean", n="size").reset_index().rename(columns={"p_model": "chance"})
    return out.sort_values("chance", ascending=False).reset_index(drop=True)
