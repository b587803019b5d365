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
from ..tables import translate
from .calibration import _pct, _pct_range, family_name, miss_reasons, units_name
from .messages import Messages

#: the target in words, one message per kind: {v} the value, {g} the group, {keep} "reach"/"stay in", {places} the
#: rank places in words ("1 place", "3 places")
KIND_PHRASES = Messages(
    {
        "score_at_least": {"vi": "đạt ít nhất {v} điểm", "en": "score at least {v}"},
        "change_at_least": {"vi": "thay đổi ít nhất {v} điểm", "en": "change of at least {v} points"},
        "change_not_negative": {"vi": "không thấp hơn năm gốc", "en": "no lower than in the baseline year"},
        "change_up": {"vi": "tăng ít nhất {v} điểm", "en": "up at least {v} points"},
        "group_at_least": {"vi": "{keep} nhóm {g} trở lên", "en": "{keep} the {g} group or better"},
        "not_in_group": {"vi": "không nằm trong nhóm {g}", "en": "not in the {g} group"},
        "rank_at_most": {"vi": "xếp hạng {v} trở lên", "en": "rank {v} or better"},
        "rank_gain_at_least": {"vi": "tăng ít nhất {places}", "en": "up at least {places} in rank"},
        "improve_score_and_rank": {"vi": "tăng cả điểm và thứ hạng", "en": "higher score and better rank"},
        "all_up": {"vi": "mọi chỉ số được nêu cùng tăng", "en": "every named dimension up"},
        "other_index": {"vi": "mục tiêu của chỉ số khác: {v}", "en": "a target on another index: {v}"},
        "places_one": {"vi": "{k} bậc", "en": "{k} place"},
        "places_many": {"vi": "{k} bậc", "en": "{k} places"},
    }
)
WORDS = Messages(
    {
        "model": {"vi": "xác suất theo mô hình", "en": "model probability"},
        "interval": {"vi": "khoảng 90%", "en": "90% interval"},
        "outcome": {"vi": "Kết quả", "en": "Outcome"},
        "rank": {"vi": "hạng", "en": "rank"},
        "historical": {"vi": "tỷ lệ lịch sử", "en": "historical share"},
        "keep": {"vi": "giữ", "en": "stay in"},
        "reach": {"vi": "đạt", "en": "reach"},
        "of": {"vi": "trên", "en": "of"},
        "pending": {"vi": "chưa công bố", "en": "not yet published"},
        "total": {"vi": "Tổng điểm", "en": "Total"},
        "dimension": {"vi": "{code} {name}", "en": "{code} {name}"},
        "target": {"vi": "{indicator}: {phrase} ({when})", "en": "{indicator}: {phrase} ({when})"},
        "year": {"vi": "năm {year:year}", "en": "{year:year}"},
        "year_against": {
            "vi": "năm {year:year}, so với năm {baseline:year}",
            "en": "{year:year}, against {baseline:year}",
        },
        "outcome_pending": {"vi": "Kết quả: chưa công bố.", "en": "Outcome: not yet published."},
        "outcome_plain": {"vi": "Kết quả: {outcome}.", "en": "Outcome: {outcome}."},
        "outcome_value": {"vi": "Kết quả: {outcome} ({actual:pts}).", "en": "Outcome: {outcome} ({actual:pts})."},
        "outcome_rank": {
            "vi": "Kết quả: {outcome} ({actual:pts}, hạng {rank}/{of}, nhóm {group}).",
            "en": "Outcome: {outcome} ({actual:pts}, rank {rank}/{of}, {group} group).",
        },
        "na_reason": {"vi": "{na} ({reason}).", "en": "{na} ({reason})."},
        "na": {"vi": "{na}.", "en": "{na}."},
        "reason_needs": {
            "vi": "cần số liệu {index}: giữ nguyên như kế hoạch ghi, không đánh giá ở đây",
            "en": "needs {index} data: kept as written, not evaluated here",
        },
        "reason_none": {
            "vi": "không có mô hình cho mục tiêu này",
            "en": "no model for this target",
        },
    }
)


