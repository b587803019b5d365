"""Rolling-origin backtest of every target kind, with the same code path as the plan forecasts.

For every year ``T`` from :data:`FIRST_YEAR` and indicator, the forecast of :func:`.forecast.forecast_cell` made from
data up to ``T - 1`` (regression fitted on earlier changes; national and relative parts, and every design rule,
from forecast years before ``T``) gives every unit's probability of each event below; the outcome is what PAPI
published for ``T``. Families (one per target kind):

* ``change_at_least``: change ≥ c, c in -0.25, 0, 0.1 (dimensions) or -2, 0, 0.5 (total), points;
* ``gain``: the gains plans ask for, change ≥ 0.25 or 0.5 (dimensions), ≥ 1 or 2 (total);
* ``score_at_least``: score ≥ last year's national top-quartile cut-off;
* ``group_at_least``, ``not_in_group``, ``rank_at_most`` (10, 20), ``rank_gain_at_least`` (1, 5 places),
  ``improve_score_and_rank``, ``all_up`` (every dimension up), ``two_years_ahead``, ``cross_break`` (group and rank
  events across a methodology break, standardised positions);
* coverage families, whose ``p_model`` is the nominal level: ``band50``/``band90`` (the central predictive band of
  the change covered the outcome), ``advice`` (the score advised with a 90/70/50% chance was reached);
  ``band50_wide``/``band90_wide`` (a band 15% wider, for the power simulation of :mod:`.judge`).

Every row also keeps the event's probability **given the national part's stratum** (:data:`.forecast.N_STRATA`
strata): ``lo_kk``/``hi_kk`` such that, with ``U`` the unit's quantile within the stratum, the event is
``lo ≤ U < hi`` (``negate``: outside it); rows with the same ``coupling`` key share ``U`` (events of one unit's change,
or of its standing among the others). :mod:`.judge` simulates outcomes from the model itself with this, the
national draw shared by all indicators of a year (``nat_df``, ``nat_rho``). ``p_low``/``p_high`` are the
probabilities with the national part at its 10th and 90th percentile.

Each event is compared with the competitors of :mod:`.competitors`: ``p_base`` (position base rate) and ``p_rw``
(Student-t random walk); the ``band50`` rows carry the CRPS of the change (points per dimension) of the model and of
both competitors. Cells the model cannot forecast are kept as ``not_assessable`` rows with the reason and the number
of units, so that they are counted, not silently dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ... import config
from ...data import schema
from .. import ranking
from .competitors import base_rate_crps, quintile_rates, random_walk, similar_rates
from .forecast import (
    ADVICE_CHANCES,
    N_STRATA,
    at_quantiles,
    by_stratum,
    forecast_cell,
    groups_of,
    ranks_of,
    standardised_draws,
)
from .joint import historical_all_up, joint_changes, joint_errors
from .model import cross_section, panel_key, transitions
from .national import national_predictive
from .relative import TAIL_CHOICES, relative_pool
from .scoring import crps_columns

FIRST_YEAR = 2016  # the first forecast year reported (issue 26: blocks 2016-2021 and 2022-2024)
THRESHOLDS: dict[str, dict[str, tuple[float, ...]]] = {
    "change_at_least": {"dimension": (-0.25, 0.0, 0.1), "total": (-2.0, 0.0, 0.5)},
    "gain": {"dimension": (0.25, 0.5), "total": (1.0, 2.0)},
}
RANKS = (10, 20)
RANK_GAINS = (1, 5)
WIDER = 1.15  # the "bands 15% too wide" of the power simulation
FAMILIES = (
    "change_at_least",
    "gain",
    "score_at_least",
    "group_at_least",
    "not_in_group",
    "rank_at_most",
    "rank_gain_at_least",
    "improve_score_and_rank",
    "all_up",
    "two_years_ahead",
    "cross_break",
)
SCORE_FAMILIES = ("change_at_least", "gain", "score_at_least")
COVERAGE_FAMILIES = ("band50", "band90", "advice")
GRID_LO = [f"lo_{k:02d}" for k in range(N_STRATA)]
GRID_HI = [f"hi_{k:02d}" for k in range(N_STRATA)]
COLUMNS = [
    "year",
    "dimension",
    "province_code",
    "units",
    "family",
    "event",
    "p_model",
    "p_low",
    "p_high",
    "p_base",
    "p_rw",
    "outcome",
    "coupling",
    "negate",
    "nat_df",
    "nat_rho",
    "crps_model",
    "crps_base",
    "crps_rw",
    "alt_gaussian",
    "alt_student_t",
    "alt_empirical",
]
FAMILY_NAMES = {
    "en": {
        "change_at_least": "change at least c",
        "gain": "gains (≥ 0.25 / ≥ 1 point)",
        "score_at_least": "score at least a level",
        "group_at_least": "group at least",
        "not_in_group": "not in a group",
        "rank_gain_at_least": "rank gain of k places",
        "all_up": "every dimension up",
        "two_years_ahead": "two years ahead",
        "rank_at_most": "rank at most",
        "improve_score_and_rank": "higher score and better rank",
        "cross_break": "across a methodology break",
        "band50": "50% predictive band",
        "band90": "90% predictive band",
        "advice": "advice at 90/70/50%",
    },
    "vi": {
        "change_at_least": "thay đổi ít nhất c",
        "gain": "mức tăng (≥ 0,25 / ≥ 1 điểm)",
        "score_at_least": "đạt mức điểm",
        "group_at_least": "nhóm trở lên",
        "rank_at_most": "thứ hạng trong top",
        "not_in_group": "không nằm trong nhóm",
        "rank_gain_at_least": "tăng ít nhất k bậc",
        "all_up": "mọi chỉ số nội dung cùng tăng",
        "two_years_ahead": "hai năm tới",
        "improve_score_and_rank": "tăng điểm và thứ hạng",
        "cross_break": "qua mốc thay đổi phương pháp",
        "band50": "dải dự báo 50%",
        "band90": "dải dự báo 90%",
        "advice": "khuyến nghị ở mức 90/70/50%",
    },
}
PER_STRATUM = 200  # 4,000 draws a cell
N_RW = 1000  # draws of the random walk's cross-sections (its group and rank events)


class _Rows:
    """Rows of events with their probability grids by national stratum."""

    def __init__(self, year: int, dim: str, codes: np.ndarray, units: np.ndarray, keep: np.ndarray):
        self.year, self.dim, self.codes, self.units, self.keep = year, dim, codes, units, keep
        self.frames: list[pd.DataFrame] = []

    def add(
        self,
        family: str,
        event: str,
        lo: np.ndarray,
        hi: np.ndarray,
        outcome: np.ndarray,
        coupling: str,
        p_model: np.ndarray | None = None,
        negate: bool = False,
        keep: np.ndarray | None = None,
        **columns,
    ) -> None:
        """One event for every unit: ``lo``/``hi`` (N_STRATA, units) bound the unit's quantile ``U`` within a stratum
        (event ``lo ≤ U < hi``, or outside it with ``negate``)."""
        lo = np.broadcast_to(lo, (N_STRATA, len(self.codes)))
        hi = np.broadcast_to(hi, (N_STRATA, len(self.codes)))
        p_grid = (1 - (hi - lo)) if negate else (hi - lo)
        ends = np.sort(at_quantiles(p_grid, (0.1, 0.9)), axis=0)
        frame = pd.DataFrame(
            {
                "year": self.year,
                "dimension": self.dim,
                "province_code": self.codes,
                "units": self.units,
                "family": family,
                "event": event,
                "p_model": p_grid.mean(axis=0) if p_model is None else p_model,
                "p_low": ends[0],
                "p_high": ends[1],
                "outcome": np.asarray(outcome, dtype=float),
                "coupling": coupling,
                "negate": negate,
            }
            | {k: np.broadcast_to(v, len(self.codes)) for k, v in columns.items()}
        )
        grid = pd.DataFrame(np.hstack([lo.T, hi.T]).astype(np.float32), columns=GRID_LO + GRID_HI, index=frame.index)
        mask = self.keep if keep is None else self.keep & keep
        self.frames.append(pd.concat([frame, grid], axis=1)[mask])

    def upper(self, family, event, p_grid, outcome, coupling, **columns) -> None:
        """An event ``U ≥ 1 - p`` (probability ``p`` per stratum, or one ``p`` for every stratum)."""
        p_grid = np.broadcast_to(p_grid, (N_STRATA, len(self.codes)))
        self.add(family, event, 1 - p_grid, np.ones_like(p_grid), outcome, coupling, **columns)


def _lookup(ranked: pd.DataFrame, years, codes) -> pd.DataFrame:
    return ranked.reindex(pd.MultiIndex.from_arrays([np.asarray(years), np.asarray(codes)]))


def _group_index(groups: pd.Series) -> np.ndarray:
    return groups.map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)


def _relative_events(rows: _Rows, sims, rw_sims, prev_rank, prev_group, ranked, history, family, coupling) -> None:
    """Group and rank events from simulated cross-sections (the national part moves no rank: one probability for
    every stratum); ``rw_sims`` (None: no random walk) gives the random walk's probabilities."""
    year, codes = rows.year, rows.codes
    actual = _lookup(ranked, [year] * len(codes), codes)
    keep = actual["group"].notna().to_numpy() & (actual["group"] != "<NA>").to_numpy()
    hist_prev = _lookup(ranked, history["year"] - 1, history["province_code"])
    hist_next = _lookup(ranked, history["year"], history["province_code"])
    hist_prev_g, hist_next_g = _group_index(hist_prev["group"]), _group_index(hist_next["group"])
    act_g = _group_index(actual["group"])
    g_sim = groups_of(sims)
    g_rw = groups_of(rw_sims) if rw_sims is not None else None
    order = ranking.GROUPS
    reach = [(g_sim <= level).mean(0) for level in range(4)]
    for level in range(3):
        rows.upper(
            family or "group_at_least",
            f"group<={order[level]}",
            reach[level],
            act_g <= level,
            coupling,
            keep=keep,
            p_base=similar_rates(hist_prev_g, hist_next_g <= level, prev_group, exact=True),
            p_rw=(g_rw <= level).mean(0) if g_rw is not None else np.nan,
        )
    for level in (3, 2):  # not in the lowest, not in the low-average group
        common = dict(
            keep=keep,
            p_base=similar_rates(hist_prev_g, hist_next_g != level, prev_group, exact=True),
            p_rw=(g_rw != level).mean(0) if g_rw is not None else np.nan,
        )
        if level == 3:
            rows.upper(family or "not_in_group", f"not {order[level]}", reach[2], act_g != level, coupling, **common)
        else:  # outside the standing interval of the low-average group
            lo, hi = 1 - reach[2], 1 - reach[1]
            rows.add(
                family or "not_in_group", f"not {order[level]}", lo, hi, act_g != level, coupling, negate=True, **common
            )
    r_sim = ranks_of(sims)
    r_rw = ranks_of(rw_sims) if rw_sims is not None else None
    act_r = actual["rank"].to_numpy(dtype=float)
    hist_prev_r, hist_next_r = hist_prev["rank"].to_numpy(dtype=float), hist_next["rank"].to_numpy(dtype=float)
    for n in RANKS:
        rows.upper(
            family or "rank_at_most",
            f"rank<={n}",
            (r_sim <= n).mean(0),
            act_r <= n,
            coupling,
            keep=keep,
            p_base=similar_rates(hist_prev_r, hist_next_r <= n, prev_rank, exact=False),
            p_rw=(r_rw <= n).mean(0) if r_rw is not None else np.nan,
        )
    for k in RANK_GAINS:  # rank better by at least k places than the published baseline rank
        rows.upper(
            family or "rank_gain_at_least",
            f"rank gain>={k}",
            (r_sim <= prev_rank - k).mean(0),
            act_r <= prev_rank - k,
            coupling,
            keep=keep,
            p_base=similar_rates(hist_prev_r, hist_prev_r - hist_next_r >= k, prev_rank, exact=False),
            p_rw=(r_rw <= prev_rank - k).mean(0) if r_rw is not None else np.nan,
        )


