"""The 2020, 2021 and 2024 CSV exports (``agg_province_year_YYYY.csv``) and this project's raw record CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .common import (
    RAW_COLUMNS,
    SourceFormatError,
    _check_one_record_each,
    _records_frame,
    _resolve_province,
    _where,
    parse_value,
)

# --------------------------------------------------------------------------- CSV exports

_CSV_REQUIRED = ["province_vi", "year", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "total_official"]


def read_province_year_csv(path: str | Path) -> pd.DataFrame:
    """Raw records from a province-year CSV export (``agg_province_year_YYYY.csv``).

    Columns used: ``province_vi`` (name; the file's ``province_id`` is not a GSO
    code and is ignored), ``year``, ``D1``..``D8`` (1-10 points) and
    ``total_official`` (the published unweighted total, 8-80 points). Empty cells
    and zeros are missing.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist. Download the PAPI export or set PAPI_SOURCES.")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as err:
        raise SourceFormatError(f"{_where(path)}: not a readable CSV file ({err}).") from None
    absent = [c for c in _CSV_REQUIRED if c not in table.columns]
    if absent:
        raise SourceFormatError(f"{_where(path)}: missing column(s) {absent}; expected {_CSV_REQUIRED}.")
    records = []
    for i, row in table.iterrows():
        line = i + 2  # header is line 1
        where_row = _where(path, None, f"line {line}")
        code = _resolve_province(row["province_vi"], where_row)
        try:
            year = int(row["year"])
        except ValueError:
            raise SourceFormatError(f"{where_row}: expected a year, found {row['year']!r}.") from None
        for column, indicator in [(f"D{k}", f"D{k}") for k in range(1, 9)] + [("total_official", "total_unweighted")]:
            value, reason = parse_value(row[column], _where(path, None, f"line {line}, column {column}"))
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=row["province_vi"].strip(),
                    indicator=indicator,
                    label=column,
                    statistic="score",
                    value=value,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet="",
                    source_cell=f"line {line}, {column}",
                )
            )
    frame = _records_frame(records)
    _check_one_record_each(frame, _where(path))
    return frame


# --------------------------------------------------------------------------- the project's raw CSV


def read_raw_records(path: str | Path) -> pd.DataFrame:
    """Read a raw-records CSV written by :func:`papi_analysis.data.importer.import_raw`.

    Errors name the file, the line (1 = header) and the column of the first bad value.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise SourceFormatError(f"{_where(path)}: the file is empty; expected columns {RAW_COLUMNS}.") from None
    absent = [c for c in RAW_COLUMNS if c not in frame.columns]
    if absent:
        raise SourceFormatError(f"{_where(path)}: missing column(s) {absent}; expected {RAW_COLUMNS}.")
    last_year = pd.Timestamp.today().year
    for column, integer in (("year", True), ("province_code", True), ("value", False)):
        text = frame[column].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        bad = numbers.isna() & (text != "" if column == "value" else True)
        if integer:
            bad |= numbers.notna() & (numbers != numbers.round())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise SourceFormatError(
                f"{_where(path)}, line {i + 2}, column {column}: expected "
                f"{'a whole number' if integer else 'a number'}, found {frame[column].iloc[i]!r} "
                f"({int(bad.sum())} such row(s))."
            )
        frame[column] = numbers.astype("int64") if integer else numbers.astype("float64")
    out_of_range = (frame["year"] < 2011) | (frame["year"] > last_year)
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range.to_numpy())[0])
        raise SourceFormatError(
            f"{_where(path)}, line {i + 2}, column year: year {frame['year'].iloc[i]} is out of "
            f"range; PAPI years run from 2011 to {last_year} ({int(out_of_range.sum())} such row(s))."
        )
    return frame
