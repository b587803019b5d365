"""Probability that a plan's target is met, from the one predictive model (:mod:`.model`).

Every kind is judged on the same simulated target-year cross-section of all units: score and change targets
on the unit's own draw, group and rank targets on its place among all simulated units (ranks among units with
data). The same functions give the backtest's probabilities (:mod:`.backtest`).
"""

from __future__ import annotations

import math
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...data import schema
from .forecast import (
    N_STRATA,
    at_quantiles,
    by_stratum,
    conditional_on_rank,
    forecast_cell,
    groups_of,
    ranks_of,
    standardised_draws,
    standardised_fit,
)
from .model import cross_section, history_for, transitions
from .plans import GROUP_ORDER

N_DRAWS = 8000  # draws for the probability itself (400 in each national stratum)
N_PARAMETER_DRAWS = 100  # across a methodology break: the slope redrawn this many times ...
N_OUTCOME_DRAWS = 100  # ... each with this many outcomes
RANK_KINDS = ("rank_at_most", "rank_gain_at_least", "improve_score_and_rank")
RELATIVE_KINDS = ("group_at_least", "rank_at_most", "rank_gain_at_least", "not_in_group")
#: smallest change that counts as a "gain event" (points): dimensions, total
GAIN_MIN: dict[str, float] = {"dimension": 0.25, "total": 1.0}


@dataclass
class Prediction:
    """Predictive distribution of one unit's target-year score (points) and the probability of a target.

    ``national`` holds the probability with the national part at its 10th, 50th and 90th percentile (a poor, a
    typical, a good year for the whole country); ``probability_low``/``probability_high`` are the lowest and highest
    of them (the national sensitivity; equal to the probability for rank and group targets)."""

    mean: float
    sd: float
    band50: tuple[float, float]
    band90: tuple[float, float]
    probability: float
    probability_low: float
    probability_high: float
    method: str
    family: str
    notes: list[str]
    national: tuple[float, float, float] = (float("nan"),) * 3


class PlanCells:
    """What the rows of one plan share, computed once and reused by every row that needs it, so that a plan is
    evaluated in time linear in its rows (issue 29).

    Always shared: the deterministic pieces of each cell (indicator, baseline year, target year): its forecast
    (:func:`.forecast.forecast_cell`: the regression and the national and relative calibration), the baseline
    cross-section, the transitions and historical changes, the fit across a methodology break, and each indicator's
    published ranks and groups. They are the same numbers however often they are computed, so the evaluation is
    identical with and without them (a test compares).

    With ``shared_draws`` the simulation is shared too: each cell's simulated target-year cross-sections (the same
    model and number of draws) are drawn once, from a generator of the cell's own seeded by ``seed`` and the cell,
    and every target of the cell is judged on them. A target's numbers then do not depend on the plan's other rows
    or their order; they differ from drawing each target in turn by Monte Carlo noise only. Only the last few cells'
    draws are kept (:data:`KEPT_DRAWS`): visit the rows cell by cell.
    """

    KEPT_DRAWS = 6  # a cell's draws, groups and ranks, and the previous cell's

    def __init__(self, panel: pd.DataFrame, seed: int = 0, shared_draws: bool = False):
        self.panel, self.seed, self.shared_draws = panel, seed, shared_draws
        self._memo: dict[tuple, object] = {}
        self._draws: OrderedDict[tuple, object] = OrderedDict()

    def get(self, key: tuple, compute):
        """``compute()`` the first time ``key`` is asked for, the stored result after."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def draws(self, key: tuple, compute):
        """Simulated draws of a cell: ``compute(rng)`` with the cell's own generator, kept for the next rows."""
        if key in self._draws:
            self._draws.move_to_end(key)
            return self._draws[key]
        out = compute(self.rng(*key))
        self._draws[key] = out
        while len(self._draws) > self.KEPT_DRAWS:
            self._draws.popitem(last=False)
        return out

    def rng(self, *cell) -> np.random.Generator:
        """A generator of the cell's own, seeded by the plan's seed and the cell (not by the order of the rows)."""
        return np.random.default_rng([self.seed, zlib.crc32("|".join(map(str, cell)).encode())])


def _shared(cells: PlanCells | None, key: tuple, compute):
    return compute() if cells is None else cells.get(key, compute)


