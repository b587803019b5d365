"""Tables for people: a tidy DataFrame shown as a styled HTML table in the report's language.

:func:`show_table` is the one call a notebook makes to put a table in a report. It

* replaces column names by human headers (:data:`COLUMNS`, Vietnamese or English),
* translates enum values (``low_average`` -> "Trung bình thấp" / "Low average"),
* formats numbers by column kind: points with 2 decimals, probabilities as whole
  percentages with their interval ("30% (20–41%)"), ranks as "21/63",
* shows a missing value as "—" and adds a footnote saying so,
* hides the index and colour-codes outcomes, verdicts and groups,
* and tags the output so the runner also writes the table to
  ``reports/<slug>/tables.xlsx`` (one sheet per table, the same headers).

Columns not in :data:`COLUMNS` are refused (a report never shows a snake_case
identifier): add them to the table or pass ``headers=``.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import schema
from ..params import check_lang, temporary_path
from . import numbers

#: MIME type under which :func:`show_table` stores the table's data in the notebook output.
TABLE_MIME = "application/vnd.papi.table+json"
MISSING = "—"

#: column name -> (Vietnamese header, English header, kind). Kinds: points, change, prob (0-1),
#: prob_pct (0-100), rank (paired with n_ranked), int, year, text, enum, dimension, pct (0-100), pct01 (0-1
#: shown as %), coef (2 decimals, with its ci_low/ci_high interval), p (p-value, 3 decimals or "< 0.001").
COLUMNS: dict[str, tuple[str, str, str]] = {
    "year": ("Năm", "Year", "year"),
    "province": ("Tỉnh", "Province", "text"),
    "dimension": ("Chỉ số", "Dimension", "dimension"),
    "indicator": ("Chỉ số", "Indicator", "dimension"),
    "subdimension": ("Chỉ số thành phần", "Sub-dimension", "text"),
    "score": ("Điểm", "Score", "points"),
    "national_median": ("Trung vị toàn quốc", "National median", "points"),
    "gap_to_median": ("Chênh lệch với trung vị", "Gap to median", "change"),
    "rank": ("Thứ hạng", "Rank", "rank"),
    "group": ("Nhóm", "Group", "enum"),
    "baseline_group": ("Nhóm năm gốc", "Baseline group", "enum"),
    "change": ("Thay đổi (điểm)", "Change (points)", "change"),
    "rank_change": ("Thay đổi thứ hạng", "Rank change", "int"),
    "crosses_break": ("Qua thay đổi phương pháp", "Across a methodology change", "enum"),
    "methodology_break": ("Thay đổi phương pháp", "Methodology change", "enum"),
    "change_beyond_noise": ("Vượt sai số?", "Beyond noise?", "enum"),
    "beyond_noise": ("Vượt sai số?", "Beyond noise?", "enum"),
    "note": ("Ghi chú", "Note", "text"),
    "target_id": ("Mục tiêu", "Target", "text"),
    "kind": ("Loại mục tiêu", "Kind of target", "enum"),
    "target": ("Giá trị mục tiêu", "Target value", "text"),
    "baseline": ("Điểm năm gốc", "Baseline score", "points"),
    "baseline_rank": ("Thứ hạng năm gốc", "Baseline rank", "text"),
    "required_change": ("Mức tăng cần (điểm)", "Required change (points)", "change"),
    "percentile": ("Lớn hơn % thay đổi lịch sử", "Larger than % of past changes", "pct"),
    "required_change_percentile": ("Lớn hơn % thay đổi lịch sử", "Larger than % of past changes", "pct"),
    "probability": ("Xác suất đạt (khoảng 90%)", "Probability (90% interval)", "prob"),
    "probability_%": ("Xác suất đạt (khoảng 90%)", "Probability (90% interval)", "prob_pct"),
    "outcome": ("Kết quả", "Outcome", "enum"),
    "actual": ("Điểm thực tế", "Actual score", "points"),
    "verdict": ("Nhận định", "Verdict", "text"),
    "n_ranked": ("Số tỉnh có số liệu", "Provinces with data", "int"),
    "n": ("Số quan sát", "Observations", "int"),
    "r": ("Hệ số tương quan (khoảng tin cậy 95%)", "Correlation (95% CI)", "coef"),
    "p_value": ("Giá trị p", "p-value", "p"),
    "p_holm": ("Giá trị p (hiệu chỉnh Holm)", "p-value (Holm-adjusted)", "p"),
    "p_bh": ("Giá trị p (hiệu chỉnh Benjamini–Hochberg)", "p-value (Benjamini–Hochberg)", "p"),
    "dim_a": ("Chỉ số", "Dimension", "dimension"),
    "dim_b": ("Với chỉ số", "With dimension", "dimension"),
    "n_effective": ("Số tỉnh (cỡ mẫu hiệu dụng)", "Provinces (effective sample)", "int"),
    "draws": ("Số lần lấy mẫu lại theo tỉnh", "Bootstrap draws (provinces resampled)", "int"),
    "n_provinces": ("Số tỉnh", "Provinces", "int"),
    "outcome_dimension": ("Chỉ số kết quả", "Outcome dimension", "dimension"),
    "predictor": ("Chỉ số năm trước", "Previous year's dimension", "dimension"),
    "coef": ("Hệ số (khoảng tin cậy 95%)", "Coefficient (95% CI)", "coef"),
    "se": ("Sai số chuẩn", "Standard error", "coef"),
    "persistence": ("Hệ số tự hồi quy", "Persistence", "coef"),
    "share": ("Tỷ lệ phương sai", "Share of variance", "pct01"),
    "equal_share": ("Tỷ lệ nếu độc lập", "Share if independent", "pct01"),
    "plan_id": ("Kế hoạch", "Plan", "text"),
    "check": ("Kiểm tra", "Check", "text"),
    "stated": ("Kế hoạch ghi", "Plan states", "text"),
    "found": ("Số liệu công bố", "Published", "text"),
    "message": ("Giải thích", "Explanation", "text"),
    # PAR INDEX / SIPAS (notebook 04_other_indices)
    "component": ("Lĩnh vực / thành phần", "Field / component", "text"),
    "max_points": ("Điểm tối đa", "Maximum (points)", "points"),
    "gap_to_max": ("Còn cách điểm tối đa", "Gap to maximum (points)", "points"),
    "share_of_headroom": ("Tỷ lệ của khoảng cách còn lại", "Share of the gap", "pct01"),
    "discrepancy": ("Chênh lệch (điểm)", "Difference (points)", "points"),
    "target_year": ("Năm mục tiêu", "Target year", "year"),
    "historical_share": ("Tỷ lệ lịch sử đạt mức này", "Historical share reaching it", "pct01"),
    "verdict_category": ("Nhận định", "Verdict", "enum"),
    **{d: (d, d, "coef") for d in ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")},
    # links report (notebook 03)
    "r_changes": ("Tương quan của thay đổi hằng năm", "Correlation of yearly changes", "coef"),
    "within": ("Tương quan trong tỉnh", "Within provinces", "coef"),
    "between": ("Tương quan giữa các tỉnh", "Between provinces", "coef"),
    "r_leave_one_out_min": ("Bỏ một năm hoặc một vùng: nhỏ nhất", "One year or region left out: lowest", "coef"),
    "r_leave_one_out_max": ("Bỏ một năm hoặc một vùng: lớn nhất", "One year or region left out: highest", "coef"),
    "robust": ("Vững?", "Robust?", "enum"),
    "failed_checks": ("Kiểm tra không đạt", "Checks failed", "text"),
    "p_wild": ("Giá trị p (lấy mẫu lại theo tỉnh)", "p-value (wild cluster bootstrap)", "p"),
    "p_calibrated_holm": (
        "Giá trị p (hiệu chỉnh bằng dữ liệu xáo trộn và Holm)",
        "p-value (placebo-calibrated, Holm)",
        "p",
    ),
    "naive_false_positive": (
        "Tỷ lệ dương tính giả của kiểm định thường",
        "False-positive rate of the plain test",
        "pct01",
    ),
    "lead_p": ("Giá trị p của phép thử năm sau", "Lead placebo p-value", "p"),
    "ah_coef": ("Hệ số Anderson–Hsiao", "Anderson–Hsiao coefficient", "coef"),
    "ah_p": ("Giá trị p Anderson–Hsiao", "Anderson–Hsiao p-value", "p"),
    "residual": ("Chênh lệch so với đường hồi quy (điểm)", "Distance from the line (points)", "change"),
    "period": ("Giai đoạn", "Period", "text"),
    "series": ("Dữ liệu", "Data", "text"),
    "method": ("Phương pháp", "Method", "text"),
    "year_effects": ("Đã trừ trung bình năm", "Year means removed", "enum"),
    "direction": ("Chiều", "Direction", "text"),
    "link": ("Năm nay ← năm trước", "This year ← last year", "text"),
}
#: interval columns folded into their probability column
INTERVALS: dict[str, tuple[str, str]] = {
    "probability": ("probability_low", "probability_high"),
    "probability_%": ("p_low_%", "p_high_%"),
    "r": ("ci_low", "ci_high"),
    "coef": ("ci_low", "ci_high"),
}

#: enum value -> (Vietnamese, English)
VALUES: dict[str, tuple[str, str]] = {
    "highest": ("Cao nhất", "Highest"),
    "high_average": ("Trung bình cao", "High average"),
    "low_average": ("Trung bình thấp", "Low average"),
    "lowest": ("Thấp nhất", "Lowest"),
    "met": ("Đạt", "Met"),
    "missed": ("Không đạt", "Missed"),
    "pending": ("Chưa công bố", "Not yet published"),
    "score_at_least": ("Điểm tối thiểu", "Score at least"),
    "change_at_least": ("Tăng tối thiểu", "Gain at least"),
    "group_at_least": ("Nhóm tối thiểu", "Group at least"),
    "rank_at_most": ("Thứ hạng tối đa", "Rank at most"),
    "improve_score_and_rank": ("Tăng cả điểm và hạng", "Improve score and rank"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "not assessable": ("Không đánh giá được", "Not assessable"),
    "planned_change": ("Dự kiến tăng (thành phần)", "Planned increase (sub-part)"),
    "percent_at_least": ("Tỷ lệ điểm tối đa tối thiểu", "Share of maximum at least"),
    "True": ("Có", "Yes"),
    "False": ("Không", "No"),
    "": ("", ""),
    "robust": ("Vững", "Robust"),
    "not_robust": ("Chưa vững", "Not robust"),
    "no data": ("Không có số liệu", "No data"),
    "not evaluated": ("Không đánh giá", "Not evaluated"),
    "not_in_group": ("Không nằm trong nhóm", "Not in group"),
    "rank_gain_at_least": ("Tăng ít nhất một số bậc", "Rank gain"),
    "all_up": ("Mọi chỉ số cùng tăng", "Every dimension up"),
    "other_index": ("Chỉ số khác", "Other index"),
    "likely": ("Khả thi", "Likely"),
    "possible": ("Có thể đạt", "Possible"),
    "ambitious": ("Tham vọng", "Ambitious"),
    "very": ("Rất tham vọng", "Very ambitious"),
    "uncertain": ("Chưa chắc chắn", "Uncertain"),
    "na": ("Không đánh giá được", "Not assessable"),
}
#: background colours for values that carry a judgement (colour-blind-safe, readable in grey)
COLOURS: dict[str, str] = {
    "met": "#d1e5f0",
    "missed": "#fddbc7",
    "pending": "#f0f0f0",
    "highest": "#2166ac",
    "high_average": "#92c5de",
    "low_average": "#f4a582",
    "lowest": "#b2182b",
    "robust": "#d1e5f0",
    "not_robust": "#f0f0f0",
}
WHITE_TEXT = {"highest", "lowest"}
NUMERIC_KINDS = {"points", "change", "prob", "prob_pct", "rank", "int", "pct", "pct01", "coef", "p"}
FOOTNOTE = {
    "vi": "— : không có số liệu (PAPI không công bố hoặc không áp dụng).",
    "en": "— : no figure (not published by PAPI, or not applicable).",
}


def header(column: str, lang: str) -> str:
    """Human header of a tidy column name in ``lang``; KeyError names the column if it is unknown."""
    if column not in COLUMNS:
        raise KeyError(
            f"No display header for column {column!r}: add it to report.tables.COLUMNS "
            "or pass headers={...} to show_table."
        )
    vi, en, _ = COLUMNS[column]
    return vi if check_lang(lang) == "vi" else en


def translate(value: object, lang: str) -> object:
    """An enum value in ``lang`` (other values unchanged)."""
    key = str(value) if isinstance(value, (str, bool)) else None
    if key is not None and key in VALUES:
        return VALUES[key][0 if lang == "vi" else 1]
    return value


def _missing(value: object) -> bool:
    try:
        return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _number(value: float, decimals: int, lang: str) -> str:
    """A number in the report's marks (see :mod:`papi_analysis.report.numbers`, the one formatter)."""
    return numbers.number(value, lang, decimals)


