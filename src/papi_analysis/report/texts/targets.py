"""Words and tables of the target-realism report (notebook 02), in one language (the advisor's: :mod:`.advice_texts`).

Every sentence is computed from the evaluation, the backtest or the advice it describes: the verdict word and the
percentage beside it come from the same model probability; the historical share is a separate, labelled number;
where the model is optimistic or pessimistic is read off the reliability bins themselves.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from ...analysis import targets
from ...data import schema
from ...params import check_lang
from ..tables import _number, translate

# the backtest's words are in .calibration_texts; notebooks reach them through this module too
from .calibration import (  # noqa: F401
    # noqa: E402,F401,
    BACKTEST_HEADERS,
    NATIONAL_HEADERS,
    _pct,
    backtest_table,
    band_by_units_sentences,
    band_sentences,
    calibration_sentences,
    family_name,
    left_out_sentence,
    misses_sentences,
    national_effect_table,
    spread_by_period_sentences,
)

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
        "other_index": "a target on another index",
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
        "other_index": "mục tiêu của chỉ số khác",
    },
}
WORDS = {
    "en": {
        "model": "model probability",
        "interval": "90% interval",
        "uncertain_because": "this kind of target misses a calibration bar in the backtest (section 4)",
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
        "uncertain_because": "loại mục tiêu này chưa đạt chuẩn hiệu chỉnh trong kiểm định ngược (mục 4)",
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


def _outcome_text(row, lang: str) -> str:
    outcome = row["outcome"]
    if outcome == "pending":
        return f"{WORDS[lang]['outcome']}: {WORDS[lang]['pending']}."
    text = f"{WORDS[lang]['outcome']}: {str(translate(outcome, lang)).lower()}"
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


def verdict_sentence(row, lang: str) -> str:
    """One target's verdict: word and number from the same probability, its interval, then the outcome."""
    lang = check_lang(lang)
    words, names = WORDS[lang], targets.VERDICTS[lang]
    p = row["probability"]
    if p is None or (isinstance(p, float) and math.isnan(p)):
        reason = str(row["actual_detail"]) if row["kind"] == "other_index" else ""
        text = names["na"].capitalize() + (f" ({_reason(reason, lang)})" if reason else "") + "."
        return f"{text} {_outcome_text(row, lang)}" if row["outcome"] in ("met", "missed", "pending") else text
    category = targets.category_of(p)
    number = f"{words['model']} {_pct(p, lang)}"
    if pd.notna(row["probability_low"]) and pd.notna(row["probability_high"]):
        number += f" ({words['interval']} {_number(row['probability_low'] * 100, 0, lang)}–{_pct(row['probability_high'], lang)})"
    if row["family_calibrated"]:
        text = f"{names[category].capitalize()}: {number}."
    else:
        text = f"{names['uncertain'].capitalize()}: {number}, {names[category]}; {words['uncertain_because']}."
    return f"{text} {_outcome_text(row, lang)}"


def _reason(note: str, lang: str) -> str:
    if lang == "en":
        return note
    if note.startswith("needs "):
        return "cần số liệu của chỉ số khác: giữ nguyên như kế hoạch ghi, không đánh giá ở đây"
    return "không có mô hình cho mục tiêu này"


