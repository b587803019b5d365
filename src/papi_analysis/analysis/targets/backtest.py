"""Rolling-origin backtest of every target kind, with the same code path as the plan forecasts.

For every year ``T`` and indicator, the forecast of :func:`.model.forecast_cell` made from data up to ``T - 1``
(model fitted on earlier changes, spread and tails calibrated on forecast years before ``T``) gives every unit's
probability of each event below; the outcome is what PAPI published for ``T``. Families (one per target kind):

* ``change_at_least``: change ≥ c, c in -0.25, 0, 0.1 (dimensions) or -2, 0, 0.5 (total), points;
* ``gain``: the gains plans ask for, change ≥ 0.25 or 0.5 (dimensions), ≥ 1 or 2 (total);
* ``score_at_least``: score ≥ last year's national top-quartile cut-off;
* ``group_at_least``: in the highest, high-average-or-better, low-average-or-better group;
* ``rank_at_most``: rank ≤ 10, ≤ 20 (among units with data);
* ``improve_score_and_rank``: higher score and better rank than the year before;
* ``cross_break``: group and rank events across a methodology break (standardised positions);
* ``band50``/``band90``: whether the 50% / 90% central predictive band of the score covered the outcome.

Each event is compared with the strongest simple baseline we know: the historical base rate *conditional on the
starting position* (quintile of distance from the national mean for change and score events, the same group
for group events, rank within ±5 for rank events), from the same earlier years the model sees. Cells the model
cannot forecast are kept as ``not_assessable`` rows with the reason and the number of units, so that they are
counted, not silently dropped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ... import config
from ...data import schema
from .. import ranking
from .model import (
    TAIL_CHOICES,
    TAILS,
    cross_section,
    error_pool,
    forecast_cell,
    groups_of,
    panel_key,
    ranks_of,
    standardised_draws,
    transitions,
)

THRESHOLDS: dict[str, dict[str, tuple[float, ...]]] = {
    "change_at_least": {"dimension": (-0.25, 0.0, 0.1), "total": (-2.0, 0.0, 0.5)},
    "gain": {"dimension": (0.25, 0.5), "total": (1.0, 2.0)},
}
RANKS = (10, 20)
RANK_GAINS = (1, 5)
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
COLUMNS = [
    "year",
    "dimension",
    "province_code",
    "family",
    "event",
    "p_model",
    "p_low",
    "p_high",
    "p_base",
    "outcome",
    "alt_gaussian",
    "alt_student_t",
]
RECENT = (2019, 2024)
#: forecast years before and after the large national swing of 2021: the centre of the national year effect was
#: chosen on the first (model.CENTRE); the report shows the spread's coverage in both
SPREAD_PERIODS = ((2016, 2021), (2022, 2024))
#: The bars of issue 9 (out of sample): ECE per family; band coverage; Brier skill interval above 0.
BARS = {"ece": 0.04, "ece_gain": 0.05, "band50": (0.47, 0.53), "band90": (0.87, 0.93)}
SKILL_FAMILIES = ("change_at_least", "gain", "score_at_least", "group_at_least")
N_DRAWS = 2000
N_PARAM, N_OUTCOME = 40, 50


def _quintile_rates(history_x: np.ndarray, history_event: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Historical event rate within the quintile of ``x`` (quintiles of ``history_x``)."""
    edges = np.quantile(history_x, [0.2, 0.4, 0.6, 0.8])
    hq, q = np.digitize(history_x, edges), np.digitize(x, edges)
    rates = np.array([history_event[hq == k].mean() if (hq == k).any() else history_event.mean() for k in range(5)])
    return rates[q]


def _similar_rates(prev: np.ndarray, event: np.ndarray, own: np.ndarray, exact: bool) -> np.ndarray:
    out = np.full(len(own), np.nan)
    for i, o in enumerate(own):
        same = (prev == o) if exact else (np.abs(prev - o) <= 5)
        if same.any():
            out[i] = event[same].mean()
    return out


