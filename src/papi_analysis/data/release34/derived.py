"""Files in a release's layouts written from this project's panels: for tests and worked examples only.

A file written from the recast history is this project's estimate, not a PAPI release, and says so: its name should
carry ``DERIVED`` (e.g. ``papi34_2024_DERIVED_recast_from_63_provinces.csv``), and a workbook carries a note row
in its label column. Numbers are those of the panel, never made up: a row is written only where the panel has
figures (the 2024 recast has scores only; 2022-2023 also SE, CI and respondents where PAPI published them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from .. import provinces, schema
from .layout import RELEASE34_COLUMNS

DERIVED_NOTE = (
    "DERIVED TEST FILE — not a PAPI release: {what}, written by papi_analysis.data.release34.derived "
    "in the layout of PAPI's provincial-indicators workbook."
)


def write_release34(panel_34: pd.DataFrame, year: int, path: str | Path, as_year: int | None = None) -> Path:
    """Write one year of a 34-province panel in the row-per-province layout (``as_year`` relabels the year)."""
    year_rows = panel_34[panel_34["year"] == year]
    wide = year_rows.pivot(index=["province_code", "province"], columns="dimension", values="score")
    wide = wide.reindex(columns=[*schema.dimensions_in(year), schema.TOTAL]).reset_index()
    for d in schema.DIMENSIONS:
        if d not in wide.columns:
            wide[d] = np.nan
    wide.insert(0, "year", as_year or year)
    wide = wide[RELEASE34_COLUMNS].sort_values("province_code")
    path = Path(path)
    wide.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")
    return path


def write_official_workbook(
    panel: pd.DataFrame,
    year: int,
    path: str | Path,
    as_year: int | None = None,
    mapping_row: bool = False,
    what: str | None = None,
) -> Path:
    """Write one year of a panel (63 or 34 provinces) in the transposed layout of PAPI's provincial-indicators
    workbook: code row, name row, the total's score/CI/SE rows, one row per dimension (followed by an SE row where
    the panel has dimension SEs, as in 2019), respondents.

    ``as_year`` names the sheet (a release of the 34 provinces must be for 2025 or later); ``mapping_row`` adds,
    on the 63 provinces, a header row naming the province each column became on 1 July 2025.
    """
    geography = provinces.geography_of(panel)
    as_year = as_year or year
    part = panel[panel["year"] == year]
    codes = sorted(part["province_code"].unique())
    registry = provinces.registry(geography=geography)

    def values(dimension: str, column: str) -> list:
        series = part[part["dimension"] == dimension].set_index("province_code")[column]
        return [None if pd.isna(v) else float(v) for v in series.reindex(codes)]

    rows: list[list] = [
        ["Mã tỉnh", "Mã tỉnh", "Thang điểm/Scale", *codes],
        ["Tỉnh/Thành phố trực thuộc trung ương", "Tỉnh/Thành phố trực thuộc trung ương", None]
        + [registry.loc[c, "name_vi"] for c in codes],
    ]
    if mapping_row and geography == "63":
        rows.append(
            ["Tỉnh/thành phố từ 1/7/2025 (34)", "Province since 1 July 2025 (34)", None]
            + [registry.loc[c, "province_2025_name_vi"] for c in codes]
        )
    total_rows = [
        ("Unweighted PAPI Score", "Chỉ số PAPI tổng hợp (không có trọng số)", "score", "10-80 điểm/points"),
        (
            "Unweighted 95% CI Low",
            "Chỉ số PAPI tổng hợp (không có trọng số) - điểm tối thiểu trong khoảng tin cậy 95%",
            "ci_low",
            None,
        ),
        (
            "Unweighted 95% CI High",
            "Chỉ số PAPI tổng hợp (không có trọng số) - điểm tối đa trong khoảng tin cậy 95%",
            "ci_high",
            None,
        ),
        ("Unweighted Standard Error", "Chỉ số PAPI tổng hợp (không có trọng số) - sai số ", "se", None),
    ]
    for en, vi, column, scale in total_rows:
        figures = values(schema.TOTAL, column)
        if column == "score" or any(v is not None for v in figures):
            rows.append([en, vi, scale, *figures])
    for dimension in schema.dimensions_in(year):
        names = schema.DIMENSION_NAMES[dimension]
        k = dimension[1:]
        rows.append(
            [f"Dimension {k}: {names['en']}", f"Chỉ số nội dung {k}: {names['vi']}", "1-10 điểm/points"]
            + values(dimension, "score")
        )
        errors = values(dimension, "se")
        if any(v is not None for v in errors):  # a row naming only its statistic: it belongs to the row above
            rows.append(["Standard Error", "Sai số chuẩn", None, *errors])
    respondents = values(schema.TOTAL, "n_respondents")
    if any(v is not None for v in respondents):
        rows.append(
            [
                "Observations",
                "Số quan sát",
                "respondents/người trả lời",
                *[None if v is None else int(v) for v in respondents],
            ]
        )
    note = DERIVED_NOTE.format(what=what or f"this project's {year} panel on the {geography} provinces")
    rows.append([note, note, None])
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = f"{as_year}_DERIVED_TEST"
    for row in rows:
        ws.append(row)
    path = Path(path)
    wb.save(path)
    return path