def _cell(
    panel: pd.DataFrame,
    ranked: pd.DataFrame,
    dim: str,
    year: int,
    rng: np.random.Generator,
    compare: bool,
    unit_kind: pd.Series,
    national: dict,
) -> list[pd.DataFrame]:
    base = cross_section(panel, dim, year - 1)
    nxt = cross_section(panel, dim, year)
    both = base.merge(nxt[["province_code", "score"]].rename(columns={"score": "next"}), on="province_code")
    if len(both) < 4:
        return []
    codes = base["province_code"].to_numpy()
    units = unit_kind.reindex(codes).fillna("").to_numpy() if len(unit_kind) else np.full(len(codes), "")
    scored = base["province_code"].isin(both["province_code"]).to_numpy()
    rows = _Rows(year, dim, codes, units, scored)
    prev = _lookup(ranked, [year - 1] * len(codes), codes)
    prev_rank, prev_group = prev["rank"].to_numpy(dtype=float), _group_index(prev["group"])
    if schema.is_break_between(year - 1, year, dim):
        history = transitions(panel, dim, year - 1)
        if history["year"].nunique() < 2:
            return [_dropped(year, dim, len(both), "too little history before the break")]
        par = standardised_draws(history, base, rng, 40, 50).reshape(-1, len(codes))
        _relative_events(rows, par, None, prev_rank, prev_group, ranked, history, "cross_break", "standing")
        return [f.assign(**national) for f in rows.frames]
    cell, notes = forecast_cell(panel, dim, year - 1, year)
    if cell is None:
        return [_dropped(year, dim, len(both), notes[-1] if notes else "no model")]
    history = cell.model.history
    sims, _ = cell.stratified_draws(rng, PER_STRATUM)
    scores = base["score"].to_numpy()
    actual = both.set_index("province_code").reindex(codes)["next"].to_numpy() - scores
    change = sims - scores
    walk = random_walk(history, year - 1)
    rw_sims = scores[None, :] + walk.draws(rng, N_RW, len(codes))
    dev = scores - scores.mean()
    scale = "total" if dim == schema.TOTAL else "dimension"
    alts = {}
    if compare:
        for tails in TAIL_CHOICES:
            other = replace(cell, pool=relative_pool(panel, year, tails))
            alts[tails] = other.stratified_draws(rng, PER_STRATUM)[0] - scores
    alt = lambda f: {f"alt_{t}": f(v) for t, v in alts.items()}  # noqa: E731
    for family in ("change_at_least", "gain"):
        for c in THRESHOLDS[family][scale]:
            rows.upper(
                family,
                f"change>={c:g}",
                by_stratum(change >= c),
                actual >= c,
                "change",
                p_base=quintile_rates(history["deviation"].to_numpy(), history["change"].to_numpy() >= c, dev),
                p_rw=walk.sf(c),
                **alt(lambda v, c=c: (v >= c).mean(0)),
            )
    level = np.quantile(scores, 0.75)  # score at least last year's top-quartile cut-off
    q75 = panel[panel["dimension"] == dim].groupby("year")["score"].quantile(0.75)
    hist_event = history["score"].to_numpy() >= (history["year"] - 1).map(q75).to_numpy()
    rows.upper(
        "score_at_least",
        "score>=top quartile of last year",
        by_stratum(sims >= level),
        scores + actual >= level,
        "change",
        p_base=quintile_rates(history["deviation"].to_numpy(), hist_event, dev),
        p_rw=walk.sf(level - scores),
        **alt(lambda v: (v + scores >= level).mean(0)),
    )
    per_dimension = len(schema.dimensions_in(year)) if dim == schema.TOTAL else 1
    for name, (a, b) in {"band50": (25, 75), "band90": (5, 95)}.items():
        lo_q, hi_q = np.percentile(change, [a, b], axis=0)
        middle = np.median(change, axis=0)
        crps = {}
        if name == "band50":
            crps = dict(
                crps_model=crps_columns(change, np.nan_to_num(actual)) / per_dimension,
                crps_base=base_rate_crps(history, dev, np.nan_to_num(actual)) / per_dimension,
                crps_rw=walk.crps(np.nan_to_num(actual)) / per_dimension,
            )

        def covered(v):
            lo, hi = np.percentile(v, [a, b], axis=0)  # noqa: B023  (called in this iteration)
            return ((actual >= lo) & (actual <= hi)).astype(float)

        rows.add(
            name,
            name,
            by_stratum(change < lo_q),
            by_stratum(change <= hi_q),
            covered(change),
            "change",
            p_model=np.full(len(codes), (b - a) / 100),
            **crps,
            **alt(covered),
        )
        lo_w, hi_w = middle - WIDER * (middle - lo_q), middle + WIDER * (hi_q - middle)
        rows.add(
            f"{name}_wide",
            f"{name} widened by {WIDER:g}",
            by_stratum(change < lo_w),
            by_stratum(change <= hi_w),
            (actual >= lo_w) & (actual <= hi_w),
            "change",
            p_model=np.full(len(codes), (b - a) / 100),
        )
    for chance in ADVICE_CHANCES:  # the advisor's score with this chance (its (1 - chance) quantile)
        advised = np.quantile(sims, 1 - chance, axis=0)
        rows.upper(
            "advice",
            f"advice {round(chance * 100)}%",
            by_stratum(sims >= advised),
            scores + actual >= advised,
            "change",
            p_model=np.full(len(codes), chance),
        )
    _relative_events(rows, sims, rw_sims, prev_rank, prev_group, ranked, history, "", "standing")
    r_sim, r_rw = ranks_of(sims), ranks_of(rw_sims)
    act = _lookup(ranked, [year] * len(codes), codes)["rank"].to_numpy(dtype=float)
    hist_prev = _lookup(ranked, history["year"] - 1, history["province_code"])["rank"].to_numpy(dtype=float)
    hist_next = _lookup(ranked, history["year"], history["province_code"])["rank"].to_numpy(dtype=float)
    rows.upper(
        "improve_score_and_rank",
        "score up and rank better",
        by_stratum((sims > scores) & (r_sim < prev_rank)),
        (actual > 0) & (act < prev_rank),
        "improve",
        p_base=similar_rates(
            hist_prev, (history["change"].to_numpy() > 0) & (hist_next < hist_prev), prev_rank, exact=False
        ),
        p_rw=((rw_sims > scores) & (r_rw < prev_rank)).mean(0),
    )
    return [f.assign(**national) for f in rows.frames]