def _cell(value: Any, kind: str, lang: str, row: Mapping, column: str) -> str:
    if _missing(value) or (kind != "text" and value == ""):
        return MISSING
    if kind in ("points", "change"):
        text = _number(float(value), 2, lang)
        return f"+{text}" if kind == "change" and float(value) > 0 and text.strip("0,.") else text
    if kind == "pct":
        return f"{_number(float(value), 0, lang)}%"
    if kind == "pct01":
        return f"{_number(float(value) * 100, 0, lang)}%"
    if kind == "p":
        return ("< " + _number(0.001, 3, lang)) if float(value) < 0.001 else _number(float(value), 3, lang)
    if kind == "coef":
        text = _number(float(value), 2, lang)
        low_col, high_col = INTERVALS.get(column, (None, None))
        if low_col in row and high_col in row and not _missing(row[low_col]) and not _missing(row[high_col]):
            text += f" ({_number(float(row[low_col]), 2, lang)} – {_number(float(row[high_col]), 2, lang)})"
        return text
    if kind in ("prob", "prob_pct"):
        scale = 100 if kind == "prob" else 1
        text = f"{_number(float(value) * scale, 0, lang)}%"
        low_col, high_col = INTERVALS.get(column, (None, None))
        if low_col in row and high_col in row and not _missing(row[low_col]) and not _missing(row[high_col]):
            text += (
                f" ({_number(float(row[low_col]) * scale, 0, lang)}–{_number(float(row[high_col]) * scale, 0, lang)}%)"
            )
        return text
    if kind == "rank":
        if "n_ranked" in row and not _missing(row["n_ranked"]):
            return f"{int(value)}/{int(row['n_ranked'])}"
        return str(value) if isinstance(value, str) else str(int(value))
    if kind == "int":
        return f"{int(value):+d}" if column.endswith("_change") and int(value) > 0 else str(int(value))
    if kind == "year":
        return str(int(value))
    if kind == "dimension":
        text = str(value)
        if text == schema.TOTAL:
            return "Tổng điểm" if lang == "vi" else "Total"
        if text in schema.DIMENSION_NAMES:
            return f"{text} {schema.DIMENSION_NAMES[text][lang]}"
        return text
    return str(translate(value, lang))


