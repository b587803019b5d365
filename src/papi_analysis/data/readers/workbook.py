"""``PAPI-2015-2023-{eng,vi}.xlsm``: province-row sheets and transposed year sheets (provinces as columns, with CI,
SE and respondent counts); sheets that copy another year are refused."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from .common import (
    _SUB_HEADER,
    DUPLICATE_SHARE,
    DuplicateSheetError,
    SourceFormatError,
    _check_one_record_each,
    _classify_column_header,
    _records_frame,
    _resolve_province,
    _where,
    open_workbook,
    parse_value,
)

# --------------------------------------------------------------------------- 2015-2023 workbook

_YEAR_SHEET = re.compile(r"^(\d{4})(_Process)?$")


def _sheet_layout(rows: list[tuple]) -> str:
    """'transposed' (provinces as columns) or 'rows' (provinces as rows)."""
    first = [str(c).strip().lower() if c is not None else "" for c in (rows[0] if rows else ())]
    if any(c.startswith("thang điểm") for c in first):
        return "transposed"
    return "rows"


def _read_rows_sheet(path: Path, sheet: str, rows: list[tuple], year: int) -> list[dict]:
    """Province-row sheets: ``2015_Process`` (eng), ``2015`` (vi), and the macro-headed ``2018_Process``.."""
    header_index = None
    for i, row in enumerate(rows[:20]):
        first = str(row[0]).strip().lower() if row and row[0] is not None else ""
        if first in {"province", "tên tỉnh", "tỉnh", "tỉnh/thành phố"}:
            header_index = i
            break
    if header_index is None:
        raise SourceFormatError(
            f"{_where(path, sheet)}: no header row starting with 'Province' or 'Tên tỉnh' in the first 20 rows."
        )
    header = [str(c).strip() if c is not None else "" for c in rows[header_index]]
    columns = {col: ind for col, text in enumerate(header) if (ind := _classify_column_header(text))}
    if not any("." not in ind for ind in columns.values()):
        raise SourceFormatError(
            f"{_where(path, sheet, f'row {header_index + 1}')}: no dimension columns "
            "('Dimension 1: ...' or '1: ...') in the header."
        )
    records = []
    for row_number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if row is None or row[0] is None or str(row[0]).strip() == "":
            continue
        where_row = _where(path, sheet, f"row {row_number}")
        code = _resolve_province(row[0], where_row)
        for col, indicator in columns.items():
            cell = f"{get_column_letter(col + 1)}{row_number}"
            value, reason = parse_value(row[col] if col < len(row) else None, _where(path, sheet, f"cell {cell}"))
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=str(row[0]).strip(),
                    indicator=indicator,
                    label=header[col],
                    statistic="score",
                    value=value,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet=sheet,
                    source_cell=cell,
                )
            )
    return records


#: Words that name a statistic of the indicator on the row above (a row of PAPI's per-indicator block).
_STATISTIC_WORDS = (
    "tối thiểu",
    "tối đa",
    "khoảng tin cậy",
    "ci low",
    "ci high",
    "sai số",
    "standard error",
    "phương sai",
    "variance",
    "trọng số",
    "weighted",
)
#: Indicators that carry a block of statistic rows (score, CI, SE, weighted) in the transposed sheets.
_BLOCK_INDICATOR = re.compile(r"^(D\d(_weighted)?|total_(un)?weighted)$")


def _statistic_named(joined: str) -> str:
    """The statistic a (lower-case) row label names: ``ci_low``, ``ci_high``, ``se``, ``variance`` or ``score``."""
    if "tối thiểu" in joined or "ci low" in joined:
        return "ci_low"
    if "tối đa" in joined or "ci high" in joined:
        return "ci_high"
    if "sai số" in joined or "standard error" in joined:
        return "se"
    if "phương sai" in joined or "variance" in joined:
        return "variance"
    return "score"


def _weighting_named(joined: str) -> bool | None:
    """True for a weighted estimate, False for an unweighted one, None when the label says neither."""
    if "không có trọng số" in joined or "không trọng số" in joined or "unweighted" in joined:
        return False
    if "có trọng số" in joined or "weighted" in joined:
        return True
    return None


def classify_transposed_row(labels: list[str], previous: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """(indicator, statistic) of a transposed-sheet row from its label cells, or None to skip the row.

    Indicators: ``D1``..``D8`` (unweighted), ``D1_weighted``.., ``total_unweighted``, ``total_weighted``,
    sub-dimensions ``D1.1``.., ``respondents``; statistics: ``score``, ``ci_low``, ``ci_high``, ``se``,
    ``variance``, ``n``. A row whose label names only a statistic ("95% CI Low", "Sai số") belongs to the
    indicator of the row right above it (``previous``, the classification of that row), as in PAPI's blocks of
    score, CI and SE rows.
    """
    joined = " | ".join(labels).lower()
    if "số quan sát" in joined or joined.startswith("observations"):
        return "respondents", "n"
    if "chỉ số papi" in joined or "papi score" in joined or re.search(r"\bpapi\b.*\b(ci|standard error)\b", joined):
        indicator = "total_unweighted" if _weighting_named(joined) is False else "total_weighted"
        return indicator, _statistic_named(joined)
    variance = re.search(r"phương sai\s*\(chỉ số nội dung\s*(\d)\)", joined)
    if variance:
        return f"D{variance.group(1)}", "variance"
    for label in labels:
        sub = _SUB_HEADER.match(label)
        if sub:
            return f"D{sub.group(1)}.{sub.group(2)}", "score"
    for label in labels:
        dim = re.match(r"^\s*(?:dimension|chỉ số nội dung)\s*(\d)\s*:", label, re.IGNORECASE)
        if dim:
            weighted = "_weighted" if _weighting_named(joined) else ""
            return f"D{dim.group(1)}{weighted}", _statistic_named(joined)
    if previous is not None and _BLOCK_INDICATOR.match(previous[0]) and any(w in joined for w in _STATISTIC_WORDS):
        weighting = _weighting_named(joined)
        if weighting is None:
            indicator = previous[0]
        elif previous[0].startswith("total_"):
            indicator = "total_weighted" if weighting else "total_unweighted"
        else:
            dimension = previous[0].removesuffix("_weighted")
            indicator = f"{dimension}_weighted" if weighting else dimension
        return indicator, _statistic_named(joined)
    return None


def scale_column(rows: list[tuple], search_rows: int = 6) -> int | None:
    """Column index of the 'Thang điểm/Scale' header of a transposed sheet (labels are left of it), or None."""
    for row in rows[:search_rows]:
        for col, cell in enumerate(row or ()):
            text = str(cell).strip().lower() if cell is not None else ""
            if text.startswith("thang điểm") or text in {"scale", "thang diem"}:
                return col
    return None


def _read_transposed_sheet(path: Path, sheet: str, rows: list[tuple], year: int) -> list[dict]:
    """Year sheets ``2018``.. with indicators as rows and provinces as columns."""
    first = [str(c).strip().lower() if c is not None else "" for c in rows[0]]
    scale_col = next(i for i, c in enumerate(first) if c.startswith("thang điểm"))
    label_cols = range(scale_col)
    codes_row = names_row = None
    for i, row in enumerate(rows[:5]):
        labels = [str(row[c]).strip().lower() for c in label_cols if row[c] is not None]
        if any(lab == "mã tỉnh" for lab in labels):
            codes_row = i
        if any(lab.startswith(("tên tỉnh", "tỉnh/thành phố")) for lab in labels):
            names_row = i
    if names_row is None:
        raise SourceFormatError(
            f"{_where(path, sheet)}: no row of province names ('Tên tỉnh/thành phố' or "
            "'Tỉnh/Thành phố trực thuộc trung ương') in the first 5 rows."
        )
    province_cols: dict[int, tuple[int, str]] = {}
    for col in range(scale_col + 1, len(rows[names_row])):
        label = rows[names_row][col]
        if label is None or str(label).strip() == "":
            continue
        cell = f"{get_column_letter(col + 1)}{names_row + 1}"
        where_cell = _where(path, sheet, f"cell {cell}")
        code = _resolve_province(label, where_cell)
        if codes_row is not None:
            stated = rows[codes_row][col]
            try:
                stated_code = int(stated)
            except (TypeError, ValueError):
                raise SourceFormatError(
                    f"{_where(path, sheet, f'cell {get_column_letter(col + 1)}{codes_row + 1}')}: "
                    f"expected a GSO code, found {stated!r}."
                ) from None
            if stated_code != code:
                raise SourceFormatError(
                    f"{where_cell}: province {label!r} is GSO code {code} but the code row says {stated_code}."
                )
        province_cols[col] = (code, str(label).strip())
    if not province_cols:
        raise SourceFormatError(f"{_where(path, sheet)}: no province columns after the scale column.")
    records = []
    previous = None
    for row_number, row in enumerate(rows, start=1):
        if row_number - 1 in (codes_row, names_row) or row is None:
            previous = None
            continue
        labels = [str(row[c]).strip() for c in label_cols if c < len(row) and row[c] is not None]
        kind = previous = classify_transposed_row(labels, previous)
        if kind is None:
            continue
        indicator, statistic = kind
        for col, (code, source_name) in province_cols.items():
            cell = f"{get_column_letter(col + 1)}{row_number}"
            value, reason = parse_value(row[col] if col < len(row) else None, _where(path, sheet, f"cell {cell}"))
            records.append(
                dict(
                    year=year,
                    province_code=code,
                    source_province=source_name,
                    indicator=indicator,
                    label=" | ".join(labels),
                    statistic=statistic,
                    value=value,
                    missing_reason=reason,
                    source_file=path.name,
                    source_sheet=sheet,
                    source_cell=cell,
                )
            )
    return records


def _read_workbook_sheet(path: Path, sheet: str, rows: list[tuple], year: int) -> pd.DataFrame:
    if not rows:
        raise SourceFormatError(f"{_where(path, sheet)}: the sheet is empty.")
    if _sheet_layout(rows) == "transposed":
        records = _read_transposed_sheet(path, sheet, rows, year)
    else:
        records = _read_rows_sheet(path, sheet, rows, year)
    frame = _records_frame(records)
    _check_one_record_each(frame, _where(path, sheet))
    return frame


def _fingerprint(frame: pd.DataFrame) -> frozenset:
    """The sheet's published scores, without the year: equal fingerprints mean a copied sheet."""
    scores = frame[(frame["statistic"] == "score") & frame["value"].notna()]
    return frozenset(zip(scores["province_code"], scores["indicator"], scores["value"].round(6)))


