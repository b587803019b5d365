"""The regression of next year's change on the starting position, the part of the target model every other part
builds on (the national part: :mod:`.national`; the province's relative part: :mod:`.relative`; both together:
:mod:`.forecast`, whose docstring gives the whole model and every design rule with the way it is set: the centre of
the national change and the relative tail shape are chosen at each forecast origin from earlier years only, by the
lowest mean squared national miss and the lowest CRPS; the national t, the within-year relative scale, the equal
pool weights are fixed in advance; the size exponent of merged units is estimated at each origin).

``change = year effect + beta * (baseline - national mean) + error``: OLS with year fixed effects and
province-clustered standard errors (statsmodels), fitted on the one-year changes of the same indicator that end in
or before the baseline year and do not cross a methodology break (same methodology period; for dimensions, earlier
periods when the current one has no history yet; never for totals, whose scale changed in 2018). It gives the slope
``beta`` (regression to the mean), the year effects of the history (the national changes at the mean position,
from which :mod:`.national` forms the expected national change) and the within-year residual spread (the scale of
the relative part). Scores are PAPI points (dimensions 1-10, totals 8-80 since 2018, 6-60 before).
"""

from __future__ import annotations

import hashlib
import math
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...data import schema

MIN_POOL_YEARS = 2  # earlier forecast years of out-of-sample errors needed before a calibrated forecast is given
SIZE_COLUMN = "effective_size"
#: Rules for the expected national year effect, formed from the history's year effects (:func:`centre_of`); the
#: one used at each forecast origin is chosen by :func:`.national.choose_centre` from earlier years only.
CENTRE_CHOICES: tuple[str, ...] = ("zero", "period_mean", "shrunk", "last", "recent_weighted", "all_years_mean")
RECENT_HALFLIFE = 2.0  # years; fixed in advance for the ``recent_weighted`` rule, not tuned
SIZE_EXPONENT_BOUNDS = (0.0, 3.0)


# --------------------------------------------------------------------------- history of changes


def transitions(panel: pd.DataFrame, dimension: str, last_year: int) -> pd.DataFrame:
    """One-year transitions of ``dimension`` ending in or before ``last_year`` that do not cross a
    methodology break for it: province_code, year (the later year), previous score, score, change,
    deviation of the previous score from that year's national mean, and the methodology period.

    Made once per panel (by content), indicator and year; each call gets its own copy."""
    key = (panel_key(panel), dimension, int(last_year))
    if key not in _TRANSITIONS:
        if len(_TRANSITIONS) > 500:
            _TRANSITIONS.clear()
        _TRANSITIONS[key] = _transitions(panel, dimension, last_year)
    return _TRANSITIONS[key].copy()


_TRANSITIONS: dict[tuple, pd.DataFrame] = {}


