"""Each target's verdict for people (notebook 02, section 2), in one language: the target in words, the verdict's
feasibility word from the model probability (never replaced), its range and the words at both ends, the
probability in a poor, a typical and a good year for the whole country, a weak-calibration label with a footnote
mark, the table and the footnotes. Every number goes through :mod:`papi_analysis.report.numbers`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ...analysis import targets
from ...data import schema
from ...params import check_lang
from .. import numbers
from ..tables import _number, translate
from .calibration import _pct, _pct_range, family_name, miss_reasons, units_name
from .messages import Messages

KIND_PHRASES = {
    "en": {
        "score_at_least": "score at least {v}",
        "change_at_least": "change of at least {v} points",
        "group_at_least": "{keep} the {g} group or better",
        "not_in_group": "not in the {g} group",
        "rank_at_most": "rank {v} or better",
        "rank_gain_at_least": "up at least {k} place(s) in rank",
        "improve_score_and_rank": "higher score and better rank",
        "all_up": "every named dimension up",
        "other_index": "a target on another index: {v}",
    },
    "vi": {
        "score_at_least": "đạt ít nhất {v} điểm",
        "change_at_least": "thay đổi ít nhất {v} điểm",
        "group_at_least": "{keep} nhóm {g} trở lên",
        "not_in_group": "không nằm trong nhóm {g}",
        "rank_at_most": "xếp hạng {v} trở lên",
        "rank_gain_at_least": "tăng ít nhất {k} bậc",
        "improve_score_and_rank": "tăng cả điểm và thứ hạng",
        "all_up": "mọi chỉ số được nêu cùng tăng",
        "other_index": "mục tiêu của chỉ số khác: {v}",
    },
}
WORDS = {
    "en": {
        "model": "model probability",
        "interval": "90% interval",
        "outcome": "Outcome",
        "rank": "rank",
        "historical": "historical share",
        "keep": "stay in",
        "reach": "reach",
        "of": "of",
        "pending": "not yet published",
        "total": "Total",
    },
    "vi": {
        "model": "xác suất theo mô hình",
        "interval": "khoảng 90%",
        "outcome": "Kết quả",
        "rank": "hạng",
        "historical": "tỷ lệ lịch sử",
        "keep": "giữ",
        "reach": "đạt",
        "of": "trên",
        "pending": "chưa công bố",
        "total": "Tổng điểm",
    },
}


def indicator_name(indicator: str, lang: str) -> str:
    """'D1 Participation at local levels', 'Total' (dimension code kept: plans use it)."""
    if indicator == schema.TOTAL:
        return WORDS[lang]["total"]
    if indicator in schema.DIMENSION_NAMES:
        return f"{indicator} {schema.DIMENSION_NAMES[indicator][lang]}"
    return str(indicator)


#: kinds whose meaning depends on the baseline year (a change, a rank gain, higher than before)
RELATIVE_KINDS = ("change_at_least", "improve_score_and_rank", "rank_gain_at_least", "all_up")


def target_text(row, lang: str) -> str:
    """The target in words: 'D1 Participation at local levels: score at least 5.30 in 2023'."""
    lang = check_lang(lang)
    kind, value = row["kind"], row["target"]
    group = str(translate(value, lang)).lower() if isinstance(value, str) else ""
    number = value
    try:
        number = (
            _number(float(value), 2, lang) if kind in ("score_at_least", "change_at_least") else str(int(float(value)))
        )
    except (TypeError, ValueError):
        pass
    keep = WORDS[lang]["keep"] if "keep:" in str(row.get("notes", "")) else WORDS[lang]["reach"]
    k = number if kind == "rank_gain_at_least" and str(value).strip() else "1"
    phrase = KIND_PHRASES[lang].get(kind, kind).format(v=number, g=group, keep=keep, k=k)
    target_year, baseline_year = int(row["target_year"]), int(row["baseline_year"])
    if kind in RELATIVE_KINDS and target_year - baseline_year > 1:  # several years ahead: say against which year
        year = (
            f" ({target_year}, against {baseline_year})"
            if lang == "en"
            else f" (năm {target_year}, so với năm {baseline_year})"
        )
    else:
        year = f" ({target_year})" if lang == "en" else f" (năm {target_year})"
    return f"{indicator_name(row['indicator'], lang)}: {phrase}{year}"


#: an outcome read on a merged unit's recast score (issue 27): an estimate, said beside the outcome and in its header
RECAST_OUTCOME = {"vi": " — ước tính (tính lại)", "en": " — estimate (recast)"}


def recast_outcome(row) -> bool:
    """True when the outcome was read on a recast score: a merged unit of the 34 in a year the 63 were surveyed."""
    from ...data.plan_reader.schema import LAST_PUBLISHED_YEAR

    return (
        str(row.get("units", "")) == "merged"
        and row["outcome"] in ("met", "missed")
        and int(row["target_year"]) <= LAST_PUBLISHED_YEAR
    )


def _outcome_text(row, lang: str) -> str:
    outcome = row["outcome"]
    if outcome == "pending":
        return f"{WORDS[lang]['outcome']}: {WORDS[lang]['pending']}."
    text = f"{WORDS[lang]['outcome']}: {str(translate(outcome, lang)).lower()}"
    if recast_outcome(row):  # a merged unit's score before 2025: this project's estimate, never "actual" (issue 27)
        text += RECAST_OUTCOME[lang]
    if pd.notna(row["actual"]):
        text += f" ({_number(float(row['actual']), 2, lang)}"
        found = re.match(r"rank (\d+)/(\d+), (\w+)", str(row["actual_detail"]))
        if found:
            group = str(translate(found.group(3), lang)).lower()
            text += f", {WORDS[lang]['rank']} {found.group(1)}/{found.group(2)}, " + (
                f"{group} group" if lang == "en" else f"nhóm {group}"
            )
        text += ")"
    return text + "."


SAY = Messages(
    {
        "verdict": {
            "vi": "{words}: xác suất theo mô hình {p:pct}{range}. {national}",
            "en": "{words}: model probability {p:pct}{range}. {national}",
        },
        "range": {"vi": " (khoảng {range})", "en": " (range {range})"},
        "national": {
            "vi": "Nếu cả nước có một năm kém (chỉ 1 năm trong 10 kém hơn): {poor}; một năm bình thường: {typical}; "
            "một năm tốt (chỉ 1 năm trong 10 tốt hơn): {good}.",
            "en": "If the whole country has a poor year (only 1 year in 10 is worse): {poor}; a typical year: "
            "{typical}; a good year (only 1 year in 10 is better): {good}.",
        },
        "no_national": {
            "vi": "Mục tiêu này không phụ thuộc vào thay đổi chung của cả nước (thứ hạng và nhóm tính so với các tỉnh "
            "khác).",
            "en": "This target does not depend on the country's common change (ranks and groups are relative to the "
            "other provinces).",
        },
        "qualified": {"vi": "{words} ({qualifier}{mark})", "en": "{words} ({qualifier}{mark})"},
        "footnote": {
            "vi": "{mark} Hiệu chỉnh yếu, {kind}{units}: {reasons}. Từ và con số vẫn là của mô hình; nhãn cho biết "
            "loại dự báo này trong quá khứ lệch hơn mức một mô hình đúng có thể lệch vì may rủi.",
            "en": "{mark} Weak calibration, {kind}{units}: {reasons}. The word and the number are still the model's; "
            "the label says that this kind of forecast strayed further than a correct model would by chance.",
        },
        "footnote_untested": {
            "vi": "{mark} Hiệu chỉnh yếu, {kind}{units}: {reasons} (kiểm định ngược chỉ đi tới hai năm); từ và con số "
            "là của mô hình, chưa được kiểm chứng ngoài mẫu.",
            "en": "{mark} Weak calibration, {kind}{units}: {reasons} (the backtest goes two years ahead at most); the "
            "word and the number are the model's, not checked out of sample.",
        },
        "footnote_units": {"vi": " ({units})", "en": " ({units})"},
        "legend": {
            "vi": "Nhận định: từ đến từ xác suất mô hình (khả thi từ 60%, có thể đạt 30–59%, tham vọng 10–29%, rất "
            "tham vọng dưới 10%). Khoảng: xác suất thấp nhất và cao nhất khi cả nước có một năm kém hoặc tốt (1 năm "
            "trong 10) hoặc khi hiệu chỉnh theo kết quả kiểm định ngược; nếu khoảng trải qua nhiều mức, nhận định "
            "nêu mức ở hai đầu.",
            "en": "Verdict: the word comes from the model probability (likely from 60%, possible 30–59%, ambitious "
            "10–29%, very ambitious under 10%). Range: the lowest and highest probability if the whole country has a "
            "poor or a good year (1 year in 10) or once recalibrated by the backtest; where it spans several words, "
            "the verdict names the words at both ends.",
        },
        "summary_qualified": {
            "vi": '{k:int}/{n:int} nhận định có nhãn "hiệu chỉnh yếu" (loại mục tiêu: {kinds}): trong kiểm định ngược '
            "loại dự báo này lệch hơn mức nhiễu của một mô hình đúng (chú thích dưới bảng mục 2). Mọi nhận định vẫn "
            "ghi mức khả thi và xác suất.",
            "en": '{k:int} of {n:int} verdicts carry a "weak calibration" label (kinds of target: {kinds}): in the '
            "backtest this kind of forecast strayed beyond a correct model's noise (notes under the table of "
            "section 2). Every verdict still gives its feasibility word and probability.",
        },
        "summary_none": {
            "vi": "Mọi loại mục tiêu trong kế hoạch này nằm trong mức nhiễu của một mô hình đúng ở kiểm định ngược "
            "(mục 4).",
            "en": "Every kind of target in this plan is within a correct model's noise in the backtest (section 4).",
        },
        "summary_national": {
            "vi": "Phụ thuộc nhiều nhất vào thay đổi chung của cả nước: {target}: {poor} nếu cả nước có một năm kém, "
            "{good} nếu một năm tốt.",
            "en": "Most dependent on the country's common change: {target}: {poor} if the whole country has a poor "
            "year, {good} if a good one.",
        },
    }
)
MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def verdict_words(row, lang: str, mark: str = "") -> str:
    """The words of a verdict cell: the word of the probability; where its range spans several words, the words at
    both ends with the range ("tham vọng – rất tham vọng, 5–15%"); the qualifier beside it (with ``mark``)."""
    lang = check_lang(lang)
    names = targets.VERDICTS[lang]
    p = row["probability"]
    key = targets.category_of(p)
    if key == "na":
        return names["na"].capitalize()
    text = names[key]
    low, high = row.get("probability_low"), row.get("probability_high")
    if pd.notna(low) and pd.notna(high):
        top, bottom = targets.category_of(high), targets.category_of(low)
        if top != bottom:
            span = f"{names[top]} {numbers.RANGE_DASH} {names[bottom]}, {_pct_range(low, high, lang)}"
            text = span if key in (top, bottom) else f"{names[key]} ({span})"
    text = text[0].upper() + text[1:]
    if bool(row.get("qualified", False)):
        text = SAY("qualified", lang, words=text, qualifier=names["qualifier"], mark=mark)
    return text


def national_text(row, lang: str) -> str:
    """The probability in a poor, a typical and a good year for the whole country, or that the target does not
    depend on it."""
    poor, typical, good = (row.get(k) for k in ("p_poor", "p_typical", "p_good"))
    if pd.isna(poor) or pd.isna(good):
        return ""
    if round(poor, 3) == round(good, 3):
        return SAY("no_national", lang)
    return SAY("national", lang, poor=_pct(poor, lang), typical=_pct(typical, lang), good=_pct(good, lang))


def verdict_sentence(row, lang: str, mark: str = "") -> str:
    """One target's verdict: the words (never replaced by a qualifier), the model probability and its range, the
    probability in a poor, a typical and a good year for the whole country, then the outcome."""
    lang = check_lang(lang)
    names = targets.VERDICTS[lang]
    p = row["probability"]
    if p is None or (isinstance(p, float) and math.isnan(p)):
        reason = str(row["actual_detail"]) if row["kind"] == "other_index" else ""
        text = names["na"].capitalize() + (f" ({_reason(reason, lang)})" if reason else "") + "."
        return f"{text} {_outcome_text(row, lang)}" if row["outcome"] in ("met", "missed", "pending") else text
    low, high = row.get("probability_low"), row.get("probability_high")
    shown = pd.notna(low) and pd.notna(high) and (round(low, 2) != round(p, 2) or round(high, 2) != round(p, 2))
    text = SAY(
        "verdict",
        lang,
        words=verdict_words(row, lang, mark),
        p=p,
        range=SAY("range", lang, range=_pct_range(low, high, lang)) if shown else "",
        national=national_text(row, lang),
    ).rstrip()
    return f"{text} {_outcome_text(row, lang)}"


def _qualified_kinds(evaluation: pd.DataFrame) -> list[tuple[str, str]]:
    """(family, units) of the qualified verdicts, in order of appearance."""
    q = evaluation[evaluation["qualified"].astype(bool)] if "qualified" in evaluation else evaluation.iloc[0:0]
    return list(dict.fromkeys((r.family, getattr(r, "units", "") or "all") for r in q.itertuples()))


def qualifier_marks(
    evaluation: pd.DataFrame, predictions: pd.DataFrame | None = None, lang: str = "en"
) -> dict[tuple[str, str], str]:
    """A footnote mark for each (family, units) of the qualified verdicts, in order of appearance; with the backtest
    (``predictions``), kinds whose reasons read alike share one mark."""
    marks: dict[tuple[str, str], str] = {}
    by_reason: dict[str, str] = {}
    for family, units in _qualified_kinds(evaluation):
        reason = (
            "; ".join(miss_reasons(predictions, family, lang, units)) + units
            if predictions is not None
            else f"{family}:{units}"
        )
        if reason not in by_reason:
            by_reason[reason] = MARKS[len(by_reason) % len(MARKS)]
        marks[(family, units)] = by_reason[reason]
    return marks


def _mark(row, marks: dict) -> str:
    return marks.get((row["family"], row.get("units", "") or "all"), "")


def qualifier_notes(evaluation: pd.DataFrame, predictions: pd.DataFrame, lang: str) -> list[str]:
    """One footnote per mark of :func:`qualifier_marks`: the kinds of target it covers and the tests outside a correct
    model's range (or that the kind is not backtested)."""
    lang = check_lang(lang)
    marks = qualifier_marks(evaluation, predictions, lang)
    out = []
    for mark in dict.fromkeys(marks.values()):
        kinds = [key for key, m in marks.items() if m == mark]
        family, units = kinds[0]
        reasons = miss_reasons(predictions, family, lang, units)
        untested = family not in targets.FAMILIES
        out.append(
            SAY(
                "footnote_untested" if untested else "footnote",
                lang,
                mark=mark,
                kind=numbers.join([family_name(f, lang) for f, _ in kinds], lang),
                units=SAY("footnote_units", lang, units=units_name(units, lang).lower()) if units != "all" else "",
                reasons="; ".join(reasons),
            )
        )
    return out