def indicator_name(indicator: str, lang: str) -> str:
    """'D1 Participation at local levels', 'Total' (dimension code kept: plans use it)."""
    if indicator == schema.TOTAL:
        return WORDS("total", lang)
    if indicator in schema.DIMENSION_NAMES:
        return WORDS("dimension", lang, code=indicator, name=schema.DIMENSION_NAMES[indicator][lang])
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
            numbers.number(float(value), lang)
            if kind in ("score_at_least", "change_at_least")
            else numbers.integer(int(float(value)), lang)
        )
    except (TypeError, ValueError):
        pass
    keep = WORDS("keep" if "keep:" in str(row.get("notes", "")) else "reach", lang)
    k = number if kind == "rank_gain_at_least" and str(value).strip() else "1"
    places = KIND_PHRASES("places_one" if k == "1" else "places_many", lang, k=k)
    key = kind
    if kind == "change_at_least":  # "tiếp tục nâng cao": a change of 0 or more; a gain: "tăng ít nhất"
        key = "change_not_negative" if _sign(value) == 0 else "change_up" if _sign(value) > 0 else kind
    phrase = KIND_PHRASES(key, lang, v=number, g=group, keep=keep, places=places) if key in KIND_PHRASES else str(kind)
    target_year, baseline_year = int(row["target_year"]), int(row["baseline_year"])
    if kind in RELATIVE_KINDS and target_year - baseline_year > 1:  # several years ahead: say against which year
        when = WORDS("year_against", lang, year=target_year, baseline=baseline_year)
    else:
        when = WORDS("year", lang, year=target_year)
    return WORDS("target", lang, indicator=indicator_name(row["indicator"], lang), phrase=phrase, when=when)


def _sign(value) -> float:
    try:
        return float(value > 0) - float(value < 0) if isinstance(value, int | float) else _sign(float(value))
    except (TypeError, ValueError):
        return float("nan")


#: an outcome read on a merged unit's recast score (issue 27): an estimate, said beside the outcome and in its header
RECAST_OUTCOME = {"vi": " — ước tính (tính lại)", "en": " — estimate (recast)"}


def _recast_year(row, year) -> bool:
    """A merged unit of the 34 in ``year``, a year the 63 were surveyed: its score there is a recast estimate."""
    from ...data.plan_reader.schema import LAST_PUBLISHED_YEAR

    return str(row.get("units", "")) == "merged" and pd.notna(year) and int(year) <= LAST_PUBLISHED_YEAR


def recast_outcome(row) -> bool:
    """True when the outcome was read on a recast score: a merged unit of the 34 in a year the 63 were surveyed."""
    return row["outcome"] in ("met", "missed") and _recast_year(row, row["target_year"])


def recast_baseline(row) -> bool:
    """True when the baseline score is a recast score (the same rule as :func:`recast_outcome`, on the baseline
    year)."""
    return pd.notna(row.get("baseline")) and _recast_year(row, row.get("baseline_year"))