def _transitions(panel: pd.DataFrame, dimension: str, last_year: int) -> pd.DataFrame:
    d = panel[panel["dimension"] == dimension][["year", "province_code", "score"]]
    means = d.groupby("year")["score"].mean()
    prev = d.rename(columns={"score": "prev_score"}).assign(year=d["year"] + 1)
    prev["prev_mean"] = (prev["year"] - 1).map(means)
    out = d.merge(prev, on=["year", "province_code"]).dropna(subset=["score", "prev_score"])
    years = [int(y) for y in out["year"].unique()]  # decided once per year, not once per row
    ok = {y: y <= last_year and not schema.is_break_between(y - 1, y, dimension) for y in years}
    keep = np.array([ok[y] for y in out["year"].tolist()], dtype=bool)
    out = out.loc[keep].copy()
    out["change"] = out["score"] - out["prev_score"]
    out["deviation"] = out["prev_score"] - out["prev_mean"]
    labels = {y: schema.period_of(y).label for y in years}
    out["period"] = out["year"].map(lambda y: labels[int(y)])
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
    """Regression-to-the-mean model of one-year changes of one indicator (PAPI points).

    ``mean_year_effect`` is the expected national year effect under the rule ``centre`` (:func:`centre_of`);
    ``effects`` are the history's year effects it is formed from."""

    dimension: str
    years: list[int]
    beta: float
    beta_se: float
    effects: pd.Series  # year effect of every year of the history (points, at the mean position)
    resid_sd: float  # within-year residual standard deviation (points)
    n_obs: int
    n_provinces: int
    history: pd.DataFrame = field(repr=False)
    notes: list[str] = field(default_factory=list)
    centre: str = "zero"
    mean_year_effect: float = 0.0

    @property
    def year_effect_sd(self) -> float:
        """Standard deviation of the history's year effects (NaN with fewer than two; for information only: the
        spread of next year's national change comes from :mod:`.national`)."""
        return float(self.effects.std(ddof=1)) if len(self.effects) >= 2 else math.nan

    def mean(self, deviation: np.ndarray | float) -> np.ndarray:
        """Expected change (points) at ``deviation`` from the baseline year's national mean."""
        return self.mean_year_effect + self.beta * np.asarray(deviation, dtype=float)

    def within_sd(self, deviation: np.ndarray | float) -> np.ndarray:
        """Scale (points) of a unit's change relative to the country's: the residual spread and the slope's
        uncertainty at ``deviation``, ``sqrt(resid_sd² + (deviation · beta_se)²)``."""
        dev = np.asarray(deviation, dtype=float)
        return np.sqrt(self.resid_sd**2 + (dev * self.beta_se) ** 2)

    def with_centre(self, centre: str, long_shifts: pd.Series | None = None) -> ChangeModel:
        """The same fit with the expected national year effect formed by the rule ``centre``."""
        from dataclasses import replace

        return replace(self, centre=centre, mean_year_effect=centre_of(self.effects, centre, long_shifts))


def centre_of(effects: pd.Series, centre: str, long_shifts: pd.Series | None = None) -> float:
    """The national year effect expected next year from the year effects of the history (indexed by year, points).

    ``period_mean``: their mean; ``zero``: no national drift; ``last``: the last year's effect; ``recent_weighted``:
    weights halving every :data:`RECENT_HALFLIFE` years back; ``shrunk``: the mean shrunk towards 0 by the positive-
    part James-Stein factor ``max(0, 1 - se² / mean²)`` with ``se = sd / sqrt(n)``; ``all_years_mean``: the mean
    national change over every comparable earlier year, of any methodology period (``long_shifts``)."""
    if centre not in CENTRE_CHOICES:
        raise ValueError(f"centre must be one of {CENTRE_CHOICES}, got {centre!r}")
    effects = effects.sort_index()
    if centre == "zero" or effects.empty:
        return 0.0
    mean = float(effects.mean())
    if centre == "period_mean":
        return mean
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
    centre: str = "zero",
    long_shifts: pd.Series | None = None,
) -> ChangeModel:
    """OLS ``change ~ C(year) + deviation`` (one year of history: ``change ~ deviation``) with province-clustered
    SEs (statsmodels); the expected national year effect is formed by the rule ``centre`` (:func:`centre_of`)."""
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
    effects = (year_means - beta * history.groupby("year")["deviation"].mean()).astype(float)
    if len(years) < 2:
        notes.append(
            "only one year of changes in this methodology period: the expected national change rests on one year"
        )
    if len(history["province_code"].unique()) < 20:
        notes.append("fewer than 20 units: clustered standard errors are unreliable")
    model = ChangeModel(
        dimension=dimension,
        years=[int(y) for y in years],
        beta=beta,
        beta_se=beta_se,
        effects=effects,
        resid_sd=float(np.sqrt(fit.scale)),
        n_obs=int(fit.nobs),
        n_provinces=int(history["province_code"].nunique()),
        history=history,
        notes=notes,
    )
    return model.with_centre(centre, long_shifts)


_FIT_CACHE: dict[tuple, tuple] = {}


