"""Every named dimension up together (kind ``all_up``), from a joint draw of the one model.

Each dimension's centre, national part and relative scale come from :func:`.forecast.forecast_cell`, as for any other
target. The dimensions are not independent, in both parts:

* the national parts of one year are drawn as a multivariate t with the dimensions' common scale, degrees of
  freedom and equicorrelation (:mod:`.national`), ``x_d = (sqrt(rho) Z0 + sqrt(1 - rho) Z_d) / sqrt(V)``, with the
  common factor ``Z0`` stratified (its quantile is the national stratum of an ``all_up`` forecast);
* the relative parts resample whole vectors of standardised relative errors, one earlier (year, province) at a
  time, from forecast years before the target year: a good year for a province tends to lift several dimensions,
  and the correlation used is the one observed in earlier years, not assumed.

``indicator`` of an ``all_up`` target is ``all`` (every dimension scored in the target year) or a list such as
``D1,D3,D8``; ``target_value`` is the minimum change in points (empty or 0: strictly higher than the baseline).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...data import schema
from .forecast import N_STRATA, NATIONAL_SCENARIOS, by_stratum, forecast_cell
from .model import MIN_POOL_YEARS, transitions
from .relative import relative_errors

N_DRAWS = 4000


def dimensions_of(indicator: str, year: int) -> list[str]:
    """The dimensions an ``all_up`` target names (``all``: every dimension scored in ``year``)."""
    if str(indicator).strip().lower() == "all":
        return list(schema.dimensions_in(min(year, 2024)))
    return [d.strip() for d in str(indicator).split(",") if d.strip()]


def min_change(value: str | float) -> float:
    return float(value) if str(value).strip() else 0.0


def _met(changes: np.ndarray, threshold: float) -> np.ndarray:
    return np.asarray((changes > 0).all(axis=-1) if threshold == 0 else (changes >= threshold).all(axis=-1))


def joint_errors(panel: pd.DataFrame, dims: list[str], before_year: int) -> np.ndarray | None:
    """Standardised relative error vectors (rows: earlier year x province with all ``dims``), or None if fewer
    than :data:`.model.MIN_POOL_YEARS` years have them."""
    errors = relative_errors(panel)
    earlier = errors[(errors["year"] < before_year) & errors["dimension"].isin(dims)]
    wide = (
        earlier.pivot_table(index=["year", "province_code"], columns="dimension", values="w")
        .reindex(columns=dims)
        .dropna()
    )
    if wide.index.get_level_values("year").nunique() < MIN_POOL_YEARS:
        return None
    return wide.to_numpy()


def _national_vectors(cells: list, rng: np.random.Generator, per_stratum: int) -> tuple[np.ndarray, np.ndarray]:
    """National parts (n, dims) in points, with the common factor stratified, and each draw's common quantile."""
    from scipy import stats

    nat = cells[0].national
    n = per_stratum * N_STRATA
    u0 = (np.repeat(np.arange(N_STRATA), per_stratum) + rng.random(n)) / N_STRATA
    z0 = stats.norm.ppf(u0)[:, None]
    v = rng.chisquare(nat.df, size=(n, 1)) / nat.df
    x = (np.sqrt(nat.rho) * z0 + np.sqrt(1 - nat.rho) * rng.standard_normal((n, len(cells)))) / np.sqrt(v)
    scale = np.array([c.national.per_dimension * c.national.scale for c in cells])
    return x * scale[None, :], u0


def joint_changes(cells: list, errors: np.ndarray, code: int, rng: np.random.Generator, per_stratum: int):
    """Draws of one province's changes in every dimension of ``cells`` (n, dims), stratified by the national common
    factor (rows of stratum k together), or None when it lacks a baseline in one of them."""
    means, scales = [], []
    for c in cells:
        codes = c.baseline["province_code"].to_numpy()
        if code not in codes:
            return None
        i = int(np.flatnonzero(codes == code)[0])
        means.append(c.mean_change[i])
        scales.append(c.within_sd[i] * c.baseline["unit_scale"].to_numpy()[i])
    national, _ = _national_vectors(cells, rng, per_stratum)
    w = errors[rng.integers(0, len(errors), size=len(national))]
    return np.asarray(means)[None, :] + national + np.asarray(scales)[None, :] * w


