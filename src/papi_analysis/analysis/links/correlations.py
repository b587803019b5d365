"""Correlations between indicators: single years (Fisher intervals), pooled and change correlations
(province-cluster bootstrap intervals), partial correlations, the first principal component.

Everything here is association, not causation. Missing values are handled pairwise and
every coefficient comes with the number of observations behind it. Scores are PAPI points
(1-10 per dimension).

Why a cluster bootstrap for pooled correlations: the same 63 provinces appear every year, so
province-years are not independent; Fisher's interval with n = 63 provinces ignores the
information in the repeated years and is too wide, with n = province-years too narrow.
Resampling whole provinces keeps each province's years together. A single year's
cross-section has independent provinces, so Fisher's interval is right there.
"""

from __future__ import annotations

import itertools
import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from ...data import provinces
from ...params import ParameterError
from .periods import METHODS, changes, check_period, dimensions_of, wide_scores
from .periods import centred as _centred


def _fisher_ci(r: float, n: int, method: str, level: float = 0.95) -> tuple[float, float]:
    if n <= 3 or not np.isfinite(r) or abs(r) >= 1:
        return (math.nan, math.nan)
    se = (1.06 if method == "spearman" else 1.0) / math.sqrt(n - 3)  # Fieller et al. for Spearman
    z = math.atanh(r)
    q = NormalDist().inv_cdf(0.5 + level / 2)
    return (math.tanh(z - q * se), math.tanh(z + q * se))


def _pairwise(frame: pd.DataFrame, method: str, effective_n: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table of pairwise-complete correlations with n, 95% CI and p-value."""
    from scipy import stats  # here: scipy.stats takes 0.4 s to import, and a report with its links stored needs none

    if method not in METHODS:
        raise ParameterError(f"method must be 'pearson' or 'spearman', not {method!r}.")
    rows = []
    for a, b in itertools.combinations(frame.columns, 2):
        both = frame[[a, b]].dropna()
        n = len(both)
        if n < 3:
            r, p = math.nan, math.nan
        elif method == "pearson":
            r, p = stats.pearsonr(both[a], both[b])
        else:
            r, p = stats.spearmanr(both[a], both[b])
        n_eff = n if effective_n is None else int(effective_n.loc[a, b])
        lo, hi = _fisher_ci(float(r), n_eff, method)
        rows.append(
            dict(
                dim_a=a,
                dim_b=b,
                r=float(r),
                n=n,
                n_effective=n_eff,
                ci_low=lo,
                ci_high=hi,
                p_value=float(p) if n_eff == n else _p_from_r(float(r), n_eff),
            )
        )
    return pd.DataFrame(rows)


def _p_from_r(r: float, n: int) -> float:
    if n <= 3 or not np.isfinite(r):
        return math.nan
    from scipy import stats

    t = r * math.sqrt((n - 2) / max(1e-12, 1 - r * r))
    return float(2 * stats.t.sf(abs(t), n - 2))


def correlation_by_year(panel: pd.DataFrame, start_year: int, end_year: int, method: str = "pearson") -> pd.DataFrame:
    """Cross-sectional correlations of every pair of dimensions, year by year (provinces are the observations)."""
    wide = wide_scores(panel, start_year, end_year)
    parts = []
    for year, part in wide.groupby(level="year"):
        table = _pairwise(part.droplevel("year"), method)
        table.insert(0, "year", year)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def _year_ranks(values: np.ndarray, mask: np.ndarray, years: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Within-year average ranks of ``values`` under row ``weights`` (B x n): a row drawn w times is w tied
    copies, as if the sample had been resampled explicitly."""
    out = np.zeros(weights.shape)
    for year in np.unique(years):
        rows = np.flatnonzero((years == year) & mask)
        v = values[rows]
        less = (v[None, :] < v[:, None]).astype(float)  # less[i, j]: row j below row i
        equal = (v[None, :] == v[:, None]).astype(float)
        w = weights[:, rows]
        out[:, rows] = w @ less.T + (w @ equal.T + 1) / 2
    return out


def _prepared(
    values: np.ndarray, mask: np.ndarray, years: np.ndarray, weights: np.ndarray, method: str, year_effects: bool
) -> np.ndarray:
    """One column under each row-weighting: year-centred (or ranked within year) values, B x n."""
    if method == "spearman":
        if year_effects:
            return _year_ranks(values, mask, years, weights)
        return _year_ranks(values, mask, np.zeros_like(years), weights)
    x = np.where(mask, values, 0.0)
    if not year_effects:
        return np.broadcast_to(x, weights.shape)
    onehot = (years[:, None] == np.unique(years)[None, :]).astype(float)
    num = (weights * x) @ onehot
    den = (weights * mask) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        means = num / den
    index = np.searchsorted(np.unique(years), years)
    return x - np.nan_to_num(means)[:, index]


def _weighted_r(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=1, keepdims=True)
    ma, mb = (w * a).sum(1, keepdims=True) / total, (w * b).sum(1, keepdims=True) / total
    cov = (w * (a - ma) * (b - mb)).sum(1)
    return cov / np.sqrt((w * (a - ma) ** 2).sum(1) * (w * (b - mb) ** 2).sum(1))


def province_draws(province_codes: np.ndarray, draws: int, seed: int = 0) -> np.ndarray:
    """Row weights of a province-cluster bootstrap (draws x rows): how often each row's province was drawn
    when the distinct provinces are resampled with replacement."""
    codes, index = np.unique(province_codes, return_inverse=True)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(codes), np.full(len(codes), 1 / len(codes)), size=draws)
    return counts[:, index].astype(float)