def _dropped(year: int, dim: str, n_units: int, reason: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [year],
            "dimension": [dim],
            "province_code": [np.nan],
            "family": ["not_assessable"],
            "event": [reason],
            "outcome": [float(n_units)],
        }
    ).reindex(columns=COLUMNS + GRID_LO + GRID_HI)


def _national_columns(panel: pd.DataFrame, year: int) -> dict:
    """Degrees of freedom and equicorrelation of the year's national parts (dimensions), for :mod:`.judge`."""
    nat = national_predictive(panel, schema.DIMENSIONS[0], year)
    return dict(nat_df=nat.df if nat else np.nan, nat_rho=nat.rho if nat else np.nan)


def unit_kinds(panel: pd.DataFrame) -> pd.Series:
    """Per province_code: ``merged`` or ``unmerged`` on the 34-province panel (``n_old_provinces``), empty otherwise."""
    if "n_old_provinces" not in panel.columns:
        return pd.Series(dtype=str)
    merged = panel.groupby("province_code")["n_old_provinces"].max() > 1
    return merged.map({True: "merged", False: "unmerged"})


def backtest(
    panel: pd.DataFrame, years: list[int] | None = None, seed: int = 20250701, compare_tails: bool = True
) -> pd.DataFrame:
    """Every event of every family for every year from :data:`FIRST_YEAR` (or ``years``) forecast from earlier
    years only; columns :data:`COLUMNS` and the probability grids (module docstring). ``compare_tails`` adds the
    probabilities of the score families and the bands' coverage under each fixed tail shape (``alt_<tails>``)."""
    rng = np.random.default_rng(seed)
    ranked = ranking.rank_and_group(panel).set_index(["dimension", "year", "province_code"])[["score", "rank", "group"]]
    all_years = sorted(int(y) for y in panel["year"].unique())
    kinds = unit_kinds(panel)
    frames = []
    for year in all_years[1:]:
        if (years is not None and year not in years) or (years is None and year < FIRST_YEAR):
            continue
        national = _national_columns(panel, year)
        for dim in sorted(panel.loc[panel["year"] == year, "dimension"].unique()):
            if year - 1 in all_years:
                frames += _cell(panel, ranked.loc[dim], dim, year, rng, compare_tails, kinds, national)
    chosen = [y for y in all_years[1:] if (y in years if years is not None else y >= FIRST_YEAR)]
    frames += backtest_all_up(panel, chosen, seed, kinds)
    frames += backtest_two_years_ahead(panel, chosen, seed, kinds)
    frames = [f for f in frames if len(f)]
    if not frames:  # a panel with a single year (e.g. one national table): nothing to re-forecast
        return pd.DataFrame(columns=COLUMNS + GRID_LO + GRID_HI)
    out = pd.concat(frames, ignore_index=True).reindex(columns=COLUMNS + GRID_LO + GRID_HI)
    out[GRID_LO + GRID_HI] = out[GRID_LO + GRID_HI].astype(np.float32)
    return out


