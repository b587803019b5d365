"""Links between PAPI dimensions: which move together, which lead, and how robust that is.

Everything here is association, not causation. Periods may not span the
2017/2018 break (6 vs 8 dimensions, revised questionnaire): use 2011-2017 or
2018-2024, or :func:`split_at_break`. Missing values are handled pairwise and
every coefficient comes with the number of observations behind it.

Scores are PAPI points (1-10 per dimension).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ..data import provinces, schema
from ..params import ParameterError, check_years

METHODS = ("pearson", "spearman")
ERAS = ((2011, 2017), (2018, 2024))


class PeriodError(ParameterError):
    """A period that mixes methodology eras."""


def check_period(start_year: int, end_year: int) -> tuple[int, int]:
    """Validated period within one era (2011-2017 or 2018-2024)."""
    start_year, end_year = check_years(start_year, end_year)
    if start_year <= 2017 < end_year:
        raise PeriodError(
            f"{start_year}-{end_year} spans the 2017/2018 methodology break (6 dimensions until 2017, 8 from 2018, "
            "revised questionnaire): links across it mix two different instruments. Use 2011-2017 and 2018-2024 "
            "separately (links.split_at_break gives both)."
        )
    return start_year, end_year


def split_at_break(start_year: int, end_year: int) -> list[tuple[int, int]]:
    """The parts of a period on each side of the 2017/2018 break."""
    start_year, end_year = check_years(start_year, end_year)
    parts = [(max(start_year, a), min(end_year, b)) for a, b in ERAS]
    return [(a, b) for a, b in parts if a <= b]


def dimensions_of(start_year: int, end_year: int) -> list[str]:
    return list(schema.dimensions_in(start_year))


def wide_scores(panel: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Province-years (rows: year, province_code) by dimension (columns), in points."""
    start_year, end_year = check_period(start_year, end_year)
    dims = dimensions_of(start_year, end_year)
    rows = panel[panel["year"].between(start_year, end_year) & panel["dimension"].isin(dims)]
    return rows.pivot_table(index=["year", "province_code"], columns="dimension", values="score",
                            dropna=False)[dims]


def _centred(wide: pd.DataFrame) -> pd.DataFrame:
    """Scores minus each year's national mean: removes national shifts common to all provinces."""
    return wide - wide.groupby(level="year").transform("mean")


def _fisher_ci(r: float, n: int, method: str, level: float = 0.95) -> tuple[float, float]:
    if n <= 3 or not np.isfinite(r) or abs(r) >= 1:
        return (math.nan, math.nan)
    se = (1.06 if method == "spearman" else 1.0) / math.sqrt(n - 3)  # Fieller et al. for Spearman
    z = math.atanh(r)
    q = stats.norm.ppf(0.5 + level / 2)
    return (math.tanh(z - q * se), math.tanh(z + q * se))