def success(
    kind: str,
    value: str | float,
    next_scores: np.ndarray,
    index: int,
    baseline_scores: np.ndarray,
    groups: np.ndarray | None = None,
    ranks: np.ndarray | None = None,
) -> np.ndarray:
    """Whether the target is met in each simulated cross-section (``next_scores``: (..., units); ``groups``:
    :func:`.forecast.groups_of` of them and ``ranks`` :func:`tied_ranks`, when already computed)."""
    own_now = float(baseline_scores[index])
    own_next = next_scores[..., index]
    if kind == "score_at_least":
        return own_next >= float(value)
    if kind == "change_at_least":
        return (own_next - own_now) >= float(value)
    if kind in ("group_at_least", "not_in_group"):
        own_group = (groups_of(next_scores) if groups is None else groups)[..., index]
        if kind == "group_at_least":
            return own_group <= GROUP_ORDER[str(value)]
        return own_group != GROUP_ORDER[str(value)]
    if ranks is None:
        own_rank = (next_scores > next_scores[..., index : index + 1]).sum(axis=-1) + 1
    else:
        own_rank = ranks[..., index]
    if kind == "rank_at_most":
        return own_rank <= int(float(value))
    current_rank = int((baseline_scores > own_now).sum() + 1)
    if kind == "rank_gain_at_least":  # ranks among units with data, baseline and target year alike
        return own_rank <= current_rank - rank_gain(value)
    if kind == "improve_score_and_rank":
        return (own_next > own_now) & (own_rank < current_rank)
    raise ValueError(kind)


def rank_gain(value: str | float) -> int:
    """Places a ``rank_gain_at_least`` target asks for (1 when the plan gives no number)."""
    return int(float(value)) if str(value).strip() else 1


def family_of(kind: str, indicator: str, required_change: float, crosses_break: bool) -> str:
    """The backtest family whose out-of-sample calibration applies to a target."""
    if crosses_break:
        return "cross_break"
    if kind in ("score_at_least", "change_at_least"):
        gain = GAIN_MIN["total" if indicator == schema.TOTAL else "dimension"]
        if not math.isnan(required_change) and required_change >= gain:
            return "gain"
        return kind
    return kind


