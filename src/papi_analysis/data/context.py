"""Context beside PAPI: the Provincial Competitiveness Index (PCI), population and GRDP, 2012-2021.

Source: ``papi/sources/vietnam_provincial_panel_2012_2019.xlsx`` (a research
panel built from VCCI's PCI releases and GSO statistics; public copy in
letrinhandn/Citizen-Participation-and-Local-Economic-Growth-in-Vietnam), one row
per province and year, 63 provinces x 2012-2021. :func:`read_provincial_panel`
reads that workbook; ``papi-analysis import-raw`` writes its figures to
``data/raw/context/provincial_panel.csv`` (one row per published cell, with the
cell it came from); :func:`load_context` reads them back, checksum-verified.

Variables and units (the workbook gives names only; units follow from the values
and GSO's definitions):

==================  ============================================================
``PCI``             PCI composite score, points (0-100 scale)
``PCI1``..``PCI10`` PCI sub-indices, points (0-10); ``PCI10`` blank in 2012
``TotalPOP``        average population, thousand persons
``GRDP2010``        gross regional domestic product at 2010 prices, billion VND
``GRDPperCap2010``  GRDP per head at 2010 prices, million VND per person
``Avg_Income``      average monthly income per head (VHLSS years), thousand VND
==================  ============================================================

The workbook's PAPI participation columns (``CP``, ``CP1``..``CP4``) are not
carried: PAPI's own files are the source of PAPI scores.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from .. import config
from .readers import SourceFormatError, _resolve_province, _where, parse_value

SOURCE = "papi/sources/vietnam_provincial_panel_2012_2019.xlsx"
RAW_CONTEXT = Path("context") / "provincial_panel.csv"

VARIABLES: dict[str, str] = {
    "PCI": "points (0-100)",
    **{f"PCI{k}": "points (0-10)" for k in range(1, 11)},
    "TotalPOP": "thousand persons",
    "GRDP2010": "billion VND, 2010 prices",
    "GRDPperCap2010": "million VND per person, 2010 prices",
    "Avg_Income": "thousand VND per person per month",
}
CONTEXT_COLUMNS: list[str] = [
    "year",
    "province_code",
    "source_province",
    "variable",
    "value",
    "unit",
    "missing_reason",
    "source_file",
    "source_sheet",
    "source_cell",
]
YEARS = range(2012, 2022)


def read_provincial_panel(path: str | Path) -> pd.DataFrame:
    """One row per province, year and variable of :data:`VARIABLES`, with the cell it came from.

    Refuses a workbook without the expected columns, with unknown province names,
    years outside 2012-2021 or a province-year given twice.
    """
    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:
        raise SourceFormatError(f"{_where(path)}: not a readable Excel workbook ({err}).") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows)]
    needed = ["YEAR", "Province", *VARIABLES]
    absent = [c for c in needed if c not in header]
    if absent:
        raise SourceFormatError(f"{_where(path, sheet.title)}: missing column(s) {absent}.")
    column = {name: header.index(name) for name in needed}
    records: list[dict] = []
    seen: dict[tuple[int, int], int] = {}
    for line, row in enumerate(rows, start=2):
        if all(v is None for v in row):
            continue
        where_row = _where(path, sheet.title, f"row {line}")
        code = _resolve_province(row[column["Province"]], where_row)
        year = row[column["YEAR"]]
        if not isinstance(year, (int, float)) or int(year) != year or int(year) not in YEARS:
            raise SourceFormatError(f"{where_row}: expected a year in {YEARS.start}-{YEARS.stop - 1}, found {year!r}.")
        year = int(year)
        if (year, code) in seen:
            raise SourceFormatError(f"{where_row}: {row[column['Province']]} {year} also in row {seen[(year, code)]}.")
        seen[(year, code)] = line
        for variable, unit in VARIABLES.items():
            letter = openpyxl.utils.get_column_letter(column[variable] + 1)
            value, reason = parse_value(row[column[variable]], _where(path, sheet.title, f"{letter}{line}"))
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=str(row[column["Province"]]).strip(),
                    variable=variable,
                    value=value,
                    unit=unit,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet=sheet.title,
                    source_cell=f"{letter}{line}",
                )
            )
    frame = pd.DataFrame.from_records(records, columns=CONTEXT_COLUMNS)
    return frame.sort_values(["year", "province_code", "variable"], kind="stable").reset_index(drop=True)


def load_context(variables: list[str] | None = None, raw_dir: Path | None = None) -> pd.DataFrame:
    """The context figures from ``data/raw/`` (checksum-verified), optionally only ``variables``."""
    from .raw_files import verify_raw_checksums

    raw_dir = Path(raw_dir or config.DATA_RAW)
    verify_raw_checksums(raw_dir)
    frame = pd.read_csv(
        raw_dir / RAW_CONTEXT,
        dtype={"year": "int64", "province_code": "int64", "value": "float64"},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    if variables is not None:
        unknown = sorted(set(variables) - set(VARIABLES))
        if unknown:
            raise ValueError(f"Unknown context variable(s) {unknown}; choose from {list(VARIABLES)}.")
        frame = frame[frame["variable"].isin(variables)].reset_index(drop=True)
    return frame


def context_wide(variables: list[str] | None = None) -> pd.DataFrame:
    """Year x province table with one column per variable (missing stays NaN)."""
    long = load_context(variables)
    return long.pivot(index=["year", "province_code"], columns="variable", values="value").reset_index()
