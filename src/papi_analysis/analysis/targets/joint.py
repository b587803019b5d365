"""Every named dimension up together (kind ``all_up``), from a joint draw of the one model.

Each dimension's centre and raw spread come from :func:`.model.forecast_cell`, as for any other target. The
dimensions' errors are not independent (a good year for a province tends to lift several dimensions): the joint
draw resamples whole vectors of standardised out-of-sample errors, one earlier (year, province) at a time, from
forecast years before the target year, each dimension centred on its pool mean as in :class:`.model.ErrorPool`.
The correlation between dimensions is therefore the one observed in earlier years, not assumed.

``indicator`` of an ``all_up`` target is ``all`` (every dimension scored in the target year) or a list such as
``D1,D3,D8``; ``target_value`` is the minimum change in points (empty or 0: strictly higher than the baseline).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...data import schema
from .model import MIN_POOL_YEARS, forecast_cell, raw_errors, transitions

N_DRAWS = 4000


def dimensions_of(indicator: str, year: int) -> list[str]:
    """The dimensions an ``all_up`` target names (``all``: every dimension scored in ``year``)."""
    if str(indicator).strip().lower() == "all":
        return list(schema.dimensions_in(min(year, 2024)))
    return [d.strip() for d in str(indicator).split(",") if d.strip()]


def min_change(value: str | float) -> float:
    return float(value) if str(value).strip() else 0.0


def _met(changes: np.ndarray, threshold: float) -> np.ndarray:
    return (changes > 0).all(axis=-1) if threshold == 0 else (changes >= threshold).all(axis=-1)


def joint_errors(panel: pd.DataFrame, dims: list[str], before_year: int) -> np.ndarray | None:
    """Centred standardised error vectors (rows: earlier year x province with all ``dims``), or None if fewer
    than :data:`.model.MIN_POOL_YEARS` years have them."""
    errors = raw_errors(panel)
    earlier = errors[(errors["year"] < before_year) & errors["dimension"].isin(dims)]
    wide = (
        earlier.pivot_table(index=["year", "province_code"], columns="dimension", values="z")
        .reindex(columns=dims)
        .dropna()
    )
    if wide.index.get_level_values("year").nunique() < MIN_POOL_YEARS:
        return None
    return (wide - wide.mean()).to_numpy()


def joint_forecast(
    panel: pd.DataFrame,
    dims: list[str],
    baseline_year: int,
    target_year: int,
    code: int,
    rng: np.random.Generator,
    n: int = N_DRAWS,
) -> tuple[np.ndarray | None, list[str]]:
    """Draws of the province's changes in every dimension (n, dims), or None and the reason."""
    means, sds = [], []
    for dim in dims:
        cell, notes = forecast_cell(panel, dim, baseline_year, target_year)
        if cell is None:
            return None, [f"{dim}: {'; '.join(notes)}"]
        codes = cell.baseline["province_code"].to_numpy()
        if code not in codes:
            return None, [f"no published {dim} score for {baseline_year}"]
        i = int(np.flatnonzero(codes == code)[0])
        means.append(cell.mean_change[i])
        sds.append(cell.sd[i])
    errors = joint_errors(panel, dims, target_year)
    if errors is None:
        return None, [f"fewer than {MIN_POOL_YEARS} earlier forecast years with all of {', '.join(dims)}"]
    z = errors[rng.integers(0, len(errors), size=n)]
    return np.asarray(means)[None, :] + np.asarray(sds)[None, :] * z, []


def predict_all_up(
    panel: pd.DataFrame, target: pd.Series, rng: np.random.Generator
) -> tuple[float, dict[str, float], list[str]]:
    """(joint probability, each dimension's own probability, notes) for an ``all_up`` target."""
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    dims = dimensions_of(target["indicator"], target_year)
    if target_year - baseline_year != 1:
        return math.nan, {}, ["only one-year-ahead targets are modelled"]
    draws, notes = joint_forecast(panel, dims, baseline_year, target_year, int(target["province_code"]), rng)
    if draws is None:
        return math.nan, {}, notes
    threshold = min_change(target["target_value"])
    marginal = {d: float(_met(draws[:, [j]], threshold).mean()) for j, d in enumerate(dims)}
    return float(_met(draws, threshold).mean()), marginal, notes


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
            cells = [forecast_cell(panel, d, year - 1, year)[0] for d in dims]
            if errors is None or any(c is None for c in cells):
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
