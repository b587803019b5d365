"""Plan workbooks people fill in or check: the review workbook of ``papi-analysis read-plan`` (one row per target
read, the exact sentence beside the fields, inferred cells highlighted) and the ``plan-template`` form (headers in the
reader's language, drop-down lists for kind, indicator and group, the province's latest published scores, ranks and
groups as baselines, the advisor's 90/70/50% figures beside each indicator, an instructions sheet).

Both are read back by ``report --plan FILE.xlsx`` (:func:`papi_analysis.data.plan_reader.tabular.read_table`), with
the same file, row and column in every error as for CSV. Numbers are stored as numbers with the plan's decimals as
their display format (so "5.30" reads back as "5.30"); text from a document or a user is stored as text, never as a
formula; a workbook is written to a temporary name and moved into place, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..analysis import ranking
from ..data import provinces, schema
from ..data.geography import has_recast
from ..data.plan_reader.schema import (
    CONFIDENCE_WORDS,
    GROUP_WORDS,
    HEADERS,
    KIND_WORDS,
    KINDS,
    LAST_PUBLISHED_YEAR,
    REFORM_YEAR,
    REVIEW_COLUMNS,
    choice,
)
from ..params import check_lang
from .texts.plan_forms import GUIDE, REVIEW, SHEETS, TEMPLATE

#: the order of a target row's columns in the workbooks: the fields first, the sentence beside them
REVIEW_ORDER = [
    "target_id",
    "indicator",
    "kind",
    "target_value",
    "baseline_year",
    "target_year",
    "baseline_stated",
    "baseline_rank_stated",
    "planned_change_stated",
    "quote",
    "confidence",
    "reading",
    "other_reading",
    "where",
    "note",
    "plan_id",
    "province",
    "geography",
    "plan_document",
    "plan_date",
    "source_file",
]
FORM_ORDER = [c for c in REVIEW_ORDER if c not in REVIEW_COLUMNS]
NUMBER_COLUMNS = {"target_value", "baseline_stated", "planned_change_stated", "max_stated"}
YEAR_COLUMNS = {"baseline_year", "target_year"}
WIDE = {"quote": 70, "reading": 50, "other_reading": 35, "note": 30, "plan_document": 40}
YELLOW = PatternFill("solid", fgColor="FFF2CC")
ORANGE = PatternFill("solid", fgColor="F8CBAD")
HEADER = PatternFill("solid", fgColor="D9E2F3")


def _save(book: Workbook, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _put(ws, row: int, column: int, value, number_format: str | None = None):
    """One cell: a string is always stored as text (a quote starting with "=" never becomes a formula)."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _typed(column: str, text: str):
    """A cell's value as Excel should hold it: years as integers, numbers as numbers with the plan's decimals."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    if column in YEAR_COLUMNS and text.isdigit():
        return int(text), "0"
    if column in NUMBER_COLUMNS and text:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text, None
        decimals = len(text.split(".")[1]) if "." in text else 0
        return number, "0" if decimals == 0 else "0." + "0" * decimals
    return text, None


def _header(ws, columns: list[str], lang: str, extra: tuple[str, ...] = ()) -> None:
    for k, column in enumerate(list(columns) + list(extra), 1):
        title = HEADERS[column][lang] if column in HEADERS else column
        cell = _put(ws, 1, k, title)
        cell.font, cell.fill = Font(bold=True), HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(k)].width = WIDE.get(column, 16)
    ws.freeze_panes = "B2"


def _lists(book: Workbook, lang: str) -> dict[str, str]:
    """A hidden sheet of the drop-down choices; the range of each list (kind, indicator, group, confidence)."""
    ws = book.create_sheet(SHEETS("lists", lang))
    lists = {
        "kind": [choice(k, KIND_WORDS, lang) for k in KINDS if k != "other_index"],
        "indicator": [f"{d} · {schema.DIMENSION_NAMES[d][lang]}" for d in (schema.TOTAL,) + schema.DIMENSIONS],
        "group": [choice(g, GROUP_WORDS, lang) for g in ranking.GROUPS],
        "confidence": [choice(c, CONFIDENCE_WORDS, lang) for c in CONFIDENCE_WORDS],
    }
    ranges = {}
    for k, (name, values) in enumerate(lists.items(), 1):
        for r, value in enumerate(values, 1):
            _put(ws, r, k, value)
        letter = get_column_letter(k)
        ranges[name] = f"'{ws.title}'!${letter}$1:${letter}${len(values)}"
    ws.sheet_state = "hidden"
    return ranges


def _validate(ws, columns: list[str], ranges: dict[str, str], rows: int) -> None:
    """Drop-down lists on kind, indicator and target value (groups offered; a number may be typed instead)."""
    for column, name, strict in (
        ("kind", "kind", True),
        ("indicator", "indicator", True),
        ("target_value", "group", False),
        ("confidence", "confidence", True),
    ):
        if column not in columns:
            continue
        letter = get_column_letter(columns.index(column) + 1)
        rule = DataValidation(type="list", formula1=f"={ranges[name]}", allow_blank=True, showErrorMessage=strict)
        ws.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{rows + 1}")


def _value(column: str, value, lang: str):
    if column == "kind" and value in KIND_WORDS:
        return choice(value, KIND_WORDS, lang)
    if column == "target_value" and value in GROUP_WORDS:
        return choice(value, GROUP_WORDS, lang)
    if column == "indicator" and value in schema.DIMENSION_NAMES:
        return f"{value} · {schema.DIMENSION_NAMES[value][lang]}"
    if column == "confidence" and value in CONFIDENCE_WORDS:
        return choice(value, CONFIDENCE_WORDS, lang)
    return value


def _instructions(book: Workbook, lines: list[str], lang: str) -> None:
    ws = book.worksheets[0]  # a new workbook's one sheet
    ws.title = SHEETS("instructions", lang)
    ws.column_dimensions["A"].width = 120
    for r, line in enumerate(lines, 1):
        cell = _put(ws, r, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            cell.font = Font(bold=True, size=14)


# --------------------------------------------------------------------------- review workbook (read-plan)


def write_review_workbook(reading, path: str | Path, lang: str = "vi") -> Path:
    """The targets a :class:`~papi_analysis.data.plan_reader.PlanReading` found, for a person to check: instructions,
    PAPI targets (the sheet ``report --plan`` reads), PAR INDEX and SIPAS rows, sentences not read."""
    lang = check_lang(lang)
    path = Path(path)
    facts = reading.facts
    book = Workbook()
    names = {k: SHEETS(k, lang) for k in ("targets", "index", "not_read")}
    _instructions(
        book,
        [
            REVIEW("title", lang, document=reading.source or facts.plan_document),
            REVIEW("facts", lang, province=facts.province or "—", plan=facts.plan_id(), year=facts.plan_year or "—"),
            REVIEW(
                "counts",
                lang,
                papi=len(reading.rows),
                index=len(reading.index_rows),
                unread=len(reading.not_read),
                sheet=names["not_read"],
            ),
            "",
            REVIEW("step1", lang),
            REVIEW("step2", lang),
            REVIEW("step3", lang, sheet=names["not_read"]),
            REVIEW("step4", lang, province=facts.province or "…", file=path.name),
            "",
            REVIEW("index_note", lang, sheet=names["index"]),
        ],
        lang,
    )
    ranges = _lists(book, lang)
    ws = book.create_sheet(names["targets"], 1)
    _header(ws, REVIEW_ORDER, lang)
    _rows(ws, reading.rows, REVIEW_ORDER, lang, {k[1]: v for k, v in reading.uncertain.items() if k[0] == "papi"})
    _validate(ws, REVIEW_ORDER, ranges, max(len(reading.rows), 1) + 50)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_ORDER))}{len(reading.rows) + 1}"
    index_columns = list(reading.index_rows.columns)
    ws = book.create_sheet(names["index"], 2)
    _header(ws, index_columns, lang)
    _rows(
        ws, reading.index_rows, index_columns, lang, {k[1]: v for k, v in reading.uncertain.items() if k[0] == "index"}
    )
    ws = book.create_sheet(names["not_read"], 3)
    for k, key in enumerate(("where_heading", "quote_heading", "reason_heading"), 1):
        cell = _put(ws, 1, k, GUIDE(key, lang))
        cell.font, cell.fill = Font(bold=True), HEADER
    for width, letter in ((22, "A"), (90, "B"), (60, "C")):
        ws.column_dimensions[letter].width = width
    for r, row in enumerate(reading.not_read.itertuples(), 2):
        for k, value in enumerate((row.where, row.quote, row.reason), 1):
            _put(ws, r, k, str(value)).alignment = Alignment(wrap_text=True, vertical="top")
    return _save(book, path)


def _rows(ws, frame: pd.DataFrame, columns: list[str], lang: str, uncertain: dict[int, list[str]]) -> None:
    for i, (_, row) in enumerate(frame.iterrows()):
        r = i + 2
        doubtful = set(uncertain.get(i, []))
        for k, column in enumerate(columns, 1):
            value, fmt = _typed(column, row.get(column, ""))
            cell = _put(ws, r, k, _value(column, value, lang), fmt)
            cell.alignment = Alignment(wrap_text=column in WIDE, vertical="top")
            if column in doubtful:
                cell.fill = YELLOW
            if column == "confidence" and str(row.get(column, "")) in ("medium", "low"):
                cell.fill = YELLOW if str(row.get(column, "")) == "medium" else ORANGE
            if column == "reading" and str(row.get("confidence", "high")) != "high":
                cell.fill = YELLOW


def write_review_csv(reading, path: str | Path) -> list[Path]:
    """The PAPI rows as a targets CSV (UTF-8 with BOM, so Excel shows Vietnamese), and the PAR INDEX and SIPAS rows
    beside it as ``<name>.index_targets.csv`` when there are any."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for frame, target in ((reading.rows, path), (reading.index_rows, path.with_suffix(".index_targets.csv"))):
        if frame.empty and target != path:
            continue
        handle, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".csv", dir=target.parent)
        os.close(handle)
        try:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        written.append(target)
    return written