def display_frame(
    frame: pd.DataFrame, lang: str, headers: Mapping[str, str] | None = None, kinds: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """(shown text frame, frame of the raw enum keys for colouring, whether any value is missing).

    Interval columns are folded into their probability column and ``n_ranked`` into ``rank``.
    """
    lang = check_lang(lang)
    headers, kinds = dict(headers or {}), dict(kinds or {})
    folded = {c for p, pair in INTERVALS.items() if p in frame.columns for c in pair}
    if "rank" in frame.columns:
        folded.add("n_ranked")
    shown = [c for c in frame.columns if c not in folded]
    texts, keys, any_missing = {}, {}, False
    numeric = []
    records = frame.reset_index(drop=True).to_dict("records")
    for column in shown:
        kind = kinds.get(column) or (COLUMNS[column][2] if column in COLUMNS else None)
        title = headers.get(column) or header(column, lang)
        values = [_cell(r[column], kind or "text", lang, r, column) for r in records]
        any_missing |= MISSING in values
        texts[title] = values
        if kind in NUMERIC_KINDS:
            numeric.append(title)
        keys[title] = [str(r[column]) for r in records]
    shown_frame = pd.DataFrame(texts)
    shown_frame.attrs["numeric"] = numeric
    return shown_frame, pd.DataFrame(keys), any_missing


def styled_table(
    frame: pd.DataFrame,
    lang: str,
    caption: str | None = None,
    headers: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
):
    """A pandas Styler of ``frame`` for the report: human headers, translated values, no index."""
    shown, keys, any_missing = display_frame(frame, lang, headers, kinds)

    def colour(column: pd.Series) -> list[str]:
        out = []
        for key in keys[column.name]:
            if key in COLOURS:
                text = "white" if key in WHITE_TEXT else "black"
                out.append(f"background-color: {COLOURS[key]}; color: {text}")
            else:
                out.append("")
        return out

    # a table id from its content, not random: re-running an unchanged report gives identical bytes
    digest = hashlib.sha256(
        pd.util.hash_pandas_object(shown.astype(str), index=False).to_numpy().tobytes()
        + repr(list(shown.columns)).encode()
    ).hexdigest()[:8]
    # every cell and header is text to show, never markup: a plan's indicator or target value can hold "<script>"
    styler = shown.style.set_uuid(digest).hide(axis="index").apply(colour, axis=0)
    styler = styler.format(escape="html").format_index(escape="html", axis="columns")
    numeric = [c for c in shown.columns if c in shown.attrs.get("numeric", [])]
    text_columns = [c for c in shown.columns if c not in numeric]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    if text_columns:
        styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    styler = styler.set_table_attributes('class="papi-table"')
    styler = styler.set_table_styles(
        [
            {"selector": "th", "props": "text-align: left; background: #f7f7f7; padding: 4px 8px;"},
            {"selector": "td", "props": "padding: 4px 8px; white-space: normal;"},
        ]
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    styler._papi_footnote = FOOTNOTE[lang] if any_missing else ""  # read by show_table
    return styler


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
INTERVAL_WORDS = {"vi": ("cận dưới", "cận trên"), "en": ("low", "high")}


def _plain_number(value: Any) -> float | None:
    """``value`` as a number, None when it is missing or is not one."""
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


#: a number as :mod:`.numbers` writes it in each language (Vietnamese 1.234,56; English 1,234.56), with its sign
_NUMBER = {
    "vi": r"[+\-−]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?",
    "en": r"[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?",
}
#: shapes of text cells a report's text module formatted from numbers ("#" a number), and the columns they become:
#: "value" keeps the header; "low"/"high" are an interval's bounds; "of" is the count a rank is out of;
#: "before"/"after" are the two sides of an arrow in the header ("Dự báo → thực tế")
_SHAPES: dict[str, tuple[str, ...]] = {
    "#": ("value",),
    "#%": ("value",),
    "#/#": ("value", "of"),
    "# / #": ("value", "of"),
    "# (#–#)": ("value", "low", "high"),
    "# (# – #)": ("value", "low", "high"),
    "#% (#–#%)": ("value", "low", "high"),
    "#% (#–#)": ("value", "low", "high"),
    "#% → #% (#–#%)": ("before", "after", "low", "high"),
    "# (# đến #)": ("value", "low", "high"),
    "# (# to #)": ("value", "low", "high"),
    "#% (#% đến #%)": ("value", "low", "high"),
    "#% (#% to #%)": ("value", "low", "high"),
    "# (#/#)": ("value", "rank", "of"),
    "# (#–#) / #": ("value", "low", "high", "of"),
    "# (khoảng tin cậy #%: #–#) / #": ("value", "skip", "low", "high", "of"),
    "# (KTC #%: #–#) / #": ("value", "skip", "low", "high", "of"),  # reports made before the words were spelled out
    "# (#% CI: #–#) / #": ("value", "skip", "low", "high", "of"),
    "# (#% CI #–#) / #": ("value", "skip", "low", "high", "of"),
    "# (mô hình đúng: ≤ #)": ("value", "bound"),
    "# (a correct model: ≤ #)": ("value", "bound"),
    "# → # (#–#)": ("before", "after", "low", "high"),
    "#% / #% / #%": ("part", "part", "part"),
}
#: shapes a cell of a key-value table's column of values can have besides :data:`_SHAPES` (one row a rank with its
#: interval, the next a standard error in points, a range, a change from one rank to another: see
#: :func:`_key_value_columns`); "@" is a unit word of :data:`UNIT_WORDS`, "*" words without a digit
_CELL_SHAPES: dict[str, tuple[str, ...]] = {
    "# @": ("value",),
    "#–#": ("low", "high"),
    "# … #": ("low", "high"),
    "# (# → #)": ("value", "from", "to"),
    "*: #": ("text", "value"),
}
UNIT_WORDS = {"vi": ("điểm",), "en": ("points",)}
FROM_TO_WORDS = {"vi": ("từ", "đến"), "en": ("from", "to")}
#: the header of the column that keeps a key-value column's words ("không", a sentence) beside its numbers
WORDS_WORD = {"vi": "dạng chữ", "en": "in words"}
RANK_OF_WORDS = {"vi": "trên tổng số tỉnh", "en": "out of"}
RANK_WORDS = {"vi": "thứ hạng", "en": "rank"}
BOUND_WORDS = {"vi": "mức tối đa của một mô hình đúng", "en": "most a correct model gives"}


def _parse_number(text: str, lang: str) -> tuple[float, int]:
    """(value, decimals shown) of a number written in ``lang``'s marks."""
    text = text.replace("−", "-")
    thousands, decimal = numbers.marks(lang)
    text = text.replace(thousands, "").replace(decimal, ".")
    return float(text), len(text.split(".")[1]) if "." in text else 0


def _numbers_in_text(title: str, texts: list, lang: str) -> list[tuple[str, str, list]]:
    """A text column as workbook columns: when every value is a number a text module already formatted ("45,60",
    "7%", "48/61", "30% (20–41%)", "54% → 60% (53–70%)"), its numbers in columns of their own (see :data:`_SHAPES`);
    otherwise the text, with each cell that is a lone number or percentage stored as that number."""
    number = re.compile(_NUMBER[lang])
    dashes = {"", "—", "–", "-"}  # how a text module writes a missing figure: an empty cell in a column of numbers
    # an interval whose bounds round to one number is written "(50%)": the same as "(50–50%)"
    texts = [
        re.sub(rf"\(({_NUMBER[lang]})(%?)\)$", "(\\1–\\1\\2)", t.strip()) if isinstance(t, str) else t for t in texts
    ]
    # a range written with a hyphen ("37-61") is a range, not a number and a negative one
    texts = [re.sub(r"(?<=\d)-(?=\d)", "–", t) if isinstance(t, str) else t for t in texts]
    present = [t for t in texts if t is not None and str(t).strip() not in dashes]
    shapes = {number.sub("#", str(t).strip()) for t in present}
    if present and len(shapes) == 1 and next(iter(shapes)) in _SHAPES:
        shape = next(iter(shapes))
        roles = _SHAPES[shape]
        parsed = [
            None if t is None or str(t).strip() in dashes else [_parse_number(n, lang) for n in number.findall(str(t))]
            for t in texts
        ]
        share = shape.startswith("#%")
        decimals = max(d for row in parsed if row for _, d in row)
        sides = [part.strip() for part in title.split("→")] if "→" in title else [title, title]
        sides = [side[:1].upper() + side[1:] for side in sides]
        columns: list[tuple[str, str, list]] = []
        for index, role in enumerate(roles):
            values = [None if row is None else row[index][0] for row in parsed]
            if role == "skip":  # the level of an interval written in each cell ("KTC 95%")
                continue
            if role == "part":  # "2% / 10% / 43%" under "Năm kém / bình thường / tốt của cả nước"
                columns.append(
                    (
                        _part_headers(title, roles.count("part"))[index],
                        "share" if share else "points",
                        [None if v is None else (round(v / 100, decimals + 2) if share else v) for v in values],
                    )
                )
                continue
            if role in ("rank", "of"):
                word = RANK_WORDS[lang] if role == "rank" else RANK_OF_WORDS[lang]
                columns.append((f"{title}: {word}", "int", [None if v is None else int(v) for v in values]))
                continue
            if role == "of":
                columns.append(
                    (f"{title}: {RANK_OF_WORDS[lang]}", "int", [None if v is None else int(v) for v in values])
                )
                continue
            header = {
                "value": title,
                "before": sides[0],
                "after": sides[-1],
                "low": f"{title}: {INTERVAL_WORDS[lang][0]}",
                "high": f"{title}: {INTERVAL_WORDS[lang][1]}",
                "bound": f"{title}: {BOUND_WORDS[lang]}",
            }[role]
            if share:
                kind = "share" if decimals == 0 else "share1"
                values = [None if v is None else round(v / 100, decimals + 2) for v in values]
            elif decimals == 0 and all(v is None or 1990 <= v <= 2100 for v in values) and role == "value":
                kind = "year"
            elif decimals == 0:
                kind = "rank" if "/" in shape else "int"
            else:
                kind = "change" if any(str(t).strip().startswith(("+", "−", "-")) for t in present) else "points"
                kind = "p" if decimals >= 3 and kind == "points" else kind
                kind = f"change{min(decimals, 4)}" if decimals >= 3 and kind == "change" else kind
            if kind in ("year", "int", "rank"):
                values = [None if v is None else int(v) for v in values]
            columns.append((header, kind, values))
        return columns
    named = re.compile(rf"^({_NUMBER[lang]}) \(([^\d()]+)\)$")  # "5,95 (Bắc Giang)": a number and whose it is
    matches = [named.match(str(t)) for t in present]
    if present and all(matches):
        head = re.match(r"^(.*\S)\s*\(([^()]+)\)$", title)
        number_title, text_title = (
            (head.group(1), head.group(2)[:1].upper() + head.group(2)[1:]) if head else (title, title)
        )
        found = {str(t): m for t, m in zip(present, matches, strict=True) if m is not None}
        parsed_named = [_parse_number(found[str(t)].group(1), lang) if str(t) in found else None for t in texts]
        kind = "int" if max(v[1] for v in parsed_named if v) == 0 else "points"
        return [
            (number_title, kind, [None if v is None else (int(v[0]) if kind == "int" else v[0]) for v in parsed_named]),
            (text_title, "text", [found[str(t)].group(2) if str(t) in found else None for t in texts]),
        ]
    mixed = _key_value_columns(title, texts, lang)
    if mixed is not None:
        return mixed
    return [(title, "text", texts)]


def _part_headers(title: str, count: int) -> list[str]:
    """Headers of the parts of "a / b / c" cells: the title with the word of each part ("Năm kém / bình thường / tốt
    của cả nước" -> "…: kém", "…: bình thường", "…: tốt"), else with the part's number."""
    pieces = [p.strip() for p in title.split(" / ")]
    if len(pieces) != count or count < 2:
        return [f"{title}: {i}" for i in range(1, count + 1)]
    words = [pieces[0].split(" ")[-1], *pieces[1:-1], pieces[-1].split(" ")[0]]
    return [f"{title}: {w}" for w in words]


def _number_format(token: str, lang: str, unit: str | None = None) -> tuple[float | int, str]:
    """(value, display format without its locale code) of one number as a text module wrote it: "94%" -> 0.94
    as "0%"; "0,324" -> 0.324 as "#,##0.000"; "+11" -> 11 as "+0;-0;0"; "2018" -> 2018 as "0"; ``unit`` ("điểm")
    is kept in the display format, the cell still a number."""
    share = token.endswith("%")
    value, decimals = _parse_number(token.rstrip("%"), lang)
    signed = token.lstrip().startswith(("+", "−", "-"))
    if share:
        fmt = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
        return round(value / 100, decimals + 2), fmt
    body = ("#,##0" if abs(value) >= 10000 else "0") if decimals == 0 else "#,##0." + "0" * decimals
    zero = body.replace("#,##", "")
    fmt = f"+{body};-{body};{zero}" if signed else body
    if unit:
        fmt = ";".join(f'{part}" {unit}"' for part in fmt.split(";"))
    return (int(value) if decimals == 0 else value), fmt


def _key_value_columns(title: str, texts: list, lang: str) -> list[tuple[str, str, list]] | None:
    """A column whose cells hold numbers of different shapes and words (the "Giá trị" column of a key-value table:
    "26 (11–45) / 61", "9–49", "0,324 điểm", "94%", "+11 (37 → 26)", "-22 … +25", "không") as columns of numbers
    and one of words: the value (each cell with its own display format, kind ``cells``: (value, format) pairs), its
    interval's low and high, the count a rank is out of, a change's from and to, and the words (with what follows
    " — " after a number). None when at most half the cells hold such numbers (a column of words with a number here
    and there stays text)."""
    number = re.compile(_NUMBER[lang] + "%?")
    units = UNIT_WORDS[lang]
    dashes = {"", "—", "–", "-"}
    rows: list[dict[str, Any]] = []
    parsed_cells = 0
    present = 0
    for text in texts:
        row: dict[str, Any] = {}
        rows.append(row)
        if text is None or str(text).strip() in dashes:
            continue
        present += 1
        cell = str(text).strip()
        head, _, tail = cell.partition(" — ")
        aside = re.match(r"^(.*\S) \(([^\d()]+)\)$", head)  # "2016–2024 (cả hai giai đoạn)": the words apart
        if aside and number.sub("#", aside.group(1)) in _CELL_SHAPES:
            head, tail = aside.group(1), aside.group(2)
        tokens = number.findall(head)
        shape = number.sub("#", head)
        unit = None
        for word in units:
            if shape == f"# {word}":
                shape, unit = "# @", word
        words = re.match(r"^([^\d:]+): #$", shape)
        if words:
            shape = "*: #"
            tokens = [words.group(1), *tokens]
        roles = _SHAPES.get(shape) or _CELL_SHAPES.get(shape)
        if not roles or "part" in roles or "bound" in roles or "rank" in roles or "before" in roles or not tokens:
            row["text"] = cell
            continue
        parsed_cells += 1
        if roles == ("low", "high") and all(re.fullmatch(r"(19|20)\d\d", t) for t in tokens):
            roles = ("from", "to")  # a period ("2016–2021"): from one year to another, not an interval's bounds
        if roles == ("low", "high") and tokens[-1].endswith("%"):  # "42–57%": both bounds are percentages
            tokens = [t if t.endswith("%") else t + "%" for t in tokens]
        for role, token in zip(roles, tokens, strict=True):
            if role == "skip":
                continue
            if role == "text":
                row["text"] = token.strip()
                continue
            row[role] = _number_format(token, lang, unit if role == "value" else None)
        if tail:
            row["text"] = tail.strip()
    roles_seen = {role for row in rows for role in row}
    if not parsed_cells or parsed_cells * 2 <= present:
        return None
    low_word, high_word = INTERVAL_WORDS[lang]
    from_word, to_word = FROM_TO_WORDS[lang]
    headers = {
        "value": title,
        "low": f"{title}: {low_word}",
        "high": f"{title}: {high_word}",
        "of": f"{title}: {RANK_OF_WORDS[lang]}",
        "from": f"{title}: {from_word}",
        "to": f"{title}: {to_word}",
        "text": f"{title}: {WORDS_WORD[lang]}",
    }
    order = ["value", "low", "high", "of", "from", "to", "text"]
    columns: list[tuple[str, str, list]] = []
    for role in [r for r in order if r in roles_seen]:
        if role == "text":
            columns.append((headers[role], "text", [row.get("text") for row in rows]))
        else:
            columns.append((headers[role], "cells", [row.get(role) for row in rows]))
    return columns


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


def show_table(
    frame: pd.DataFrame,
    name: str,
    lang: str,
    caption: str | None = None,
    headers: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    footnote: str | None = None,
) -> None:
    """Display ``frame`` as a report table and register it (sheet ``name``) for tables.xlsx.

    ``footnote`` replaces the default explanation of "—" (:data:`FOOTNOTE`, about PAPI) where a dash
    means something else, e.g. a figure a plan does not state; it is shown only if a value is missing.
    """
    from IPython.display import display

    styler = styled_table(frame, lang, caption, headers, kinds)
    body = styler.to_html()
    if styler._papi_footnote:
        body += f'<p class="papi-footnote">{html.escape(footnote or styler._papi_footnote)}</p>'
    sheet = excel_frame(frame, lang, headers, kinds)
    display(
        {
            "text/html": body,
            "text/plain": f"[table: {name}]",
            TABLE_MIME: {
                "name": name,
                "caption": caption or "",
                "columns": list(sheet.columns),
                "kinds": sheet.attrs["kinds"],
                "cell_formats": sheet.attrs.get("cell_formats", {}),
                "rows": sheet.values.tolist(),
            },
        },
        raw=True,
    )


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


# --------------------------------------------------------------------------- sub-dimension labels

#: (code, first year, last year) -> (Vietnamese, English).
#: Codes were reused for different sub-dimensions when PAPI redesigned its indicators (2016, 2018),
#: so a label belongs to a code *and* a span of years. English spelling corrected from the source
#: ("Opportunties", "Land Tittle", "E-Reponsiveness").
SUBDIMENSION_LABELS: dict[tuple[str, int, int], tuple[str, str]] = {
    ("D1.1", 2011, 2016): ("Tri thức công dân", "Civic Knowledge"),
    ("D1.2", 2011, 2016): ("Cơ hội tham gia", "Opportunities for Participation"),
    ("D1.3", 2011, 2016): ("Chất lượng bầu cử", "Quality of Elections"),
    ("D1.4", 2011, 2016): ("Đóng góp tự nguyện", "Voluntary Contributions"),
    ("D2.1", 2011, 2016): ("Danh sách hộ nghèo", "Poverty Lists"),
    ("D2.2", 2011, 2016): ("Thu, chi ngân sách cấp xã/phường", "Communal Budget and Expenditure"),
    ("D2.3", 2011, 2016): ("Quy hoạch, kế hoạch sử dụng đất; khung giá đất", "Land-Use Plans and Price Frames"),
    ("D3.1", 2011, 2016): ("Tiếp xúc với chính quyền", "Interactions with Local Authorities"),
    ("D3.2", 2011, 2015): ("Ban Thanh tra nhân dân", "People's Inspection Boards"),
    ("D3.2", 2016, 2016): ("Giải đáp khiếu nại, tố cáo của người dân", "Responsiveness to Citizen Actions"),
    ("D3.3", 2011, 2015): ("Ban Giám sát đầu tư cộng đồng", "Community Investment Supervision Boards"),
    ("D3.3", 2016, 2016): ("Ban Thanh tra nhân dân", "People's Inspection Boards"),
    ("D4.1", 2011, 2016): ("Kiểm soát tham nhũng trong khu vực công", "Limits on Public Sector Corruption"),
    ("D4.2", 2011, 2016): (
        "Kiểm soát tham nhũng trong cung ứng dịch vụ công",
        "Limits on Corruption in Service Delivery",
    ),
    ("D4.3", 2011, 2016): ("Công bằng trong tuyển dụng", "Equity in Employment"),
    ("D4.4", 2011, 2016): ("Quyết tâm chống tham nhũng", "Willingness to Fight Corruption"),
    ("D5.1", 2011, 2016): ("Dịch vụ chứng thực, xác nhận", "Certification Procedures"),
    ("D5.2", 2011, 2016): ("Thủ tục cấp phép xây dựng", "Construction Permits"),
    ("D5.3", 2011, 2016): ("Thủ tục về quyền sử dụng đất", "Land-Use Rights Procedures"),
    ("D5.4", 2011, 2016): ("Thủ tục hành chính cá nhân", "Personal Procedures"),
    ("D6.1", 2011, 2016): ("Y tế công lập", "Public Health"),
    ("D6.2", 2011, 2016): ("Giáo dục tiểu học công lập", "Public Primary Education"),
    ("D6.3", 2011, 2016): ("Cơ sở hạ tầng căn bản", "Basic Infrastructure"),
    ("D6.4", 2011, 2016): ("An ninh, trật tự khu dân cư", "Law and Order"),
    ("D1.1", 2017, 2099): ("Tri thức công dân", "Civic Knowledge"),
    ("D1.2", 2017, 2099): ("Cơ hội tham gia", "Opportunities for Participation in Elections"),
    ("D1.3", 2017, 2099): ("Chất lượng bầu cử", "Quality of Village Head Elections"),
    ("D1.4", 2017, 2099): ("Đóng góp tự nguyện", "Voluntary Contributions"),
    ("D2.1", 2017, 2099): ("Tiếp cận thông tin", "Access to Information"),
    ("D2.2", 2017, 2099): ("Công khai danh sách hộ nghèo", "Poverty List Transparency"),
    ("D2.3", 2017, 2099): ("Công khai thu, chi ngân sách cấp xã/phường", "Communal Budget Transparency"),
    ("D2.4", 2017, 2099): (
        "Quy hoạch, kế hoạch sử dụng đất; giá bồi thường thu hồi đất",
        "Land-Use Plans and Compensation Prices",
    ),
    ("D3.1", 2017, 2099): ("Mức độ và hiệu quả trong tiếp xúc với chính quyền", "Interactions with Local Authorities"),
    ("D3.2", 2017, 2099): (
        "Giải đáp khiếu nại, tố cáo, khúc mắc của người dân",
        "Government Responsiveness to Citizen Appeals",
    ),
    ("D3.3", 2017, 2099): ("Tiếp cận dịch vụ tư pháp", "Access to Justice Services"),
    ("D4.1", 2017, 2099): (
        "Kiểm soát tham nhũng trong chính quyền địa phương",
        "Limits on Corruption in Local Governments",
    ),
    ("D4.2", 2017, 2099): (
        "Kiểm soát tham nhũng trong cung ứng dịch vụ công",
        "Limits on Corruption in Service Delivery",
    ),
    ("D4.3", 2017, 2099): ("Công bằng trong tuyển dụng vào khu vực công", "Equity in State Employment"),
    ("D4.4", 2017, 2099): ("Quyết tâm chống tham nhũng của chính quyền địa phương", "Willingness to Fight Corruption"),
    ("D5.1", 2017, 2099): ("Dịch vụ chứng thực, xác nhận của chính quyền", "Certification Procedures"),
    ("D5.2", 2017, 2099): ("Thủ tục xin cấp phép xây dựng", "Construction Permit Services"),
    ("D5.3", 2017, 2099): ("Thủ tục liên quan đến giấy chứng nhận quyền sử dụng đất", "Land Title Procedures"),
    ("D5.4", 2017, 2099): ("Dịch vụ hành chính cấp xã/phường", "Personal Procedures"),
    ("D6.1", 2017, 2099): ("Y tế công lập", "Public Healthcare"),
    ("D6.2", 2017, 2099): ("Giáo dục tiểu học công lập", "Primary Education"),
    ("D6.3", 2017, 2099): ("Cơ sở hạ tầng căn bản", "Basic Infrastructure"),
    ("D6.4", 2017, 2099): ("An ninh, trật tự khu dân cư", "Law and Order"),
    ("D7.1", 2017, 2099): ("Nghiêm túc trong bảo vệ môi trường", "Environmental Protection"),
    ("D7.2", 2017, 2099): ("Chất lượng không khí", "Quality of Air"),
    ("D7.3", 2017, 2099): ("Chất lượng nước", "Quality of Water"),
    ("D8.1", 2017, 2099): (
        "Sử dụng cổng thông tin điện tử của chính quyền địa phương",
        "Access to E-Government Portals",
    ),
    ("D8.2", 2017, 2099): ("Tiếp cận và sử dụng Internet tại địa phương", "Access to the Internet"),
    ("D8.3", 2017, 2099): (
        "Phúc đáp của chính quyền qua cổng thông tin điện tử",
        "E-Responsiveness of Provincial Authorities",
    ),
}
SUBDIMENSION_MARK_NOTE = {
    "vi": "* Chỉ số thành phần được đánh dấu * trong tệp số liệu PAPI chính thức (tệp không giải thích dấu này; "
    "xem báo cáo PAPI của năm đó).",
    "en": "* Marked with an asterisk in the official PAPI data file (the file does not explain the mark; "
    "see that year's PAPI report).",
}


def subdimension_label(code: str, year: int, lang: str, source_label: str | None = None) -> str:
    """Full display name of a sub-dimension in a survey year ("D5.3", 2023 -> "Land Title Procedures").

    ``source_label`` (the ``label`` column of the sub-dimension table): where the official file marks
    the sub-dimension with "*", the name keeps the mark; explain it with :data:`SUBDIMENSION_MARK_NOTE`.
    """
    lang = check_lang(lang)
    for (c, first, last), (vi, en) in SUBDIMENSION_LABELS.items():
        if c == code and first <= int(year) <= last:
            return (vi if lang == "vi" else en) + ("*" if source_label and "*" in source_label else "")
    raise KeyError(f"No display label for sub-dimension {code} in {year}: add it to report.tables.SUBDIMENSION_LABELS.")