def backtest_all_up(
    panel: pd.DataFrame, years: list[int], seed: int = 20250701, kinds: pd.Series | None = None
) -> list[pd.DataFrame]:
    """Rolling-origin backtest of "every dimension up" (all dimensions scored that year; and D1-D6), one row per
    province and year (family ``all_up``, stratified by the national common factor, ``coupling`` its own). The base
    rate is the earlier years' share of province-years with all of them up; the random walk's, ``0.5`` per
    dimension."""
    rng = np.random.default_rng(seed)
    kinds = unit_kinds(panel) if kinds is None else kinds
    frames = []
    for year in years:
        # sorted, not a set's order: the random draws must not depend on the process's hash seed
        for dims in sorted({tuple(schema.dimensions_in(year)), tuple(schema.DIMENSIONS[:6])}):
            if any(schema.is_break_between(year - 1, year, d) for d in dims):
                continue
            errors = joint_errors(panel, list(dims), year)
            cells = [forecast_cell(panel, d, year - 1, year)[0] for d in dims]
            if errors is None or any(c is None for c in cells):
                continue
            share, _, _ = historical_all_up(panel, list(dims), year - 1)
            wide = panel[panel["dimension"].isin(dims) & panel["year"].isin([year - 1, year])].pivot_table(
                index=["province_code", "year"], columns="dimension", values="score"
            )
            codes, grids, outcomes = [], [], []
            for code in sorted(set.intersection(*(set(c.baseline["province_code"]) for c in cells))):
                if (code, year) not in wide.index or wide.loc[(code, year), list(dims)].isna().any():
                    continue
                draws = joint_changes(cells, errors, code, rng, 100)
                codes.append(code)
                grids.append(by_stratum((draws > 0).all(axis=1).astype(float)))
                actual = (wide.loc[(code, year), list(dims)] - wide.loc[(code, year - 1), list(dims)]).to_numpy()
                outcomes.append(bool((actual > 0).all()))
            if not codes:
                continue
            codes = np.asarray(codes)
            units = kinds.reindex(codes).fillna("").to_numpy() if len(kinds) else np.full(len(codes), "")
            rows = _Rows(year, f"{dims[0]}-{dims[-1]}", codes, units, np.ones(len(codes), dtype=bool))
            rows.upper(
                "all_up",
                f"all of {dims[0]}-{dims[-1]} up",
                np.stack(grids, axis=1),
                np.asarray(outcomes),
                "all_up",
                p_base=share,
                p_rw=0.5 ** len(dims),
            )
            frames += [f.assign(**_national_columns(panel, year)) for f in rows.frames]
    return frames