def _rows(year, dim, codes, family, event, p, per_param, base, outcome, alt=None):
    lo, hi = (
        (np.percentile(per_param, 5, axis=0), np.percentile(per_param, 95, axis=0))
        if per_param is not None
        else (np.full(len(codes), np.nan),) * 2
    )
    alt = alt or {}
    return pd.DataFrame(
        {
            "year": year,
            "dimension": dim,
            "province_code": codes,
            "family": family,
            "event": event,
            "p_model": p,
            "p_low": lo,
            "p_high": hi,
            "p_base": base,
            "outcome": outcome.astype(float),
            "alt_gaussian": alt.get("gaussian", np.nan),
            "alt_student_t": alt.get("student_t", np.nan),
        }
    )


def _lookup(ranked: pd.DataFrame, years, codes) -> pd.DataFrame:
    return ranked.reindex(pd.MultiIndex.from_arrays([np.asarray(years), np.asarray(codes)]))


def _relative_events(year, dim, sims, per_param, codes, prev_rank, prev_group, ranked, history, family):
    """Group and rank events (and score-and-rank for one-year cells) from simulated cross-sections."""
    out = []
    actual = _lookup(ranked, [year] * len(codes), codes)
    keep = actual["group"].notna().to_numpy() & (actual["group"] != "<NA>").to_numpy()
    hist_prev = _lookup(ranked, history["year"] - 1, history["province_code"])
    hist_next = _lookup(ranked, history["year"], history["province_code"])
    order = ranking.GROUPS
    g_sim, g_par = groups_of(sims), groups_of(per_param)
    hist_prev_g = hist_prev["group"].map({g: i for i, g in enumerate(order)}).to_numpy(dtype=float)
    hist_next_g = hist_next["group"].map({g: i for i, g in enumerate(order)}).to_numpy(dtype=float)
    act_g = actual["group"].map({g: i for i, g in enumerate(order)}).to_numpy(dtype=float)
    for level in range(3):
        base = _similar_rates(hist_prev_g, hist_next_g <= level, prev_group, exact=True)
        out.append(
            _rows(
                year,
                dim,
                codes,
                family if family else "group_at_least",
                f"group<={order[level]}",
                (g_sim <= level).mean(0),
                (g_par <= level).mean(1),
                base,
                act_g <= level,
            )[keep]
        )
    for level in (3, 2):  # not in the lowest, not in the low-average group
        base = _similar_rates(hist_prev_g, hist_next_g != level, prev_group, exact=True)
        out.append(
            _rows(
                year,
                dim,
                codes,
                family if family else "not_in_group",
                f"not {order[level]}",
                (g_sim != level).mean(0),
                (g_par != level).mean(1),
                base,
                act_g != level,
            )[keep]
        )
    r_sim, r_par = ranks_of(sims), ranks_of(per_param)
    act_r = actual["rank"].to_numpy(dtype=float)
    hist_prev_r = hist_prev["rank"].to_numpy(dtype=float)
    hist_next_r = hist_next["rank"].to_numpy(dtype=float)
    for n in RANKS:
        base = _similar_rates(hist_prev_r, hist_next_r <= n, prev_rank, exact=False)
        out.append(
            _rows(
                year,
                dim,
                codes,
                family if family else "rank_at_most",
                f"rank<={n}",
                (r_sim <= n).mean(0),
                (r_par <= n).mean(1),
                base,
                act_r <= n,
            )[keep]
        )
    for k in RANK_GAINS:  # rank better by at least k places than the baseline rank
        base = _similar_rates(hist_prev_r, hist_prev_r - hist_next_r >= k, prev_rank, exact=False)
        now = prev_rank  # published baseline rank among units with data
        out.append(
            _rows(
                year,
                dim,
                codes,
                family if family else "rank_gain_at_least",
                f"rank gain>={k}",
                (r_sim <= now - k).mean(0),
                (r_par <= now - k).mean(1),
                base,
                act_r <= now - k,
            )[keep]
        )
    return out


