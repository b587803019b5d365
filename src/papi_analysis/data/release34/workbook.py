"""The official provincial-indicators workbook (``<year>PAPI_ProvincialIndicators_BangChiTieuCapTinh...xlsx``).

PAPI publishes each year's results as a *transposed* sheet, as in the year sheets ``2018``..``2023`` of the
2015-2023 workbook that :mod:`papi_analysis.data.readers` reads: label columns, a ``Thang điểm/Scale`` column, then
one column per province; a header row of province names (and often one of GSO codes, ``Mã tỉnh``); then one row per
indicator: the total (``Chỉ số PAPI tổng hợp (không có trọng số)`` / ``Unweighted PAPI Score``, its CI bounds and
SE, the same for the weighted total), each dimension (``Chỉ số nội dung k: ...`` / ``Dimension k: ...``, optionally
followed by its own CI, SE, variance or weighted rows), sub-dimensions and raw indicators, and the respondents
(``Số quan sát`` / ``Observations``). Rows are recognised by their labels
(:func:`papi_analysis.data.readers.classify_transposed_row`, shared with the 63-province reader); a row that names
only a statistic ("95% CI Low", "sai số") belongs to the indicator on the row above.

For a release on the 34 provinces every province column must be one of the 34 (any accepted spelling). A sheet whose
columns are the 63 former provinces -- the layout a public dashboard describes for the 2024 file
``2024PAPI_ProvincialIndicators_BangChiTieuCapTinh_34_TinhThanh.xlsx``: 63 columns and header rows mapping them to the
34 -- holds scores of the former provinces: its mapping rows are checked against the 2025 crosswalk and the file is
refused with that sentence (this project recasts the 63 to the 34 itself, labelled as an estimate). Sub-dimension and
raw-indicator rows are not imported.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from .. import provinces, readers
from .layout import Problems, check_year, echo
from .rows import header_is_rows_layout, parse_rows

_HEADER_ROWS = 8  # the province, code and mapping rows are among the first rows
_YEAR_IN_TITLE = re.compile(r"^\s*(\d{4})")
_YEAR_IN_LABEL = re.compile(r"\b(20\d\d)\b")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")  # "2024PAPI_ProvincialIndicators...", "1.2021PAPI_..."
#: Indicators imported from a transposed sheet (sub-dimensions and raw indicators are left out).
_IMPORTED = re.compile(r"^(D\d(_weighted)?|total_(un)?weighted|respondents)$")


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _is_name(cell: object) -> bool:
    text = _text(cell)
    return bool(text) and not re.fullmatch(r"[\d.,\s]+", text)


def _resolve(text: str, geography: str) -> int | None:
    try:
        return provinces.resolve(text, geography=geography)
    except provinces.UnknownProvinceError:
        return None


_INDICATOR_WORDS = {"total_unweighted": "total", "total_weighted": "weighted total", "respondents": "respondents"}
_STATISTIC_WORDS = {"score": "score", "ci_low": "CI low", "ci_high": "CI high", "se": "SE", "variance": "variance"}


def row_name(indicator: str, statistic: str) -> str:
    """A row's figure in words for messages: 'total CI low', 'D3 score', 'D2 weighted SE', 'respondents'."""
    if statistic == "n":
        return "respondents"
    name = _INDICATOR_WORDS.get(indicator, indicator.replace("_weighted", " weighted"))
    return f"{name} {_STATISTIC_WORDS.get(statistic, statistic)}"


def _n_provinces_named(cells: tuple) -> int:
    """How many cells name a province of either geography (the header row of province names has the most)."""
    return sum(_is_name(c) and (_resolve(_text(c), "34") or _resolve(_text(c), "63")) is not None for c in cells)


def _sheet_year(title: str, rows: list[tuple]) -> int | None:
    match = _YEAR_IN_TITLE.match(title)
    if match:
        return int(match.group(1))
    for row in rows[: _HEADER_ROWS + 4]:  # "Chỉ số PAPI 2018 (không có trọng số)"
        for cell in row or ():
            text = _text(cell).lower()
            if "papi" in text:
                found = _YEAR_IN_LABEL.search(text)
                if found:
                    return int(found.group(1))
    return None


