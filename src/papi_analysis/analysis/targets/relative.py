"""The province's change relative to the country's: its scale, shape and, on the 34 provinces, its size effect.

For every earlier forecast year ``s`` and indicator, the regression fitted on years before ``s`` leaves each unit an
error ``e``; its relative part ``e - mean(e)`` (the mean is the national miss, :mod:`.national`) divided by the
unit's within-year scale ``sqrt(resid_sd² + (deviation · beta_se)²)`` is the standardised relative error ``w``.
Hundreds of them a year are observed, so they calibrate the relative part of forecasts of later years:

* **scale**: the within-year scale above, fixed in advance: the national part is modelled apart, so a scale that
  included the spread of national year effects would count the national swing twice;
* **pool**: the standardised relative errors of every earlier forecast year, each error weighted equally (fixed in
  advance: years are exchangeable; volatile years do not persist);
* **tail shape** (:data:`TAIL_CHOICES`): ``gaussian`` (normal with the pool's variance), ``student_t`` (degrees of
  freedom and scale fitted on the pool) or ``empirical`` (the pool itself resampled), chosen at every forecast
  origin ``T`` by :func:`choose_tails`: the lowest mean CRPS of the earlier years' relative errors, each earlier
  year ``s`` scored against the pool of the years before ``s`` and weighted equally. Until at least one earlier year
  can be scored so, ``gaussian`` (fixed in advance: the regression's own assumption);
* **unit size**: with a panel column ``effective_size`` (1/Σw² of the population weights of the old provinces
  merged into a unit) the relative part has variance ∝ ``size ** -alpha``, ``alpha`` estimated at every origin from
  the pool alone (:func:`.model.size_exponent`); :data:`SIZE_EXPONENT` can fix it for comparisons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import MIN_POOL_YEARS, one_year_forecasts, panel_key, size_exponent, size_factor
from .scoring import crps_sorted, quantile_ensemble

TAIL_CHOICES: tuple[str, ...] = ("gaussian", "student_t", "empirical")
DEFAULT_TAILS = "gaussian"
#: None: the size exponent is estimated at every origin (:func:`.model.size_exponent`); a number fixes it.
SIZE_EXPONENT: float | None = None
ENSEMBLE = 1000  # quantiles representing a parametric shape in the CRPS criterion


def relative_errors(panel: pd.DataFrame) -> pd.DataFrame:
    """Standardised relative errors of every out-of-sample one-year forecast: year, dimension, province_code, ``w``
    and ``size`` (the unit's effective size; ``w`` is not scaled by it). Rows of year T only ever calibrate
    forecasts of later years. National: computed once per panel and stored."""
    key = panel_key(panel)
    if key not in _ERRORS:
        from .. import cache

        _ERRORS[key] = cache.cached("relative_errors", lambda: _relative_errors(panel), panel)
    return _ERRORS[key]


_ERRORS: dict[str, pd.DataFrame] = {}


def _relative_errors(panel: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for year, dim, model, both, deviation in one_year_forecasts(panel):
        if len(both) < 2:
            continue
        e = (both["next"] - both["score"]).to_numpy() - model.mean(deviation.to_numpy())
        w = (e - e.mean()) / model.within_sd(deviation.to_numpy())
        frames.append(
            pd.DataFrame(
                {"year": year, "dimension": dim, "province_code": both["province_code"], "w": w, "size": both["size"]}
            )
        )
    columns = ["year", "dimension", "province_code", "w", "size"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


@dataclass
class RelativePool:
    """Standardised relative errors of forecast years before a given year, and the tail shape to draw with."""

    within: np.ndarray  # rescaled to a unit of average variance in its cross-section (see size_exponent)
    years: list[int]
    tails: str = DEFAULT_TAILS
    t_df: float = math.nan
    t_scale: float = math.nan
    size_exponent: float = 0.0  # alpha in var ∝ size ** -alpha, estimated on these earlier errors only

    def unit_scale(self, size: np.ndarray) -> np.ndarray:
        """Each unit's relative scale in its cross-section (all 1 when sizes are equal)."""
        return size_factor(size, self.size_exponent)

    def draw(self, rng: np.random.Generator, shape: tuple[int, ...], n_units: int) -> np.ndarray:
        """Standardised relative errors, array ``shape + (n_units,)``."""
        size = shape + (n_units,)
        if self.tails == "empirical":
            return rng.choice(self.within, size=size)
        if self.tails == "gaussian":
            return rng.normal(0.0, self.within.std(ddof=1), size=size)
        if self.tails == "student_t":
            return self.t_scale * rng.standard_t(self.t_df, size=size)
        raise ValueError(f"tails must be one of {TAIL_CHOICES}, got {self.tails!r}")

    def ensemble(self) -> np.ndarray:
        """The shape as a sorted ensemble (the pool itself, or :data:`ENSEMBLE` quantiles), for the CRPS."""
        if self.tails == "empirical":
            return np.sort(self.within)
        from scipy import stats

        if self.tails == "gaussian":
            return quantile_ensemble(lambda u: stats.norm.ppf(u, 0.0, self.within.std(ddof=1)), ENSEMBLE)
        return quantile_ensemble(lambda u: self.t_scale * stats.t.ppf(u, self.t_df), ENSEMBLE)


def _pool(errors: pd.DataFrame, before_year: int, tails: str) -> RelativePool | None:
    earlier = errors[errors["year"] < before_year]
    years = sorted(int(y) for y in earlier["year"].unique())
    if len(years) < MIN_POOL_YEARS:
        return None
    within = earlier["w"].to_numpy(dtype=float)
    size = earlier["size"].to_numpy(dtype=float)
    cell = (earlier["year"].astype(str) + ":" + earlier["dimension"].astype(str)).to_numpy()
    alpha = size_exponent(within, size, cell) if SIZE_EXPONENT is None else float(SIZE_EXPONENT)
    alpha = 0.0 if np.allclose(size, size[0]) else alpha
    if alpha:  # each earlier error brought to the scale of a unit of average variance in its cross-section
        v = pd.Series(size**-alpha, index=earlier.index)
        within = within / np.sqrt(v / v.groupby(cell).transform("mean")).to_numpy()
    pool = RelativePool(within=within, years=years, tails=tails, size_exponent=alpha)
    if tails == "student_t":
        from scipy import stats

        df, _, scale = stats.t.fit(within, floc=0.0)
        pool.t_df, pool.t_scale = float(max(df, 2.1)), float(scale)
    elif tails not in TAIL_CHOICES:
        raise ValueError(f"tails must be one of {TAIL_CHOICES}, got {tails!r}")
    return pool


_POOLS: dict[tuple, RelativePool | None] = {}
_SCORES: dict[tuple, dict[str, float]] = {}


def _cached_pool(panel_id: str, errors: pd.DataFrame, before_year: int, tails: str) -> RelativePool | None:
    key = (panel_id, int(before_year), tails, SIZE_EXPONENT)
    if key not in _POOLS:
        if len(_POOLS) > 500:
            _POOLS.clear()
        _POOLS[key] = _pool(errors, before_year, tails)
    return _POOLS[key]


def _year_scores(panel_id: str, errors: pd.DataFrame, year: int) -> dict[str, float]:
    """Mean CRPS of year ``year``'s relative errors under each tail shape's pool of the years before it."""
    key = (panel_id, int(year), SIZE_EXPONENT)
    if key not in _SCORES:
        out = {}
        own = errors[errors["year"] == year]
        for tails in TAIL_CHOICES:
            pool = _cached_pool(panel_id, errors, year, tails)
            if pool is None or own.empty:
                return {}
            y = own["w"].to_numpy(dtype=float) / pool.unit_scale(own["size"].to_numpy(dtype=float))
            out[tails] = float(np.mean(crps_sorted(pool.ensemble(), y)))
        _SCORES[key] = out
    return _SCORES[key]


def tail_criteria(panel: pd.DataFrame, before_year: int) -> pd.Series:
    """Per tail shape, the criterion of :func:`choose_tails` at the origin ``before_year``: the mean over earlier
    forecast years (each scored against the pool of the years before it) of their relative errors' mean CRPS;
    empty when no earlier year can be scored."""
    errors = relative_errors(panel)
    panel_id = panel_key(panel)
    scores = [_year_scores(panel_id, errors, int(y)) for y in sorted(errors["year"].unique()) if y < before_year]
    scores = [s for s in scores if s]
    if not scores:
        return pd.Series(dtype=float)
    return pd.DataFrame(scores).mean()


def choose_tails(panel: pd.DataFrame, before_year: int) -> str:
    """The tail shape used for forecasts of ``before_year``: the lowest :func:`tail_criteria` (ties: the first in
    :data:`TAIL_CHOICES`), :data:`DEFAULT_TAILS` when no earlier year can be scored."""
    criteria = tail_criteria(panel, before_year)
    return DEFAULT_TAILS if criteria.empty else str(criteria.idxmin())


def relative_pool(panel: pd.DataFrame, before_year: int, tails: str | None = None) -> RelativePool | None:
    """The relative part calibrating forecasts for ``before_year``: errors of forecast years < ``before_year`` only
    (None with fewer than :data:`.model.MIN_POOL_YEARS` such years); ``tails`` None: chosen at that origin
    (:func:`choose_tails`)."""
    tails = choose_tails(panel, before_year) if tails is None else tails
    return _cached_pool(panel_key(panel), relative_errors(panel), before_year, tails)


#: the former name (notebooks read ``error_pool(panel, year).size_exponent``)
error_pool = relative_pool
