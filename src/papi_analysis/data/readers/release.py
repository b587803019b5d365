"""``PAPI_2011-2016.xlsx``: one sheet per year, bilingual two-row header, GSO code ``tinhid``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from .common import (
    _HIGHEST_CODE,
    SourceFormatError,
    _check_one_record_each,
    _records_frame,
    _resolve_province,
    _where,
    open_workbook,
    parse_value,
)

# --------------------------------------------------------------------------- 2011-2016 release

_RELEASE_SHEET = re.compile(r"^(\d{4})_PAPI$")
_RELEASE_DIMENSIONS = {
    "participation at local levels": "D1",
    "transparency": "D2",
    "vertical accountability": "D3",
    "control of corruption": "D4",
    "public administrative procedures": "D5",
    "public service delivery": "D6",
}


def read_release_2011_2016(path: str | Path, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Raw records from the official 2011-2016 PAPI release (``PAPI_2011-2016.xlsx``).

    Sheets ``YYYY_PAPI``; row 1 English and row 2 Vietnamese headers; column A
    the GSO code (``tinhid``), B/C the English/Vietnamese name, then the six
    dimensions (1-10 points) each followed by its sub-dimensions, and the
    unweighted total (6-60 points) last. The "Highest" row (code 999) is a
    summary, not a province, and is skipped.
    """
    path = Path(path)
    wb = open_workbook(path)
    wanted = set(years) if years is not None else None
    records: list[dict] = []
    found: set[int] = set()
    for ws in wb.worksheets:
        match = _RELEASE_SHEET.match(ws.title)
        if not match:
            continue
        year = int(match.group(1))
        if wanted is not None and year not in wanted:
            continue
        found.add(year)
        records.extend(_read_release_sheet(path, ws, year))
    wb.close()
    if not found:
        raise SourceFormatError(
            f"{_where(path)}: no sheet named like '2011_PAPI' was found; is this the 2011-2016 PAPI release?"
        )
    if wanted is not None and wanted - found:
        raise SourceFormatError(f"{_where(path)}: no sheet for year(s) {sorted(wanted - found)}.")
    frame = _records_frame(records)
    for year, part in frame.groupby("year"):
        _check_one_record_each(part, _where(path, f"{year}_PAPI"))
    return frame


def _read_release_sheet(path: Path, ws, year: int) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    if len(rows) < 3:
        raise SourceFormatError(f"{_where(path, ws.title)}: fewer than 3 rows; expected a two-row header and data.")
    header_en = [str(c).strip() if c is not None else "" for c in rows[0]]
    expected = ["tinhid", "tentinh_eng", "tentinh_vie"]
    if [h.lower() for h in header_en[:3]] != expected:
        raise SourceFormatError(
            f"{_where(path, ws.title, 'row 1')}: expected the header {expected} in A1:C1, found {header_en[:3]}."
        )
    columns: dict[int, str] = {}
    labels = {col: text for col, text in enumerate(header_en)}
    current_dim: str | None = None
    sub_index = 0
    total_col: int | None = None
    for col, text in enumerate(header_en[3:], start=3):
        if not text:
            continue
        key = text.lower()
        if key in _RELEASE_DIMENSIONS:
            current_dim = _RELEASE_DIMENSIONS[key]
            sub_index = 0
            columns[col] = current_dim
        elif "papi" in key:
            total_col = col
            columns[col] = "total_unweighted"
        elif current_dim is not None:
            sub_index += 1
            columns[col] = f"{current_dim}.{sub_index}"
    dims_found = sorted({v for v in columns.values() if v in _RELEASE_DIMENSIONS.values()})
    if dims_found != sorted(_RELEASE_DIMENSIONS.values()) or total_col is None:
        raise SourceFormatError(
            f"{_where(path, ws.title, 'row 1')}: expected the six PAPI dimensions and a total column, "
            f"found dimensions {dims_found} and total column {'present' if total_col else 'missing'}."
        )
    records = []
    for row_number, row in enumerate(rows[2:], start=3):
        if row is None or all(c is None for c in row):
            continue
        code_cell = row[0]
        if code_cell == _HIGHEST_CODE:
            continue
        where_row = _where(path, ws.title, f"row {row_number}")
        try:
            code = int(code_cell)
        except (TypeError, ValueError):
            raise SourceFormatError(
                f"{where_row}: expected a GSO province code in column A, found {code_cell!r}."
            ) from None
        name_vi = row[2]
        resolved = _resolve_province(name_vi, where_row)
        if resolved != code:
            raise SourceFormatError(
                f"{where_row}: code {code} does not match province name {name_vi!r} (GSO code {resolved})."
            )
        for col, indicator in columns.items():
            cell = f"{get_column_letter(col + 1)}{row_number}"
            value, reason = parse_value(row[col] if col < len(row) else None, _where(path, ws.title, f"cell {cell}"))
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=str(name_vi).strip(),
                    indicator=indicator,
                    label=labels[col],
                    statistic="score",
                    value=value,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet=ws.title,
                    source_cell=cell,
                )
            )
    return records