def verdicts_html(evaluation: pd.DataFrame, lang: str, chosen: pd.DataFrame | None = None) -> str:
    """A bullet list, one target per item: the target in bold, then :func:`verdict_sentence`. With the plan's
    targets (``chosen``), targets that are readings of one sentence of the plan say so (the first row is the
    reading the targets file gives first; a target's ``note`` that speaks of a "reading" marks them)."""
    quotes: dict[str, str] = {}
    first_of: dict[str, str] = {}
    if chosen is not None and "quote" in chosen.columns:
        same = chosen[chosen["quote"].astype(str).str.len() > 0]
        repeated = same[same.duplicated(["plan_id", "indicator", "quote"], keep=False)]
        # one sentence may hold several targets (a score and a group); readings of it are marked in the file's note
        read_twice = set(repeated.loc[repeated["note"].astype(str).str.contains("reading", case=False), "quote"])
        repeated = repeated[repeated["quote"].isin(read_twice)]
        for _, r in repeated.iterrows():
            quotes[r["target_id"]] = r["quote"]
            first_of.setdefault(r["quote"], r["target_id"])
    following: dict[str, tuple[str, str, bool]] = {}  # target_id -> (quote, "2023+", first year of its row)
    if chosen is not None and "expanded_from" in chosen.columns:
        expanded = chosen[chosen["expanded_from"].astype(str) != ""]
        first_years = expanded.groupby(["plan_id", "expanded_from"])["target_year"].transform("min")
        for (_, r), first_year in zip(expanded.iterrows(), first_years):
            following[r["target_id"]] = (
                str(r["quote"]),
                str(r["target_year_as_written"]),
                int(r["target_year"]) == int(first_year),
            )
    items = []
    for _, row in evaluation.iterrows():
        extra = ""
        if row["target_id"] in following:
            quote, written, first = following[row["target_id"]]
            start = written.rstrip("+")
            if first:
                extra += (
                    f' From the plan\'s sentence "{quote}" ({start} and following years: one target per year, '
                    f"each against {int(row['baseline_year'])})."
                    if lang == "en"
                    else f' Từ câu "{quote}" của kế hoạch (năm {start} và các năm tiếp theo: mỗi năm một mục tiêu, '
                    f"đều so với năm {int(row['baseline_year'])})."
                )
            else:
                extra += (
                    f' One of the years of "{start} and following years" (above).'
                    if lang == "en"
                    else f' Một năm của "năm {start} và các năm tiếp theo" (ở trên).'
                )
        quote = quotes.get(row["target_id"])
        if quote:
            first = first_of[quote] == row["target_id"]
            extra += (
                (
                    " The plan's sentence allows two readings; this is the one the targets file gives first."
                    if first
                    else " The other reading of the same sentence of the plan."
                )
                if lang == "en"
                else (
                    f' Câu "{quote}" của kế hoạch có thể hiểu theo hai cách; đây là cách hiểu tệp mục tiêu ghi trước.'
                    if first
                    else f' Một cách hiểu khác của cùng câu trong kế hoạch ("{quote}").'
                )
            )
        if "keep:" in str(row["notes"]):
            extra = (
                " The province was already in this group in the baseline year."
                if lang == "en"
                else " Năm gốc tỉnh đã ở nhóm này."
            )
        if "starts a new methodology" in str(row["notes"]):
            extra += (
                " The target year starts a new PAPI methodology: only the province's position relative to the "
                "others is modelled."
                if lang == "en"
                else " Năm mục tiêu bắt đầu phương pháp PAPI mới: chỉ mô hình hóa vị trí tương đối của tỉnh."
            )
        items.append(
            f"<li><strong>{html.escape(target_text(row, lang))}</strong>. "
            f"{html.escape(verdict_sentence(row, lang) + extra)}</li>"
        )
    return f'<ul class="papi-verdicts">{"".join(items)}</ul>'


