"""The tables of a province's reports as one workbook per language: numbers stored as numbers with a display format
in the report's locale, one sheet per table with a short name in the language, a first sheet saying what each sheet
is; text that could run as a formula stored as text."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ...params import check_lang, temporary_path
from .cells import COLUMNS, INTERVALS, MISSING, NUMERIC_KINDS, TABLE_MIME, _cell, _missing, header
from .parse import INTERVAL_WORDS, _numbers_in_text, _plain_number

#: Excel display format of a workbook column, by kind (the number itself is stored; the reader's Excel shows it with
#: the decimal mark of the language code in front, :data:`EXCEL_LOCALE`)
EXCEL_FORMATS: dict[str, str] = {
    "points": "#,##0.00",
    "change": "+#,##0.00;-#,##0.00;0.00",
    # a signed difference shown with 3 or 4 decimals in the report (Brier differences: +0,0004), kept as shown
    "change3": "+0.000;-0.000;0.000",
    "change4": "+0.0000;-0.0000;0.0000",
    "coef": "0.00",
    "p": "0.000",
    "share": "0%",
    "share1": "0.0%",
    "int": "#,##0",
    "rank": "0",
    "year": "0",
}
#: the language of a display format (Excel's locale codes): Vietnamese 45,60, English 45.60
EXCEL_LOCALE = {"vi": "[$-42A]", "en": "[$-409]"}


def excel_frame(
    frame: pd.DataFrame, lang: str, headers: Mapping[str, str] | None = None, kinds: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The table as written to tables.xlsx: the headers of the HTML table, numbers stored as numbers.

    Points, changes, coefficients and p-values are numbers; probabilities and percentages are shares (0-1, shown as
    %); ranks, counts and years are integers; an interval folded into its column in the HTML table ("30% (20–41%)")
    gets two columns of its own (low, high), and ``n_ranked`` its own column beside the rank. Enum values are
    translated as in the report; a missing value is an empty cell. ``attrs["kinds"]``: the kind of each column
    (:data:`EXCEL_FORMATS`: ``share`` for every percentage), read by :func:`write_tables_xlsx`.
    """
    lang = check_lang(lang)
    headers, kinds = dict(headers or {}), dict(kinds or {})
    folded = {c for p, pair in INTERVALS.items() if p in frame.columns for c in pair}
    if "rank" in frame.columns:
        folded.add("n_ranked")
    records = frame.reset_index(drop=True).to_dict("records")
    columns: dict[str, list] = {}
    column_kinds: list[str] = []

    cell_formats: dict[str, list] = {}

    def add(title: str, kind: str, values: list) -> None:
        if kind == "cells":  # (value, display format) of each cell: a key-value column (:func:`_key_value_columns`)
            cell_formats[str(len(columns))] = [None if v is None else v[1] for v in values]
            values = [None if v is None else v[0] for v in values]
        columns[title] = values
        column_kinds.append(kind)

    for column in [c for c in frame.columns if c not in folded]:
        kind = kinds.get(column) or (COLUMNS[column][2] if column in COLUMNS else None) or "text"
        title = headers.get(column) or header(column, lang)
        if kind not in NUMERIC_KINDS and kind != "year":
            shown = [_cell(r[column], kind, lang, r, column) for r in records]
            for piece in _numbers_in_text(title, [None if t == MISSING else t for t in shown], lang):
                add(*piece)
            continue
        scale = {"prob": 1.0, "prob_pct": 0.01, "pct": 0.01, "pct01": 1.0}.get(kind)
        shown_kind = "share" if scale is not None else kind
        values: list[Any] = []
        for r in records:
            number = _plain_number(r[column])
            if number is None and not _missing(r[column]) and str(r[column]).strip():
                values.append(str(r[column]))  # a value the source wrote as text (a plan's "3-5"): kept as it is
            elif number is None:
                values.append(None)
            elif kind in ("int", "rank", "year") and number.is_integer():
                values.append(int(number))
            else:
                values.append(number * scale if scale is not None else number)
        add(title, shown_kind, values)
        low_col, high_col = INTERVALS.get(column, (None, None))
        if low_col in frame.columns and high_col in frame.columns:
            for bound, word in zip((low_col, high_col), INTERVAL_WORDS[lang], strict=True):
                bounds = [_plain_number(r[bound]) for r in records]
                add(
                    f"{title}: {word}",
                    shown_kind,
                    [None if b is None else (b * scale if scale is not None else b) for b in bounds],
                )
        if column == "rank" and "n_ranked" in frame.columns:
            counts = [_plain_number(r["n_ranked"]) for r in records]
            add(header("n_ranked", lang), "int", [None if n is None else int(n) for n in counts])
    typed = pd.DataFrame(columns, columns=list(columns)).astype(object)
    typed = typed.where(pd.notna(typed), None)
    typed.attrs["kinds"] = column_kinds
    if cell_formats:
        typed.attrs["cell_formats"] = cell_formats
    return typed