def _pairwise(frame: pd.DataFrame, method: str, effective_n: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table of pairwise-complete correlations with n, 95% CI and p-value."""
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
        rows.append(dict(dim_a=a, dim_b=b, r=float(r), n=n, n_effective=n_eff, ci_low=lo, ci_high=hi,
                         p_value=float(p) if n_eff == n else _p_from_r(float(r), n_eff)))
    return pd.DataFrame(rows)


def _p_from_r(r: float, n: int) -> float:
    if n <= 3 or not np.isfinite(r):
        return math.nan
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


def pooled_correlation(panel: pd.DataFrame, start_year: int, end_year: int, method: str = "pearson") -> pd.DataFrame:
    """Correlations pooled over the period's province-years, after removing each year's national mean.

    The same provinces appear every year, so the CI and p-value use the number of
    distinct provinces with data for the pair (``n_effective``), not the number of
    province-years (``n``): a conservative choice.
    """
    wide = _centred(wide_scores(panel, start_year, end_year))
    if method == "spearman":
        wide = wide.groupby(level="year").rank()
    provinces_with = {(a, b): wide[[a, b]].dropna().index.get_level_values("province_code").nunique()
                      for a, b in itertools.combinations(wide.columns, 2)}
    n_eff = pd.DataFrame(index=wide.columns, columns=wide.columns, dtype=float)
    for (a, b), n in provinces_with.items():
        n_eff.loc[a, b] = n_eff.loc[b, a] = n
    return _pairwise(wide.reset_index(drop=True), "pearson" if method == "spearman" else method, n_eff)


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


def changes(panel: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Year-on-year changes (points) of every dimension, within the period, never across a break."""
    wide = wide_scores(panel, start_year, end_year)
    diff = wide.groupby(level="province_code").diff()  # rows are complete years, so diff is year-on-year
    # a change needs the previous year: the first year of the period has none
    diff = diff[diff.index.get_level_values("year") > start_year].copy()
    years = diff.index.get_level_values("year")
    for dim in diff.columns:
        broken = np.array([schema.is_break_between(y - 1, y, dim) for y in years], dtype=bool)
        diff.loc[broken, dim] = np.nan
    return diff


def change_correlation(panel: pd.DataFrame, start_year: int, end_year: int, method: str = "pearson") -> pd.DataFrame:
    """Do gains co-move? Correlations of year-on-year changes, pooled after removing each year's mean change."""
    diff = _centred(changes(panel, start_year, end_year))
    if method == "spearman":
        diff = diff.groupby(level="year").rank()
    n_eff = pd.DataFrame(index=diff.columns, columns=diff.columns, dtype=float)
    for a, b in itertools.combinations(diff.columns, 2):
        n_eff.loc[a, b] = n_eff.loc[b, a] = diff[[a, b]].dropna().index.get_level_values("province_code").nunique()
    return _pairwise(diff.reset_index(drop=True), "pearson" if method == "spearman" else method, n_eff)


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


def lagged_effect(panel: pd.DataFrame, outcome: str, predictor: str, start_year: int, end_year: int):
    """One lagged panel regression, as a fitted statsmodels result:

    ``outcome_t ~ predictor_(t-1) + outcome_(t-1) + C(province) + C(year)``, OLS with
    province-clustered standard errors. Rows with a missing variable are dropped
    first, so the cluster groups line up.
    """
    data = lag_frame(panel, outcome, predictor, start_year, end_year)
    return smf.ols("y ~ x_lag + y_lag + C(province_code) + C(year)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": data["province_code"]})


def lag_frame(panel: pd.DataFrame, outcome: str, predictor: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Columns year, province_code, y (outcome at t), y_lag (outcome at t-1), x_lag (predictor at t-1)."""
    wide = wide_scores(panel, start_year, end_year)
    lagged = wide.groupby(level="province_code").shift(1)
    frame = pd.DataFrame({"y": wide[outcome], "y_lag": lagged[outcome], "x_lag": lagged[predictor]}).reset_index()
    frame = frame[frame["year"] > start_year]
    broken = [schema.is_break_between(y - 1, y, outcome) or schema.is_break_between(y - 1, y, predictor)
              for y in frame["year"]]
    frame = frame[~np.array(broken, dtype=bool)]
    return frame.dropna().reset_index(drop=True)


def lagged_effects(panel: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Every ordered pair of dimensions: the coefficient of last year's predictor on this year's outcome
    (points per point), with clustered SE, 95% CI, p-value and Holm / Benjamini-Hochberg adjusted p-values
    across all pairs (many pairs are tested at once)."""
    dims = dimensions_of(*check_period(start_year, end_year))
    rows = []
    for outcome, predictor in itertools.permutations(dims, 2):
        fit = lagged_effect(panel, outcome, predictor, start_year, end_year)
        lo, hi = fit.conf_int().loc["x_lag"]
        rows.append(dict(outcome=outcome, predictor=predictor, coef=float(fit.params["x_lag"]),
                         se=float(fit.bse["x_lag"]), ci_low=float(lo), ci_high=float(hi),
                         p_value=float(fit.pvalues["x_lag"]), persistence=float(fit.params["y_lag"]),
                         n=int(fit.nobs), n_provinces=int(len(set(fit.model.data.frame["province_code"])))))
    out = pd.DataFrame(rows)
    out["p_holm"] = multipletests(out["p_value"], method="holm")[1]
    out["p_bh"] = multipletests(out["p_value"], method="fdr_bh")[1]
    return out


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
