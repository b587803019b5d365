"""What every reader shares: the raw-record columns, errors that name file, sheet and cell, value parsing, province
names and column headers."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from .. import provinces

RAW_COLUMNS: list[str] = [
    "year",
    "province_code",
    "source_province",
    "indicator",
    "label",
    "statistic",
    "value",
    "missing_reason",
    "source_file",
    "source_sheet",
    "source_cell",
]

#: Share of a sheet's published scores found in an earlier sheet that marks it as a copy.
DUPLICATE_SHARE = 0.9
_MISSING_TEXT = {"", "kcdl", "#n/a", "n/a", "na", "-", "#value!", "#div/0!"}
_HIGHEST_CODE = 999


class SourceFormatError(ValueError):
    """A published file does not have the layout its reader expects."""


class DuplicateSheetError(SourceFormatError):
    """A workbook sheet repeats the scores of another year's sheet."""


# --------------------------------------------------------------------------- helpers


def _where(path: Path, sheet: str | None = None, cell: str | None = None) -> str:
    parts = [f"file {path.name}"]
    if sheet is not None:
        parts.append(f"sheet {sheet!r}")
    if cell is not None:
        parts.append(cell)
    return ", ".join(parts)


def parse_value(raw: object, where: str) -> tuple[float, str]:
    """(value, missing_reason) of one published cell; a zero or 'KCDL' is missing."""
    if raw is None:
        return math.nan, "blank in source"
    if isinstance(raw, bool):
        raise SourceFormatError(f"{where}: expected a number, found {raw!r}.")
    if isinstance(raw, (int, float, np.floating, np.integer)):
        value = float(raw)
        if math.isnan(value):
            return math.nan, "blank in source"
        if value == 0.0:
            return math.nan, "zero in source (no data)"
        return value, ""
    text = str(raw).strip()
    if text.lower() in _MISSING_TEXT:
        return math.nan, f"{text or 'blank'} in source" if text else "blank in source"
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise SourceFormatError(f"{where}: expected a number, found {raw!r}.") from None
    if value == 0.0:
        return math.nan, "zero in source (no data)"
    return value, ""


def _resolve_province(label: object, where: str) -> int:
    try:
        return provinces.resolve(str(label).strip())
    except provinces.UnknownProvinceError as err:
        raise SourceFormatError(f"{where}: {err}") from None


def open_workbook(path: Path) -> openpyxl.Workbook:
    """The workbook, read-only with cached values; a missing or broken file is one sentence."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist. Download the official PAPI file or set PAPI_SOURCES.")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several unrelated types for broken files
        raise SourceFormatError(f"{_where(path)}: not a readable Excel workbook ({err}).") from None


def _records_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=RAW_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["province_code"] = frame["province_code"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def _check_one_record_each(frame: pd.DataFrame, where: str) -> None:
    keys = ["year", "province_code", "indicator", "statistic"]
    dup = frame[frame.duplicated(keys, keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        cells = ", ".join(
            dup.loc[
                (dup["province_code"] == first["province_code"])
                & (dup["indicator"] == first["indicator"])
                & (dup["statistic"] == first["statistic"]),
                "source_cell",
            ]
        )
        raise SourceFormatError(
            f"{where}: province {first['source_province']!r} appears more than once for "
            f"{first['indicator']} {first['statistic']} ({cells}). Each province must appear once per year."
        )


_DIM_HEADER = re.compile(r"^\s*(?:dimension|chỉ số nội dung)?\s*(\d)\s*:", re.IGNORECASE)
_SUB_HEADER = re.compile(r"^\s*(\d)\.(\d)\s*:")


def _classify_column_header(text: str) -> str | None:
    """Indicator code of a province-row sheet column header (None for other columns)."""
    sub = _SUB_HEADER.match(text)
    if sub:
        return f"D{sub.group(1)}.{sub.group(2)}"
    dim = _DIM_HEADER.match(text)
    if dim:
        return f"D{dim.group(1)}"
    return None
