"""The one predictive model of next year's scores, used for plan targets, the advisor, the backtest and every
simulation: the national swing counted once, the province's own part calibrated on hundreds of earlier errors.

A unit's change from the baseline year to the next is ::

    change = centre + beta · deviation  +  N  +  s · u · W

* ``centre + beta · deviation`` (:mod:`.model`): regression to the mean with year effects; ``deviation`` is the
  unit's distance from the baseline year's national mean, ``centre`` the expected national year effect;
* ``N`` (:mod:`.national`): the country's miss, shared by every unit of the year, drawn from ``scale · t(df)``
  learned from the earlier years' national misses (one observation a year; heavy tails with few years);
* ``s · u · W`` (:mod:`.relative`): the unit's change relative to the country's, ``s`` its within-year scale, ``u``
  its size factor (34 provinces), ``W`` a standardised relative error from the pool of earlier years; the drawn
  relative parts of one cross-section are centred, so the country's change is exactly ``centre + mean slope + N``.

**Design rules** (issue 26): every rule chosen among candidates is chosen at each forecast origin ``T`` from forecast
years before ``T`` only, by a criterion written before it was run; every other rule is fixed in advance, with its
reason:

============================  ==================================================================================
rule                          how
============================  ==================================================================================
centre of the national change chosen at each origin: lowest mean squared national miss of the dimensions over the
                              earlier forecast years (:func:`.national.choose_centre`; ``zero`` before two years)
national spread and tails     fixed: ``scale · t(df)``, scale the root mean square of the earlier national
                              misses, df their number of years (:class:`.national.NationalPredictive`)
relative scale                fixed: the within-year residual scale, not the national one (counted once)
relative tail shape           chosen at each origin: lowest mean CRPS of earlier years' relative errors, each scored
                              on the pool before it (:func:`.relative.choose_tails`; ``gaussian`` before)
pool weights                  fixed: every earlier forecast year, every error weighted equally
size exponent (34 provinces)  estimated at each origin on the earlier relative errors (:mod:`.relative`)
============================  ==================================================================================

:func:`.national.centre_choices` and :func:`.relative.tail_criteria` give the rule chosen at every origin;
``benchmarks/backtest_targets.py`` prints them. On the 63 provinces (national scale in points per dimension):

======  ======  =====  ===  ====  =========
origin  centre  scale  df   rho   tails
======  ======  =====  ===  ====  =========
2016    last    0.144  3    0.27  gaussian
2017    zero    0.140  4    0.33  empirical
2018-9  zero    0.141  5    0.33  student_t
2020    zero    0.149  6    0.18  student_t
2021    zero    0.167  7    0.12  student_t
2022    zero    0.201  8    0.00  empirical
2023    zero    0.196  9    0.00  empirical
2024    zero    0.188  10   0.00  empirical
2025    zero    0.184  11   0.02  empirical
======  ======  =====  ===  ====  =========

The backtest (:mod:`.backtest`) reports 2016-2021 and 2022-2024 as separate blocks; no rule was chosen on 2022-2024.
These rules were written and committed before the first backtest of this model was run; after it, only the blocks a
kind is *judged* on changed (:data:`.judge.JUDGED_BLOCKS`, chosen on simulated worlds, which never see an outcome).
The README's "Target realism" section gives the results: the spread is right in 2016-2021 and too wide in the calm
years 2022-2024, in both its national and its relative part; nothing was tuned to change that.

A probability is also given for the national part held at its 10th, 50th and 90th percentile
(:data:`NATIONAL_SCENARIOS`: a poor, a typical and a good year for the whole country): the national sensitivity of
a target. Rank and group targets have none: a change shared by every unit moves no one's rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...data import schema
from .model import ChangeModel, cross_section, long_shifts_for, panel_key, regression_for, transitions
from .national import NationalPredictive, choose_centre, national_history, national_predictive
from .relative import RelativePool, relative_pool

N_STRATA = 20  # the national part is drawn in this many equal-probability strata (and probabilities kept by stratum)
NATIONAL_SCENARIOS: tuple[float, ...] = (0.1, 0.5, 0.9)
#: the chances at which the advisor gives the score, rank and group a province reaches (:mod:`.advisor`)
ADVICE_CHANCES: tuple[float, ...] = (0.9, 0.7, 0.5)


def fit_for(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
) -> tuple[ChangeModel | None, pd.DataFrame, list[str]]:
    """The change model for a ``baseline_year`` → ``target_year`` prediction (None when it cannot be fitted), with
    the centre rule chosen at the origin ``baseline_year + 1`` (:func:`.national.choose_centre`)."""
    model, history, notes = regression_for(panel, dimension, baseline_year, target_year)
    if model is None:
        return None, history, notes
    rule = _centre_at(panel, baseline_year + 1)
    long = long_shifts_for(panel, dimension, baseline_year) if rule == "all_years_mean" else None
    return model.with_centre(rule, long), history, notes


def _centre_at(panel: pd.DataFrame, origin: int) -> str:
    """:func:`.national.choose_centre` at ``origin``: the same for every indicator, so chosen once per panel (by
    content) and origin."""
    key = (panel_key(panel), int(origin))
    if key not in _CENTRES:
        if len(_CENTRES) > 1000:
            _CENTRES.clear()
        _CENTRES[key] = choose_centre(national_history(panel), origin)
    return _CENTRES[key]


_CENTRES: dict[tuple, str] = {}


@dataclass
class CellForecast:
    """Predictive distribution of every unit's score for ``dimension`` in ``target_year`` from ``baseline_year``."""

    dimension: str
    baseline_year: int
    target_year: int
    baseline: pd.DataFrame  # province_code, score, size, unit_scale (relative scale from the pool's size exponent)
    model: ChangeModel
    national: NationalPredictive
    pool: RelativePool
    mean_change: np.ndarray  # points
    within_sd: np.ndarray  # points, before the unit's size factor
    notes: list[str]

    @property
    def sd(self) -> np.ndarray:
        """Each unit's predictive standard deviation of next year's change (points), national part included."""
        w = self.pool.within.std(ddof=1) if self.pool.tails != "student_t" else self._t_sd()
        relative = self.within_sd * self.baseline["unit_scale"].to_numpy() * w
        return np.sqrt(self.national.sd**2 + relative**2)

    def _t_sd(self) -> float:
        df = self.pool.t_df
        return float(self.pool.t_scale * np.sqrt(df / (df - 2))) if df > 2 else float("inf")

    def relative(self, rng: np.random.Generator, shape: tuple[int, ...], within_sd=None) -> np.ndarray:
        """Relative parts in points, ``shape + (units,)``, centred over the units of each cross-section."""
        scale = self.baseline["unit_scale"].to_numpy()
        sd = self.within_sd if within_sd is None else within_sd
        r = sd * scale * self.pool.draw(rng, shape, len(scale))
        return r - r.mean(axis=-1, keepdims=True)

    def national_quantiles(self, rng: np.random.Generator, per_stratum: int) -> np.ndarray:
        """Quantiles of the national part, ``per_stratum`` in each of :data:`N_STRATA` strata, in stratum order."""
        strata = np.repeat(np.arange(N_STRATA), per_stratum)
        return (strata + rng.random(len(strata))) / N_STRATA

    def stratified_draws(self, rng: np.random.Generator, per_stratum: int) -> tuple[np.ndarray, np.ndarray]:
        """Simulated target-year scores (``N_STRATA · per_stratum``, units) with the national part stratified, and the
        national quantile of each draw (draws of stratum k are rows ``k · per_stratum`` to
        ``(k + 1) · per_stratum``)."""
        u = self.national_quantiles(rng, per_stratum)
        nat = self.national.ppf(u)
        rel = self.relative(rng, (len(u),))
        scores = self.baseline["score"].to_numpy()[None, :] + self.mean_change[None, :] + nat[:, None] + rel
        return scores, u

    def draws(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Simulated target-year scores of every unit: array (n, units) (n rounded up to a multiple of the strata)."""
        return self.stratified_draws(rng, -(-n // N_STRATA))[0]

    def horizon_paths(self, rng: np.random.Generator, n: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores ``horizon`` years after the baseline (n, units) and each draw's national parts (n, horizon): the
        one-year model applied ``horizon`` times to every simulated cross-section, so national swings and regression
        to the mean compound; fresh national and relative parts each step from the same calibration (years up to
        the baseline only). The last step's national part is stratified."""
        per = -(-n // N_STRATA)
        x = np.repeat(self.baseline["score"].to_numpy()[None, :], per * N_STRATA, axis=0)
        nat = np.empty((len(x), horizon))
        for step in range(horizon):
            u = self.national_quantiles(rng, per) if step == horizon - 1 else rng.random(len(x))
            nat[:, step] = self.national.ppf(u)
            dev = x - x.mean(axis=1, keepdims=True)
            x = x + self.model.mean(dev) + nat[:, [step]] + self.relative(rng, (len(x),), self.model.within_sd(dev))
        return x, nat

    def horizon_draws(self, rng: np.random.Generator, n: int, horizon: int) -> np.ndarray:
        """Scores ``horizon`` years after the baseline (n, units); see :meth:`horizon_paths`."""
        return self.horizon_paths(rng, n, horizon)[0]


def forecast_cell(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int, tails: str | None = None
) -> tuple[CellForecast | None, list[str]]:
    """The calibrated forecast for one indicator (None and the reason when there is none); for a target more than
    one year ahead use :meth:`CellForecast.horizon_paths`.

    Uses only ``panel`` rows of years up to ``baseline_year``: the regression is fitted on changes ending by then,
    and the national and relative parts are calibrated on forecast years up to ``baseline_year``. ``tails`` None:
    the relative tail shape chosen at that origin.
    """
    if target_year <= baseline_year:
        return None, ["the target year must come after the baseline year"]
    if schema.is_break_between(baseline_year, target_year, dimension):
        return None, ["score targets across a methodology break cannot be judged from earlier changes"]
    model, _, notes = fit_for(panel, dimension, baseline_year, target_year)
    if model is None:
        return None, notes or [f"no history of {dimension} changes before {target_year}"]
    national = national_predictive(panel, dimension, baseline_year + 1)  # whatever the horizon: years to baseline
    pool = relative_pool(panel, baseline_year + 1, tails)
    if national is None or pool is None:
        return None, notes + ["fewer than 2 earlier forecast years to calibrate the spread on"]
    baseline = cross_section(panel, dimension, baseline_year)
    baseline["unit_scale"] = pool.unit_scale(baseline["size"].to_numpy())
    dev = (baseline["score"] - baseline["score"].mean()).to_numpy()
    cell = CellForecast(
        dimension,
        baseline_year,
        target_year,
        baseline,
        model,
        national,
        pool,
        np.asarray(model.mean(dev), dtype=float),
        np.asarray(model.within_sd(dev), dtype=float),
        notes,
    )
    return cell, notes


def by_stratum(hit: np.ndarray) -> np.ndarray:
    """Share of draws meeting an event in each national stratum: ``hit`` (N_STRATA · per, ...) in stratum order →
    (N_STRATA, ...)."""
    return hit.reshape((N_STRATA, -1) + hit.shape[1:]).mean(axis=1)


def at_quantiles(per_stratum: np.ndarray, quantiles=NATIONAL_SCENARIOS) -> np.ndarray:
    """Probabilities with the national part at ``quantiles``, interpolated between strata midpoints:
    (N_STRATA, ...) → (len(quantiles), ...)."""
    mids = (np.arange(N_STRATA) + 0.5) / N_STRATA
    out = []
    for q in quantiles:
        k = int(np.clip(np.searchsorted(mids, q) - 1, 0, N_STRATA - 2))
        frac = float(np.clip((q - mids[k]) / (mids[k + 1] - mids[k]), 0.0, 1.0))
        out.append((1 - frac) * per_stratum[k] + frac * per_stratum[k + 1])
    return np.stack(out)


def conditional_on_rank(hit: np.ndarray, index: np.ndarray, quantiles=NATIONAL_SCENARIOS, half: float = 0.05):
    """Share of draws meeting an event among draws whose ``index`` (e.g. the summed national parts of several years)
    ranks within ``quantile ± half``: (len(quantiles), ...)."""
    rank = (np.argsort(np.argsort(index)) + 0.5) / len(index)
    return np.stack([hit[np.abs(rank - q) <= half].mean(axis=0) for q in quantiles])


# --------------------------------------------------------------------------- across a methodology break


def standardised_fit(history: pd.DataFrame) -> tuple[float, float, float]:
    """The slope ``b``, its (province-clustered) standard error and the residual sd of z(t+1) = b z(t) + e, fitted
    on ``history`` (changes before the break); deterministic, so a plan's rows of one cell share it."""
    h = history.copy()
    h["z_prev"] = h.groupby("year")["prev_score"].transform(lambda s: (s - s.mean()) / s.std(ddof=0))
    h["z"] = h.groupby("year")["score"].transform(lambda s: (s - s.mean()) / s.std(ddof=0))
    import statsmodels.formula.api as smf

    fit = smf.ols("z ~ z_prev - 1", data=h).fit(cov_type="cluster", cov_kwds={"groups": h["province_code"]})
    return float(fit.params["z_prev"]), float(fit.bse["z_prev"]), float(np.sqrt(fit.scale))


def standardised_draws(
    history: pd.DataFrame,
    baseline: pd.DataFrame,
    rng: np.random.Generator,
    n_param: int,
    n_outcome: int,
    fit: tuple[float, float, float] | None = None,
) -> np.ndarray:
    """Across a methodology break only relative positions carry over: z(t+1) = b z(t) + e, fitted on ``history``
    (changes before the break; ``fit``: :func:`standardised_fit` of it, when already made). Array
    (n_param, n_outcome, units) of standardised target-year positions."""
    b, b_se, sd = standardised_fit(history) if fit is None else fit
    z = ((baseline["score"] - baseline["score"].mean()) / baseline["score"].std(ddof=0)).to_numpy()
    bs = rng.normal(b, b_se, size=n_param)
    noise = rng.normal(0.0, sd, size=(n_param, n_outcome, len(z)))
    return bs[:, None, None] * z[None, None, :] + noise


# --------------------------------------------------------------------------- events on simulated cross-sections


def groups_of(sims: np.ndarray) -> np.ndarray:
    """Group index (0 = highest .. 3 = lowest) of each simulated unit, same quartile rule as :mod:`ranking`."""
    q25, q50, q75 = np.percentile(sims, [25, 50, 75], axis=-1, keepdims=True)
    return np.where(sims >= q75, 0, np.where(sims >= q50, 1, np.where(sims >= q25, 2, 3)))


def ranks_of(sims: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of every unit in every simulated cross-section (ranks among units with data)."""
    order = np.argsort(-sims, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, sims.shape[-1] + 1), axis=-1)
    return ranks


__all__ = [
    "ADVICE_CHANCES",
    "CellForecast",
    "N_STRATA",
    "NATIONAL_SCENARIOS",
    "at_quantiles",
    "by_stratum",
    "conditional_on_rank",
    "fit_for",
    "forecast_cell",
    "groups_of",
    "ranks_of",
    "standardised_draws",
    "standardised_fit",
    "transitions",
]
