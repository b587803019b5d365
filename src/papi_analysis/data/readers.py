"""Readers for the official PAPI publication formats.

Each reader turns one published file into *raw records*: a long table with one
row per published number, keeping where it came from::

    year, province_code, source_province, indicator, label, statistic, value,
    missing_reason, source_file, source_sheet, source_cell

``indicator`` is ``D1``..``D8`` (dimension, 1-10 points), ``D1.1``.. (sub-dimension,
points as published), ``total_unweighted`` / ``total_weighted`` (PAPI total,
points), or ``respondents``. ``statistic`` is ``score``, ``ci_low``, ``ci_high``
(95% CI bounds), ``se`` (standard error), ``variance`` (variance of the estimate)
or ``n`` (respondents); ``label`` is the row or column header as published. A number PAPI did not publish (blank, ``KCDL``, ``#N/A``,
or a zero, which is never a real PAPI value) is kept as a row with
``value = NaN`` and the reason in ``missing_reason``.

Formats:

* :func:`read_release_2011_2016` — ``PAPI_2011-2016.xlsx``: one sheet per year,
  bilingual two-row header, GSO code ``tinhid``, a last "Highest" row (code 999).
* :func:`read_papi_workbook` — ``PAPI-2015-2023-{eng,vi}.xlsm``: province-row
  sheets (``2015_Process``.. or ``2015``..) and transposed year sheets (``2018``..,
  provinces as columns, with CI, SE and respondent counts). Sheets that repeat
  another year's scores are refused (:class:`DuplicateSheetError`).
* :func:`read_province_year_csv` — the 2020, 2021, 2024 CSV exports
  (``agg_province_year_YYYY.csv``).

Every reader refuses bad input with :class:`SourceFormatError`, naming the file,
sheet and row or cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from . import provinces

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