def _outcome_text(row, lang: str) -> str:
    outcome = row["outcome"]
    if outcome == "pending":
        return WORDS("outcome_pending", lang)
    word = str(translate(outcome, lang)).lower()
    if recast_outcome(row):  # a merged unit's score before 2025: this project's estimate, never "actual" (issue 27)
        word += RECAST_OUTCOME[lang]
    if pd.isna(row["actual"]):
        return WORDS("outcome_plain", lang, outcome=word)
    found = re.match(r"rank (\d+)/(\d+), (\w+)", str(row["actual_detail"]))
    if found:
        group = str(translate(found.group(3), lang)).lower()
        return WORDS(
            "outcome_rank",
            lang,
            outcome=word,
            actual=float(row["actual"]),
            rank=found.group(1),
            of=found.group(2),
            group=group,
        )
    return WORDS("outcome_value", lang, outcome=word, actual=float(row["actual"]))


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
            # the kind's name already says "(not backtested)": the sentence says why, not the same words again
            "vi": "{mark} Hiệu chỉnh yếu, {kind}{units}: kiểm định ngược chỉ đi tới hai năm; từ và con số là của mô "
            "hình, chưa được kiểm chứng ngoài mẫu.",
            "en": "{mark} Weak calibration, {kind}{units}: the backtest goes two years ahead at most; the word and the "
            "number are the model's, not checked out of sample.",
        },
        "footnote_units": {"vi": " ({units})", "en": " ({units})"},
        "legend": {
            "vi": "Nhận định: dựa trên xác suất mô hình (khả thi từ 60%, có thể đạt 30–59%, tham vọng 10–29%, rất "
            "tham vọng dưới 10%). Khoảng: xác suất thấp nhất và cao nhất khi cả nước có một năm kém hoặc tốt (1 năm "
            "trong 10) hoặc khi hiệu chỉnh theo kết quả kiểm định ngược; nếu khoảng trải qua nhiều mức, nhận định "
            "nêu mức ở hai đầu.",
            "en": "Verdict: the word comes from the model probability (likely from 60%, possible 30–59%, ambitious "
            "10–29%, very ambitious under 10%). Range: the lowest and highest probability if the whole country has a "
            "poor or a good year (1 year in 10) or once recalibrated by the backtest; where it spans several words, "
            "the verdict names the words at both ends.",
        },
        "summary_qualified": {
            "vi": '{k:int}/{n:int} nhận định có nhãn "hiệu chỉnh yếu": khi kiểm tra mô hình trên các năm trước, những '
            "loại mục tiêu này từng được dự báo kém chính xác hơn mức có thể do may rủi, nên cần thận trọng "
            "hơn với nhận định (chi tiết ở Phụ lục, mục B). Mọi nhận định vẫn ghi mức khả thi và xác suất.",
            "en": '{k:int} of {n:int} verdicts carry a "weak calibration" label: checked on past years, these kinds of '
            "target were forecast less accurately than luck explains, so the verdicts deserve more caution "
            "(details in the Appendix, section B). Every verdict still gives its feasibility word and probability.",
        },
        "summary_none": {
            "vi": "Khi kiểm tra mô hình trên các năm trước, mọi loại mục tiêu trong kế hoạch này được dự báo chính xác "
            "trong mức có thể do may rủi (Phụ lục, mục C).",
            "en": "Checked on past years, every kind of target in this plan was forecast as accurately as luck allows "
            "(Appendix, section C).",
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
#: the mark of a target read automatically from the plan document (read-plan), with its footnote
AUTOMATIC_MARK = "†"
#: how the plan reader (:mod:`papi_analysis.data.plan_reader`) begins the note of every row it reads
AUTOMATIC_NOTE = "read automatically from"
AUTOMATIC = Messages(
    {
        "cell": {"vi": "{target} {mark}", "en": "{target} {mark}"},
        "sentence": {
            "vi": " {mark} Đọc tự động từ văn bản — hãy kiểm tra.",
            "en": " {mark} Read automatically from the document — please check.",
        },
        "footnote": {
            "vi": "{mark} Đọc tự động từ văn bản kế hoạch — hãy kiểm tra: {k:int}/{n:int} mục tiêu được máy đọc từ "
            "văn bản, chưa có người đối chiếu. So từng dòng với câu trích trong tệp mục tiêu (cột ghi chú nói câu đó ở "
            'đâu trong văn bản) trước khi dùng nhận định; khi đã kiểm tra, xóa dòng chữ "read automatically" ở cột '
            "ghi chú để bỏ dấu này.",
            "en": "{mark} Read automatically from the plan document — please check: {k:int} of {n:int} targets were "
            "read by the machine and not yet checked by a person. Compare each row with its quote in the targets file "
            "(the note column says where in the document it stands) before using the verdict; once checked, delete "
            '"read automatically" from the note column to remove this mark.',
        },
    }
)


def automatic_targets(chosen: pd.DataFrame | None) -> set[str]:
    """The target ids of the plan's rows read automatically from a document and not yet marked as checked (their
    note still begins as the plan reader writes it); a "2023+" row's years share its note."""
    if chosen is None or "note" not in chosen.columns or not len(chosen):
        return set()
    auto = chosen["note"].astype(str).str.strip().str.startswith(AUTOMATIC_NOTE)
    return set(chosen.loc[auto, "target_id"].astype(str))


def automatic_sentence(target_id: str, automatic: set[str], lang: str) -> str:
    """ " † Đọc tự động từ văn bản — hãy kiểm tra." after a target read automatically, else nothing."""
    return AUTOMATIC("sentence", lang, mark=AUTOMATIC_MARK) if str(target_id) in automatic else ""


def automatic_footnote(evaluation: pd.DataFrame, chosen: pd.DataFrame | None, lang: str) -> str:
    """The footnote of the mark :data:`AUTOMATIC_MARK`, with how many of the targets shown carry it; "" if none."""
    automatic = automatic_targets(chosen)
    k = int(evaluation["target_id"].astype(str).isin(automatic).sum())
    if not k:
        return ""
    return AUTOMATIC("footnote", check_lang(lang), mark=AUTOMATIC_MARK, k=k, n=len(evaluation))


def verdict_words(row, lang: str, mark: str = "") -> str:
    """The words of a verdict cell (:func:`papi_analysis.analysis.targets.verdict_words`): the probability's word
    first, as the first table gives it; where its range spans several words, the range and the words at its ends,
    lowest first ("Tham vọng (5–15%: rất tham vọng đến tham vọng)"); the qualifier beside it (with ``mark``)."""
    lang = check_lang(lang)
    low, high = row.get("probability_low"), row.get("probability_high")
    low, high = (float(v) if v is not None and pd.notna(v) else math.nan for v in (low, high))
    text = targets.verdict_words(row["probability"], low, high, lang)
    return _qualified(text[0].upper() + text[1:], row, lang, mark)


def _word(row, lang: str, mark: str = "") -> str:
    """The verdict's word alone ("Tham vọng"), the weak-calibration label (with ``mark``) beside it."""
    names = targets.VERDICTS[check_lang(lang)]
    key = targets.category_of(row["probability"])
    return _qualified(names[key][0].upper() + names[key][1:], row, lang, mark)


def _qualified(words: str, row, lang: str, mark: str) -> str:
    """``words`` with the weak-calibration label beside them (with ``mark``) when the row's verdict carries it."""
    if targets.category_of(row["probability"]) != "na" and bool(row.get("qualified", False)):
        return SAY("qualified", lang, words=words, qualifier=targets.VERDICTS[lang]["qualifier"], mark=mark)
    return words


def national_text(row, lang: str) -> str:
    """The probability in a poor, a typical and a good year for the whole country, or that the target does not
    depend on it."""
    poor, typical, good = (row.get(k) for k in ("p_poor", "p_typical", "p_good"))
    if pd.isna(poor) or pd.isna(good):
        return ""
    if round(poor, 3) == round(good, 3):
        return SAY("no_national", lang)
    return SAY("national", lang, poor=_pct(poor, lang), typical=_pct(typical, lang), good=_pct(good, lang))


def verdict_sentence(row, lang: str, mark: str = "", spans: bool = True) -> str:
    """One target's verdict: the words (never replaced by a qualifier), the model probability and its range, the
    probability in a poor, a typical and a good year for the whole country, then the outcome. With ``spans`` False
    the words are the probability's word alone (the range follows as numbers), as the report's first pages give it."""
    lang = check_lang(lang)
    names = targets.VERDICTS[lang]
    p = row["probability"]
    if p is None or (isinstance(p, float) and math.isnan(p)):
        reason = str(row["actual_detail"]) if row["kind"] == "other_index" else ""
        na = names["na"].capitalize()
        text = WORDS("na_reason", lang, na=na, reason=_reason(reason, lang)) if reason else WORDS("na", lang, na=na)
        return f"{text} {_outcome_text(row, lang)}" if row["outcome"] in ("met", "missed", "pending") else text
    low, high = row.get("probability_low"), row.get("probability_high")
    shown = pd.notna(low) and pd.notna(high) and (round(low, 2) != round(p, 2) or round(high, 2) != round(p, 2))
    text = SAY(
        "verdict",
        lang,
        words=verdict_words(row, lang, mark) if spans else _word(row, lang, mark),
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
    evaluation: pd.DataFrame, lang: str, predictions: pd.DataFrame | None = None, chosen: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict, dict]:
    """(frame, headers, kinds) for :func:`tables.show_table` (sheet 'targets'): each target with its baseline, the
    change needed, the model probability and its range, the probability in a poor / typical / good year for the
    whole country, the historical share, the verdict's words (never replaced; a qualifier beside them, marked for a
    footnote of :func:`qualifier_notes`) and the outcome. With the plan's rows (``chosen``), a target read
    automatically from the plan document carries :data:`AUTOMATIC_MARK` (footnote: :func:`automatic_footnote`)."""
    lang = check_lang(lang)
    marks = qualifier_marks(evaluation, predictions, lang)
    automatic = automatic_targets(chosen)
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
        target = target_text(r, lang)
        if str(r["target_id"]) in automatic:
            target = AUTOMATIC("cell", lang, target=target, mark=AUTOMATIC_MARK)
        rows.append(
            dict(
                target=target,
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
    """Why a target has no probability, in the reader's words (the evaluation's note is in English)."""
    found = re.match(r"needs (.+?) data", note)
    return WORDS("reason_needs", lang, index=found.group(1)) if found else WORDS("reason_none", lang)
