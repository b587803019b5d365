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
  ``band50_wide``/``band90_wide`` (a band 15% wider, for the power simulation of :mod:`.power`).

Every row also keeps the event's probability **given the national part's stratum** (:data:`.forecast.N_STRATA`
strata): ``lo_kk``/``hi_kk`` such that, with ``U`` the unit's quantile within the stratum, the event is
``lo ≤ U < hi`` (``negate``: outside it); rows with the same ``coupling`` key share ``U`` (events of one unit's
change, or of its standing among the others; :mod:`.events`). :mod:`.judge` simulates outcomes from the model itself
with this, the national draw shared by all indicators of a year (``nat_df``, ``nat_rho``). ``p_low``/``p_high`` are the
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
from .events import (
    COLUMNS,
    COVERAGE_FAMILIES,
    FAMILIES,
    FAMILY_NAMES,
    FIRST_YEAR,
    GRID_HI,
    GRID_LO,
    N_RW,
    PER_STRATUM,
    RANK_GAINS,
    RANKS,
    SCORE_FAMILIES,
    THRESHOLDS,
    WIDER,
    Rows,
    dropped,
    group_index,
    lookup,
    national_columns,
    unit_kinds,
)
from .forecast import ADVICE_CHANCES, by_stratum, forecast_cell, groups_of, ranks_of, standardised_draws
from .horizons import backtest_all_up, backtest_two_years_ahead
from .model import cross_section, panel_key, transitions
from .relative import TAIL_CHOICES, relative_pool
from .scoring import crps_columns

__all__ = [  # the events' names are read from here too (texts, figures, tests)
    "COLUMNS",
    "COVERAGE_FAMILIES",
    "FAMILIES",
    "FAMILY_NAMES",
    "FIRST_YEAR",
    "GRID_HI",
    "GRID_LO",
    "SCORE_FAMILIES",
    "THRESHOLDS",
    "backtest",
    "backtest_all_up",
    "backtest_cached",
    "backtest_two_years_ahead",
    "cache_key",
    "code_files",
    "unit_kinds",
]


def _relative_events(rows: Rows, sims, rw_sims, prev_rank, prev_group, ranked, history, family, coupling) -> None:
    """Group and rank events from simulated cross-sections (the national part moves no rank: one probability for
    every stratum); ``rw_sims`` (None: no random walk) gives the random walk's probabilities."""
    year, codes = rows.year, rows.codes
    actual = lookup(ranked, [year] * len(codes), codes)
    keep = actual["group"].notna().to_numpy() & (actual["group"] != "<NA>").to_numpy()
    hist_prev = lookup(ranked, history["year"] - 1, history["province_code"])
    hist_next = lookup(ranked, history["year"], history["province_code"])
    hist_prev_g, hist_next_g = group_index(hist_prev["group"]), group_index(hist_next["group"])
    act_g = group_index(actual["group"])
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
    rows = Rows(year, dim, codes, units, scored)
    prev = lookup(ranked, [year - 1] * len(codes), codes)
    prev_rank, prev_group = prev["rank"].to_numpy(dtype=float), group_index(prev["group"])
    if schema.is_break_between(year - 1, year, dim):
        history = transitions(panel, dim, year - 1)
        if history["year"].nunique() < 2:
            return [dropped(year, dim, len(both), "too little history before the break")]
        par = standardised_draws(history, base, rng, 40, 50).reshape(-1, len(codes))
        _relative_events(rows, par, None, prev_rank, prev_group, ranked, history, "cross_break", "standing")
        return [f.assign(**national) for f in rows.frames]
    cell, notes = forecast_cell(panel, dim, year - 1, year)
    if cell is None:
        return [dropped(year, dim, len(both), notes[-1] if notes else "no model")]
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
            pool = relative_pool(panel, year, tails)
            if pool is None:  # cannot happen: the cell's own pool was built from the same years
                continue
            alts[tails] = replace(cell, pool=pool).stratified_draws(rng, PER_STRATUM)[0] - scores
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
            **crps,  # type: ignore[arg-type]  # extra columns only: names are crps_* and alt_*, never negate/keep
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
    act = lookup(ranked, [year] * len(codes), codes)["rank"].to_numpy(dtype=float)
    hist_prev = lookup(ranked, history["year"] - 1, history["province_code"])["rank"].to_numpy(dtype=float)
    hist_next = lookup(ranked, history["year"], history["province_code"])["rank"].to_numpy(dtype=float)
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
        national = national_columns(panel, year)
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