def targets_table(evaluation: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The evaluation for :func:`report.tables.show_table` (sheet 'targets'): the model probability with its
    interval, and the historical share in its own column (target values with the report's decimal mark)."""
    out = evaluation[
        [
            "indicator",
            "kind",
            "target",
            "target_year",
            "baseline",
            "baseline_rank",
            "required_change",
            "required_change_percentile",
            "probability",
            "probability_low",
            "probability_high",
            "historical_share",
            "verdict_category",
            "outcome",
            "actual",
        ]
    ].copy()

    def value(kind: str, target: object) -> str:
        if kind in ("score_at_least", "change_at_least"):
            return _number(float(target), 2, lang)
        return str(target)

    out["target"] = [value(k, t) for k, t in zip(out["kind"], out["target"])]
    if out["target_year"].nunique() == 1:  # said in the summary and in each verdict; keeps the table narrow
        out = out.drop(columns="target_year")
    return out


def summary_points(evaluation: pd.DataFrame, province: str, lang: str) -> list[str]:
    """2-4 sentences: how many targets and outcomes, the most and least realistic, why verdicts are uncertain."""
    lang = check_lang(lang)
    e = evaluation
    n = len(e)
    counts = {k: int((e["outcome"] == k).sum()) for k in ("met", "missed", "pending", "no data", "not evaluated")}
    years = ", ".join(str(y) for y in sorted(e["target_year"].unique()))
    if lang == "en":
        first = (
            f"{province}: {n} targets for {years}: {counts['met']} met, {counts['missed']} missed, "
            f"{counts['pending']} not yet published, {counts['no data']} without data"
            + (f", {counts['not evaluated']} on other indices (not evaluated)" if counts["not evaluated"] else "")
            + "."
        )
    else:
        first = (
            f"{province}: {n} mục tiêu cho năm {years}: {counts['met']} đạt, {counts['missed']} không đạt, "
            f"{counts['pending']} chưa công bố, {counts['no data']} không có số liệu"
            + (f", {counts['not evaluated']} thuộc chỉ số khác (không đánh giá)" if counts["not evaluated"] else "")
            + "."
        )
    points = [first]
    scored = e.dropna(subset=["probability"])
    if len(scored) >= 2:
        best, worst = scored.loc[scored["probability"].idxmax()], scored.loc[scored["probability"].idxmin()]
        if lang == "en":
            points.append(
                f"Most realistic by the model: {target_text(best, lang)}, {_pct(best['probability'], lang)}; "
                f"least realistic: {target_text(worst, lang)}, {_pct(worst['probability'], lang)}."
            )
        else:
            points.append(
                f"Khả thi nhất theo mô hình: {target_text(best, lang)}, {_pct(best['probability'], lang)}; "
                f"kém khả thi nhất: {target_text(worst, lang)}, {_pct(worst['probability'], lang)}."
            )
    uncertain = scored[~scored["family_calibrated"].astype(bool)]
    if len(uncertain):
        kinds = ", ".join(dict.fromkeys(family_name(f, lang) for f in uncertain["family"]))
        points.append(
            f'{len(uncertain)} of {len(scored)} verdicts read "uncertain": their kinds of target ({kinds}) miss at '
            "least one calibration bar in the out-of-sample backtest (section 4); the probability is still shown."
            if lang == "en"
            else f'{len(uncertain)}/{len(scored)} nhận định ghi "chưa chắc chắn": loại mục tiêu của chúng ({kinds}) chưa '
            "đạt ít nhất một chuẩn hiệu chỉnh trong kiểm định ngược ngoài mẫu (mục 4); xác suất vẫn được ghi."
        )
    else:
        points.append(
            "Every kind of target in this plan meets the calibration bars out of sample (section 4)."
            if lang == "en"
            else "Mọi loại mục tiêu trong kế hoạch này đạt các chuẩn hiệu chỉnh ngoài mẫu (mục 4)."
        )
    return points


# --------------------------------------------------------------------------- plan checks

CHECK_NAMES = {
    "baseline": ("Điểm năm gốc", "Baseline score"),
    "baseline rank": ("Thứ hạng năm gốc", "Baseline rank"),
    "target arithmetic": ("Phép cộng mục tiêu", "Target arithmetic"),
    "implied baseline": ("Điểm gốc suy ra", "Implied baseline"),
    "target not above baseline": ("Mục tiêu không cao hơn điểm gốc", "Target not above the baseline"),
    "rank beyond ranked": ("Thứ hạng vượt số tỉnh", "Rank beyond the provinces ranked"),
    "baseline year": ("Năm gốc đã cũ", "Baseline year out of date"),
    "baseline not yet published": ("Năm gốc chưa được công bố khi lập kế hoạch", "Baseline not yet published"),
    "rank gain beyond first place": ("Số bậc tăng vượt quá vị trí thứ nhất", "Rank gain past first place"),
    "target above the scale": ("Mục tiêu vượt thang điểm", "Target above the scale"),
}


def checks_table(issues: pd.DataFrame, evaluation: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Plan checks for :func:`show_table` (sheet 'plan checks'): target, check, what the plan states, what the
    published scores give (numbers with the report's decimal mark)."""
    lang = check_lang(lang)
    labels = {(r["target_id"]): target_text(r, lang) for _, r in evaluation.iterrows()}
    for t in issues["target_id"]:  # a "2023+" row is checked once, under its written id: label it by its first year
        years = [k for k in labels if re.fullmatch(rf"{re.escape(str(t))}-\d{{4}}", k)]
        if t not in labels and years:
            first = min(years)
            labels[t] = re.sub(rf"\b{first[-4:]}\b", f"{first[-4:]}+", labels[first], count=1)
    i = 0 if lang == "vi" else 1

    def local(text: str) -> str:
        return re.sub(r"\d+\.\d+", lambda m: m.group(0).replace(".", ",") if lang == "vi" else m.group(0), str(text))

    return pd.DataFrame(
        {
            "target_id": [labels.get(t, t) for t in issues["target_id"]],
            "check": [CHECK_NAMES.get(c, (c, c))[i] for c in issues["check"]],
            "stated": [local(s) for s in issues["stated"]],
            "found": [
                local(f) + (RECAST_MARK[lang] if on == "34" and str(f) else "")
                for f, on in zip(issues["found"], issues.get("checked_on", pd.Series("63", index=issues.index)))
            ],
        }
    )


#: a figure found on the 34 provinces is this project's recast estimate: said beside it
RECAST_MARK = {"vi": " (tính lại, ước tính)", "en": " (recast, estimate)"}


# --------------------------------------------------------------------------- backtest


def bullets_html(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"


# --------------------------------------------------------------------------- captions and short texts

CAPTIONS = {
    "checks": {
        "vi": "Chỗ không khớp giữa kế hoạch và số liệu công bố (thứ hạng tính trên số tỉnh có số liệu năm đó)",
        "en": "Where the plan and the published scores disagree (ranks among the provinces with data that year)",
    },
    "no_checks": {
        "vi": "Không thấy chỗ nào không khớp giữa kế hoạch và số liệu công bố.",
        "en": "No inconsistency found between the plan and the published scores.",
    },
    "targets": {
        "vi": "Từng mục tiêu: xác suất đạt theo mô hình (khoảng 90%) và, ở cột riêng, tỷ lệ lịch sử",
        "en": "Each target: the model probability (90% interval) and, in its own column, the historical share",
    },
    "backtest_all": {
        "vi": "Kiểm định ngược ngoài mẫu theo loại mục tiêu, mọi năm",
        "en": "Out-of-sample backtest by kind of target, all years",
    },
    "backtest_recent": {
        "vi": "Kiểm định ngược ngoài mẫu theo loại mục tiêu, 2019–2024",
        "en": "Out-of-sample backtest by kind of target, 2019–2024",
    },
    "merged": {
        "vi": "Kiểm định ngược trên 34 tỉnh, tách riêng tỉnh hợp nhất và tỉnh giữ nguyên (mọi năm)",
        "en": "Backtest on the 34 provinces, merged and unmerged units apart (all years)",
    },
    "merged_note": {
        "vi": 'Trên 34 tỉnh, nhận định "chưa chắc chắn" của một tỉnh dựa trên kiểm định ngược của chính '
        "nhóm đơn vị của tỉnh đó (hợp nhất hoặc giữ nguyên) trong bảng trên.",
        "en": 'On the 34 provinces, a province\'s "uncertain" verdicts rest on the backtest of its own kind '
        "of unit (merged or not merged) in the table above.",
    },
    "national": {
        "vi": "Thay đổi trung bình toàn quốc: dự báo ngoài mẫu (chỉ từ các năm trước) và thực tế, trung bình "
        "trên các chỉ số nội dung (không gồm tổng điểm, có thang khác)",
        "en": "National mean change: out-of-sample prediction (from earlier years only) and what happened, "
        "averaged over the dimensions (the total, on another scale, is left out)",
    },
    "advice": {
        "vi": "Mục tiêu có thể đặt cho năm tới (cùng mô hình đã hiệu chỉnh)",
        "en": "Targets the province can set for next year (the same calibrated model)",
    },
}


def caption(key: str, lang: str) -> str:
    return CAPTIONS[key][check_lang(lang)]


def geography_points(chosen: pd.DataFrame, province: str, geography: str, lang: str) -> list[str]:
    """On the 34 geography: scores are this project's recast estimates, and targets written for an old province
    are read for the unit it became part of. On the 63: how many targets (from 2025 on) were left for the 34."""
    if geography != "34":
        # targets for 2025 on were set aside by targets.in_geography (PAPI publishes those years for the 34 provinces)
        said = targets.set_aside_sentence(chosen, lang)
        return [said] if said else []
    out = [
        (
            "Scores are this project's estimates on the 34 provinces since 1 July 2025 (population-weighted means of "
            "the old provinces' published scores), not PAPI publications; ranks are among the units with data (at most 34)."
        )
        if lang == "en"
        else (
            "Điểm là ước tính của dự án này trên 34 tỉnh, thành phố từ 1/7/2025 (bình quân theo dân số của điểm công bố "
            "của các tỉnh cũ), không phải số liệu PAPI công bố; thứ hạng tính trên các đơn vị có số liệu (tối đa 34)."
        )
    ]
    written = sorted(set(chosen["province_as_written"]) - {province}) if "province_as_written" in chosen else []
    if written and lang == "en":  # English text names provinces by their English names
        from ...data import provinces

        written = [provinces.get(w, geography="63").name_en for w in written]
        province = provinces.get(province, geography="34").name_en
    if written:
        out.append(
            f"The plan was written for {', '.join(written)}; its targets are read here for {province}."
            if lang == "en"
            else f"Kế hoạch được viết cho {', '.join(written)}; ở đây các mục tiêu được đọc cho {province}."
        )
    return out


def checks_headers(geography: str, lang: str) -> dict[str, str] | None:
    """On the 34 geography a plan written for one of the 63 provinces is checked against PAPI's published scores of
    that province, and a plan written for the 34 against recast scores (marked in each row): say so."""
    if geography != "34":
        return None
    return {
        "found": "Điểm công bố (63 tỉnh cũ) hoặc tính lại (34 tỉnh)"
        if check_lang(lang) == "vi"
        else "Published (63 former provinces) or recast (34 provinces)"
    }