def read_workbook(
    path: Path, problems: Problems, accepted: range, year: int | None = None
) -> tuple[list[dict], int | None]:
    """Records of the release year's sheet(s) of a workbook and the year; problems are collected, not raised."""
    try:
        wb = readers.open_workbook(path)
    except readers.SourceFormatError as err:
        problems.add(path.name, f"{err}".split(": ", 1)[-1])
        return [], None
    sheets = []
    try:
        for ws in wb.worksheets:
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            if rows and header_is_rows_layout(list(rows[0])):
                sheets.append((ws.title, rows, "rows", _sheet_year(ws.title, [])))
            elif readers.scale_column(rows) is not None:
                sheets.append((ws.title, rows, "transposed", _sheet_year(ws.title, rows)))
    finally:
        wb.close()
    if not sheets:
        problems.add(
            path.name,
            "no sheet in a layout import-release34 reads: the official transposed layout (a 'Thang điểm/Scale' "
            "column, then one column per province) or the row-per-province layout (a header row with year, "
            "province_code, province, D1..D8, total).",
        )
        return [], None
    chosen = _choose_sheets(path, sheets, problems, year)
    if not chosen:
        return [], None
    parsed = []
    for title, rows, layout, sheet_year in chosen:
        if layout == "rows":
            text_rows = [[_cell_text(c) for c in row] for row in rows]
            records, found_year = parse_rows(path, text_rows, problems, accepted, sheet=title)
            if year is not None and found_year is not None and found_year != year:
                problems.add(f"{path.name}, sheet {title!r}", f"its rows are for {found_year}, not {year} (--year).")
        else:
            found_year = year or sheet_year
            check_year(found_year, f"{path.name}, sheet {title!r}", problems, accepted)
            records = _read_transposed(path, title, rows, found_year, problems)
        parsed.append((title, records, found_year))
    first_title, records, found_year = parsed[0]
    for title, other, _ in parsed[1:]:
        _check_same(path, first_title, records, title, other, problems)
    return records, found_year


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return _text(cell)


def _choose_sheets(path: Path, sheets: list, problems: Problems, year: int | None) -> list:
    """The sheets of the release year: ``year`` if given, else the one year the sheets (or the file name) name."""
    years = sorted({s[3] for s in sheets if s[3] is not None})
    named = _YEAR_IN_NAME.search(path.name)
    if len(sheets) == 1:
        title, rows, layout, sheet_year = sheets[0]
        if year is not None and sheet_year is not None and year != sheet_year:
            problems.add(f"{path.name}, sheet {title!r}", f"the sheet is for {sheet_year}, not {year} (--year).")
            return []
        found = year or sheet_year or (int(named.group(1)) if named else None)
        if found is None and layout == "transposed":
            problems.add(
                path.name,
                "neither its sheet name nor its file name says which survey year it is; give it with --year.",
            )
            return []
        return [(title, rows, layout, found)]
    if year is None:
        if len(years) == 1:
            year = years[0]
        elif named and int(named.group(1)) in years:
            year = int(named.group(1))
        else:
            problems.add(
                path.name,
                f"it has sheets for {', '.join(map(str, years)) or 'no named year'}; say which year to import "
                "with --year.",
            )
            return []
    chosen = [(t, r, lay, year) for t, r, lay, y in sheets if y == year]
    if not chosen:
        problems.add(path.name, f"no sheet for {year}; its sheets are {', '.join(repr(s[0]) for s in sheets)}.")
    return chosen


def _check_same(path: Path, title: str, records: list[dict], other_title: str, other: list[dict], problems: Problems):
    """Two sheets of one year (Vietnamese and English labels) must publish the same numbers."""
    first = {(r["province_code"], r["indicator"], r["statistic"]): r for r in records}
    for r in other:
        mine = first.get((r["province_code"], r["indicator"], r["statistic"]))
        if mine is None:
            continue
        a, b = mine["value"], r["value"]
        if (a != a) != (b != b) or (a == a and abs(a - b) > 1e-6):
            problems.add(
                r["where"],
                f"{b!r} differs from {a!r} in sheet {title!r} ({mine['source_cell']}); the two sheets of one year "
                "must agree.",
            )
            return


# --------------------------------------------------------------------------- the transposed sheet