def tables_in_notebook(notebook, source: str | None = None) -> list[tuple[str, pd.DataFrame]]:
    """Every table :func:`show_table` displayed in an executed notebook, in order: (name, table), the table's
    ``attrs`` holding its caption (``"caption"``), the kind of each column (``"kinds"``, absent in notebooks
    executed before the workbooks stored numbers), the name it was shown under (``"name"``), its number in the
    notebook (``"number"``, from 1), the section it sits in (``"section"``: the last "## " heading before it in the
    report's language, e.g. "8. Thứ hạng chắc chắn đến đâu?", see :func:`_headings`) and ``source`` (``"source"``: the report it comes from, e.g. its file stem
    ``02_target_realism.quang-nam-2021.vi``), from which :func:`write_tables_xlsx` names its sheet."""
    found: list[tuple[str, pd.DataFrame]] = []
    lang = notebook.get("metadata", {}).get("papermill", {}).get("parameters", {}).get("lang")
    titles: list[str] = []
    section = ""
    for cell in notebook.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "markdown" and (lang in tags or not {"vi", "en"} & set(tags)):
            titles, section = _headings(cell.get("source", ""), titles, section)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            markdown = data.get("text/markdown")
            if markdown:
                text = "".join(markdown) if isinstance(markdown, list) else markdown
                titles, section = _headings(text, titles, section)
            if TABLE_MIME in data:
                payload = data[TABLE_MIME]
                payload = json.loads(payload) if isinstance(payload, str) else payload
                table = pd.DataFrame(payload["rows"], columns=payload["columns"]).astype(object)
                table = table.where(pd.notna(table), None)
                table.attrs["caption"] = payload.get("caption", "")
                if "kinds" in payload:
                    table.attrs["kinds"] = payload["kinds"]
                if payload.get("cell_formats"):
                    table.attrs["cell_formats"] = payload["cell_formats"]
                table.attrs["name"] = payload["name"]
                table.attrs["number"] = len(found) + 1
                table.attrs["section"] = section
                if source is not None:
                    table.attrs["source"] = source
                found.append((payload["name"], table))
    return found


def _headings(markdown: str, titles: list[str], section: str) -> tuple[list[str], str]:
    """(the "# " titles so far, the section a table below sits in) after a markdown text: its last "## " heading
    ("8. Thứ hạng chắc chắn đến đâu?"), after a second title (the appendix's) with that title in front ("Phụ lục cho
    người phân tích — A. Khoảng của thứ hạng")."""
    for level, text in re.findall(r"^(#{1,2})\s+(.+?)\s*#*$", markdown, re.M):
        if level == "#":
            titles = [*titles, text.strip()]
            section = ""
        else:
            section = f"{titles[-1]} — {text.strip()}" if len(titles) > 1 else text.strip()
    return titles, section