def regression_for(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
) -> tuple[ChangeModel | None, pd.DataFrame, list[str]]:
    """The regression for a ``baseline_year`` → ``target_year`` prediction, centre rule ``zero`` (None when it cannot
    be fitted); :func:`.forecast.fit_for` sets the centre rule chosen at the origin.

    The same for every province: fitted once per panel (by content), indicator and years, and stored (see
    :mod:`..cache`); a report worker that runs many provinces' notebooks also keeps it in memory."""
    key = (panel_key(panel), dimension, int(baseline_year), int(target_year))
    if key not in _FIT_CACHE:
        if len(_FIT_CACHE) > 2000:
            _FIT_CACHE.clear()
        from .. import cache

        _FIT_CACHE[key] = cache.cached(
            "change_regression",
            lambda: _regression_for(panel, dimension, baseline_year, target_year),
            panel,
            dimension=dimension,
            baseline_year=int(baseline_year),
            target_year=int(target_year),
        )
    model, history, notes = _FIT_CACHE[key]
    return model, history, list(notes)


def _regression_for(
    panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
) -> tuple[ChangeModel | None, pd.DataFrame, list[str]]:
    history, notes = history_for(panel, dimension, baseline_year, target_year)
    if history.empty:
        return None, history, notes
    model = fit_change_model(history, dimension, notes)
    return model, history, model.notes


def long_shifts_for(panel: pd.DataFrame, dimension: str, baseline_year: int) -> pd.Series | None:
    """The mean national change of every comparable year up to ``baseline_year`` (any methodology period), for the
    ``all_years_mean`` rule; None for the total (totals of other periods have another scale)."""
    if dimension == schema.TOTAL:
        return None
    return transitions(panel, dimension, baseline_year).groupby("year")["change"].mean()


def cross_section(panel: pd.DataFrame, dimension: str, year: int) -> pd.DataFrame:
    """Units with a score for ``dimension`` in ``year``: province_code, score, size (the panel's
    ``effective_size``, 1 when the panel has none) and unit_scale (1; the within-year scale of each unit is set by
    the relative part, :meth:`.relative.RelativePool.unit_scale`)."""
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


def panel_key(panel: pd.DataFrame) -> str:
    """Hash of the columns that any result depends on (computed once for a panel inside :func:`one_panel`)."""
    known = _KNOWN_KEYS.get(id(panel))
    if known is not None and known[0] is panel:
        return known[1]
    cols = ["year", "province_code", "dimension", "score"] + ([SIZE_COLUMN] if SIZE_COLUMN in panel.columns else [])
    return hashlib.sha256(pd.util.hash_pandas_object(panel[cols], index=False).to_numpy().tobytes()).hexdigest()


_KNOWN_KEYS: dict[int, tuple[pd.DataFrame, str]] = {}


@contextmanager
def one_panel(panel: pd.DataFrame):
    """Within the block, :func:`panel_key` of ``panel`` (this very object) is hashed once, not at every call (a plan's
    evaluation asks for it thousands of times); for code that does not change the panel inside the block."""
    if id(panel) in _KNOWN_KEYS:  # already inside a block for this panel
        yield
        return
    _KNOWN_KEYS[id(panel)] = (panel, panel_key(panel))
    try:
        yield
    finally:
        _KNOWN_KEYS.pop(id(panel), None)


def one_year_forecasts(panel: pd.DataFrame, years: list[int] | None = None):
    """Every one-year forecast the regression can make out of sample: (year, dimension, regression fitted on earlier
    years, the units scored in both years with ``score``, ``next`` and ``size``, their baseline deviation from the
    national mean). Years across a methodology break for the dimension are left out."""
    all_years = sorted(int(y) for y in panel["year"].unique())
    for year in all_years[1:]:
        if years is not None and year not in years:
            continue
        for dim in sorted(panel.loc[panel["year"] == year, "dimension"].unique()):
            if schema.is_break_between(year - 1, year, dim):
                continue
            model, _, _ = regression_for(panel, dim, year - 1, year)
            if model is None:
                continue
            base = cross_section(panel, dim, year - 1)
            both = base.merge(
                cross_section(panel, dim, year)[["province_code", "score"]].rename(columns={"score": "next"}),
                on="province_code",
            )
            yield year, dim, model, both, both["score"] - base["score"].mean()