def inspect_workbook(path: str | Path) -> pd.DataFrame:
    """One row per year sheet of a PAPI workbook: year, sheet, layout, rows read, and which sheet it copies.

    ``duplicate_of`` names an earlier year's sheet with identical scores (the
    2015-2023 workbook's ``2020`` and ``2021`` sheets repeat ``2019``).
    """
    path = Path(path)
    sheets = _parse_workbook(path)
    return pd.DataFrame(
        [
            dict(year=year, sheet=sheet, layout=layout, records=len(frame), duplicate_of=dup or "")
            for (year, sheet, layout, frame, dup) in sheets
        ]
    )


def _parse_workbook(path: Path) -> list[tuple[int, str, str, pd.DataFrame, str | None]]:
    wb = open_workbook(path)
    parsed = []
    for ws in wb.worksheets:
        match = _YEAR_SHEET.match(ws.title.strip())
        if not match:
            continue
        rows = list(ws.iter_rows(values_only=True))
        year = int(match.group(1))
        frame = _read_workbook_sheet(path, ws.title, rows, year)
        parsed.append((year, ws.title, _sheet_layout(rows), frame))
    wb.close()
    if not parsed:
        raise SourceFormatError(
            f"{_where(path)}: no sheet named like '2018' or '2018_Process'; is this the PAPI 2015-2023 workbook?"
        )
    result = []
    earlier: list[tuple[int, str, frozenset]] = []
    for year, sheet, layout, frame in sorted(parsed, key=lambda p: (p[0], p[1])):
        fp = _fingerprint(frame)
        dup = None
        for other_year, other_sheet, other_fp in earlier:
            # a copy may keep or drop a few rows; 90% shared scores is far beyond chance
            if other_year != year and fp and len(fp & other_fp) >= DUPLICATE_SHARE * len(fp):
                dup = other_sheet
                break
        if dup is None and fp:
            earlier.append((year, sheet, fp))
        result.append((year, sheet, layout, frame, dup))
    return result