def cluster_correlations(
    wide: pd.DataFrame,
    method: str = "pearson",
    pairs: list[tuple[str, str]] | None = None,
    year_effects: bool = True,
    draws: int = 999,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Pooled correlations of the columns of a (year, province_code) table, pairwise-complete, after removing
    each year's mean (``year_effects``; Spearman: ranks within each year), with a province-cluster bootstrap
    percentile interval and a p-value from the bootstrap SE of Fisher's z with t(G-1).

    Columns: dim_a, dim_b, r, n (province-years), n_effective (provinces), ci_low, ci_high, p_value, draws.
    """
    from scipy import stats

    if method not in METHODS:
        raise ParameterError(f"method must be 'pearson' or 'spearman', not {method!r}.")
    pairs = pairs if pairs is not None else list(itertools.combinations(wide.columns, 2))
    years = wide.index.get_level_values("year").to_numpy()
    codes = wide.index.get_level_values("province_code").to_numpy()
    weights = np.vstack(
        [np.ones((1, len(wide))), province_draws(codes, draws, seed) if draws else np.empty((0, len(wide)))]
    )
    prepared: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for column in dict.fromkeys(c for pair in pairs for c in pair):
        values = wide[column].to_numpy(dtype=float)
        mask = np.isfinite(values)
        prepared[column] = (_prepared(np.nan_to_num(values), mask, years, weights, method, year_effects), mask)
    rows = []
    for a, b in pairs:
        (va, ma), (vb, mb) = prepared[a], prepared[b]
        both = ma & mb
        n, n_prov = int(both.sum()), int(len(np.unique(codes[both])))
        if n < 4:
            rows.append(
                dict(
                    dim_a=a,
                    dim_b=b,
                    r=math.nan,
                    n=n,
                    n_effective=n_prov,
                    ci_low=math.nan,
                    ci_high=math.nan,
                    p_value=math.nan,
                    draws=draws,
                )
            )
            continue
        r_all = _weighted_r(va, vb, weights * both)
        r, boot = float(r_all[0]), r_all[1:]
        boot = boot[np.isfinite(boot)]
        if len(boot) >= 10:
            lo, hi = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
            se_z = float(np.std(np.arctanh(np.clip(boot, -0.999999, 0.999999)), ddof=1))
            p = float(2 * stats.t.sf(abs(math.atanh(r)) / se_z, n_prov - 1)) if se_z > 0 else math.nan
        else:
            lo = hi = p = math.nan
        rows.append(
            dict(
                dim_a=a,
                dim_b=b,
                r=r,
                n=n,
                n_effective=n_prov,
                ci_low=float(lo),
                ci_high=float(hi),
                p_value=p,
                draws=draws,
            )
        )
    return pd.DataFrame(rows)


def pooled_correlation(
    panel: pd.DataFrame,
    start_year: int,
    end_year: int,
    method: str = "pearson",
    draws: int = 999,
    seed: int = 0,
    year_effects: bool = True,
) -> pd.DataFrame:
    """Correlations pooled over the period's province-years, after removing each year's national mean,
    with province-cluster bootstrap intervals (``n``: province-years, ``n_effective``: provinces)."""
    return cluster_correlations(
        wide_scores(panel, start_year, end_year), method, year_effects=year_effects, draws=draws, seed=seed
    )


def correlation_matrix(pairs: pd.DataFrame, value: str = "r") -> pd.DataFrame:
    """Square matrix from a long pair table (diagonal 1 for ``r``)."""
    dims = list(dict.fromkeys(list(pairs["dim_a"]) + list(pairs["dim_b"])))
    matrix = pd.DataFrame(np.nan, index=dims, columns=dims)
    for row in pairs.itertuples():
        matrix.loc[row.dim_a, row.dim_b] = matrix.loc[row.dim_b, row.dim_a] = getattr(row, value)
    if value == "r":
        for d in dims:
            matrix.loc[d, d] = 1.0
    return matrix


def change_correlation(
    panel: pd.DataFrame,
    start_year: int,
    end_year: int,
    method: str = "pearson",
    draws: int = 999,
    seed: int = 0,
    year_effects: bool = True,
) -> pd.DataFrame:
    """Do gains co-move? Correlations of year-on-year changes, pooled after removing each year's mean change
    (national shocks move every province together and would inflate the correlation; ``year_effects=False``
    shows by how much), with province-cluster bootstrap intervals."""
    return cluster_correlations(
        changes(panel, start_year, end_year), method, year_effects=year_effects, draws=draws, seed=seed
    )


def partial_correlation(panel: pd.DataFrame, start_year: int, end_year: int) -> tuple[pd.DataFrame, int]:
    """Partial correlations (each pair given all other dimensions) of year-centred scores.

    Uses province-years complete on every dimension; returns the matrix and that n.
    """
    wide = _centred(wide_scores(panel, start_year, end_year)).dropna()
    corr = np.corrcoef(wide.to_numpy(), rowvar=False)
    precision = np.linalg.inv(corr)
    d = np.sqrt(np.diag(precision))
    partial = -precision / np.outer(d, d)
    partial[np.diag_indices_from(partial)] = 1.0
    return pd.DataFrame(partial, index=wide.columns, columns=wide.columns), len(wide)


def first_component_share(panel: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Share of the variance of standardised, year-centred scores on the first principal component,
    for the pooled period and each year. 1/k would mean k unrelated dimensions; near 1, one common factor."""
    wide = _centred(wide_scores(panel, start_year, end_year))

    def share(frame: pd.DataFrame) -> tuple[float, int]:
        complete = frame.dropna()
        if len(complete) < frame.shape[1] + 2:
            return math.nan, len(complete)
        eig = np.linalg.eigvalsh(np.corrcoef(complete.to_numpy(), rowvar=False))
        return float(eig[-1] / eig.sum()), len(complete)

    rows = [dict(year="pooled", share=share(wide)[0], n=share(wide)[1])]
    for year, part in wide.groupby(level="year"):
        s, n = share(part)
        rows.append(dict(year=str(year), share=s, n=n))
    out = pd.DataFrame(rows)
    out["equal_share"] = 1 / wide.shape[1]
    return out


def pair_scatter_data(panel: pd.DataFrame, x: str, y: str, year: int, n_outliers: int = 5) -> pd.DataFrame:
    """One year's provinces with scores on ``x`` and ``y``, the OLS residual and the largest outliers flagged."""
    rows = panel[(panel["year"] == year) & panel["dimension"].isin([x, y])]
    wide = rows.pivot_table(index="province_code", columns="dimension", values="score").dropna()
    slope, intercept = np.polyfit(wide[x], wide[y], 1)
    wide["residual"] = wide[y] - (intercept + slope * wide[x])
    wide["outlier"] = wide["residual"].abs().rank(ascending=False) <= n_outliers
    geography = provinces.geography_of(panel)
    wide["province"] = [provinces.name(c, geography=geography) for c in wide.index]
    if geography != "63":
        wide["geography"] = geography
    return wide.reset_index()


def pair_row(pairs: pd.DataFrame, x: str, y: str) -> pd.Series:
    """The row of a long pair table for dimensions ``x`` and ``y`` (in either order)."""
    a, b = sorted((x, y))
    match = pairs[(pairs["dim_a"] == a) & (pairs["dim_b"] == b)]
    if match.empty:
        raise ParameterError(f"No correlation for the pair {x}-{y}; choose two different dimensions of the period.")
    return match.iloc[0]


def check_pair(x: str, y: str, start_year: int, end_year: int) -> tuple[str, str]:
    """Two different dimensions scored in the period."""
    dims = dimensions_of(*check_period(start_year, end_year))
    for name, value in (("pair_x", x), ("pair_y", y)):
        if value not in dims:
            raise ParameterError(f"{name} must be one of {', '.join(dims)} for {start_year}-{end_year}; got {value!r}.")
    if x == y:
        raise ParameterError(f"pair_x and pair_y are both {x}; choose two different dimensions.")
    return x, y


def fisher_interval(r: float, n: int, method: str = "pearson", level: float = 0.95) -> tuple[float, float]:
    """Fisher-z interval for a correlation of ``n`` independent observations (right for one year's provinces,
    not for pooled province-years: use :func:`cluster_correlations` there)."""
    return _fisher_ci(r, n, method, level)