def _cell(
    panel: pd.DataFrame, ranked: pd.DataFrame, dim: str, year: int, rng: np.random.Generator, compare: bool
) -> list[pd.DataFrame]:
    base = cross_section(panel, dim, year - 1)
    nxt = cross_section(panel, dim, year)
    both = base.merge(nxt[["province_code", "score"]].rename(columns={"score": "next"}), on="province_code")
    n_units = len(both)
    dropped = lambda reason: [
        pd.DataFrame(
            {
                "year": [year],
                "dimension": [dim],
                "province_code": [np.nan],  # noqa: E731
                "family": ["not_assessable"],
                "event": [reason],
                "outcome": [float(n_units)],
            }
        ).reindex(columns=COLUMNS)
    ]
    if n_units < 4:
        return []
    codes = base["province_code"].to_numpy()
    prev = _lookup(ranked, [year - 1] * len(codes), codes)
    prev_rank = prev["rank"].to_numpy(dtype=float)
    prev_group = prev["group"].map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)
    if schema.is_break_between(year - 1, year, dim):
        history = transitions(panel, dim, year - 1)
        if history["year"].nunique() < 2:
            return dropped("too little history before the break")
        par = standardised_draws(history, base, rng, N_PARAM, N_OUTCOME)
        return _relative_events(
            year, dim, par.reshape(-1, len(codes)), par, codes, prev_rank, prev_group, ranked, history, "cross_break"
        )
    cell, notes = forecast_cell(panel, dim, year - 1, year)
    if cell is None:
        return dropped(notes[-1] if notes else "no model")
    history = cell.model.history
    draws = cell.draws(rng, N_DRAWS)
    par = cell.parameter_draws(rng, N_PARAM, N_OUTCOME)
    alts = {}
    if compare:
        for tails in TAIL_CHOICES:
            if tails != TAILS:
                cell.pool, keep_pool = error_pool(panel, year, tails), cell.pool
                alts[tails] = cell.draws(rng, N_DRAWS)
                cell.pool = keep_pool
    scores = base["score"].to_numpy()
    idx = base["province_code"].isin(both["province_code"]).to_numpy()
    actual_change = both.set_index("province_code").reindex(codes)["next"].to_numpy() - scores
    dev = scores - scores.mean()
    scale = "total" if dim == schema.TOTAL else "dimension"
    out = []
    change_draws, change_par = draws - scores, par - scores
    for family in ("change_at_least", "gain"):
        for c in THRESHOLDS[family][scale]:
            base_rate = _quintile_rates(history["deviation"].to_numpy(), history["change"].to_numpy() >= c, dev)
            alt = {k: ((v - scores) >= c).mean(0) for k, v in alts.items()}
            out.append(
                _rows(
                    year,
                    dim,
                    codes,
                    family,
                    f"change>={c:g}",
                    (change_draws >= c).mean(0),
                    (change_par >= c).mean(1),
                    base_rate,
                    actual_change >= c,
                    alt,
                )[idx]
            )
    # score at least last year's top-quartile cut-off
    level = np.quantile(scores, 0.75)
    d = panel[panel["dimension"] == dim]
    q75 = d.groupby("year")["score"].quantile(0.75)
    hist_event = history["score"].to_numpy() >= (history["year"] - 1).map(q75).to_numpy()
    base_rate = _quintile_rates(history["deviation"].to_numpy(), hist_event, dev)
    out.append(
        _rows(
            year,
            dim,
            codes,
            "score_at_least",
            "score>=top quartile of last year",
            (draws >= level).mean(0),
            (par >= level).mean(1),
            base_rate,
            scores + actual_change >= level,
            {k: (v >= level).mean(0) for k, v in alts.items()},
        )[idx]
    )
    # predictive bands of the change (nominal level in p_model, covered in outcome)
    for name, (a, b) in {"band50": (25, 75), "band90": (5, 95)}.items():

        def covered(sim):
            lo, hi = np.percentile(sim, [a, b], axis=0)  # noqa: B023  (called in this iteration)
            return ((actual_change >= lo) & (actual_change <= hi)).astype(float)

        nominal = (b - a) / 100
        out.append(
            _rows(
                year,
                dim,
                codes,
                name,
                name,
                np.full(len(codes), nominal),
                None,
                np.full(len(codes), np.nan),
                covered(change_draws),
                {k: covered(v - scores) for k, v in alts.items()},
            )[idx]
        )
    out += _relative_events(year, dim, draws, par, codes, prev_rank, prev_group, ranked, history, "")
    # higher score and better rank
    r_sim, r_par = ranks_of(draws), ranks_of(par)
    act = _lookup(ranked, [year] * len(codes), codes)["rank"].to_numpy(dtype=float)
    hist_prev = _lookup(ranked, history["year"] - 1, history["province_code"])["rank"].to_numpy(dtype=float)
    hist_next = _lookup(ranked, history["year"], history["province_code"])["rank"].to_numpy(dtype=float)
    base_rate = _similar_rates(
        hist_prev, (history["change"].to_numpy() > 0) & (hist_next < hist_prev), prev_rank, exact=False
    )
    out.append(
        _rows(
            year,
            dim,
            codes,
            "improve_score_and_rank",
            "score up and rank better",
            ((draws > scores) & (r_sim < prev_rank)).mean(0),
            ((par > scores) & (r_par < prev_rank)).mean(1),
            base_rate,
            (actual_change > 0) & (act < prev_rank),
        )[idx]
    )
    return out


