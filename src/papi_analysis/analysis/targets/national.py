"""The national part of next year's change: how much the whole country moves, counted once.

A unit's change is the country's change that year (the mean change over all units) plus the unit's change relative
to it. The country's change has one observation a year, no persistence from one year to the next and breaks of
methodology, so it is modelled from the history of national changes alone:

* **centre**: the expected national year effect, formed from the history's year effects by one of the rules of
  :data:`.model.CENTRE_CHOICES`. The rule is chosen at every forecast origin ``T`` by :func:`choose_centre`:
  the rule whose out-of-sample national misses (realised national change minus predicted, each earlier forecast
  year ``s < T`` predicted from years before ``s``) have the lowest mean square over the dimensions, every earlier
  year weighted equally. With fewer than :data:`MIN_NATIONAL_YEARS` earlier years it is ``zero`` (fixed in advance:
  no drift without evidence of one).
* **spread**: the national miss is drawn from ``scale · t(df)`` with ``scale²`` the mean square of the same
  out-of-sample misses (years weighted equally) and ``df`` the number of earlier years they come from. This is the
  exact predictive distribution of a new miss when misses are normal with an unknown variance estimated from
  ``df`` years; with few years its tails are heavy, as they should be (fixed in advance, not compared). The
  dimensions share one scale (points per dimension; each has 2-11 years of its own); the total has its own, from
  its own misses divided by its number of dimensions. Years, not cells, count as observations: the dimensions'
  misses of one year are not independent.
* **dependence**: the misses of the indicators of one year are drawn as a multivariate t with one equicorrelation
  ``rho`` estimated from the same earlier misses (:func:`equicorrelation`), for targets on several dimensions at
  once and for the consistency bands of :mod:`.judge`.

Misses are in points (per dimension for the total). Nothing of a year enters a forecast of that year or earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...data import schema
from .model import CENTRE_CHOICES, MIN_POOL_YEARS, centre_of, long_shifts_for, one_year_forecasts, panel_key

MIN_NATIONAL_YEARS = MIN_POOL_YEARS  # earlier forecast years of national misses needed for a forecast
DEFAULT_CENTRE = "zero"
RHO_BOUNDS = (0.0, 0.95)


def national_history(panel: pd.DataFrame) -> pd.DataFrame:
    """Every out-of-sample national change the regression could predict: per forecast year and indicator, the
    realised national change (mean change of the units scored in both years, points), the part the slope predicts
    from their mean starting deviation (``slope``), the centre every rule gives from the years before
    (``centre_<rule>``), ``per_dimension`` (the total's number of dimensions, 1 for a dimension) and ``units``.
    National: computed once per panel and stored (:mod:`papi_analysis.analysis.cache`)."""
    key = panel_key(panel)
    if key not in _HISTORY:
        from .. import cache

        _HISTORY[key] = cache.cached("national_history", lambda: _national_history(panel), panel)
    return _HISTORY[key]


_HISTORY: dict[str, pd.DataFrame] = {}


def _national_history(panel: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year, dim, model, both, deviation in one_year_forecasts(panel):
        if len(both) < 2:
            continue
        long = long_shifts_for(panel, dim, year - 1)
        row = dict(
            year=year,
            dimension=dim,
            group="total" if dim == schema.TOTAL else "dimensions",
            per_dimension=float(len(schema.dimensions_in(year))) if dim == schema.TOTAL else 1.0,
            realised=float((both["next"] - both["score"]).mean()),
            slope=float(model.beta * np.mean(deviation)),
            units=len(both),
        )
        row |= {f"centre_{rule}": centre_of(model.effects, rule, long) for rule in CENTRE_CHOICES}
        rows.append(row)
    columns = ["year", "dimension", "group", "per_dimension", "realised", "slope", "units"]
    return pd.DataFrame(rows, columns=columns + [f"centre_{r}" for r in CENTRE_CHOICES])


def misses(history: pd.DataFrame, rule: str) -> pd.Series:
    """Realised minus predicted national change under ``rule`` (points per dimension)."""
    return (history["realised"] - history["slope"] - history[f"centre_{rule}"]) / history["per_dimension"]


def _year_mean_square(history: pd.DataFrame, rule: str) -> pd.Series:
    return (misses(history, rule) ** 2).groupby(history["year"]).mean()


def centre_criteria(history: pd.DataFrame, before_year: int) -> pd.Series:
    """Per rule, the criterion of :func:`choose_centre` at the origin ``before_year``: mean over earlier forecast
    years of the mean squared national miss of the dimensions (points²); empty with too few years."""
    earlier = history[(history["year"] < before_year) & (history["group"] == "dimensions")]
    if earlier["year"].nunique() < MIN_NATIONAL_YEARS:
        return pd.Series(dtype=float)
    return pd.Series({rule: float(_year_mean_square(earlier, rule).mean()) for rule in CENTRE_CHOICES})


def choose_centre(history: pd.DataFrame, before_year: int) -> str:
    """The centre rule used for forecasts of ``before_year``: the lowest :func:`centre_criteria` (ties: the first in
    :data:`.model.CENTRE_CHOICES`), :data:`DEFAULT_CENTRE` with too few earlier years."""
    criteria = centre_criteria(history, before_year)
    return DEFAULT_CENTRE if criteria.empty else str(criteria.idxmin())


def equicorrelation(history: pd.DataFrame, rule: str, before_year: int) -> float:
    """Common correlation of the dimensions' national misses within a year, from earlier forecast years: the mean of
    the products of two different dimensions' misses over the mean square, bounded by :data:`RHO_BOUNDS`."""
    earlier = history[(history["year"] < before_year) & (history["group"] == "dimensions")]
    m = misses(earlier, rule)
    pairs = squares = 0.0
    for _, x in m.groupby(earlier["year"]):
        x = x.to_numpy()
        if len(x) < 2:
            continue
        pairs += float(x.sum() ** 2 - (x**2).sum())
        squares += float((len(x) - 1) * (x**2).sum())
    if squares <= 0:
        return RHO_BOUNDS[0]
    return float(np.clip(pairs / squares, *RHO_BOUNDS))


@dataclass
class NationalPredictive:
    """Predictive distribution of next year's national miss of one indicator: ``per_dimension · scale · t(df)``
    points around the centre given by the rule ``centre``."""

    centre: str
    scale: float  # points per dimension
    df: float  # number of earlier forecast years the scale rests on
    per_dimension: float  # the total's number of dimensions, 1 for a dimension
    rho: float  # equicorrelation of the indicators' misses within a year
    years: list[int]

    def ppf(self, u: np.ndarray | float) -> np.ndarray:
        """The national miss (points) at quantile ``u``."""
        from scipy import stats

        return self.per_dimension * self.scale * stats.t.ppf(np.asarray(u, dtype=float), self.df)

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        """Quantile of a national miss ``x`` (points)."""
        from scipy import stats

        return stats.t.cdf(np.asarray(x, dtype=float) / (self.per_dimension * self.scale), self.df)

    @property
    def sd(self) -> float:
        """Standard deviation of the national miss (points; infinite for df ≤ 2)."""
        return self.per_dimension * self.scale * (math.sqrt(self.df / (self.df - 2)) if self.df > 2 else math.inf)


def national_predictive(panel: pd.DataFrame, dimension: str, before_year: int) -> NationalPredictive | None:
    """The national part for forecasts of ``before_year`` (errors of earlier forecast years only); None with fewer
    than :data:`MIN_NATIONAL_YEARS` earlier years of misses of this indicator's group."""
    history = national_history(panel)
    rule = choose_centre(history, before_year)
    group = "total" if dimension == schema.TOTAL else "dimensions"
    earlier = history[(history["year"] < before_year) & (history["group"] == group)]
    years = sorted(int(y) for y in earlier["year"].unique())
    if len(years) < MIN_NATIONAL_YEARS:
        return None
    scale = math.sqrt(float(_year_mean_square(earlier, rule).mean()))
    per_dimension = float(len(schema.dimensions_in(min(before_year, 2024)))) if group == "total" else 1.0
    return NationalPredictive(
        centre=rule,
        scale=scale,
        df=float(len(years)),
        per_dimension=per_dimension,
        rho=equicorrelation(history, rule, before_year),
        years=years,
    )


def centre_choices(panel: pd.DataFrame, years: list[int] | None = None) -> pd.DataFrame:
    """For every forecast origin: the centre rule chosen, each rule's criterion, and the national scale (points per
    dimension), degrees of freedom and equicorrelation of the dimensions' national part."""
    history = national_history(panel)
    all_years = sorted(int(y) for y in history["year"].unique())
    years = years or [y for y in range(all_years[0], max(all_years) + 2)]
    rows = []
    for year in years:
        criteria = centre_criteria(history, year)
        nat = national_predictive(panel, schema.DIMENSIONS[0], year)
        row = dict(origin=year, centre=choose_centre(history, year))
        row |= {f"criterion_{r}": criteria.get(r, math.nan) for r in CENTRE_CHOICES}
        row |= dict(
            scale=nat.scale if nat else math.nan, df=nat.df if nat else math.nan, rho=nat.rho if nat else math.nan
        )
        rows.append(row)
    return pd.DataFrame(rows)


def national_effect_misses(panel: pd.DataFrame, years: list[int] | None = None) -> pd.DataFrame:
    """Out of sample, per forecast year and indicator: the national mean change predicted from the years before
    (``predicted``, points; with the centre rule chosen at that origin, ``centre``) and the one realised
    (``realised``), ``miss`` = realised - predicted, and the number of units."""
    history = national_history(panel)
    rows = []
    for year, part in history.groupby("year"):
        if years is not None and int(year) not in years:
            continue
        rule = choose_centre(history, int(year))
        predicted = part["slope"] + part[f"centre_{rule}"]
        rows.append(
            pd.DataFrame(
                dict(
                    year=int(year),
                    dimension=part["dimension"],
                    predicted=predicted,
                    realised=part["realised"],
                    units=part["units"],
                    centre=rule,
                )
            )
        )
    columns = ["year", "dimension", "predicted", "realised", "units", "centre"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
    return out.assign(miss=out["realised"] - out["predicted"])