def _read_transposed(path: Path, title: str, rows: list[tuple], year: int, problems: Problems) -> list[dict]:
    width = max(len(r) for r in rows)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    scale = readers.scale_column(rows)
    if scale is None:  # the caller chose this reader because the sheet has one
        raise ValueError(f"{path.name}, sheet {title!r}: no scale column")
    label_cols = range(scale)
    sheet = f"{path.name}, sheet {title!r}"
    header = rows[:_HEADER_ROWS]
    names_row = max(range(len(header)), key=lambda i: _n_provinces_named(header[i][scale + 1 :]))
    cells = {col: _text(rows[names_row][col]) for col in range(scale + 1, width) if _is_name(rows[names_row][col])}
    if len(cells) < 2:
        problems.add(sheet, f"no header row of province names right of the scale column in rows 1-{len(header)}.")
        return []
    in34 = {col: _resolve(text, "34") for col, text in cells.items()}
    in63 = {col: _resolve(text, "63") for col, text in cells.items()}
    # many names are in both geographies (Đà Nẵng, Lào Cai...): more than 34 province columns mean the 63
    n34, n63 = (sum(v is not None for v in found.values()) for found in (in34, in63))
    geography = "63" if len(cells) > 34 and n63 >= n34 else "34"
    codes = in34 if geography == "34" else in63
    columns: dict[int, tuple[int, str]] = {}
    for col, text in cells.items():
        where = f"{sheet}, row {names_row + 1}, column {get_column_letter(col + 1)}"
        column_code = codes[col]
        if column_code is None:
            try:
                provinces.resolve(text, geography=geography)
            except provinces.UnknownProvinceError as err:
                problems.add(where, str(err))
            continue
        other = next((c for c, (code, _) in columns.items() if code == column_code), None)
        if other is not None:
            problems.add(
                where,
                f"{provinces.name(column_code, geography=geography)} is also column {get_column_letter(other + 1)}; "
                "each province once.",
            )
            continue
        columns[col] = (column_code, text)
    mapped = _check_header_rows(sheet, rows, names_row, label_cols, columns, geography, problems)
    if geography == "63":
        problems.add(
            f"{sheet}, row {names_row + 1}",
            f"its {len(columns)} province columns are the provinces before 1 July 2025"
            + (f" (row {mapped} maps them to the 34)" if mapped else "")
            + ", so its scores are for the former provinces, not a release on the 34 provinces; import-release34 "
            "takes one column per province since 1 July 2025 (the 34-province history before 2025 is recast from "
            "the 63 by build-data and labelled as this project's estimate).",
        )
        return []
    return _data_records(path, title, sheet, rows, year, label_cols, columns, names_row, problems)


def _check_header_rows(sheet, rows, names_row, label_cols, columns, geography, problems) -> int | None:
    """Code rows ('Mã tỉnh') must give each column's GSO code; rows naming the 34 provinces must name the column's
    province (on the 34) or the province it became (on the 63). Returns the 1-based row mapping 63 to 34, if any."""
    mapped = None
    for i, row in enumerate(rows[:_HEADER_ROWS]):
        if i == names_row:
            continue
        labels = " ".join(_text(row[c]).lower() for c in label_cols)
        numeric = [col for col in columns if _text(row[col]) and not _is_name(row[col])]
        if re.search(r"\bmã\b", labels) and len(numeric) >= len(columns) // 2:
            for col in numeric:
                code = columns[col][0]
                expected = {code} if geography == "34" else {code, provinces.successor(code)}
                try:
                    stated = int(float(_text(row[col]).replace(",", ".")))
                except ValueError:
                    stated = None
                if stated not in expected:
                    problems.add(
                        f"{sheet}, row {i + 1}, column {get_column_letter(col + 1)}",
                        f"code {echo(row[col])}, but the column is {provinces.name(code, geography=geography)} "
                        f"(GSO code {code} among the {geography}).",
                    )
            continue
        named = {col: _resolve(_text(row[col]), "34") for col in columns if _is_name(row[col])}
        if len(named) < max(2, len(columns) * 0.8) or sum(v is not None for v in named.values()) < len(named) * 0.8:
            continue
        for col, new_code in named.items():
            code = columns[col][0]
            successor = code if geography == "34" else provinces.successor(code)
            if new_code != successor:
                problems.add(
                    f"{sheet}, row {i + 1}, column {get_column_letter(col + 1)}",
                    f"{echo(row[col])} does not match the column's province "
                    f"{provinces.name(code, geography=geography)}, which is "
                    f"{provinces.name(successor, geography='34')} among the 34.",
                )
        if geography == "63":
            mapped = i + 1
    return mapped


def _data_records(path, title, sheet, rows, year, label_cols, columns, names_row, problems) -> list[dict]:
    records: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    previous = None
    for number, row in enumerate(rows, start=1):
        if number <= names_row + 1:
            previous = None
            continue
        labels = [_text(row[c]) for c in label_cols if _text(row[c])]
        kind = previous = readers.classify_transposed_row(labels, previous) if labels else None
        if kind is None or not _IMPORTED.match(kind[0]):
            continue
        if kind in seen:
            problems.add(
                f"{sheet}, row {number}",
                f"repeats the {row_name(*kind)} of row {seen[kind]} ({echo(' | '.join(labels))}); each figure once.",
            )
            continue
        seen[kind] = number
        indicator, statistic = kind
        for col, (code, name) in columns.items():
            letter = get_column_letter(col + 1)
            where = f"{sheet}, row {number} ({row_name(indicator, statistic)}), column {letter} ({name})"
            try:
                value, reason = readers.parse_value(row[col], where)
            except readers.SourceFormatError:
                problems.add(
                    where, f"{echo(row[col])} is not a number; leave the cell empty where nothing was published."
                )
                continue
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=name,
                    indicator=indicator,
                    label=" | ".join(labels),
                    statistic=statistic,
                    value=value,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet=title,
                    source_cell=f"{letter}{number}",
                    where=where,
                )
            )
    return records
