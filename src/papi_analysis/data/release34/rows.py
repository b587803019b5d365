"""The row-per-province layout: one province per row, the columns of :data:`layout.RELEASE34_COLUMNS`.

A UTF-8 CSV (or a workbook sheet whose first row is this header), one survey year per file, exactly the 34
provinces, in any order; the province named by its new GSO code and by its name in any accepted spelling (both must
name the same province). Empty cells are numbers PAPI did not publish; a 0 is refused (PAPI never scores 0).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from .. import provinces
from .layout import (
    COLUMN_MEANING,
    OPTIONAL_COLUMNS,
    RELEASE34_COLUMNS,
    Problems,
    check_year,
    echo,
)


def header_is_rows_layout(cells: list[object]) -> bool:
    """True when a first row looks like the row-per-province header (it has ``province`` and ``D1``)."""
    names = {str(c).strip() for c in cells if c is not None}
    return {"province", "D1"} <= names


def read_csv_rows(path: Path, problems: Problems) -> list[list[str]] | None:
    """The CSV's rows as text (None, with a problem, if the file is not UTF-8 text)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        problems.add(
            path.name,
            f"byte {err.start} is not UTF-8 text; save the file as 'CSV UTF-8' (Excel: Save As > CSV UTF-8) "
            "and import again.",
        )
        return None
    except OSError as err:
        problems.add(path.name, f"cannot be read ({err.strerror}).")
        return None
    return list(csv.reader(text.splitlines()))


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_rows(
    path: Path, rows: list[list[str]], problems: Problems, accepted: range, sheet: str | None = None
) -> tuple[list[dict], int | None]:
    """Records of a row-per-province table (row 1 the header) and its year; problems are collected, not raised."""
    label = path.name if sheet is None else f"{path.name}, sheet {sheet!r}"
    header = [h.strip() for h in (rows[0] if rows else [])]
    absent = [c for c in RELEASE34_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in RELEASE34_COLUMNS + OPTIONAL_COLUMNS]
    if absent or unknown:
        what = []
        if absent:
            what.append(f"missing column(s) {absent}")
        if unknown:
            what.append(f"unknown column(s) {[echo(c) for c in unknown]}")
        problems.add(
            f"{label}, row 1 (header)",
            f"{' and '.join(what)}; the layout is {RELEASE34_COLUMNS} (+ optional {OPTIONAL_COLUMNS}).",
        )
        return [], None
    records: list[dict] = []
    seen: dict[int, int] = {}
    year: int | None = None
    year_row = None
    for line, cells in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        where_row = f"{label}, row {line}"
        if len(cells) != len(header):
            problems.add(where_row, f"{len(cells)} cells, but the header has {len(header)}.")
            continue
        raw = {h: str(c).strip() for h, c in zip(header, cells)}
        try:
            row_year = int(raw["year"])
        except ValueError:
            problems.add(f"{where_row}, column year", f"{echo(raw['year'])} is not a year.")
            continue
        if year is None:
            year, year_row = row_year, line
            check_year(year, f"{where_row}, column year", problems, accepted)
        elif row_year != year:
            problems.add(
                f"{where_row}, column year", f"{row_year}, but row {year_row} is {year}; one survey year per file."
            )
            continue
        code = _province(raw, where_row, problems)
        if code is None:
            continue
        if code in seen:
            problems.add(
                f"{where_row}, column province",
                f"{provinces.name(code, geography='34')} is also in row {seen[code]}; each province once.",
            )
            continue
        seen[code] = line
        for column in header:
            if column not in COLUMN_MEANING:
                continue
            indicator, statistic = COLUMN_MEANING[column]
            where = f"{where_row}, column {column}"
            text = raw[column]
            value, reason = float("nan"), "blank in source"
            if text:
                number = _number(text)
                if number is None:
                    problems.add(
                        where,
                        f"{echo(text)} is not a number (use a decimal point; leave the cell empty where nothing "
                        "was published).",
                    )
                    continue
                if number == 0 and statistic in ("score", "se", "n"):
                    problems.add(where, "0 is never a PAPI figure; leave the cell empty if nothing was published.")
                    continue
                value, reason = number, ""
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=raw["province"],
                    indicator=indicator,
                    label=column,
                    statistic=statistic,
                    value=value,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet=sheet or "",
                    source_cell=f"row {line}, column {column}",
                    where=where,
                )
            )
    if not seen and not problems.found:
        problems.add(label, "no province rows.")
    return records, year


def _province(raw: dict[str, str], where_row: str, problems: Problems) -> int | None:
    try:
        by_code = provinces.resolve(int(raw["province_code"]), geography="34")
    except (ValueError, provinces.UnknownProvinceError):
        problems.add(
            f"{where_row}, column province_code",
            f"{echo(raw['province_code'])} is not the GSO code of one of the 34 provinces "
            "('papi-analysis provinces --geography 34' lists them).",
        )
        return None
    try:
        by_name = provinces.resolve(raw["province"], geography="34")
    except provinces.UnknownProvinceError as err:
        problems.add(f"{where_row}, column province", str(err))
        return None
    if by_name != by_code:
        problems.add(
            f"{where_row}, column province",
            f"code {by_code} is {provinces.name(by_code, geography='34')}, but the name {echo(raw['province'])} "
            f"is {provinces.name(by_name, geography='34')}.",
        )
        return None
    return by_code