def backtest(
    panel: pd.DataFrame, years: list[int] | None = None, seed: int = 20250701, compare_tails: bool = True
) -> pd.DataFrame:
    """Every event of every family for every year (or ``years``) forecast from earlier years only.

    Columns: year, dimension, province_code, family, event, p_model (probability; nominal level for the
    ``band`` rows), p_low/p_high (90% interval across the regression's estimates), p_base (conditional base
    rate), outcome (1/0; for ``not_assessable`` rows the number of units left out), alt_gaussian/alt_student_t
    (the same with the other tail shapes, for :func:`compare_tails`).
    """
    rng = np.random.default_rng(seed)
    ranked = ranking.rank_and_group(panel).set_index(["dimension", "year", "province_code"])[["score", "rank", "group"]]
    all_years = sorted(int(y) for y in panel["year"].unique())
    frames = []
    for year in all_years[1:]:
        if years is not None and year not in years:
            continue
        for dim in sorted(panel.loc[panel["year"] == year, "dimension"].unique()):
            if year - 1 not in all_years:
                continue
            frames += _cell(panel, ranked.loc[dim], dim, year, rng, compare_tails)
    from .joint import backtest_all_up

    frames.append(backtest_all_up(panel, years, seed).reindex(columns=COLUMNS))
    frames.append(backtest_two_years_ahead(panel, years, seed).reindex(columns=COLUMNS))
    frames = [f for f in frames if len(f)]
    if not frames:  # a panel with a single year (e.g. one national table): nothing to re-forecast
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