def joint_forecast(
    panel: pd.DataFrame,
    dims: list[str],
    baseline_year: int,
    target_year: int,
    code: int,
    rng: np.random.Generator,
    n: int = N_DRAWS,
) -> tuple[np.ndarray | None, list[str]]:
    """Draws of the province's changes in every dimension (n, dims; stratified by the national common factor), or
    None and the reason."""
    cells = []
    for dim in dims:
        cell, notes = forecast_cell(panel, dim, baseline_year, target_year)
        if cell is None:
            return None, [f"{dim}: {'; '.join(notes)}"]
        cells.append(cell)
    errors = joint_errors(panel, dims, target_year)
    if errors is None:
        return None, [f"fewer than {MIN_POOL_YEARS} earlier forecast years with all of {', '.join(dims)}"]
    draws = joint_changes(cells, errors, code, rng, -(-n // N_STRATA))
    if draws is None:
        return None, [f"no published score of every one of {', '.join(dims)} for {baseline_year}"]
    return draws, []


def predict_all_up(
    panel: pd.DataFrame, target: pd.Series, rng: np.random.Generator
) -> tuple[float, dict[str, float], list[str], tuple[float, float, float]]:
    """(joint probability, each dimension's own probability, notes, the probability with the national common
    factor at its 10th, 50th and 90th percentile) for an ``all_up`` target."""
    nan3 = (math.nan,) * 3
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    dims = dimensions_of(target["indicator"], target_year)
    if target_year - baseline_year != 1:
        return math.nan, {}, ["only one-year-ahead targets are modelled"], nan3
    draws, notes = joint_forecast(panel, dims, baseline_year, target_year, int(target["province_code"]), rng)
    if draws is None:
        return math.nan, {}, notes, nan3
    threshold = min_change(target["target_value"])
    marginal = {d: float(_met(draws[:, [j]], threshold).mean()) for j, d in enumerate(dims)}
    hit = _met(draws, threshold).astype(float)
    from .forecast import at_quantiles

    low, middle, high = (float(v) for v in at_quantiles(by_stratum(hit), NATIONAL_SCENARIOS))
    return float(hit.mean()), marginal, notes, (low, middle, high)


def outcome_all_up(panel: pd.DataFrame, target: pd.Series) -> tuple[str, float, str]:
    """(met | missed | pending | no data, number of named dimensions that met it, which ones did not)."""
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    if target_year > int(panel["year"].max()):
        return "pending", math.nan, ""
    dims = dimensions_of(target["indicator"], target_year)
    rows = panel[(panel["province_code"] == int(target["province_code"])) & panel["dimension"].isin(dims)]
    wide = rows.pivot_table(index="year", columns="dimension", values="score").reindex(columns=dims)
    if (
        baseline_year not in wide.index
        or target_year not in wide.index
        or wide.loc[[baseline_year, target_year]].isna().any().any()
    ):
        return "no data", math.nan, ""
    change = (wide.loc[target_year] - wide.loc[baseline_year]).to_numpy()
    threshold = min_change(target["target_value"])
    ok = change > 0 if threshold == 0 else change >= threshold
    missed = [d for d, k in zip(dims, ok) if not k]
    return ("met" if ok.all() else "missed"), float(ok.sum()), ("not: " + ", ".join(missed)) if missed else "all"


def historical_all_up(
    panel: pd.DataFrame, dims: list[str], last_year: int, threshold: float = 0.0
) -> tuple[float, int, int]:
    """(share, n, reached): earlier one-year transitions (province-years with every named dimension, no break)
    in which all named dimensions rose."""
    frames = [transitions(panel, d, last_year).set_index(["year", "province_code"])["change"].rename(d) for d in dims]
    wide = pd.concat(frames, axis=1).dropna()
    if wide.empty:
        return math.nan, 0, 0
    met = _met(wide.to_numpy()[:, None, :], threshold)[:, 0]
    return float(met.mean()), len(met), int(met.sum())


def backtest_all_up(panel: pd.DataFrame, years: list[int] | None = None, seed: int = 20250701) -> pd.DataFrame:
    """Rolling-origin backtest of "every dimension up" (all dimensions scored that year; and D1-D6), one row per
    province and year, in the column layout of :func:`.backtest.backtest` (family ``all_up``). The baseline is
    the earlier years' share of province-years with all of them up."""
    rng = np.random.default_rng(seed)
    rows = []
    all_years = sorted(int(y) for y in panel["year"].unique())
    for year in all_years[1:]:
        if years is not None and year not in years:
            continue
        # sorted, not a set's order: the random draws must not depend on the process's hash seed
        for dims in sorted({tuple(schema.dimensions_in(year)), tuple(schema.DIMENSIONS[:6])}):
            if any(schema.is_break_between(year - 1, year, d) for d in dims):
                continue
            errors = joint_errors(panel, list(dims), year)
            found = [forecast_cell(panel, d, year - 1, year)[0] for d in dims]
            cells = [c for c in found if c is not None]
            if errors is None or len(cells) < len(found):
                continue
            share, n_hist, _ = historical_all_up(panel, list(dims), year - 1)
            codes = set.intersection(*(set(c.baseline["province_code"]) for c in cells))
            wide = panel[panel["dimension"].isin(dims) & panel["year"].isin([year - 1, year])].pivot_table(
                index=["province_code", "year"], columns="dimension", values="score"
            )
            for code in sorted(codes):
                if (code, year) not in wide.index or wide.loc[(code, year), list(dims)].isna().any():
                    continue
                mean = np.array([c.mean_change[np.flatnonzero(c.baseline["province_code"] == code)[0]] for c in cells])
                sd = np.array([c.sd[np.flatnonzero(c.baseline["province_code"] == code)[0]] for c in cells])
                z = errors[rng.integers(0, len(errors), size=2000)]
                p = float(_met(mean[None, :] + sd[None, :] * z, 0.0).mean())
                actual = (wide.loc[(code, year), list(dims)] - wide.loc[(code, year - 1), list(dims)]).to_numpy()
                rows.append(
                    dict(
                        year=year,
                        dimension=f"{dims[0]}-{dims[-1]}",
                        province_code=code,
                        family="all_up",
                        event=f"all of {dims[0]}-{dims[-1]} up",
                        p_model=p,
                        p_low=np.nan,
                        p_high=np.nan,
                        p_base=share,
                        outcome=float((actual > 0).all()),
                    )
                )
    return pd.DataFrame(rows)
