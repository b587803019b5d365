"""Scores of probabilistic forecasts: ECE, reliability, Brier skill with year-resampled intervals, CRPS.

Years, not rows, are the unit of resampling: the forecasts of one year share that year's national change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

N_BINS = 10


def bin_of(p: np.ndarray, bins: int = N_BINS) -> np.ndarray:
    """Index (0 .. bins-1) of each probability's equal-width bin."""
    return np.clip(np.digitize(np.asarray(p, dtype=float), np.linspace(0, 1, bins + 1)[1:-1]), 0, bins - 1)


def ece(p: np.ndarray, y: np.ndarray, bins: int = N_BINS) -> float:
    """Expected calibration error: bin-size-weighted mean |mean forecast - observed| over equal-width bins."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    which = bin_of(p, bins)
    gap = np.abs(np.bincount(which, p, minlength=bins) - np.bincount(which, y, minlength=bins))
    return float(gap.sum() / len(p))


def year_bootstrap(per_year: pd.DataFrame, statistic, reps: int = 1000, seed: int = 1) -> tuple[float, float]:
    """95% percentile interval of ``statistic(sums)`` over resamples of whole years: ``per_year`` holds one row of
    sums per year, ``statistic`` maps a (reps, columns) array of resampled column sums to (reps,) values."""
    values = per_year.to_numpy(dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(values), np.full(len(values), 1 / len(values)), size=reps)
    boot = statistic(counts @ values)
    return float(np.nanpercentile(boot, 2.5)), float(np.nanpercentile(boot, 97.5))


def skill_interval(
    frame: pd.DataFrame, forecast: str = "p_model", reps: int = 1000, seed: int = 1, reference: str = "p_base"
) -> tuple[float, float, float]:
    """Brier skill 1 - Brier(forecast) / Brier(reference), with a bootstrap 95% interval that resamples whole
    years (events of one year share a national shock)."""
    f = frame.dropna(subset=[forecast, reference])
    if f.empty:
        return float("nan"), float("nan"), float("nan")
    sums = (
        f.assign(m=(f[forecast] - f["outcome"]) ** 2, b=(f[reference] - f["outcome"]) ** 2)
        .groupby("year")[["m", "b"]]
        .sum()
    )
    skill = 1 - sums["m"].sum() / sums["b"].sum()
    lo, hi = year_bootstrap(sums, lambda s: 1 - s[:, 0] / s[:, 1], reps, seed)
    return float(skill), lo, hi


def share_interval(frame: pd.DataFrame, column: str = "outcome", reps: int = 1000, seed: int = 1) -> tuple:
    """Mean of ``column`` (a share) with a 95% interval resampling whole years."""
    sums = frame.groupby("year")[column].agg(["sum", "size"])
    lo, hi = year_bootstrap(sums, lambda s: s[:, 0] / s[:, 1], reps, seed)
    return float(frame[column].mean()), lo, hi


def reliability(predictions: pd.DataFrame, forecast: str = "p_model", bins: int = N_BINS) -> pd.DataFrame:
    """Reliability curve: forecasts in equal-width bins, mean forecast vs observed frequency, with counts."""
    data = predictions.dropna(subset=[forecast])
    edges = np.linspace(0, 1, bins + 1)
    which = bin_of(data[forecast].to_numpy(), bins)
    table = data.groupby(which).agg(
        mean_forecast=(forecast, "mean"), observed=("outcome", "mean"), n=("outcome", "size")
    )
    table.index = [f"{edges[i]:.1f}-{edges[i + 1]:.1f}" for i in table.index]
    return table.rename_axis("bin").reset_index()


# --------------------------------------------------------------------------- CRPS


def crps_sorted(ensemble: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CRPS of observations ``y`` (n,) against one sorted ensemble (m,): ``E|X - y| - E|X - X'| / 2``."""
    x = np.asarray(ensemble, dtype=float)
    y = np.asarray(y, dtype=float)
    m = len(x)
    cs = np.concatenate([[0.0], np.cumsum(x)])
    k = np.searchsorted(x, y)
    below = k * y - cs[k]
    above = (cs[m] - cs[k]) - (m - k) * y
    spread = 2.0 * np.sum((2 * np.arange(1, m + 1) - m - 1) * x) / m**2
    return (below + above) / m - spread / 2


def crps_columns(draws: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CRPS of each unit's observation ``y`` (units,) against its own column of ``draws`` (n, units)."""
    x = np.sort(np.asarray(draws, dtype=float), axis=0)
    m = x.shape[0]
    weights = (2 * np.arange(1, m + 1) - m - 1)[:, None]
    spread = 2.0 * np.sum(weights * x, axis=0) / m**2
    return np.mean(np.abs(x - np.asarray(y, dtype=float)[None, :]), axis=0) - spread / 2


def quantile_ensemble(ppf, size: int = 1000) -> np.ndarray:
    """A distribution as ``size`` equally spaced quantiles (for the CRPS of a parametric forecast)."""
    return np.asarray(ppf((np.arange(size) + 0.5) / size), dtype=float)
