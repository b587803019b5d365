"""Periods, wide tables and year-on-year changes for the links analyses, never across a methodology break.

PAPI periods may not span the 2017/2018 break (6 vs 8 dimensions, revised
questionnaire); changes of D1, D3 and D5 across 2015/2016 are also dropped.
Context variables (PCI and its sub-indices) have no break recorded in their source.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data import schema
from ...params import ParameterError, check_years

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


def is_break(year_a: int, year_b: int, variable: str) -> bool:
    """A change of ``variable`` from ``year_a`` to ``year_b`` crosses a methodology break (PAPI dimensions only)."""
    if variable.startswith("D") and variable[1:].isdigit():
        return schema.is_break_between(year_a, year_b, variable)
    return False


def wide_scores(panel: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Province-years (rows: year, province_code) by dimension (columns), in points."""
    start_year, end_year = check_period(start_year, end_year)
    dims = dimensions_of(start_year, end_year)
    rows = panel[panel["year"].between(start_year, end_year) & panel["dimension"].isin(dims)]
    return rows.pivot_table(index=["year", "province_code"], columns="dimension", values="score", dropna=False)[dims]


def centred(wide: pd.DataFrame) -> pd.DataFrame:
    """Values minus each year's national mean: removes national shifts common to all provinces."""
    return wide - wide.groupby(level="year").transform("mean")


def wide_changes(wide: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year changes of every column of a (year, province_code) table; NaN across a break or a gap."""
    wide = wide.sort_index()
    years_all = sorted(set(wide.index.get_level_values("year")))
    diff = wide.groupby(level="province_code").diff()
    previous_year = wide.index.to_frame()["year"].groupby(level="province_code").shift(1)
    years = diff.index.get_level_values("year")
    consecutive = np.asarray(previous_year, dtype=float) == np.asarray(years) - 1
    diff = diff[years > years_all[0]].copy()
    consecutive = consecutive[np.asarray(years) > years_all[0]]
    diff.loc[~consecutive, :] = np.nan
    years = diff.index.get_level_values("year")
    for column in diff.columns:
        broken = np.array([is_break(y - 1, y, column) for y in years], dtype=bool)
        diff.loc[broken, column] = np.nan
    return diff


def changes(panel: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Year-on-year changes (points) of every dimension, within the period, never across a break."""
    return wide_changes(wide_scores(panel, start_year, end_year))


def check_draws(name: str, value: int) -> int:
    """A number of bootstrap draws or simulated panels: a whole number from 0 (skip) to 100000."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise ParameterError(f"{name} must be a whole number from 0 (skip) to 100000 (999 is usual); got {value!r}.")
    return value
