"""The strongest simple competitors the target model is compared with at every backtest run (issue 26, item 7).

* **position base rate**: the historical rate of the event among units that started from a similar position (the
  quintile of distance from the national mean for score events, the same group for group events, a rank within ±5
  for rank events), from the same earlier years the model sees; as a predictive distribution of the change, the
  earlier changes of the same quintile;
* **Student-t random walk**: next year's score is this year's plus a Student-t change centred on 0 whose variance
  is the recency-weighted mean square of the earlier changes (weights halving every :data:`HALFLIFE` years, fixed in
  advance) and whose degrees of freedom are fitted by maximum likelihood on those changes standardised by it. Group
  and rank events come from simulated cross-sections of independent walks; every dimension up from independent
  dimensions.

Both use only the history the model's regression is fitted on (changes ending by the baseline year).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .scoring import crps_sorted, quantile_ensemble

HALFLIFE = 2.0  # years
DF_BOUNDS = (2.5, 60.0)


def quintile_rates(history_x: np.ndarray, history_event: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Historical event rate within the quintile of ``x`` (quintiles of ``history_x``)."""
    edges = np.quantile(history_x, [0.2, 0.4, 0.6, 0.8])
    hq, q = np.digitize(history_x, edges), np.digitize(x, edges)
    rates = np.array([history_event[hq == k].mean() if (hq == k).any() else history_event.mean() for k in range(5)])
    return rates[q]


def similar_rates(prev: np.ndarray, event: np.ndarray, own: np.ndarray, exact: bool) -> np.ndarray:
    """Historical event rate among units that started in the same group (``exact``) or within 5 ranks."""
    out = np.full(len(own), np.nan)
    for i, o in enumerate(own):
        same = (prev == o) if exact else (np.abs(prev - o) <= 5)
        if same.any():
            out[i] = event[same].mean()
    return out


def base_rate_crps(history: pd.DataFrame, deviation: np.ndarray, change: np.ndarray) -> np.ndarray:
    """CRPS of each unit's realised ``change`` against the earlier changes of its quintile of deviation (points)."""
    hx = history["deviation"].to_numpy()
    hc = history["change"].to_numpy()
    edges = np.quantile(hx, [0.2, 0.4, 0.6, 0.8])
    hq, q = np.digitize(hx, edges), np.digitize(deviation, edges)
    out = np.full(len(change), np.nan)
    for k in range(5):
        mine = q == k
        if mine.any():
            pool = hc[hq == k] if (hq == k).any() else hc
            out[mine] = crps_sorted(np.sort(pool), change[mine])
    return out


@dataclass
class RandomWalk:
    """Student-t random walk of one indicator: change ~ ``scale · t(df)`` (points), centred on 0."""

    scale: float
    df: float

    def sf(self, c: np.ndarray | float, steps: int = 1) -> np.ndarray:
        """P(change over ``steps`` years ≥ c) (the t's scale grows with sqrt(steps))."""
        from scipy import stats

        return stats.t.sf(np.asarray(c, dtype=float) / (self.scale * math.sqrt(steps)), self.df)

    def draws(self, rng: np.random.Generator, n: int, units: int) -> np.ndarray:
        """Independent changes (n, units)."""
        return self.scale * rng.standard_t(self.df, size=(n, units))

    def crps(self, change: np.ndarray) -> np.ndarray:
        from scipy import stats

        ensemble = quantile_ensemble(lambda u: self.scale * stats.t.ppf(u, self.df))
        return crps_sorted(ensemble, np.asarray(change, dtype=float))


def random_walk(history: pd.DataFrame, baseline_year: int) -> RandomWalk:
    """The walk fitted on ``history`` (transitions ending by ``baseline_year``)."""
    from scipy import stats
    from scipy.optimize import minimize_scalar

    change = history["change"].to_numpy(dtype=float)
    age = float(baseline_year) - history["year"].to_numpy(dtype=float)
    weights = 0.5 ** (age / HALFLIFE)
    variance = float(np.sum(weights * change**2) / np.sum(weights))
    z = change / math.sqrt(variance)

    def nll(df: float) -> float:  # the t with unit variance
        scale = math.sqrt((df - 2) / df)
        return -float(np.sum(stats.t.logpdf(z / scale, df) - math.log(scale)))

    df = float(minimize_scalar(nll, bounds=DF_BOUNDS, method="bounded").x)
    return RandomWalk(scale=math.sqrt(variance * (df - 2) / df), df=df)
