"""The one predictive model of next year's scores, used for plan targets, the backtest and every simulation.

**Centre** (regression to the mean): ``change = year effect + beta * (baseline - national mean) + error``,
OLS with year fixed effects and province-clustered standard errors (statsmodels), fitted on the one-year
changes of the same indicator that end in or before the baseline year and do not cross a methodology break
(same methodology period; for dimensions, earlier periods when the current one has no history yet; never for
totals, whose scale changed in 2018). The raw Gaussian spread adds the spread of national year effects, the
residual spread and the estimates' uncertainty.

**Tails and scale** (calibration on earlier years only). For every forecast year ``s`` the raw model
(fitted on years before ``s``) gives each province a standardised error ``z = (change - mean) / sd``. These
out-of-sample errors split into a part shared by all provinces of a year and indicator (the national shock the
model missed) and a within-year part. A forecast for year ``T`` draws ``change = mean + sd * (C + W)`` with
``C`` and ``W`` taken from the errors of forecast years **before T** only (at least two such years are needed,
otherwise no probability is given). Three shapes were compared out of sample (rolling origin, 2016-2024,
:func:`papi_analysis.analysis.targets.backtest.compare_tails`):

* ``gaussian``: C and W normal with the variances of the earlier errors;
* ``student_t``: W Student-t with its degrees of freedom and scale fitted on the earlier errors;
* ``empirical``: C and W resampled from the earlier errors (bootstrapped standardised residuals, i.e. a
  conformal calibration of scale and shape). C is centred on the earlier errors' mean: an uncentred pool
  carries the early years' misses into later years (ECE of change events 0.12 instead of 0.07).

``empirical`` is used (:data:`TAILS`). Out of sample (rolling origin, events of 2016-2024; after the slash
2019-2024; with the ``shrunk`` centre below):

=========  ==========  ==========  ===============  ==============  ==============
tails      ECE gains   ECE score   ECE change ≥ c   50% band cov.   90% band cov.
=========  ==========  ==========  ===============  ==============  ==============
empirical  0.021/0.031 0.032/0.034 0.045/0.044      57.7%/58.0%     90.5%/89.8%
gaussian   0.037/0.047 0.034/0.036 0.046/0.046      63.6%/63.8%     91.3%/90.5%
student_t  0.028/0.039 0.028/0.031 0.042/0.041      60.0%/60.4%     90.5%/89.8%
=========  ==========  ==========  ===============  ==============  ==============

(n = 7,064 / 5,930 gain events, 3,532 / 2,965 units for the bands.) It has the lowest ECE on the gains plans ask
for and the 50% band coverage closest to nominal, because one-year changes are heavy-tailed (a Gaussian wide enough
for the tails is too wide in the middle). It is not best everywhere: ``student_t`` has an ECE lower by 0.003-0.004
on score levels and change events, and the 50% band of every shape covers 58% or more (bar 47-53%); that excess
comes from the held-out calm years 2022-2024 (see below), not from the shape: in 2016-2021 the 50% band covers
51% and the 90% band 85%. Nothing is tuned on the year being predicted: no fixed spread factor remains.
Reproduce with ``benchmarks/backtest_targets.py``.

**Centre of the national year effect** (issue 10). Next year's national change is expected to equal a centre formed
from the history's year effects (:func:`centre_of`). Out of sample the advice was too cautious in 2022-2024 (met
98/86/66% at 90/70/50%), and under the former rule the predicted national mean change was below the realised one
in every year 2021-2024 (by 0.09-0.28 points, averaged over the indicators; with ``shrunk`` below by 0.02-0.24;
:func:`national_effect_misses`). Candidates, each computed from
the years before the forecast year only: ``period_mean`` (the mean year effect of the current methodology period,
the former rule), ``zero``, ``last`` (last year's effect), ``recent_weighted`` (weights halving every 2 years back,
fixed in advance), ``shrunk`` (the mean shrunk towards 0 by ``max(0, 1 - se²/mean²)``), ``all_years_mean`` (every
comparable earlier year, any period). Criterion fixed before looking at 2022-2024: the sum of the ECE of change,
gain and score events plus the mean |advice met − chance| over 90/70/50%, on the forecast years 2016-2021 (n 1,922
units; 2022-2024 held out, n 1,610):

===============  =========  ================  ==============  =========  ================  ===================
centre           criterion  ECE chg/gain/sc.  advice met       ECE chg    advice met        50% / 90% band
                 2016-2021  2016-2021         2016-2021        2022-2024  2022-2024         2022-2024
===============  =========  ================  ==============  =========  ================  ===================
period_mean      0.133      .043/.021/.050    87.4/71.5/51.7  0.107      97.5/85.6/66.4    63.6% / 97.6%
zero             0.099      .037/.008/.036    86.2/71.2/49.6  0.054      97.0/82.1/56.2    67.6% / 97.8%
last             0.215      .063/.048/.081    86.8/71.4/52.1  0.110      95.5/82.2/60.8    61.4% / 97.1%
recent_weighted  0.141      .050/.020/.047    87.4/72.1/52.8  0.099      97.5/85.9/65.0    64.0% / 97.8%
shrunk           0.098      .041/.011/.027    86.9/71.9/50.9  0.074      97.0/84.2/59.3    66.6% / 97.5%
all_years_mean   0.099      .034/.011/.033    87.3/72.1/51.6  0.090      97.0/84.2/63.5    65.6% / 97.3%
===============  =========  ================  ==============  =========  ================  ===================

``shrunk`` has the lowest criterion and is used (:data:`CENTRE`); ``zero`` and ``all_years_mean`` are within 0.001
of it, so the choice among the three is not a clear win. It lowers the ECE of change events (all years 0.066 → 0.045)
but does **not** bring the advice within 5 points of 90/70/50% in 2022-2024 (97.0/84.2/59.3%). The main cause is
the spread, not the centre: in 2022-2024 the 90% band covered 97.5% with every centre, because the calm years after
2020-2021 were forecast with the large national shocks of 2020-2021 in the history and in the error pool; in
2016-2021 the same model's 90% band covered only 85%. Two other standardisations were tried with the same criterion
and rejected (:data:`SCALE`): ``resid`` (errors in units of the residual sd only; criterion 0.121-0.215 across
centres) and ``split`` (each part by its own sd; the national sd estimated from 2-5 year effects can be near 0, so
standardised national misses reach −20 and the bands collapse: 50% band covers 10-40%; the sd of national changes
over all comparable years fails the same way, as its first years rest on two shifts too). Both parts of the error
were too wide in 2022-2024: the within-year part alone covered 64.8% / 96.5% of its 50% / 90% band (2016-2021:
53.7% / 89.9%), because the standardising sd grew with the 2020-2021 year effects; and the shared part's pool had an
sd of 0.55-0.61 against a realised 0.23-0.40 (root mean square per year). Reproduce with
``benchmarks/backtest_targets.py --centres``.

**Unit size** (issue 12). A panel may carry a per-unit column ``effective_size`` (1/Σw² of the population weights of
the old provinces merged into a unit). The within-year part of a unit's error then has variance ∝ ``size ** -alpha``
(:func:`size_exponent`, a Gaussian likelihood with each cell's scale profiled out), with ``alpha`` estimated at every
forecast origin from the within-year errors of earlier forecast years only (34 provinces: 0.73-0.94 for the origins
2016-2025; the former rule fixed it at 1; :data:`SIZE_EXPONENT` can fix it for comparisons). Out of sample on the 34
provinces (2016-2024, ``shrunk`` centre; n 1,271 merged and 600 unmerged unit-years; bars 47-53% and 87-93%):

================  ====================  ====================  ==========================
exponent          merged 50% / 90%      unmerged 50% / 90%    50% band 2016-2021 m / u
================  ====================  ====================  ==========================
0 (no size)       61.4% / 90.3%         57.5% / 89.0%         53.7% / 49.4%
1 (former rule)   58.3% / 89.0%         64.8% / 92.2%         51.0% / 56.7%
estimated         58.9% / 89.0%         63.7% / 91.5%         51.6% / 54.8%
================  ====================  ====================  ==========================

The 90% band is within its bar for both kinds of unit; the 50% band is too wide for both, as on the 63 provinces,
and for the same reason (2022-2024: merged 68.0%, unmerged 74.4%). The estimated exponent narrows the gap between
the two kinds against the former fixed one, on the early years too, but does not close it: with 0 the unmerged units
are the better covered, with 1 the merged ones, so part of the difference is not a matter of size. Without the column
(63 provinces) every unit has the same scale. The panel is always an argument; nothing here assumes 63 provinces.

Scores are PAPI points (dimensions 1-10, totals 8-80 since 2018, 6-60 before).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...data import schema

TAILS = "empirical"
TAIL_CHOICES: tuple[str, ...] = ("gaussian", "student_t", "empirical")
MIN_POOL_YEARS = 2  # forecast years of out-of-sample errors needed before a calibrated forecast is given
SIZE_COLUMN = "effective_size"
#: How the national year effect (the centre of next year's national change) is formed from the year effects of the
#: history (see the module docstring for the out-of-sample comparison).
CENTRE_CHOICES: tuple[str, ...] = ("period_mean", "zero", "last", "recent_weighted", "shrunk", "all_years_mean")
CENTRE = "shrunk"
#: What standardises the out-of-sample errors: ``raw`` the model's Gaussian sd (national shifts, residual and
#: estimation spread) for both parts; ``resid`` the residual sd for both parts; ``split`` each part by its own
#: scale (the shared part by the sd of the national year effect and of its estimate, the within-year part by the
#: residual sd and the slope's uncertainty).
SCALE_CHOICES: tuple[str, ...] = ("raw", "resid", "split")
SCALE = "raw"
RECENT_HALFLIFE = 2.0  # years; fixed in advance for the ``recent_weighted`` centre, not tuned
SIZE_EXPONENT_BOUNDS = (0.0, 3.0)
#: None: the size exponent is estimated at every origin (:func:`size_exponent`); a number fixes it (for comparisons).
SIZE_EXPONENT: float | None = None


# --------------------------------------------------------------------------- history of changes


def transitions(panel: pd.DataFrame, dimension: str, last_year: int) -> pd.DataFrame:
    """One-year transitions of ``dimension`` ending in or before ``last_year`` that do not cross a
    methodology break for it: province_code, year (the later year), previous score, score, change,
    deviation of the previous score from that year's national mean, and the methodology period."""
    d = panel[panel["dimension"] == dimension][["year", "province_code", "score"]]
    means = d.groupby("year")["score"].mean()
    prev = d.rename(columns={"score": "prev_score"}).assign(year=d["year"] + 1)
    prev["prev_mean"] = (prev["year"] - 1).map(means)
    out = d.merge(prev, on=["year", "province_code"]).dropna(subset=["score", "prev_score"])
    keep = np.array(
        [y <= last_year and not schema.is_break_between(y - 1, y, dimension) for y in out["year"]], dtype=bool
    )
    out = out.loc[keep].copy()
    out["change"] = out["score"] - out["prev_score"]
    out["deviation"] = out["prev_score"] - out["prev_mean"]
    out["period"] = out["year"].map(lambda y: schema.period_of(int(y)).label)
    return out.reset_index(drop=True)