#: the short label of a table's sheet, by the name a notebook shows the table under (:func:`show_table`'s ``name``)
#: -> (Vietnamese, English). A sheet is named "<report>.<table> <label>" ("1.3 Chỉ số nội dung theo năm": report
#: 01, its third table); the workbook's first sheet gives each sheet's full caption. A label is a whole phrase of at
#: most :data:`SHEET_LABEL_LENGTH` characters, never cut; a table not listed here is named from its caption when that
#: fits whole, else "<report>.<table>" alone ("Bảng 4.2").
SHEET_LABELS: dict[str, tuple[str, str]] = {
    # 01_trends
    "former provinces": ("Các tỉnh cũ hợp thành", "Former provinces"),
    "standing": ("Vị trí hiện tại", "Where it stands now"),
    "total by year": ("Tổng điểm theo năm", "Total by year"),
    "dimensions by year": ("Chỉ số nội dung theo năm", "Dimensions by year"),
    "sub-dimensions": ("Chỉ số thành phần", "Sub-dimensions"),
    "region": ("Các tỉnh trong vùng", "Provinces of the region"),
    "rank": ("Độ chắc chắn của thứ hạng", "How sure the rank is"),
    "peers": ("Các tỉnh tương đồng", "Peers that are alike"),
    "frontier": ("Khoảng cách tới dẫn đầu", "Distance to the frontier"),
    "rank by year": ("Khoảng thứ hạng theo năm", "Rank intervals by year"),
    "history": ("Tổng điểm theo năm", "Total by year"),
    # 02_target_realism
    "province numbers": ("Số liệu của tỉnh", "The province's numbers"),
    "targets at a glance": ("Từng mục tiêu", "Each target"),
    "advice": ("Mục tiêu cho năm tới", "Targets for next year"),
    "plan checks": ("Kế hoạch và số liệu", "Plan against the data"),
    "targets": ("Xác suất từng mục tiêu", "Each target's probability"),
    "backtest": ("Kiểm định ngược", "Backtest"),
    "bands and advice": ("Dải dự báo và khuyến nghị", "Bands and advice"),
    "backtest merged": ("Hợp nhất – kiểm định", "Merged – backtest"),
    "bands merged": ("Hợp nhất – dải dự báo", "Merged – bands"),
    "backtest unmerged": ("Giữ nguyên – kiểm định", "Unmerged – backtest"),
    "bands unmerged": ("Giữ nguyên – dải dự báo", "Unmerged – bands"),
    "national change": ("Thay đổi chung cả nước", "The country's change"),
    # 03_dimension_links
    "pair outliers": ("Tỉnh xa đường hồi quy", "Farthest from the line"),
    "robust correlations": ("Liên hệ nào vững", "Which links are robust"),
    "pair by year": ("Cặp chỉ số theo năm", "The pair year by year"),
    "partial correlations": ("Tương quan riêng phần", "Partial correlations"),
    "lagged effects": ("Chỉ số nào đi trước", "Which dimension leads"),
    "common factor": ("Một điều hay nhiều điều", "One thing or several"),
    "specifications": ("Cách kiểm tra độ vững", "Robustness checks"),
    "PAPI and PCI lagged": ("PAPI và PCI qua thời gian", "PAPI and PCI over time"),
    # 04_other_indices (the notebook shows these under names already in the report's language)
    "Chỗ không khớp": ("Chỗ không khớp", "Inconsistencies"),
    "Inconsistencies": ("Chỗ không khớp", "Inconsistencies"),
    "Kiểm tra khớp": ("Kiểm tra khớp", "Checks that agree"),
    "Checks that agree": ("Kiểm tra khớp", "Checks that agree"),
    "PAR INDEX": ("PAR INDEX", "PAR INDEX"),
    "SIPAS": ("SIPAS", "SIPAS"),
}
#: the longest label: "2a.12 " (report 2 with a second plan, table 12) leaves this much of Excel's 31 characters
SHEET_LABEL_LENGTH = 25
#: a sheet named by its number alone (a table without a label that fits): "Bảng 4.2"
TABLE_WORD = {"vi": "Bảng", "en": "Table"}
#: the header of the README sheet's column giving the section of the report a table sits in
SECTION_WORD = {"vi": "Mục trong báo cáo", "en": "Section of the report"}


#: the longest sheet name Excel accepts
SHEET_NAME_LENGTH = 31