VERDICT_HEADERS = {
    "vi": {
        "target": "Mục tiêu",
        "baseline": "Điểm năm gốc",
        "required_change": "Mức tăng cần (điểm)",
        "probability": "Xác suất đạt (khoảng)",
        "national": "Năm kém / bình thường / tốt của cả nước",
        "historical_share": "Tỷ lệ lịch sử đạt mức này",
        "verdict": "Nhận định",
        "outcome": "Kết quả",
    },
    "en": {
        "target": "Target",
        "baseline": "Baseline score",
        "required_change": "Required change (points)",
        "probability": "Probability (range)",
        "national": "Country's poor / typical / good year",
        "historical_share": "Historical share reaching it",
        "verdict": "Verdict",
        "outcome": "Outcome",
    },
}


def verdict_table(
    evaluation: pd.DataFrame, lang: str, predictions: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict, dict]:
    """(frame, headers, kinds) for :func:`tables.show_table` (sheet 'targets'): each target with its baseline, the
    change needed, the model probability and its range, the probability in a poor / typical / good year for the
    whole country, the historical share, the verdict's words (never replaced; a qualifier beside them, marked for a
    footnote of :func:`qualifier_notes`) and the outcome."""
    lang = check_lang(lang)
    marks = qualifier_marks(evaluation, predictions, lang)
    rows = []
    for _, r in evaluation.iterrows():
        p = r["probability"]
        probability = "—"
        if pd.notna(p):
            probability = _pct(p, lang)
            if pd.notna(r["probability_low"]) and pd.notna(r["probability_high"]):
                probability += f" ({_pct_range(r['probability_low'], r['probability_high'], lang)})"
        national = "—"
        if pd.notna(r.get("p_poor")) and pd.notna(r.get("p_good")):
            national = " / ".join(_pct(r[k], lang) for k in ("p_poor", "p_typical", "p_good"))
        rows.append(
            dict(
                target=target_text(r, lang),
                baseline=r["baseline"],
                required_change=r["required_change"],
                probability=probability,
                national=national,
                historical_share=r["historical_share"],
                verdict=verdict_words(r, lang, _mark(r, marks)),
                outcome=r["outcome"],
            )
        )
    frame = pd.DataFrame(rows)
    kinds = {c: "text" for c in frame.columns} | {
        "baseline": "points",
        "required_change": "change",
        "historical_share": "pct01",
        "outcome": "enum",
    }
    headers = dict(VERDICT_HEADERS[lang])
    if any(recast_outcome(r) for _, r in evaluation.iterrows()):
        headers["outcome"] += RECAST_OUTCOME[lang]
    return frame, headers, kinds


def verdict_legend(lang: str) -> str:
    """How to read the verdict column."""
    return SAY("legend", check_lang(lang))


def _reason(note: str, lang: str) -> str:
    if lang == "en":
        return note
    if note.startswith("needs "):
        return "cần số liệu của chỉ số khác: giữ nguyên như kế hoạch ghi, không đánh giá ở đây"
    return "không có mô hình cho mục tiêu này"