def history_for(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
) -> tuple[pd.DataFrame, list[str]]:
    """Transitions that inform a ``baseline_year`` → ``target_year`` prediction, with notes on any fallback."""
    notes: list[str] = []
    hist = transitions(panel, dimension, baseline_year)
    period = schema.period_of(min(target_year, 2024)).label
    same = hist[hist["period"] == period]
    if same["year"].nunique() >= 1:
        return same, notes
    if dimension == schema.TOTAL:
        notes.append(
            "no changes of the total within the current methodology period yet: totals of an earlier "
            "period have another scale and are not used"
        )
        return hist.iloc[0:0], notes
    if not hist.empty:
        notes.append(
            f"no one-year changes within the {period} methodology period before {target_year}: "
            "changes from earlier periods are used"
        )
    return hist, notes


@dataclass
class ChangeModel:
    """Regression-to-the-mean model of one-year changes of one indicator (PAPI points), raw Gaussian spread."""

    dimension: str
    years: list[int]
    beta: float
    beta_se: float
    mean_year_effect: float
    mean_year_effect_se: float
    year_effect_sd: float
    resid_sd: float
    n_obs: int
    n_provinces: int
    history: pd.DataFrame = field(repr=False)
    notes: list[str] = field(default_factory=list)

    def predictive(
        self, deviation: np.ndarray | float, unit_scale: np.ndarray | float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean and raw (uncalibrated, Gaussian) standard deviation of next year's change at ``deviation``."""
        dev = np.asarray(deviation, dtype=float)
        mean = self.mean_year_effect + self.beta * dev
        if SCALE == "resid":
            return mean, np.broadcast_to(self.resid_sd * np.asarray(unit_scale, dtype=float), mean.shape).copy()
        if SCALE == "split":
            common, within = self.part_scales(dev)
            return mean, np.sqrt(common**2 + within**2)
        var = (
            self.year_effect_sd**2
            + (self.resid_sd * np.asarray(unit_scale)) ** 2
            + self.mean_year_effect_se**2
            + (dev * self.beta_se) ** 2
        )
        return mean, np.sqrt(var)

    def part_scales(self, deviation: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Scales (points) of the shared and the within-year part of next year's change at ``deviation``: under
        :data:`SCALE` ``split`` the national sd ``sqrt(year_effect_sd² + se²)`` and the unit's
        ``sqrt(resid_sd² + (deviation · beta_se)²)``; otherwise both are the predictive sd."""
        dev = np.asarray(deviation, dtype=float)
        if SCALE != "split":
            sd = self.predictive(dev)[1]
            return sd, sd
        common = np.full(dev.shape, math.sqrt(self.year_effect_sd**2 + self.mean_year_effect_se**2))
        return common, np.sqrt(self.resid_sd**2 + (dev * self.beta_se) ** 2)


def national_shift_sd(panel: pd.DataFrame, dimension: str, last_year: int) -> float:
    """Standard deviation of the yearly national mean change of ``dimension`` over every comparable
    year up to ``last_year`` (any methodology period); NaN with fewer than two years."""
    shifts = transitions(panel, dimension, last_year).groupby("year")["change"].mean()
    return float(shifts.std(ddof=1)) if len(shifts) >= 2 else math.nan


def centre_of(effects: pd.Series, centre: str, long_shifts: pd.Series | None = None) -> float:
    """The national year effect expected next year from the year effects of the history (indexed by year, points).

    ``period_mean``: their mean; ``zero``: no national drift; ``last``: the last year's effect; ``recent_weighted``:
    weights halving every :data:`RECENT_HALFLIFE` years back; ``shrunk``: the mean shrunk towards 0 by the positive-
    part James-Stein factor ``max(0, 1 - se² / mean²)`` with ``se = sd / sqrt(n)``; ``all_years_mean``: the mean
    national change over every comparable earlier year, of any methodology period (``long_shifts``)."""
    if centre not in CENTRE_CHOICES:
        raise ValueError(f"centre must be one of {CENTRE_CHOICES}, got {centre!r}")
    effects = effects.sort_index()
    mean = float(effects.mean())
    if centre == "period_mean":
        return mean
    if centre == "zero":
        return 0.0
    if centre == "last":
        return float(effects.iloc[-1])
    if centre == "recent_weighted":
        age = float(effects.index.max()) - effects.index.to_numpy(dtype=float)
        w = 0.5 ** (age / RECENT_HALFLIFE)
        return float(np.sum(w * effects.to_numpy()) / w.sum())
    if centre == "shrunk":
        if len(effects) < 2 or mean == 0:
            return 0.0
        se2 = float(effects.var(ddof=1)) / len(effects)
        return mean * max(0.0, 1.0 - se2 / mean**2)
    shifts = long_shifts if long_shifts is not None and len(long_shifts) else effects
    return float(shifts.mean())


def fit_change_model(
    history: pd.DataFrame,
    dimension: str,
    notes: list[str] | None = None,
    fallback_shift_sd: float = math.nan,
    centre: str | None = None,
    long_shifts: pd.Series | None = None,
) -> ChangeModel:
    """OLS ``change ~ C(year) + deviation`` with province-clustered SEs (statsmodels).

    With a single year of changes the spread of national shifts is ``fallback_shift_sd`` (from
    :func:`national_shift_sd`); when that is NaN too, ``year_effect_sd`` is NaN and the model gives no forecast.
    ``centre`` (default :data:`CENTRE`) says how the expected national year effect is formed (:func:`centre_of`).
    """
    centre = CENTRE if centre is None else centre
    notes = list(notes or [])
    if history.empty:
        raise ValueError(f"No history of {dimension} changes to fit.")
    years = sorted(history["year"].unique())
    formula = "change ~ C(year) + deviation" if len(years) > 1 else "change ~ deviation"
    import statsmodels.formula.api as smf  # imported when a model is fitted: the CLI lists plans without it

    fit = smf.ols(formula, data=history).fit(cov_type="cluster", cov_kwds={"groups": history["province_code"]})
    beta, beta_se = float(fit.params["deviation"]), float(fit.bse["deviation"])
    year_means = history.groupby("year")["change"].mean()
    # the year effect of year t is that year's mean change at the mean baseline (deviation 0)
    effects = year_means - beta * history.groupby("year")["deviation"].mean()
    if len(years) >= 2:
        year_sd = float(effects.std(ddof=1))
    else:
        year_sd = fallback_shift_sd
        notes.append(
            "only one year of changes in this methodology period: the spread of national year-to-year "
            "shifts is taken from all earlier comparable years"
            if not math.isnan(year_sd)
            else "fewer than two years of national shifts: their spread cannot be estimated, so no probability is given"
        )
    mean_effect = centre_of(effects, centre, long_shifts)
    mean_effect_se = year_sd / math.sqrt(len(years)) if len(years) >= 2 else year_sd
    if len(history["province_code"].unique()) < 20:
        notes.append("fewer than 20 units: clustered standard errors are unreliable")
    return ChangeModel(
        dimension=dimension,
        years=[int(y) for y in years],
        beta=beta,
        beta_se=beta_se,
        mean_year_effect=mean_effect,
        mean_year_effect_se=mean_effect_se,
        year_effect_sd=year_sd,
        resid_sd=float(np.sqrt(fit.scale)),
        n_obs=int(fit.nobs),
        n_provinces=int(history["province_code"].nunique()),
        history=history,
        notes=notes,
    )


_FIT_CACHE: dict[tuple, tuple] = {}


def fit_for(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
) -> tuple[ChangeModel | None, pd.DataFrame, list[str]]:
    """The change model for a ``baseline_year`` → ``target_year`` prediction (None when it cannot be fitted).

    The same for every province: fitted once per panel (by content), indicator and years, and stored (see
    :mod:`..cache`), so every later report reads the fit; a report worker that runs many provinces' notebooks also
    keeps it in memory."""
    key = (panel_key(panel), dimension, int(baseline_year), int(target_year), CENTRE, SCALE)
    if key not in _FIT_CACHE:
        if len(_FIT_CACHE) > 2000:
            _FIT_CACHE.clear()
        from .. import cache

        _FIT_CACHE[key] = cache.cached(
            "change_model",
            lambda: _fit_for(panel, dimension, baseline_year, target_year),
            panel,
            dimension=dimension,
            baseline_year=int(baseline_year),
            target_year=int(target_year),
            centre=CENTRE,
            scale=SCALE,
        )
    model, history, notes = _FIT_CACHE[key]
    return model, history, list(notes)


def _fit_for(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
) -> tuple[ChangeModel | None, pd.DataFrame, list[str]]:
    history, notes = history_for(panel, dimension, baseline_year, target_year)
    if history.empty:
        return None, history, notes
    long_shifts = None
    if CENTRE == "all_years_mean" and dimension != schema.TOTAL:
        long_shifts = transitions(panel, dimension, baseline_year).groupby("year")["change"].mean()
    model = fit_change_model(
        history, dimension, notes, national_shift_sd(panel, dimension, baseline_year), long_shifts=long_shifts
    )
    if math.isnan(model.year_effect_sd):
        return None, history, model.notes
    return model, history, model.notes


def cross_section(panel: pd.DataFrame, dimension: str, year: int) -> pd.DataFrame:
    """Units with a score for ``dimension`` in ``year``: province_code, score, size (the panel's
    ``effective_size``, 1 when the panel has none) and unit_scale (1; the within-year scale of each unit is set by
    the error pool, :meth:`ErrorPool.unit_scale`)."""
    rows = panel[(panel["dimension"] == dimension) & (panel["year"] == year)].dropna(subset=["score"])
    out = rows[["province_code", "score"]].reset_index(drop=True)
    if SIZE_COLUMN in rows.columns and rows[SIZE_COLUMN].notna().all():
        out["size"] = rows[SIZE_COLUMN].to_numpy(dtype=float)
    else:
        out["size"] = 1.0
    out["unit_scale"] = 1.0
    return out


def size_factor(size: np.ndarray, alpha: float) -> np.ndarray:
    """Within-year error scale of units of effective size ``size`` when the variance goes as ``size ** -alpha``,
    relative to the mean variance of the cross-section (mean of the squared factors is 1)."""
    v = np.asarray(size, dtype=float) ** -alpha
    return np.sqrt(v / v.mean())


def size_exponent(within: np.ndarray, size: np.ndarray, cell: np.ndarray) -> float:
    """Maximum-likelihood exponent ``alpha`` of ``var(within) ∝ size ** -alpha`` (Gaussian likelihood, variance
    relative to each cell's mean, scale profiled out), bounded by :data:`SIZE_EXPONENT_BOUNDS`; 0 when all units
    have the same size."""
    size = np.asarray(size, dtype=float)
    if np.allclose(size, size[0]):
        return 0.0
    w2 = np.asarray(within, dtype=float) ** 2
    cells = pd.Series(cell).astype(str).to_numpy()
    _, inverse = np.unique(cells, return_inverse=True)
    log_size = np.log(size)

    def nll(alpha: float) -> float:
        v = np.exp(-alpha * log_size)
        g = v / (np.bincount(inverse, v) / np.bincount(inverse))[inverse]
        sigma2 = np.mean(w2 / g)
        return float(np.sum(np.log(sigma2 * g)))

    from scipy.optimize import minimize_scalar

    return float(minimize_scalar(nll, bounds=SIZE_EXPONENT_BOUNDS, method="bounded").x)


# --------------------------------------------------------------------------- out-of-sample errors (calibration pool)

_RAW_CACHE: dict[str, pd.DataFrame] = {}


def panel_key(panel: pd.DataFrame) -> str:
    """Hash of the columns that any result depends on."""
    cols = ["year", "province_code", "dimension", "score"] + ([SIZE_COLUMN] if SIZE_COLUMN in panel.columns else [])
    return hashlib.sha256(pd.util.hash_pandas_object(panel[cols], index=False).to_numpy().tobytes()).hexdigest()


def one_year_forecasts(panel: pd.DataFrame, years: list[int] | None = None):
    """Every one-year forecast the raw model can make out of sample: (year, dimension, model fitted on earlier
    years, the units scored in both years with ``score`` and ``next``, their baseline deviation from the national
    mean). Years across a methodology break for the dimension are left out."""
    all_years = sorted(int(y) for y in panel["year"].unique())
    for year in all_years[1:]:
        if years is not None and year not in years:
            continue
        for dim in sorted(panel.loc[panel["year"] == year, "dimension"].unique()):
            if schema.is_break_between(year - 1, year, dim):
                continue
            model, _, _ = fit_for(panel, dim, year - 1, year)
            if model is None:
                continue
            base = cross_section(panel, dim, year - 1)
            both = base.merge(
                cross_section(panel, dim, year)[["province_code", "score"]].rename(columns={"score": "next"}),
                on="province_code",
            )
            yield year, dim, model, both, both["score"] - base["score"].mean()


def raw_errors(panel: pd.DataFrame) -> pd.DataFrame:
    """Standardised out-of-sample errors of the raw model: for every year ``T`` and indicator with a model fitted on
    years before ``T``: year, dimension, province_code, z = (change - mean) / sd, and ``common`` (the year-and-
    indicator mean of z), ``within`` (z - common) and ``size`` (the unit's effective size; z is not scaled by
    it). Rows of year T only ever calibrate forecasts of later years."""
    key = panel_key(panel) + CENTRE + SCALE
    if key not in _RAW_CACHE:  # in memory for this process, on disk for the next ones
        from .. import cache

        _RAW_CACHE[key] = cache.cached("raw_errors", lambda: _raw_errors(panel), panel, centre=CENTRE, scale=SCALE)
    return _RAW_CACHE[key]


def _raw_errors(panel: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for year, dim, model, both, deviation in one_year_forecasts(panel):
        if len(both) < 2:
            continue
        mean, sd = model.predictive(deviation)
        s_common, s_within = model.part_scales(deviation.to_numpy())
        e = (both["next"] - both["score"] - mean).to_numpy()
        common = float(np.mean(e / s_common))
        within = (e - s_common * common) / s_within
        frames.append(
            pd.DataFrame(
                {
                    "year": year,
                    "dimension": dim,
                    "province_code": both["province_code"],
                    "z": e / np.asarray(sd),
                    "common": common,
                    "within": within,
                    "size": both["size"],
                }
            )
        )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["year", "dimension", "province_code", "z", "common", "within", "size"])
    )


@dataclass
class ErrorPool:
    """Out-of-sample standardised errors of forecast years before a given year, and the tail shape to draw with."""

    common: np.ndarray  # one per (year, indicator) cell
    within: np.ndarray  # one per unit and cell, rescaled to a unit of average variance (see size_exponent)
    years: list[int]
    tails: str = TAILS
    t_df: float = math.nan
    t_scale: float = math.nan
    size_exponent: float = 0.0  # alpha in var(within) ∝ size ** -alpha, estimated on these earlier errors only

    def unit_scale(self, size: np.ndarray) -> np.ndarray:
        """Each unit's within-year error scale in its cross-section (all 1 when sizes are equal)."""
        return size_factor(size, self.size_exponent)

    def draw(
        self, rng: np.random.Generator, shape: tuple[int, ...], n_units: int, unit_scale: np.ndarray | None = None
    ) -> np.ndarray:
        """Standardised errors C + s·W, array ``shape + (n_units,)`` (C shared by all units of one draw; ``s`` the
        units' within-year scale, default 1)."""
        s = 1.0 if unit_scale is None else np.asarray(unit_scale, dtype=float)
        c, w = self.parts(rng, shape, n_units)
        return c + s * w

    def parts(self, rng: np.random.Generator, shape: tuple[int, ...], n_units: int) -> tuple[np.ndarray, np.ndarray]:
        """The shared part C (``shape + (1,)``) and the within-year part W (``shape + (n_units,)``), drawn in that
        order."""
        c = self._common(rng, shape)
        return c, self._within(rng, shape, n_units)

    def _common(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        if self.tails == "empirical":
            return rng.choice(self.common - self.common.mean(), size=shape + (1,))
        if self.tails in ("gaussian", "student_t"):
            return rng.normal(0.0, self.common.std(ddof=1), size=shape + (1,))
        raise ValueError(f"tails must be one of {TAIL_CHOICES}, got {self.tails!r}")

    def _within(self, rng: np.random.Generator, shape: tuple[int, ...], n_units: int) -> np.ndarray:
        if self.tails == "empirical":
            return rng.choice(self.within, size=shape + (n_units,))
        if self.tails == "gaussian":
            return rng.normal(0.0, self.within.std(ddof=1), size=shape + (n_units,))
        if self.tails == "student_t":
            return self.t_scale * rng.standard_t(self.t_df, size=shape + (n_units,))
        raise ValueError(f"tails must be one of {TAIL_CHOICES}, got {self.tails!r}")


def error_pool(panel: pd.DataFrame, before_year: int, tails: str = TAILS) -> ErrorPool | None:
    """The pool calibrating forecasts for ``before_year``: errors of forecast years < ``before_year`` only
    (None with fewer than :data:`MIN_POOL_YEARS` such years). With units of different effective size the exponent
    of :func:`size_exponent` is estimated on those same earlier errors."""
    errors = raw_errors(panel)
    earlier = errors[errors["year"] < before_year]
    years = sorted(int(y) for y in earlier["year"].unique())
    if len(years) < MIN_POOL_YEARS:
        return None
    cells = earlier.groupby(["year", "dimension"])["common"].first().to_numpy(dtype=float)
    within = earlier["within"].to_numpy(dtype=float)
    size = earlier["size"].to_numpy(dtype=float)
    cell = earlier["year"].astype(str) + ":" + earlier["dimension"].astype(str)
    alpha = size_exponent(within, size, cell.to_numpy()) if SIZE_EXPONENT is None else float(SIZE_EXPONENT)
    alpha = 0.0 if np.allclose(size, size[0]) else alpha
    if alpha:  # each earlier error brought to the scale of a unit of average variance in its cross-section
        v = pd.Series(size**-alpha, index=earlier.index)
        within = within / np.sqrt(v / v.groupby(cell).transform("mean")).to_numpy()
    pool = ErrorPool(common=cells, within=within, years=years, tails=tails, size_exponent=alpha)
    if tails == "student_t":
        from scipy import stats

        df, _, scale = stats.t.fit(within, floc=0.0)
        pool.t_df, pool.t_scale = float(max(df, 2.1)), float(scale)
    return pool


# --------------------------------------------------------------------------- one cell: an indicator, a year ahead


@dataclass
class CellForecast:
    """Predictive distribution of every unit's score for ``dimension`` in ``target_year`` from ``baseline_year``."""

    dimension: str
    baseline_year: int
    target_year: int
    baseline: pd.DataFrame  # province_code, score, size, unit_scale (within-year error scale from the pool)
    model: ChangeModel
    pool: ErrorPool
    mean_change: np.ndarray
    sd: np.ndarray
    notes: list[str]
    sd_common: np.ndarray | None = None  # scale of the shared part (points); default sd
    sd_within: np.ndarray | None = None  # scale of the within-year part (points), before the unit's size factor

    def __post_init__(self) -> None:
        self.sd_common = self.sd if self.sd_common is None else self.sd_common
        self.sd_within = self.sd if self.sd_within is None else self.sd_within

    def _z(self, rng: np.random.Generator, shape: tuple[int, ...], sd_common, sd_within, unit_scale) -> np.ndarray:
        """Errors in points: ``sd_common · C + sd_within · s · W``, array ``shape + (units,)``."""
        c, w = self.pool.parts(rng, shape, len(unit_scale))
        return sd_common * c + sd_within * unit_scale * w

    def draws(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Simulated target-year scores of every unit: array (n, units)."""
        e = self._z(rng, (n,), self.sd_common, self.sd_within, self.baseline["unit_scale"].to_numpy())
        return self.baseline["score"].to_numpy()[None, :] + self.mean_change[None, :] + e

    def horizon_draws(self, rng: np.random.Generator, n: int, horizon: int) -> np.ndarray:
        """Scores ``horizon`` years after the baseline (n, units): the one-year model applied ``horizon`` times to
        every simulated cross-section, so national shocks and regression to the mean compound; fresh errors each
        step from the same pool (errors of years up to the baseline only)."""
        scale = self.baseline["unit_scale"].to_numpy()
        x = np.repeat(self.baseline["score"].to_numpy()[None, :], n, axis=0)
        for _ in range(horizon):
            dev = x - x.mean(axis=1, keepdims=True)
            mean, _ = self.model.predictive(dev)
            s_common, s_within = self.model.part_scales(dev)
            x = x + mean + self._z(rng, (n,), s_common, s_within, scale)
        return x

    def parameter_draws(self, rng: np.random.Generator, n_param: int, n_outcome: int) -> np.ndarray:
        """As :meth:`draws` but with the regression's estimates redrawn: array (n_param, n_outcome, units);
        the spread of per-draw probabilities gives the probability interval."""
        dev = (self.baseline["score"] - self.baseline["score"].mean()).to_numpy()
        m = self.model
        betas = rng.normal(m.beta, m.beta_se, size=n_param)
        effects = rng.normal(m.mean_year_effect, m.mean_year_effect_se or 0.0, size=n_param)
        shift = (effects - m.mean_year_effect)[:, None] + (betas - m.beta)[:, None] * dev[None, :]
        e = self._z(rng, (n_param, n_outcome), self.sd_common, self.sd_within, self.baseline["unit_scale"].to_numpy())
        return self.baseline["score"].to_numpy()[None, None, :] + (self.mean_change[None, :] + shift)[:, None, :] + e


def forecast_cell(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int, tails: str = TAILS
) -> tuple[CellForecast | None, list[str]]:
    """The calibrated forecast for one indicator (None and the reason when there is none); for a target more than
    one year ahead use :meth:`CellForecast.horizon_draws`.

    Uses only ``panel`` rows of years up to ``baseline_year``: the model is fitted on changes ending by then and
    the error pool holds errors of forecast years up to ``baseline_year``.
    """
    if target_year <= baseline_year:
        return None, ["the target year must come after the baseline year"]
    if schema.is_break_between(baseline_year, target_year, dimension):
        return None, ["score targets across a methodology break cannot be judged from earlier changes"]
    model, _, notes = fit_for(panel, dimension, baseline_year, target_year)
    if model is None:
        return None, notes or [f"no history of {dimension} changes before {target_year}"]
    pool = error_pool(panel, baseline_year + 1, tails)  # errors of years up to the baseline, whatever the horizon
    if pool is None:
        return None, notes + [f"fewer than {MIN_POOL_YEARS} earlier forecast years to calibrate the spread on"]
    baseline = cross_section(panel, dimension, baseline_year)
    baseline["unit_scale"] = pool.unit_scale(baseline["size"].to_numpy())
    dev = (baseline["score"] - baseline["score"].mean()).to_numpy()
    mean, _ = model.predictive(dev)
    s_common, s_within = model.part_scales(dev)
    s_common, s_within = np.asarray(s_common, dtype=float), np.asarray(s_within, dtype=float)
    sd = np.asarray(model.predictive(dev)[1], dtype=float)
    return CellForecast(
        dimension,
        baseline_year,
        target_year,
        baseline,
        model,
        pool,
        np.asarray(mean, dtype=float),
        sd,
        notes,
        s_common,
        s_within,
    ), notes


# --------------------------------------------------------------------------- across a methodology break


def standardised_draws(
    history: pd.DataFrame, baseline: pd.DataFrame, rng: np.random.Generator, n_param: int, n_outcome: int
) -> np.ndarray:
    """Across a methodology break only relative positions carry over: z(t+1) = b z(t) + e, fitted on ``history``
    (changes before the break). Array (n_param, n_outcome, units) of standardised target-year positions."""
    h = history.copy()
    h["z_prev"] = h.groupby("year")["prev_score"].transform(lambda s: (s - s.mean()) / s.std(ddof=0))
    h["z"] = h.groupby("year")["score"].transform(lambda s: (s - s.mean()) / s.std(ddof=0))
    import statsmodels.formula.api as smf

    fit = smf.ols("z ~ z_prev - 1", data=h).fit(cov_type="cluster", cov_kwds={"groups": h["province_code"]})
    b, b_se, sd = float(fit.params["z_prev"]), float(fit.bse["z_prev"]), float(np.sqrt(fit.scale))
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


# --------------------------------------------------------------------------- diagnosis of the national year effect


def national_effect_misses(panel: pd.DataFrame, years: list[int] | None = None) -> pd.DataFrame:
    """Out of sample, per forecast year and indicator: the national mean change the model predicted from the years
    before (``predicted``, points) and the one realised (``realised``), ``miss`` = realised - predicted, and the
    number of units. Cells the model cannot forecast are left out. National: computed once, stored
    (:mod:`papi_analysis.analysis.cache`)."""
    from .. import cache

    return cache.cached(
        "national_effect_misses",
        lambda: _national_effect_misses(panel, years),
        panel,
        years=years,
        centre=CENTRE,
        scale=SCALE,
    )


def _national_effect_misses(panel: pd.DataFrame, years: list[int] | None) -> pd.DataFrame:
    rows = []
    for year, dim, model, both, deviation in one_year_forecasts(panel, years):
        mean, _ = model.predictive(deviation.to_numpy())
        rows.append(
            dict(
                year=year,
                dimension=dim,
                predicted=float(np.mean(mean)),
                realised=float((both["next"] - both["score"]).mean()),
                units=len(both),
            )
        )
    out = pd.DataFrame(rows, columns=["year", "dimension", "predicted", "realised", "units"])
    return out.assign(miss=out["realised"] - out["predicted"])