# --------------------------------------------------------------------------- scores of the forecasts


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: bin-size-weighted mean |mean forecast - observed| over equal-width bins."""
    which = np.clip(np.digitize(p, np.linspace(0, 1, bins + 1)[1:-1]), 0, bins - 1)
    total = 0.0
    for b in np.unique(which):
        m = which == b
        total += m.sum() * abs(p[m].mean() - y[m].mean())
    return float(total / len(p))


def skill_interval(
    frame: pd.DataFrame, forecast: str = "p_model", reps: int = 1000, seed: int = 1
) -> tuple[float, float, float]:
    """Brier skill 1 - Brier(forecast) / Brier(conditional base rate), with a bootstrap 95% interval that
    resamples whole years (events of one year share a national shock)."""
    f = frame.dropna(subset=[forecast, "p_base"])
    sums = (
        f.assign(m=(f[forecast] - f["outcome"]) ** 2, b=(f["p_base"] - f["outcome"]) ** 2)
        .groupby("year")[["m", "b"]]
        .sum()
    )
    m, b = sums["m"].to_numpy(), sums["b"].to_numpy()
    skill = 1 - m.sum() / b.sum()
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(m), np.full(len(m), 1 / len(m)), size=reps)
    boot = 1 - (counts @ m) / (counts @ b)
    return float(skill), float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))


def reliability(predictions: pd.DataFrame, forecast: str = "p_model", bins: int = 10) -> pd.DataFrame:
    """Reliability curve: forecasts in equal-width bins, mean forecast vs observed frequency, with counts."""
    data = predictions.dropna(subset=[forecast])
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(data[forecast], edges[1:-1]), 0, bins - 1)
    table = data.groupby(which).agg(
        mean_forecast=(forecast, "mean"), observed=("outcome", "mean"), n=("outcome", "size")
    )
    table.index = [f"{edges[i]:.1f}-{edges[i + 1]:.1f}" for i in table.index]
    return table.rename_axis("bin").reset_index()


def _interval_coverage(frame: pd.DataFrame, bins: int = 10) -> float:
    """Share of forecasts whose bin's observed frequency (equal-width bins of p_model) lies inside the forecast's
    own 90% probability interval."""
    f = frame.dropna(subset=["p_low", "p_high"])
    if f.empty:
        return float("nan")
    which = np.clip(np.digitize(f["p_model"], np.linspace(0, 1, bins + 1)[1:-1]), 0, bins - 1)
    observed = f.groupby(which)["outcome"].transform("mean")
    return float(((observed >= f["p_low"] - 1e-9) & (observed <= f["p_high"] + 1e-9)).mean())


def family_table(
    predictions: pd.DataFrame, years: tuple[int, int] | None = None, forecast: str = "p_model"
) -> pd.DataFrame:
    """Per family: n (events scored), years, mean forecast, observed rate, Brier of the model and of the
    conditional base rate, Brier skill with a year-clustered bootstrap 95% interval, ECE (10 bins), coverage of the
    probability interval. ``band50``/``band90`` rows give the band's coverage in ``observed``.

    The report's tables and sentences ask for the same table many times: kept in memory by the predictions' content."""
    from ..cache import remembered

    return remembered(
        "family_table", lambda: _family_table(predictions, years, forecast), predictions, years=years, forecast=forecast
    )


def _family_table(predictions: pd.DataFrame, years: tuple[int, int] | None, forecast: str) -> pd.DataFrame:
    p = predictions[predictions["family"] != "not_assessable"]
    if years is not None:
        p = p[p["year"].between(*years)]
    rows = []
    for family in FAMILIES + ("band50", "band90"):
        f = p[p["family"] == family].dropna(subset=[forecast])
        if f.empty:
            continue
        row = dict(
            family=family,
            n=len(f),
            years=f"{int(f['year'].min())}-{int(f['year'].max())}",
            n_years=f["year"].nunique(),
            mean_forecast=f[forecast].mean(),
            observed=f["outcome"].mean(),
        )
        if not family.startswith("band"):
            skill, lo, hi = skill_interval(f, forecast)
            row |= dict(
                brier=((f[forecast] - f["outcome"]) ** 2).mean(),
                brier_base=((f["p_base"] - f["outcome"]) ** 2).mean(),
                n_base=int(f["p_base"].notna().sum()),
                skill=skill,
                skill_low=lo,
                skill_high=hi,
                ece=ece(f[forecast].to_numpy(), f["outcome"].to_numpy()),
                interval_coverage=_interval_coverage(f) if forecast == "p_model" else np.nan,
            )
        rows.append(row)
    return pd.DataFrame(
        rows, columns=None if rows else ["family", "n", "years", "n_years", "mean_forecast", "observed"]
    )


def dropped_cells(predictions: pd.DataFrame) -> pd.DataFrame:
    """Year-indicator cells the model could not forecast: year, indicator, units left out, reason."""
    d = predictions[predictions["family"] == "not_assessable"]
    return (
        d[["year", "dimension", "outcome", "event"]]
        .rename(columns={"outcome": "units", "event": "reason"})
        .astype({"units": int})
        .reset_index(drop=True)
    )


def calibration_misses(predictions: pd.DataFrame) -> pd.DataFrame:
    """Every calibration bar a family misses, as tidy rows (for words in any language): family, period
    (``all years`` or ``2019-2024``), measure (``not backtested``, ``years``, ``ece``, ``skill``, ``band50``,
    ``band90``), value, low/high (skill interval), bar (the bar's threshold; low-high for bands), n, years.

    A score family also misses when the 50% or 90% band misses its coverage bar.
    """
    rows: list[dict] = []
    for label, years in (("all years", None), ("2019-2024", RECENT)):
        t = family_table(predictions, years).set_index("family")
        for family in FAMILIES:
            if family not in t.index:
                if years is None:
                    rows.append(dict(family=family, period=label, measure="not backtested"))
                continue  # e.g. no methodology break in 2019-2024
            r = t.loc[family]
            if years is None and r["n_years"] < 3:
                rows.append(
                    dict(
                        family=family,
                        period=label,
                        measure="years",
                        value=float(r["n_years"]),
                        bar=3.0,
                        years=r["years"],
                    )
                )
            bar = BARS["ece_gain"] if family == "gain" else BARS["ece"]
            if not r["ece"] < bar:
                rows.append(
                    dict(family=family, period=label, measure="ece", value=float(r["ece"]), bar=bar, n=int(r["n"]))
                )
            if family in SKILL_FAMILIES and not r["skill_low"] > 0:
                rows.append(
                    dict(
                        family=family,
                        period=label,
                        measure="skill",
                        value=float(r["skill"]),
                        low=float(r["skill_low"]),
                        high=float(r["skill_high"]),
                        bar=0.0,
                        n=int(r["n"]),
                    )
                )
        for band in ("band50", "band90"):
            if band not in t.index:
                continue
            lo, hi = BARS[band]
            cov = t.loc[band, "observed"]
            if not lo <= cov <= hi:
                for family in SCORE_FAMILIES:
                    rows.append(
                        dict(
                            family=family,
                            period=label,
                            measure=band,
                            value=float(cov),
                            low=lo,
                            high=hi,
                            n=int(t.loc[band, "n"]),
                        )
                    )
    return pd.DataFrame(rows, columns=["family", "period", "measure", "value", "low", "high", "bar", "n", "years"])


def _miss_words(row: pd.Series) -> str:
    if row["measure"] == "not backtested":
        return "not backtested"
    if row["measure"] == "years":
        return f"only {int(row['value'])} forecast years ({row['years']}): too few to judge"
    if row["measure"] == "ece":
        return f"ECE {row['value']:.3f} ≥ {row['bar']} ({row['period']}, n = {int(row['n'])})"
    if row["measure"] == "skill":
        return (
            f"Brier skill {row['value']:+.3f} (95% interval {row['low']:+.3f} to {row['high']:+.3f}) not above 0 "
            f"({row['period']})"
        )
    return f"{row['measure'][4:]}% band covers {row['value']:.1%} ({row['period']})"


def calibration_status(predictions: pd.DataFrame) -> pd.DataFrame:
    """Whether each family reaches the bars, over all years and for 2019-2024, and the misses in words
    (:func:`calibration_misses` gives them as numbers)."""
    misses = calibration_misses(predictions)
    rows = []
    for family in FAMILIES:
        words = [_miss_words(r) for _, r in misses[misses["family"] == family].iterrows()]
        rows.append(dict(family=family, calibrated=not words, misses="; ".join(words)))
    return pd.DataFrame(rows)


def merged_units(panel: pd.DataFrame) -> pd.Series:
    """Per province_code: True for a merged unit (``n_old_provinces`` > 1 in the 34-province panel). Requires a
    panel with ``n_old_provinces`` (``load_scores(geography="34")``)."""
    if "n_old_provinces" not in panel.columns:
        raise ValueError(
            "The split by merged and unmerged units needs the 34-province panel "
            "(load_scores(geography='34')), which has the column n_old_provinces."
        )
    return panel.groupby("province_code")["n_old_provinces"].max() > 1


def _by_unit_kind(predictions: pd.DataFrame, panel: pd.DataFrame):
    merged = merged_units(panel)
    p = predictions[predictions["family"] != "not_assessable"]
    is_merged = p["province_code"].map(merged)
    for units, mask in (("merged", is_merged == True), ("unmerged", is_merged == False)):  # noqa: E712
        yield units, p[mask.to_numpy()], int(merged.sum() if units == "merged" else (~merged).sum())


def family_table_by_unit_kind(
    predictions: pd.DataFrame, panel: pd.DataFrame, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """:func:`family_table` separately for merged units (``n_old_provinces`` > 1, 34-province panel) and the units
    that were not merged; column ``units`` is ``merged`` or ``unmerged``. Requires a panel with
    ``n_old_provinces`` (``load_scores(geography="34")``)."""
    frames = [
        family_table(p, years).assign(units=units, n_units=n) for units, p, n in _by_unit_kind(predictions, panel)
    ]
    return pd.concat(frames, ignore_index=True)


def calibration_status_by_unit_kind(predictions: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """:func:`calibration_status` computed on the merged units' and on the unmerged units' backtest events
    separately (34-province panel): columns units (``merged``/``unmerged``), family, calibrated, misses."""
    frames = [calibration_status(p).assign(units=units) for units, p, _ in _by_unit_kind(predictions, panel)]
    return pd.concat(frames, ignore_index=True)[["units", "family", "calibrated", "misses"]]


def compare_tails(predictions: pd.DataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """ECE and Brier on the score families, and band coverage, for each tail shape (out of sample)."""
    p = predictions if years is None else predictions[predictions["year"].between(*years)]
    rows = []
    for tails, column in ((TAILS, "p_model"),) + tuple((t, f"alt_{t}") for t in TAIL_CHOICES if t != TAILS):
        row = {"tails": tails}
        for family in SCORE_FAMILIES:
            f = p[p["family"] == family].dropna(subset=[column])
            row[f"ece_{family}"] = ece(f[column].to_numpy(), f["outcome"].to_numpy())
            row[f"brier_{family}"] = float(((f[column] - f["outcome"]) ** 2).mean())
        for band in ("band50", "band90"):
            f = p[p["family"] == band]
            row[f"coverage_{band}"] = float((f["outcome"] if column == "p_model" else f[column]).mean())
        rows.append(row)
    return pd.DataFrame(rows)


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
        config.DATA_PROCESSED / f"backtest_{cache_key(panel)}.csv", lambda: backtest(panel), "csv"
    )


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
    },
}


def calibration_lines(
    predictions: pd.DataFrame,
    years: tuple[int, int] | None = RECENT,
    lang: str = "en",
    min_n: int = 100,
    gap: float = 0.05,
) -> list[str]:
    """Where the model is optimistic or pessimistic, in plain words, from the backtest itself: per family the mean
    forecast against the observed rate, and every reliability bin (at least ``min_n`` forecasts) whose observed
    frequency is more than ``gap`` away from its mean forecast."""
    p = predictions if years is None else predictions[predictions["year"].between(*years)]
    names = FAMILY_NAMES[lang]
    lines = []
    for family in FAMILIES:
        f = p[p["family"] == family]
        if f.empty:
            continue
        mean, observed = f["p_model"].mean(), f["outcome"].mean()
        if lang == "en":
            line = (
                f"{names[family]}: forecast {mean:.0%} on average, happened {observed:.0%} of the time (n = {len(f):,})"
            )
        else:
            line = f"{names[family]}: dự báo trung bình {mean:.0%}, thực tế {observed:.0%} (n = {len(f):,})"
        bins = reliability(f)
        off = bins[(bins["n"] >= min_n) & ((bins["mean_forecast"] - bins["observed"]).abs() > gap)]
        parts = []
        for row in off.itertuples():
            word = (
                ("optimistic" if row.mean_forecast > row.observed else "pessimistic")
                if lang == "en"
                else ("lạc quan" if row.mean_forecast > row.observed else "bi quan")
            )
            parts.append(f"{row.mean_forecast:.0%} → {row.observed:.0%} ({word}, n = {row.n})")
        if parts:
            line += ("; off by more than 5 points: " if lang == "en" else "; lệch hơn 5 điểm: ") + ", ".join(parts)
        lines.append(line)
    return lines


def backtest_two_years_ahead(panel: pd.DataFrame, years: list[int] | None = None, seed: int = 20250701) -> pd.DataFrame:
    """Targets two years ahead (family ``two_years_ahead``): from baseline ``T - 2``, change ≥ 0 and the gain
    thresholds, and the high-average-or-better group, by :meth:`.model.CellForecast.horizon_draws`. The baseline is
    the earlier two-year changes' rate within the quintile of distance from the national mean."""
    rng = np.random.default_rng(seed)
    ranked = ranking.rank_and_group(panel).set_index(["dimension", "year", "province_code"])
    all_years = sorted(int(y) for y in panel["year"].unique())
    frames = []
    for year in all_years[2:]:
        if years is not None and year not in years:
            continue
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
            if not hist:
                continue
            hist = pd.concat(hist)
            codes = cell.baseline["province_code"].to_numpy()
            scores = cell.baseline["score"].to_numpy()
            if year not in d.columns:
                continue
            actual = d[year].reindex(codes).to_numpy()
            keep = ~np.isnan(actual)
            draws = cell.horizon_draws(rng, N_DRAWS, 2)
            dev = scores - scores.mean()
            scale = "total" if dim == schema.TOTAL else "dimension"
            for c in (0.0,) + THRESHOLDS["gain"][scale]:
                base = _quintile_rates(hist["deviation"].to_numpy(), hist["change"].to_numpy() >= c, dev)
                frames.append(
                    _rows(
                        year,
                        dim,
                        codes,
                        "two_years_ahead",
                        f"2-year change>={c:g}",
                        ((draws - scores) >= c).mean(0),
                        None,
                        base,
                        (actual - scores) >= c,
                    )[keep]
                )
            act_g = ranked.loc[dim].reindex(pd.MultiIndex.from_arrays([[year] * len(codes), codes]))["group"]
            act_g = act_g.map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)
            prev_g = ranked.loc[dim].reindex(pd.MultiIndex.from_arrays([[year - 2] * len(codes), codes]))["group"]
            prev_g = prev_g.map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)
            hist_rate = np.array([np.nan] * len(codes))  # two-year group transitions from earlier years
            trans = []
            for y in all_years:
                if y <= year - 2 and (y - 2) in all_years and not schema.is_break_between(y - 2, y, dim):
                    a = ranked.loc[dim].reindex(pd.MultiIndex.from_product([[y - 2], d.index]))["group"].to_numpy()
                    b = ranked.loc[dim].reindex(pd.MultiIndex.from_product([[y], d.index]))["group"].to_numpy()
                    trans.append(pd.DataFrame({"a": a, "b": b}).dropna())
            if trans:
                t = pd.concat(trans)
                t = t[(t["a"] != "<NA>") & (t["b"] != "<NA>")]
                ta = t["a"].map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)
                tb = t["b"].map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)
                hist_rate = _similar_rates(ta, tb <= 1, prev_g, exact=True)
            frames.append(
                _rows(
                    year,
                    dim,
                    codes,
                    "two_years_ahead",
                    "2-year group<=high_average",
                    (groups_of(draws) <= 1).mean(0),
                    None,
                    hist_rate,
                    act_g <= 1,
                )[keep & ~np.isnan(act_g)]
            )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