def backtest_two_years_ahead(
    panel: pd.DataFrame, years: list[int], seed: int = 20250701, kinds: pd.Series | None = None
) -> list[pd.DataFrame]:
    """Targets two years ahead (family ``two_years_ahead``): from baseline ``T - 2``, change ≥ 0 and the gain
    thresholds, and the high-average-or-better group, by :meth:`.forecast.CellForecast.horizon_paths` (stratified by
    the national part of year ``T``). The base rate is the earlier two-year changes' rate within the quintile of
    distance from the national mean; the random walk's spread grows with the square root of two."""
    rng = np.random.default_rng(seed)
    kinds = unit_kinds(panel) if kinds is None else kinds
    ranked = ranking.rank_and_group(panel).set_index(["dimension", "year", "province_code"])
    all_years = sorted(int(y) for y in panel["year"].unique())
    frames = []
    for year in years:
        for dim in sorted(panel.loc[panel["year"] == year, "dimension"].unique()):
            if schema.is_break_between(year - 2, year, dim) or year - 2 not in all_years:
                continue
            cell, _ = forecast_cell(panel, dim, year - 2, year)
            if cell is None:
                continue
            d = panel[panel["dimension"] == dim].pivot_table(index="province_code", columns="year", values="score")
            hist = []
            for y in all_years:
                if (
                    y <= year - 2
                    and y - 2 in d.columns
                    and y in d.columns
                    and not schema.is_break_between(y - 2, y, dim)
                ):
                    both = d[[y - 2, y]].dropna()
                    hist.append(
                        pd.DataFrame({"deviation": both[y - 2] - d[y - 2].mean(), "change": both[y] - both[y - 2]})
                    )
            if not hist or year not in d.columns:
                continue
            hist = pd.concat(hist)
            codes = cell.baseline["province_code"].to_numpy()
            scores = cell.baseline["score"].to_numpy()
            actual = d[year].reindex(codes).to_numpy()
            keep = ~np.isnan(actual)
            units = kinds.reindex(codes).fillna("").to_numpy() if len(kinds) else np.full(len(codes), "")
            rows = _Rows(year, dim, codes, units, keep)
            draws, _ = cell.horizon_paths(rng, PER_STRATUM * N_STRATA, 2)
            walk = random_walk(cell.model.history, year - 2)
            dev = scores - scores.mean()
            scale = "total" if dim == schema.TOTAL else "dimension"
            for c in (0.0,) + THRESHOLDS["gain"][scale]:
                rows.upper(
                    "two_years_ahead",
                    f"2-year change>={c:g}",
                    by_stratum((draws - scores) >= c),
                    (actual - scores) >= c,
                    "change2",
                    p_base=quintile_rates(hist["deviation"].to_numpy(), hist["change"].to_numpy() >= c, dev),
                    p_rw=walk.sf(c, steps=2),
                )
            act_g = _group_index(
                ranked.loc[dim].reindex(pd.MultiIndex.from_arrays([[year] * len(codes), codes]))["group"]
            )
            prev_g = _group_index(
                ranked.loc[dim].reindex(pd.MultiIndex.from_arrays([[year - 2] * len(codes), codes]))["group"]
            )
            trans = []
            for y in all_years:
                if y <= year - 2 and (y - 2) in all_years and not schema.is_break_between(y - 2, y, dim):
                    a = ranked.loc[dim].reindex(pd.MultiIndex.from_product([[y - 2], d.index]))["group"].to_numpy()
                    b = ranked.loc[dim].reindex(pd.MultiIndex.from_product([[y], d.index]))["group"].to_numpy()
                    trans.append(pd.DataFrame({"a": a, "b": b}).dropna())
            base = np.full(len(codes), np.nan)
            if trans:
                t = pd.concat(trans)
                t = t[(t["a"] != "<NA>") & (t["b"] != "<NA>")]
                base = similar_rates(_group_index(t["a"]), _group_index(t["b"]) <= 1, prev_g, exact=True)
            rw_groups = groups_of(scores[None, :] + walk.draws(rng, N_RW, len(codes)) * np.sqrt(2))
            rows.upper(
                "two_years_ahead",
                "2-year group<=high_average",
                (groups_of(draws) <= 1).mean(0),
                act_g <= 1,
                "group2",
                keep=~np.isnan(act_g),
                p_base=base,
                p_rw=(rw_groups <= 1).mean(0),
            )
            frames += [f.assign(**_national_columns(panel, year)) for f in rows.frames]
    return frames


# --------------------------------------------------------------------------- cache


def code_files() -> list[Path]:
    """Every module that can change a backtest result: the whole targets package, ranking and schema."""
    here = Path(__file__).parent
    return sorted(here.glob("*.py")) + [here.parent / "ranking.py", here.parents[1] / "data" / "schema.py"]


def cache_key(panel: pd.DataFrame) -> str:
    """Hash of the panel's scores (and unit sizes) and of every file in :func:`code_files`."""
    code = b"".join(f.read_bytes() for f in code_files())
    return hashlib.sha256(panel_key(panel).encode() + code).hexdigest()[:16]


def backtest_cached(panel: pd.DataFrame) -> pd.DataFrame:
    """:func:`backtest` of all years, stored in data/processed/ and reused while the panel and the code that can
    change it are unchanged (every province's report shows the same national backtest)."""
    from .. import cache  # stored once, even when parallel report workers ask at the same time

    return cache.load_or_compute(
        config.DATA_PROCESSED / f"backtest_{cache_key(panel)}.pkl", lambda: backtest(panel), "pickle"
    )
