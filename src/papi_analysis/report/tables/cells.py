"""How a table looks in a report: human headers (:data:`COLUMNS`), translated values, numbers formatted by
column kind in the reader's language, missing values as "—", colours; the styled HTML table."""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ...data import schema
from ...params import check_lang
from .. import numbers

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