def read_papi_workbook(path: str | Path, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Raw records from the official PAPI 2015-2023 workbook (English or Vietnamese labels).

    For each year the transposed year sheet (with totals, CI, SE and respondent
    counts) is used when present, otherwise the province-row sheet. A sheet
    whose scores repeat another year's sheet is refused with
    :class:`DuplicateSheetError` — pass ``years`` to leave such years out and
    load them from their own release instead.
    """
    path = Path(path)
    parsed = _parse_workbook(path)
    by_year: dict[int, list] = {}
    for item in parsed:
        by_year.setdefault(item[0], []).append(item)
    wanted = sorted(set(years)) if years is not None else sorted(by_year)
    missing = [y for y in wanted if y not in by_year]
    if missing:
        raise SourceFormatError(f"{_where(path)}: no sheet for year(s) {missing}; sheets cover {sorted(by_year)}.")
    frames = []
    for year in wanted:
        candidates = sorted(by_year[year], key=lambda item: item[2] != "transposed")
        year_, sheet, layout, frame, dup = candidates[0]
        for other in candidates:
            if other[4] is not None:
                raise DuplicateSheetError(
                    f"{_where(path, other[1])}: its scores are identical to sheet {other[4]!r}, so it is a copy, "
                    f"not the {year} results; refusing to load it. Load {year} from its own release "
                    f"(e.g. agg_province_year_{year}.csv) and leave {year} out of 'years'."
                )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
