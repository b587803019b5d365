"""Backtest of the targets beyond one indicator and one year (:mod:`.backtest`): every dimension up together, and
two years ahead, in the rows of :mod:`.events`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data import schema
from .. import ranking
from .competitors import quintile_rates, random_walk, similar_rates
from .events import N_RW, PER_STRATUM, THRESHOLDS, Rows, group_index, national_columns, unit_kinds
from .forecast import N_STRATA, by_stratum, forecast_cell, groups_of
from .joint import historical_all_up, joint_changes, joint_errors


def backtest_all_up(
    panel: pd.DataFrame, years: list[int], seed: int = 20250701, kinds: pd.Series | None = None
) -> list[pd.DataFrame]:
    """Rolling-origin backtest of "every dimension up" (all dimensions scored that year; and D1-D6), one row per
    province and year (family ``all_up``, stratified by the national common factor, ``coupling`` its own). The base
    rate is the earlier years' share of province-years with all of them up; the random walk's, ``0.5`` per
    dimension."""
    rng = np.random.default_rng(seed)
    kinds = unit_kinds(panel) if kinds is None else kinds
    frames = []
    for year in years:
        # sorted, not a set's order: the random draws must not depend on the process's hash seed
        for dims in sorted({tuple(schema.dimensions_in(year)), tuple(schema.DIMENSIONS[:6])}):
            if any(schema.is_break_between(year - 1, year, d) for d in dims):
                continue
            errors = joint_errors(panel, list(dims), year)
            found = [forecast_cell(panel, d, year - 1, year)[0] for d in dims]
            cells = [c for c in found if c is not None]
            if errors is None or len(cells) < len(found):
                continue
            share, _, _ = historical_all_up(panel, list(dims), year - 1)
            wide = panel[panel["dimension"].isin(dims) & panel["year"].isin([year - 1, year])].pivot_table(
                index=["province_code", "year"], columns="dimension", values="score"
            )
            codes, grids, outcomes = [], [], []
            for code in sorted(set.intersection(*(set(c.baseline["province_code"]) for c in cells))):
                if (code, year) not in wide.index or wide.loc[(code, year), list(dims)].isna().any():
                    continue
                draws = joint_changes(cells, errors, code, rng, 100)
                codes.append(code)
                grids.append(by_stratum((draws > 0).all(axis=1).astype(float)))
                actual = (wide.loc[(code, year), list(dims)] - wide.loc[(code, year - 1), list(dims)]).to_numpy()
                outcomes.append(bool((actual > 0).all()))
            if not codes:
                continue
            code_array = np.asarray(codes)
            units = kinds.reindex(code_array).fillna("").to_numpy() if len(kinds) else np.full(len(codes), "")
            rows = Rows(year, f"{dims[0]}-{dims[-1]}", code_array, units, np.ones(len(codes), dtype=bool))
            rows.upper(
                "all_up",
                f"all of {dims[0]}-{dims[-1]} up",
                np.stack(grids, axis=1),
                np.asarray(outcomes),
                "all_up",
                p_base=share,
                p_rw=0.5 ** len(dims),
            )
            frames += [f.assign(**national_columns(panel, year)) for f in rows.frames]
    return frames


def backtest_two_years_ahead(
    panel: pd.DataFrame, years: list[int], seed: int = 20250701, kinds: pd.Series | None = None
) -> list[pd.DataFrame]:
    """Targets two years ahead (family ``two_years_ahead``): from baseline ``T - 2``, change ≥ 0 and the gain
    thresholds, and the high-average-or-better group, by :meth:`.forecast.CellForecast.horizon_paths` (stratified by
    the national part of year ``T``). The base rate is the earlier two-year changes' rate within the quintile of
    distance from the national mean; the random walk's spread grows with the square root of two."""
    rng = np.random.default_rng(seed)
    kinds = unit_kinds(panel) if kinds is None else kinds
    ranked = ranking.rank_and_group(panel).set_index(["dimension", "year", "province_code"])
    all_years = sorted(int(y) for y in panel["year"].unique())
    frames = []
    for year in years:
        for dim in sorted(panel.loc[panel["year"] == year, "dimension"].unique()):
            if schema.is_break_between(year - 2, year, dim) or year - 2 not in all_years:
                continue
            cell, _ = forecast_cell(panel, dim, year - 2, year)
            if cell is None:
                continue
            d = panel[panel["dimension"] == dim].pivot_table(index="province_code", columns="year", values="score")
            hist = []
            for y in all_years:
                if (
                    y <= year - 2
                    and y - 2 in d.columns
                    and y in d.columns
                    and not schema.is_break_between(y - 2, y, dim)
                ):
                    both = d[[y - 2, y]].dropna()
                    hist.append(
                        pd.DataFrame({"deviation": both[y - 2] - d[y - 2].mean(), "change": both[y] - both[y - 2]})
                    )
            if not hist or year not in d.columns:
                continue
            hist = pd.concat(hist)
            codes = cell.baseline["province_code"].to_numpy()
            scores = cell.baseline["score"].to_numpy()
            actual = d[year].reindex(codes).to_numpy()
            keep = ~np.isnan(actual)
            units = kinds.reindex(codes).fillna("").to_numpy() if len(kinds) else np.full(len(codes), "")
            rows = Rows(year, dim, codes, units, keep)
            draws, _ = cell.horizon_paths(rng, PER_STRATUM * N_STRATA, 2)
            walk = random_walk(cell.model.history, year - 2)
            dev = scores - scores.mean()
            scale = "total" if dim == schema.TOTAL else "dimension"
            for c in (0.0,) + THRESHOLDS["gain"][scale]:
                rows.upper(
                    "two_years_ahead",
                    f"2-year change>={c:g}",
                    by_stratum((draws - scores) >= c),
                    (actual - scores) >= c,
                    "change2",
                    p_base=quintile_rates(hist["deviation"].to_numpy(), hist["change"].to_numpy() >= c, dev),
                    p_rw=walk.sf(c, steps=2),
                )
            act_g = group_index(
                ranked.loc[dim].reindex(pd.MultiIndex.from_arrays([[year] * len(codes), codes]))["group"]
            )
            prev_g = group_index(
                ranked.loc[dim].reindex(pd.MultiIndex.from_arrays([[year - 2] * len(codes), codes]))["group"]
            )
            trans = []
            for y in all_years:
                if y <= year - 2 and (y - 2) in all_years and not schema.is_break_between(y - 2, y, dim):
                    a = ranked.loc[dim].reindex(pd.MultiIndex.from_product([[y - 2], d.index]))["group"].to_numpy()
                    b = ranked.loc[dim].reindex(pd.MultiIndex.from_product([[y], d.index]))["group"].to_numpy()
                    trans.append(pd.DataFrame({"a": a, "b": b}).dropna())
            base = np.full(len(codes), np.nan)
            if trans:
                t = pd.concat(trans)
                t = t[(t["a"] != "<NA>") & (t["b"] != "<NA>")]
                base = similar_rates(group_index(t["a"]), group_index(t["b"]) <= 1, prev_g, exact=True)
            rw_groups = groups_of(scores[None, :] + walk.draws(rng, N_RW, len(codes)) * np.sqrt(2))
            rows.upper(
                "two_years_ahead",
                "2-year group<=high_average",
                (groups_of(draws) <= 1).mean(0),
                act_g <= 1,
                "group2",
                keep=~np.isnan(act_g),
                p_base=base,
                p_rw=(rw_groups <= 1).mean(0),
            )
            frames += [f.assign(**national_columns(panel, year)) for f in rows.frames]
    return frames