_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _FORBIDDEN.sub(" ", text)).strip(" '")


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name for ``title`` (a table without a report, e.g. written by a script): Excel's forbidden characters
    replaced; the title when it fits :data:`SHEET_NAME_LENGTH` whole, else its first whole phrase (up to ":", ",",
    ";", "(" or a dash) when that fits, else its whole words that fit; made unique in ``used`` (lower case) by a
    number in brackets. Reports' tables are named by :func:`report_sheet_names` instead."""
    clean = re.sub(r"\s+", " ", title).strip(" '")

    def fit(text: str, limit: int) -> str:
        if len(_clean(text)) <= limit:
            return text
        phrases = [m.start() for m in re.finditer(r"[:;,(]|\s[–—]\s", text) if 18 <= m.start() <= limit]
        if phrases:  # a whole phrase ("Dải dự báo 50% và 90%, và …" -> "Dải dự báo 50% và 90%")
            return text[: phrases[-1]]
        words, out = text.split(" "), ""
        for word in words:
            candidate = f"{out} {word}".strip()
            if len(candidate) > limit:
                break
            out = candidate
        return out or text[:limit]  # one word longer than a sheet name: nothing better exists

    def tidy(text: str) -> str:
        return re.sub(r"[\s,;.–—(-]+$", "", _clean(text)).strip(" '")[:SHEET_NAME_LENGTH] or "-"

    base = tidy(fit(clean, SHEET_NAME_LENGTH)) if clean else "1"
    candidate, i = base, 2
    while candidate.lower() in used:
        suffix = f" ({i})"
        candidate, i = tidy(fit(clean, SHEET_NAME_LENGTH - len(suffix))) + suffix, i + 1
    used.add(candidate.lower())
    return candidate


def _sheet_label(table: pd.DataFrame, lang: str, room: int) -> str:
    """The short label of a report table's sheet (:data:`SHEET_LABELS`); else its caption or name when either fits
    ``room`` whole (never cut); else "" (the sheet is named by its number)."""
    name = str(table.attrs.get("name") or "")
    if name in SHEET_LABELS:
        return _clean(SHEET_LABELS[name][0 if lang == "vi" else 1])[:room]
    for text in (str(table.attrs.get("caption") or ""), name):
        text = _clean(text)
        if text and len(text) <= room and not re.fullmatch(r"[a-z0-9 _-]+", text):  # not an identifier
            return text
    return ""


def report_sheet_names(tables: list[tuple[str, pd.DataFrame]], lang: str) -> list[str | None]:
    """The sheet name of each report table (one from :func:`tables_in_notebook` with a ``source``), None for others.

    "<report>.<table> <label>": the report's number from its file ("01_trends…" -> 1; a report without a number:
    its place among the workbook's reports), a letter after it when the workbook holds several reports of one
    notebook (two plans: "2a", "2b"), the table's number in its report, and its label (:func:`_sheet_label`); a
    table without a label is "Bảng 1.3" / "Table 1.3". Every name is unique (the numbers differ), at most
    :data:`SHEET_NAME_LENGTH` characters, and never a cut phrase."""
    sources: list[str] = []
    for _, table in tables:
        source = table.attrs.get("source")
        if source is not None and source not in sources:
            sources.append(str(source))
    numbers_of: dict[str, str] = {}
    for place, source in enumerate(sources, start=1):
        found = re.match(r"^(\d+)", source)
        numbers_of[source] = str(int(found.group(1))) if found else str(place)
    for number in set(numbers_of.values()):
        sharing = [s for s in sources if numbers_of[s] == number]
        if len(sharing) > 1:
            for letter, source in zip("abcdefghijklmnopqrstuvwxyz", sharing, strict=False):
                numbers_of[source] = f"{number}{letter}"
    names: list[str | None] = []
    for _, table in tables:
        source = table.attrs.get("source")
        if source is None:
            names.append(None)
            continue
        prefix = f"{numbers_of[str(source)]}.{table.attrs.get('number', 1)}"
        label = _sheet_label(table, lang, SHEET_NAME_LENGTH - len(prefix) - 1)
        names.append(f"{prefix} {label}" if label else f"{TABLE_WORD[lang]} {prefix}")
    return names