# --------------------------------------------------------------------------- plan form (plan-template)


def write_plan_template(
    province: str, path: str | Path, lang: str = "vi", geography: str | None = None, target_year: int | None = None
) -> Path:
    """An Excel form for a province's PAPI targets for ``target_year`` (default: the year after the last published
    one), on ``geography`` (default: the 34 provinces from 2025, the 63 before)."""
    from .. import load_scores
    from ..analysis.targets import advise

    lang = check_lang(lang)
    path = Path(path)
    target_year = int(target_year or LAST_PUBLISHED_YEAR + 1)
    geography = provinces.check_geography(geography or ("34" if target_year >= REFORM_YEAR else "63"))
    record = provinces.get(province, geography=geography)
    panel = load_scores(geography=geography)
    baseline_year = target_year - 1
    if baseline_year not in set(panel["year"]):
        raise ValueError(
            f"no published PAPI {baseline_year} to start a {target_year} plan from; choose a target year up to "
            f"{int(panel['year'].max()) + 1}."
        )
    ranked = ranking.rank_and_group(panel[panel["year"] == baseline_year])
    mine = ranked[ranked["province_code"] == record.code].set_index("dimension")
    advice = advise(panel, record.code, baseline_year).set_index("indicator")
    name = record.name_vi
    estimate = has_recast(mine)
    book = Workbook()
    sheet = SHEETS("targets", lang)
    kinds = [f"  {choice(k, KIND_WORDS, lang)}" for k in KINDS if k != "other_index"]
    groups = [f"  {choice(g, GROUP_WORDS, lang)}" for g in ranking.GROUPS]
    _instructions(
        book,
        [
            TEMPLATE("title", lang, province=name, year=target_year),
            TEMPLATE("baseline", lang, baseline=baseline_year, estimate=TEMPLATE("estimate", lang) if estimate else ""),
            "",
            TEMPLATE("step1", lang, sheet=sheet),
            TEMPLATE("step2", lang),
            TEMPLATE("step3", lang),
            TEMPLATE("step4", lang, year=target_year),
            TEMPLATE("step5", lang, province=name, file=path.name),
            "",
            TEMPLATE("kinds", lang),
            *kinds,
            "",
            TEMPLATE("groups", lang),
            *groups,
        ],
        lang,
    )
    ranges = _lists(book, lang)
    ws = book.create_sheet(sheet, 1)
    guide = ["group", "source", "score_90", "score_70", "score_50", "rank_90", "rank_70", "rank_50"]
    _header(ws, FORM_ORDER, lang)
    for k, key in enumerate(guide, len(FORM_ORDER) + 1):
        cell = _put(ws, 1, k, GUIDE(key, lang))
        cell.font, cell.fill = Font(bold=True), YELLOW
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(k)].width = 14
    indicators = (schema.TOTAL,) + schema.dimensions_in(min(baseline_year, LAST_PUBLISHED_YEAR))
    plan_id = f"{provinces.slugify(record.name_vi)}-{target_year}"
    for r, indicator in enumerate(indicators, 2):
        published = indicator in mine.index and pd.notna(mine.loc[indicator, "score"])
        row = dict(
            plan_id=plan_id,
            province=name,
            geography=geography,
            baseline_year=str(baseline_year),
            target_year=str(target_year),
            indicator=indicator,
            baseline_stated=f"{mine.loc[indicator, 'score']:.2f}" if published else "",
            baseline_rank_stated=(
                f"{int(mine.loc[indicator, 'rank'])}/{int(mine.loc[indicator, 'n_ranked'])}" if published else ""
            ),
        )
        for k, column in enumerate(FORM_ORDER, 1):
            value, fmt = _typed(column, row.get(column, ""))
            _put(ws, r, k, _value(column, value, lang), fmt)
        source = GUIDE("no_score", lang)
        if published:
            recast = str(mine.loc[indicator].get("score_source", "")) == "recast"
            source = GUIDE("estimate" if recast else "published", lang)
        values = [
            _value("target_value", mine.loc[indicator, "group"], lang) if published else "",
            source,
        ]
        for key in ("score_90", "score_70", "score_50", "rank_90", "rank_70", "rank_50"):
            have = indicator in advice.index and pd.notna(advice.loc[indicator].get(key))
            values.append(advice.loc[indicator, key] if have else "")
        for k, value in enumerate(values, len(FORM_ORDER) + 1):
            fmt = "0.00" if isinstance(value, float) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = float(value) if fmt else int(value)
            cell = _put(ws, r, k, value, fmt)
            cell.fill = YELLOW
    _validate(ws, FORM_ORDER, ranges, len(indicators) + 40)
    return _save(book, path)