def predict_target(
    panel: pd.DataFrame,
    target: pd.Series,
    rng: np.random.Generator,
    tails: str | None = None,
    cells: PlanCells | None = None,
) -> Prediction:
    """Model probability that ``target`` is met, from the panel up to its baseline year only, with its national
    sensitivity (:class:`Prediction`). ``cells``: what the rows of a plan share (:class:`PlanCells`); with its
    ``shared_draws`` the cell's draws replace draws from ``rng``."""
    dim, code = target["indicator"], int(target["province_code"])
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    kind, value = target["kind"], target["target_value"]
    none: dict[str, Any] = dict(
        mean=math.nan,
        sd=math.nan,
        band50=(math.nan, math.nan),
        band90=(math.nan, math.nan),
        probability=math.nan,
        probability_low=math.nan,
        probability_high=math.nan,
        method="none",
    )
    baseline = _shared(cells, ("cross_section", dim, baseline_year), lambda: cross_section(panel, dim, baseline_year))
    crosses = schema.is_break_between(baseline_year, target_year, dim)
    own = baseline.loc[baseline["province_code"] == code, "score"]
    required = (
        float(value) - float(own.iloc[0])
        if kind == "score_at_least" and len(own)
        else float(value)
        if kind == "change_at_least"
        else math.nan
    )
    family = family_of(kind, dim, required, crosses)
    if own.empty:
        return Prediction(**none, family=family, notes=[f"no published {dim} score for {baseline_year}"])
    horizon = target_year - baseline_year
    if horizon != 1 and crosses:
        return Prediction(
            **none, family=family, notes=["a target several years ahead across a methodology break cannot be judged"]
        )
    index = int(np.flatnonzero(baseline["province_code"].to_numpy() == code)[0])
    scores = baseline["score"].to_numpy()
    if crosses:
        if kind not in RELATIVE_KINDS:
            return Prediction(
                **none,
                family=family,
                notes=["score targets across a methodology break cannot be judged from earlier changes"],
            )
        history = _shared(cells, ("transitions", dim, baseline_year), lambda: transitions(panel, dim, baseline_year))
        if history["year"].nunique() < 2:
            return Prediction(**none, family=family, notes=["too little history before the break"])
        fit = _shared(cells, ("standardised_fit", dim, baseline_year), lambda: standardised_fit(history))
        key: tuple[object, ...] = ("standardised", dim, baseline_year, target_year)
        if cells is not None and cells.shared_draws:
            sims = cells.draws(
                key, lambda r: standardised_draws(history, baseline, r, N_PARAMETER_DRAWS, N_OUTCOME_DRAWS, fit)
            )
        else:
            sims = standardised_draws(history, baseline, rng, N_PARAMETER_DRAWS, N_OUTCOME_DRAWS, fit)
        z = np.asarray((scores - scores.mean()) / scores.std(ddof=0))
        p = float(_success(cells, key, kind, value, sims, index, z).mean())
        return Prediction(
            math.nan,
            math.nan,
            (math.nan, math.nan),
            (math.nan, math.nan),
            p,
            p,
            p,
            "standardised position across a methodology break",
            family,
            [
                "the target year starts a new methodology: only the province's relative position is "
                "modelled (standardised scores), from earlier years"
            ],
            (p, p, p),
        )
    cell, notes = _shared(
        cells,
        ("forecast", dim, baseline_year, target_year, tails),
        lambda: forecast_cell(panel, dim, baseline_year, target_year, tails),
    )
    notes = list(notes)
    if cell is None:
        return Prediction(**none, family=family, notes=notes)
    shared = cells if cells is not None and cells.shared_draws else None
    key = ("paths" if horizon > 1 else "strata", dim, baseline_year, target_year, tails)
    if horizon > 1:
        if shared is not None:
            draws, national = shared.draws(key, lambda r: cell.horizon_paths(r, N_DRAWS, horizon))
        else:
            draws, national = cell.horizon_paths(rng, N_DRAWS, horizon)
        hit = _success(cells, key, kind, value, draws, index, scores)
        scenarios = conditional_on_rank(hit.astype(float), national.sum(axis=1))
        family = "two_years_ahead" if horizon == 2 else "several_years_ahead"
        tested = (
            "backtested as the 'two_years_ahead' family"
            if horizon == 2
            else "not backtested (the backtest goes two years ahead at most)"
        )
        notes = notes + [
            f"{horizon} years ahead: the one-year model applied {horizon} times (national swings and regression "
            f"to the mean compound); {tested}"
        ]
    else:
        if shared is not None:
            draws, _ = shared.draws(key, lambda r: cell.stratified_draws(r, N_DRAWS // N_STRATA))
        else:
            draws, _ = cell.stratified_draws(rng, N_DRAWS // N_STRATA)
        hit = _success(cells, key, kind, value, draws, index, scores)
        scenarios = at_quantiles(by_stratum(hit.astype(float)))
    if kind in RELATIVE_KINDS:  # a change shared by every unit moves no one's rank or group
        scenarios = np.full(3, float(hit.mean()))
    own_draws = draws[:, index]
    q = np.percentile(own_draws, [5, 25, 75, 95])
    national = tuple(float(v) for v in scenarios)
    return Prediction(
        float(own_draws.mean()),
        float(own_draws.std()),
        (float(q[1]), float(q[2])),
        (float(q[0]), float(q[3])),
        float(hit.mean()),
        min(national),
        max(national),
        "regression to the mean; national part and relative part calibrated apart on earlier years",
        family,
        notes,
        national,
    )


def _success(
    cells: PlanCells | None, key: tuple, kind: str, value, draws: np.ndarray, index: int, scores: np.ndarray
) -> np.ndarray:
    """:func:`success`; with a cell's shared draws, on the cell's groups or ranks, made once for its first group or
    rank target."""
    groups = ranks = None
    if cells is not None and cells.shared_draws:
        if kind in ("group_at_least", "not_in_group"):
            groups = cells.draws(("groups",) + key, lambda _: groups_of(draws).astype(np.int8))
        elif kind in RANK_KINDS:
            ranks = cells.draws(("ranks",) + key, lambda _: tied_ranks(draws))
    return success(kind, value, draws, index, scores, groups, ranks)


def tied_ranks(sims: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of every unit in every simulated cross-section, tied units sharing the best rank of the
    tie: 1 + the number of units scoring strictly more, as :func:`success` counts it unit by unit."""
    order = np.argsort(-sims, axis=-1, kind="stable")
    ordered = np.take_along_axis(sims, order, axis=-1)
    position = np.broadcast_to(np.arange(sims.shape[-1]), sims.shape)
    new = np.ones(sims.shape, dtype=bool)
    new[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(new, position, 0), axis=-1)
    ranks = np.empty(sims.shape, dtype=np.int16)
    np.put_along_axis(ranks, order, (first + 1).astype(np.int16), axis=-1)
    return ranks


def empirical_view(
    panel: pd.DataFrame, target: pd.Series, cells: PlanCells | None = None
) -> tuple[float, float, int, int]:
    """(percentile of the required change among historical changes, share of changes at least as large,
    number of changes compared, number that reached it); same indicator and methodology period, up to the
    baseline year. For group and rank targets: among units that started in the same group (rank within ±5);
    the percentile is then NaN. ``cells``: what the rows of a plan share (:class:`PlanCells`)."""
    from .. import ranking

    dim = target["indicator"]
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    kind = target["kind"]
    relative = kind in RELATIVE_KINDS
    history, _ = _shared(
        cells, ("history", dim, baseline_year, target_year), lambda: history_for(panel, dim, baseline_year, target_year)
    )
    if history.empty and relative:
        history = _shared(cells, ("transitions", dim, baseline_year), lambda: transitions(panel, dim, baseline_year))
        # relative positions carry across a break
    own = _baseline_score(panel, baseline_year, target["province_code"], dim, cells)
    if history.empty or own is None:
        return math.nan, math.nan, 0, 0
    if kind in ("score_at_least", "change_at_least"):
        required = float(target["target_value"]) - own if kind == "score_at_least" else float(target["target_value"])
        changes = history["change"].to_numpy()
        reached = int((changes >= required).sum())
        return float((changes < required).mean() * 100), reached / len(changes), len(changes), reached
    ranked = _shared(
        cells,
        ("ranked", dim),
        lambda: ranking.rank_and_group(panel[panel["dimension"] == dim]).set_index(["year", "province_code"]),
    )
    prev, nxt = _shared(
        cells,
        ("before_after", dim, baseline_year, target_year),  # one history per cell for these kinds
        lambda: (
            ranked.reindex(pd.MultiIndex.from_arrays([history["year"] - 1, history["province_code"]])),
            ranked.reindex(pd.MultiIndex.from_arrays([history["year"], history["province_code"]])),
        ),
    )
    own_row = ranked.loc[(baseline_year, int(target["province_code"]))]
    if kind == "group_at_least":
        similar = prev["group"].to_numpy() == own_row["group"]
        met = nxt["group"].map(GROUP_ORDER).to_numpy() <= GROUP_ORDER[target["target_value"]]
    elif kind == "not_in_group":
        similar = prev["group"].to_numpy() == own_row["group"]
        met = nxt["group"].to_numpy() != target["target_value"]
    elif kind == "rank_at_most":
        similar = np.abs(prev["rank"].to_numpy(dtype=float) - float(own_row["rank"])) <= 5
        met = nxt["rank"].to_numpy(dtype=float) <= float(target["target_value"])
    elif kind == "rank_gain_at_least":
        similar = np.abs(prev["rank"].to_numpy(dtype=float) - float(own_row["rank"])) <= 5
        met = prev["rank"].to_numpy(dtype=float) - nxt["rank"].to_numpy(dtype=float) >= rank_gain(
            target["target_value"]
        )
    else:  # improve_score_and_rank
        similar = np.abs(prev["rank"].to_numpy(dtype=float) - float(own_row["rank"])) <= 5
        met = (nxt["score"].to_numpy() > prev["score"].to_numpy()) & (
            nxt["rank"].to_numpy(dtype=float) < prev["rank"].to_numpy(dtype=float)
        )
    n = int(similar.sum())
    reached = int(met[similar].sum())
    return math.nan, (reached / n if n else math.nan), n, reached


def _baseline_score(panel: pd.DataFrame, year: int, code: int, dim: str, cells: PlanCells | None) -> float | None:
    """The first published score of the cell (None when there is none or it is missing)."""
    if cells is None:
        base = panel[(panel["year"] == year) & (panel["province_code"] == code) & (panel["dimension"] == dim)]["score"]
        return None if base.empty or base.isna().all() else float(base.iloc[0])
    first = cells.get(
        ("scores",),
        lambda: {
            (int(y), int(c), str(d)): s
            for y, c, d, s in panel[["year", "province_code", "dimension", "score"]]
            .drop_duplicates(["year", "province_code", "dimension"])
            .itertuples(index=False)
        },
    )
    score = first.get((int(year), int(code), str(dim)))
    return None if score is None or pd.isna(score) else float(score)


__all__ = [
    "PlanCells",
    "Prediction",
    "predict_target",
    "empirical_view",
    "success",
    "family_of",
    "ranks_of",
    "GAIN_MIN",
]