#: a text cell starting with one of these is a formula to Excel or LibreOffice once a reader edits it (or, written
#: by openpyxl as it is, at once: "=HYPERLINK(...)"); such cells are stored as text with Excel's quote prefix
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _as_text(cell) -> None:
    """Store ``cell`` as text, never as a formula: a string value, shown and edited as text (the quote prefix)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_tables_xlsx(
    tables: list[tuple[str, pd.DataFrame]],
    path: Path,
    about: list[tuple[str, str]] | None = None,
    about_sheet: str = "about",
    lang: str = "en",
    readme: Mapping | None = None,
) -> Path | None:
    """One sheet per table; None and no file when there are no tables. A report's table (``attrs["source"]``, from
    :func:`tables_in_notebook`) is named "<report>.<table> <label>" (:func:`report_sheet_names`: "1.3 Chỉ số nội dung
    theo năm"), another from its title (:func:`sheet_name`); the README sheet gives each name beside its caption.

    A table from :func:`excel_frame` (``attrs["kinds"]``) keeps its numbers as numbers, each numeric column with the
    display format of its kind in ``lang`` (:data:`EXCEL_FORMATS`, :data:`EXCEL_LOCALE`). Every text cell is text:
    one that begins with ``=``, ``+``, ``-`` or ``@`` (a plan's quote can) is never a formula.

    ``readme``: a first sheet named ``about_sheet`` saying what each sheet is: ``{"title": line 1, "columns": (two
    headers), "descriptions": [one per table, in order]}``, followed by the ``about`` rows. Without it ``about``
    ((label, value) rows: run, data version, source; also in the workbook's properties) is a last sheet. Written to
    a temporary name and renamed: a reader never opens half a workbook, and two runs never share a temporary file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    if not tables:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    locale = EXCEL_LOCALE.get(lang, "")
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    used: set[str] = set()
    first = book.create_sheet(sheet_name(about_sheet, used)) if readme is not None else None
    names = []
    for (name, table), report_name in zip(tables, report_sheet_names(tables, lang), strict=True):
        if report_name is not None and report_name.lower() not in used:
            used.add(report_name.lower())
            sheet = book.create_sheet(report_name)
        else:
            sheet = book.create_sheet(sheet_name(table.attrs.get("caption") or name, used))
        names.append(sheet.title)
        kinds = table.attrs.get("kinds") or ["text"] * len(table.columns)
        sheet.append([str(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.itertuples(index=False):
            sheet.append([None if _missing(v) else v for v in row])
        for number, kind in enumerate(kinds, start=1):
            letter = sheet.cell(row=1, column=number).column_letter
            sheet.column_dimensions[letter].width = min(max(len(str(table.columns[number - 1])) // 2 + 2, 10), 40)
            if kind in EXCEL_FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                    if isinstance(cell.value, (int, float)):
                        cell.number_format = locale + EXCEL_FORMATS[kind]
            elif kind == "cells":  # each cell its own display format (a key-value column)
                formats = table.attrs.get("cell_formats", {}).get(str(number - 1), [])
                for (cell,), fmt in zip(sheet.iter_rows(min_row=2, min_col=number, max_col=number), formats):
                    if isinstance(cell.value, (int, float)) and fmt:
                        cell.number_format = locale + fmt
        sheet.freeze_panes = "A2"
    if first is not None and readme is not None:
        first.append([readme.get("title", "")])
        first["A1"].font = Font(bold=True, size=13)
        first.append([])
        sections = [str(table.attrs.get("section") or "") for _, table in tables]
        first.append(list(readme.get("columns", ("", ""))) + ([SECTION_WORD.get(lang, "")] if any(sections) else []))
        for cell in first[3]:
            cell.font = Font(bold=True)
        descriptions = list(readme.get("descriptions", []))
        for number, name in enumerate(names):
            row = [name, descriptions[number] if number < len(descriptions) else ""]
            first.append(row + ([sections[number]] if any(sections) else []))
        first.append([])
    elif about:
        first = book.create_sheet(sheet_name(about_sheet, used))
    if first is not None:
        for label, value in about or []:
            first.append([label, value])
        first.column_dimensions["A"].width = 34
        first.column_dimensions["B"].width = 100
        first.column_dimensions["C"].width = 40
    if about:
        book.properties.description = "; ".join(f"{label}: {value}" for label, value in about)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                _as_text(cell)
    tmp = temporary_path(path)
    try:
        book.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
