"""Words and tables of the target-realism report (notebook 02), in one language: the summary, the verdicts' list, the
plan checks, captions (each target's verdict: :mod:`.verdicts`; the backtest: :mod:`.calibration` and :mod:`.spread`;
the advisor's table: :mod:`.advice`).

Every sentence is computed from the evaluation, the backtest or the advice it describes: the verdict word and the
percentage beside it come from the same model probability; the historical share is a separate, labelled number;
where the model is optimistic or pessimistic is read off the reliability bins themselves.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from ...analysis import targets
from ...params import check_lang
from .. import numbers
from ..tables import translate

# the backtest's words are in .calibration; notebooks reach them through this module too
from .calibration import (  # noqa: F401
    BACKTEST_HEADERS,
    _pct,
    _pct_range,
    backtest_sentences,
    backtest_table,
    band_sentences,
    block_name,
    calibration_sentences,
    competitor_sentences,
    coverage_table,
    family_name,
    judgement_sentences,
    left_out_sentence,
    miss_reasons,
    power_sentence,
    units_name,
)
from .messages import Messages
from .spread import NATIONAL_HEADERS, national_effect_table, spread_by_period_sentences  # noqa: F401
from .spread import advice_sentences as advice_check_sentences  # noqa: F401
from .verdicts import (  # noqa: F401  (notebooks and the advice texts reach them through this module)
    AUTOMATIC_MARK,
    KIND_PHRASES,
    MARKS,
    RECAST_OUTCOME,
    RELATIVE_KINDS,
    SAY,
    VERDICT_HEADERS,
    WORDS,
    _mark,
    _outcome_text,
    _reason,
    _word,
    automatic_footnote,
    automatic_sentence,
    automatic_targets,
    indicator_name,
    national_text,
    qualifier_marks,
    qualifier_notes,
    recast_baseline,
    recast_outcome,
    target_text,
    verdict_legend,
    verdict_sentence,
    verdict_table,
    verdict_words,
)

#: the sentences of this module (the verdicts' are in :mod:`.verdicts`, the backtest's in :mod:`.calibration`)
TEXT = Messages(
    {
        "item": {
            "vi": "<li><strong>{target}</strong>. {sentence}</li>",
            "en": "<li><strong>{target}</strong>. {sentence}</li>",
        },
        "following_first": {
            "vi": ' Từ câu "{quote}" của kế hoạch (năm {start} và các năm tiếp theo: mỗi năm một mục tiêu, đều so với '
            "năm {baseline:year}).",
            "en": ' From the plan\'s sentence "{quote}" ({start} and following years: one target per year, each against '
            "{baseline:year}).",
        },
        "following_next": {
            "vi": ' Một năm của "năm {start} và các năm tiếp theo" (ở trên).',
            "en": ' One of the years of "{start} and following years" (above).',
        },
        "reading_first": {
            "vi": ' Câu "{quote}" của kế hoạch có thể hiểu theo hai cách; đây là cách hiểu tệp mục tiêu ghi trước.',
            "en": ' The plan\'s sentence "{quote}" allows two readings; this is the one the targets file gives first.',
        },
        "reading_other": {
            "vi": ' Một cách hiểu khác của cùng câu trong kế hoạch ("{quote}").',
            "en": ' The other reading of the same sentence of the plan ("{quote}").',
        },
        "kept": {
            "vi": " Năm gốc tỉnh đã ở nhóm này.",
            "en": " The province was already in this group in the baseline year.",
        },
        "new_methodology": {
            "vi": " Năm mục tiêu bắt đầu phương pháp PAPI mới: chỉ mô hình hóa vị trí tương đối của tỉnh.",
            "en": " The target year starts a new PAPI methodology: only the province's position relative to the "
            "others is modelled.",
        },
        "counts": {
            "vi": "{province}: {n:int} mục tiêu cho năm {years}: {met:int} đạt, {missed:int} không đạt{more}.",
            "en": "{province}: {n:int} targets for {years}: {met:int} met, {missed:int} missed{more}.",
        },
        "counts_one": {
            "vi": "{province}: {n:int} mục tiêu cho năm {years}: {met:int} đạt, {missed:int} không đạt{more}.",
            "en": "{province}: {n:int} target for {years}: {met:int} met, {missed:int} missed{more}.",
        },
        "counts_pending": {"vi": ", {k:int} chưa công bố", "en": ", {k:int} not yet published"},
        "counts_no_data": {"vi": ", {k:int} không có số liệu", "en": ", {k:int} without data"},
        "counts_other": {
            "vi": ", {k:int} thuộc chỉ số khác (không đánh giá)",
            "en": ", {k:int} on other indices (not evaluated)",
        },
        "best_worst": {
            "vi": "Dễ đạt nhất theo mô hình: {best}, {p_best:pct}; khó đạt nhất: {worst}, {p_worst:pct}.",
            "en": "Most likely to be reached by the model: {best}, {p_best:pct}; least likely: {worst}, {p_worst:pct}.",
        },
        "recast": {
            "vi": "Điểm là ước tính của dự án này trên 34 tỉnh, thành phố từ 1/7/2025 (bình quân theo dân số của điểm "
            "công bố của các tỉnh cũ), không phải số liệu PAPI công bố; thứ hạng tính trên các đơn vị có số liệu (tối "
            "đa 34).",
            "en": "Scores are this project's estimates on the 34 provinces since 1 July 2025 (population-weighted means "
            "of the old provinces' published scores), not PAPI publications; ranks are among the units with data (at "
            "most 34).",
        },
        "written_for": {
            "vi": "Kế hoạch được viết cho {written}; ở đây các mục tiêu được đọc cho {province}.",
            "en": "The plan was written for {written}; its targets are read here for {province}.",
        },
        "found_header_34": {
            "vi": "Điểm công bố (63 tỉnh cũ) hoặc tính lại (34 tỉnh)",
            "en": "Published (63 former provinces) or recast (34 provinces)",
        },
        "automatic": {
            "vi": "{k:int}/{n:int} mục tiêu được đọc tự động từ văn bản kế hoạch, chưa có người kiểm tra (đánh dấu "
            "{mark}): hãy đối chiếu với văn bản trước khi dùng.",
            "en": "{k:int} of {n:int} targets were read automatically from the plan document and not yet checked "
            "(marked {mark}): compare them with the document before use.",
        },
        "numbers_caption": {
            "vi": "Điểm, thứ hạng và nhóm của {province} năm {year:year} (năm PAPI công bố gần nhất), ở các chỉ số "
            "kế hoạch đặt mục tiêu",
            "en": "{province}'s score, rank and group in {year:year} (the latest PAPI year), on the indicators the "
            "plan sets targets for",
        },
        "numbers_caption_estimate": {
            "vi": "; điểm của tỉnh hợp nhất là ước tính",
            "en": "; a merged province's scores are estimates",
        },
        "rank_of": {"vi": "{rank:int}/{n:int}", "en": "{rank:int} of {n:int}"},
        "outcome_estimated": {"vi": "{outcome} (ước tính)", "en": "{outcome} (estimate)"},
        "plain_legend": {
            "vi": "Nhận định: dựa trên xác suất đạt (khả thi từ 60%, có thể đạt 30–59%, tham vọng 10–29%, rất tham "
            "vọng dưới 10%). Hiệu chỉnh yếu: loại mục tiêu này từng được dự báo kém chính xác hơn, nên cần thận trọng "
            "hơn với nhận định. Điểm năm gốc: điểm của năm kế hoạch lấy làm mốc (điểm PAPI đã công bố; với tỉnh, thành "
            "phố hợp nhất là ước tính của dự án).",
            "en": "Verdict: the word comes from the probability (likely from 60%, possible 30–59%, ambitious 10–29%, "
            "very ambitious under 10%). Weak calibration: this kind of target was forecast less accurately in the "
            "past, so the verdict deserves more caution. Baseline score: the score of the year the plan compares "
            "against (the published PAPI score; for a merged province this project's estimate).",
        },
        "recast_mark": {"vi": "{found} (tính lại, ước tính)", "en": "{found} (recast, estimate)"},
        "arithmetic": {"vi": "{baseline} + {change} → {target}", "en": "{baseline} + {change} → {target}"},
    }
)


def verdicts_html(
    evaluation: pd.DataFrame, lang: str, chosen: pd.DataFrame | None = None, predictions: pd.DataFrame | None = None
) -> str:
    """A bullet list, one target per item: the target in bold, then :func:`verdict_sentence` (footnote marks of
    :func:`qualifier_marks`, shared by kinds with the same reasons when the backtest ``predictions`` is given). With the plan's
    targets (``chosen``), targets that are readings of one sentence of the plan say so (the first row is the
    reading the targets file gives first; a target's ``note`` that speaks of a "reading" marks them)."""
    lang = check_lang(lang)
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
    marks = qualifier_marks(evaluation, predictions, lang)
    automatic = automatic_targets(chosen)
    for _, row in evaluation.iterrows():
        extra = ""
        if row["target_id"] in following:
            quote, written, first = following[row["target_id"]]
            start = written.rstrip("+")
            if first:
                extra += TEXT("following_first", lang, quote=quote, start=start, baseline=int(row["baseline_year"]))
            else:
                extra += TEXT("following_next", lang, start=start)
        read_twice_quote = quotes.get(row["target_id"])
        if read_twice_quote:
            key = "reading_first" if first_of[read_twice_quote] == row["target_id"] else "reading_other"
            extra += TEXT(key, lang, quote=read_twice_quote)
        if "keep:" in str(row["notes"]):
            extra = TEXT("kept", lang)
        if "starts a new methodology" in str(row["notes"]):
            extra += TEXT("new_methodology", lang)
        extra += automatic_sentence(row["target_id"], automatic, lang)
        items.append(
            TEXT(
                "item",
                lang,
                target=html.escape(target_text(row, lang)),
                sentence=html.escape(verdict_sentence(row, lang, _mark(row, marks), spans=False) + extra),
            )
        )
    return f'<ul class="papi-verdicts">{"".join(items)}</ul>'


def summary_points(evaluation: pd.DataFrame, province: str, lang: str) -> list[str]:
    """2-4 sentences: how many targets and outcomes, the most and least realistic, how many verdicts carry a
    weak-calibration label and why, the target most dependent on the country's common change."""
    lang = check_lang(lang)
    e = evaluation
    counts = {k: int((e["outcome"] == k).sum()) for k in ("met", "missed", "pending", "no data", "not evaluated")}
    years = numbers.join([numbers.year(y) for y in sorted(e["target_year"].unique())], lang)
    # met and missed always; the other outcomes only when some target has them (no "0 chưa công bố")
    more = "".join(
        TEXT(key, lang, k=counts[outcome])
        for key, outcome in (
            ("counts_pending", "pending"),
            ("counts_no_data", "no data"),
            ("counts_other", "not evaluated"),
        )
        if counts[outcome]
    )
    points = [
        TEXT(
            "counts_one" if len(e) == 1 else "counts",
            lang,
            province=province,
            n=len(e),
            years=years,
            met=counts["met"],
            missed=counts["missed"],
            more=more,
        )
    ]
    recast = sum(recast_outcome(r) for _, r in e.iterrows())
    if recast:  # issue 27: outcomes read on a merged unit's recast scores are estimates, said where they are counted
        points[0] += " " + PLAN_TITLE("recast_counts", lang, n=recast)
    scored = e.dropna(subset=["probability"])
    if len(scored) >= 2:
        best, worst = scored.loc[scored["probability"].idxmax()], scored.loc[scored["probability"].idxmin()]
        points.append(
            TEXT(
                "best_worst",
                lang,
                best=target_text(best, lang),
                p_best=best["probability"],
                worst=target_text(worst, lang),
                p_worst=worst["probability"],
            )
        )
    qualified = scored[scored["qualified"].astype(bool)] if "qualified" in scored else scored.iloc[0:0]
    if len(qualified):
        kinds = numbers.join(list(dict.fromkeys(family_name(f, lang) for f in qualified["family"])), lang)
        points.append(SAY("summary_qualified", lang, k=len(qualified), n=len(scored), kinds=kinds))
    elif len(scored):
        points.append(SAY("summary_none", lang))
    if {"p_poor", "p_good"} <= set(scored.columns) and len(scored):
        spread = (scored["p_good"] - scored["p_poor"]).abs()
        if spread.max() >= 0.1:
            top = scored.loc[spread.idxmax()]
            points.append(
                SAY(
                    "summary_national",
                    lang,
                    target=target_text(top, lang),
                    poor=_pct(min(top["p_poor"], top["p_good"]), lang),
                    good=_pct(max(top["p_poor"], top["p_good"]), lang),
                )
            )
    return points


# --------------------------------------------------------------------------- plan checks

PLAIN_HEADERS = Messages(
    {
        "target": {"vi": "Mục tiêu", "en": "Target"},
        "baseline": {"vi": "Điểm năm gốc", "en": "Baseline score"},
        "verdict": {"vi": "Nhận định", "en": "Verdict"},
        "probability": {"vi": "Xác suất đạt", "en": "Probability of reaching it"},
        "outcome": {"vi": "Kết quả", "en": "Outcome"},
        "indicator": {"vi": "Chỉ số", "en": "Indicator"},
        "score": {"vi": "Điểm", "en": "Score"},
        "rank": {"vi": "Thứ hạng", "en": "Rank"},
        "group": {"vi": "Nhóm", "en": "Group"},
    }
)


def plain_table(
    evaluation: pd.DataFrame, lang: str, chosen: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict, dict]:
    """(frame, headers, kinds) for :func:`tables.show_table` (sheet 'targets at a glance'), for the first pages: each
    target in words (marked if read automatically from the document), its baseline score, the verdict's word, the
    model probability and the outcome. The details (range, the country's poor or good year, historical share) are in
    :func:`verdict_table`, in the appendix."""
    lang = check_lang(lang)
    automatic = automatic_targets(chosen)
    rows = []
    for _, r in evaluation.iterrows():
        target = target_text(r, lang)
        if str(r["target_id"]) in automatic:
            target += f" {AUTOMATIC_MARK}"
        rows.append(
            dict(
                target=target,
                baseline=r["baseline"],
                verdict=plain_verdict(r, lang),
                probability=_pct(r["probability"], lang) if pd.notna(r["probability"]) else "—",
                outcome=_plain_outcome(r, lang),
            )
        )
    frame = pd.DataFrame(rows, columns=["target", "baseline", "verdict", "probability", "outcome"])
    headers = {c: PLAIN_HEADERS(c, lang) for c in frame.columns}
    if any(recast_baseline(r) for _, r in evaluation.iterrows()):  # an estimate, said in the header (issue 27)
        headers["baseline"] += RECAST_OUTCOME[lang]
    if any(recast_outcome(r) for _, r in evaluation.iterrows()):
        headers["outcome"] += RECAST_OUTCOME[lang]
    kinds = {c: "text" for c in frame.columns} | {"baseline": "points"}
    return frame, headers, kinds


def _plain_outcome(row, lang: str) -> str:
    """The outcome's word ("Không đạt"), with "(ước tính)" when it was read on a recast score."""
    word = str(translate(row["outcome"], lang))
    return TEXT("outcome_estimated", lang, outcome=word) if recast_outcome(row) else word


def plain_legend(lang: str) -> str:
    """How to read the first table of targets (:func:`plain_table`)."""
    return TEXT("plain_legend", check_lang(lang))


def plain_verdict(row, lang: str) -> str:
    """The verdict's word alone ("Tham vọng"), with the weak-calibration label beside it; the range and the words
    at its ends are in :func:`verdict_words` (the appendix's table)."""
    return _word(row, lang)


def province_numbers(
    panel: pd.DataFrame, province_code: int, name: str, evaluation: pd.DataFrame, lang: str
) -> tuple[pd.DataFrame, dict, dict, str]:
    """(frame, headers, kinds, caption): the province's (``name`` in the reader's language) latest published score,
    rank and group on each indicator the plan sets a target for (the total first), from the panel itself."""
    from ...analysis import ranking
    from ...data import schema
    from ...data.geography import has_recast

    lang = check_lang(lang)
    ranked = ranking.rank_and_group(panel)
    mine = ranked[(ranked["province_code"] == int(province_code)) & ranked["score"].notna()]
    year = int(mine["year"].max())
    latest = mine[mine["year"] == year].set_index("dimension")
    wanted = [i for i in dict.fromkeys(evaluation["indicator"].astype(str)) if i in latest.index]
    wanted = sorted(wanted, key=lambda i: (i != schema.TOTAL, i))
    rows = []
    for indicator in wanted:
        r = latest.loc[indicator]
        rank = TEXT("rank_of", lang, rank=int(r["rank"]), n=int(r["n_ranked"])) if pd.notna(r["rank"]) else "—"
        rows.append(dict(indicator=indicator_name(indicator, lang), score=r["score"], rank=rank, group=r["group"]))
    frame = pd.DataFrame(rows, columns=["indicator", "score", "rank", "group"])
    headers = {c: PLAIN_HEADERS(c, lang) for c in frame.columns}
    kinds = {"indicator": "text", "score": "points", "rank": "text", "group": "enum"}
    estimate = has_recast(latest.loc[wanted])
    if estimate:  # recast scores: an estimate, said in the header a reader copies the number from (issue 27)
        headers["score"] += RECAST_OUTCOME[lang]
    caption = TEXT("numbers_caption", lang, province=name, year=year) + (
        TEXT("numbers_caption_estimate", lang) if estimate else ""
    )
    return frame, headers, kinds, caption


#: each plan check's name in the table
CHECK_NAMES = Messages(
    {
        "baseline": {"vi": "Điểm năm gốc", "en": "Baseline score"},
        "baseline rank": {"vi": "Thứ hạng năm gốc", "en": "Baseline rank"},
        "target arithmetic": {"vi": "Phép cộng mục tiêu", "en": "Target arithmetic"},
        "implied baseline": {"vi": "Điểm gốc suy ra", "en": "Implied baseline"},
        "target not above baseline": {"vi": "Mục tiêu không cao hơn điểm gốc", "en": "Target not above the baseline"},
        "rank beyond ranked": {"vi": "Thứ hạng vượt số tỉnh", "en": "Rank beyond the provinces ranked"},
        "baseline year": {"vi": "Năm gốc đã cũ", "en": "Baseline year out of date"},
        "baseline not yet published": {
            "vi": "Năm gốc chưa được công bố khi lập kế hoạch",
            "en": "Baseline not yet published",
        },
        "rank gain beyond first place": {
            "vi": "Số bậc tăng vượt quá vị trí thứ nhất",
            "en": "Rank gain past first place",
        },
        "target above the scale": {"vi": "Mục tiêu vượt thang điểm", "en": "Target above the scale"},
        "no published score": {"vi": "không có điểm công bố", "en": "no published score"},
    }
)


def _figure(text: object, lang: str) -> str:
    """A figure of the plan checks ("43.2623", "5.6 - 0.2", "53/63", "no published score") in the reader's marks:
    every decimal number written by :mod:`.numbers` with at most 2 decimals (the published precision), the
    arithmetic of the plan with an arrow, a word in the reader's language."""
    text = str(text)
    if text in CHECK_NAMES:
        return CHECK_NAMES(text, lang)

    def one(m: re.Match) -> str:
        value = m.group(0)
        decimals = min(len(value.split(".")[1]), 2) if "." in value else 0
        return numbers.number(float(value), lang, decimals=decimals, grouping=False)

    text = text.replace("->", "→")
    return re.sub(r"(?<![\d/])\d+(?:\.\d+)?(?![\d/])", one, text)


def checks_table(issues: pd.DataFrame, evaluation: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Plan checks for :func:`show_table` (sheet 'plan checks'): target, check, what the plan states, what the
    published scores give (numbers with the report's decimal mark, at most the 2 decimals PAPI publishes)."""
    lang = check_lang(lang)
    labels = {(r["target_id"]): target_text(r, lang) for _, r in evaluation.iterrows()}
    for t in issues["target_id"]:  # a "2023+" row is checked once, under its written id: label it by its first year
        years = [k for k in labels if re.fullmatch(rf"{re.escape(str(t))}-\d{{4}}", k)]
        if t not in labels and years:
            first = min(years)
            labels[t] = re.sub(rf"\b{first[-4:]}\b", f"{first[-4:]}+", labels[first], count=1)
    checked_on = issues.get("checked_on", pd.Series("63", index=issues.index))
    return pd.DataFrame(
        {
            "target_id": [labels.get(t, t) for t in issues["target_id"]],
            "check": [CHECK_NAMES(c, lang) if c in CHECK_NAMES else c for c in issues["check"]],
            "stated": [_figure(s, lang) for s in issues["stated"]],
            "found": [
                TEXT("recast_mark", lang, found=_figure(f, lang)) if on == "34" and str(f) else _figure(f, lang)
                for f, on in zip(issues["found"], checked_on)
            ],
        }
    )


#: a figure found on the 34 provinces is this project's recast estimate: said beside it
RECAST_MARK = {lang: TEXT("recast_mark", lang, found="") for lang in ("vi", "en")}


# --------------------------------------------------------------------------- backtest


def bullets_html(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"


def footnotes_html(lines: list[str]) -> str:
    """Notes under a table, one paragraph each."""
    return "".join(f'<p class="papi-footnote">{html.escape(x)}</p>' for x in lines if x)


# --------------------------------------------------------------------------- captions and short texts

CAPTIONS = Messages(
    {
        "checks": {
            "vi": "Chỗ không khớp giữa kế hoạch và số liệu công bố (thứ hạng tính trên số tỉnh có số liệu năm đó)",
            "en": "Where the plan and the published scores disagree (ranks among the provinces with data that year)",
        },
        "no_checks": {
            "vi": "Không thấy chỗ nào không khớp giữa kế hoạch và số liệu công bố.",
            "en": "No inconsistency found between the plan and the published scores.",
        },
        "plain": {
            "vi": "Từng mục tiêu: nhận định, xác suất đạt và kết quả (nếu đã công bố)",
            "en": "Each target: the verdict, the probability of reaching it and the outcome (where published)",
        },
        "plain_estimated": {
            "vi": "Từng mục tiêu: nhận định, xác suất đạt và kết quả (nếu đã có; trước năm 2025 là ước tính)",
            "en": "Each target: the verdict, the probability of reaching it and the outcome (where known; before 2025 "
            "an estimate)",
        },
        "targets": {
            "vi": "Từng mục tiêu: xác suất đạt theo mô hình (khoảng), xác suất khi cả nước có một năm kém, bình thường "
            "hay tốt, tỷ lệ lịch sử ở cột riêng, và nhận định",
            "en": "Each target: the model probability (range), the probability if the whole country has a poor, a typical "
            "or a good year, the historical share in its own column, and the verdict",
        },
        "backtest_all": {
            "vi": "Kiểm định ngược ngoài mẫu theo loại mục tiêu: 2016–2021, 2022–2024 (không quy tắc thiết kế nào được "
            "chọn khi đã thấy các năm này) và cả hai, so với nhiễu của một mô hình đúng",
            "en": "Out-of-sample backtest by kind of target: 2016–2021, 2022–2024 (no design rule was chosen having seen "
            "these years) and both, against a correct model's noise",
        },
        "coverage": {
            "vi": "Dải dự báo 50% và 90%, và khuyến nghị ở mức 90/70/50%: tỷ lệ kết quả nằm trong dải hoặc đạt, so với "
            "mức một mô hình đúng cho",
            "en": "The 50% and 90% predictive bands and the advice at 90/70/50%: share of outcomes inside or met, against "
            "what a correct model gives",
        },
        "merged": {
            "vi": "Kiểm định ngược trên 34 tỉnh, tách riêng tỉnh hợp nhất và tỉnh giữ nguyên: {units}",
            "en": "Backtest on the 34 provinces, merged and unmerged units apart: {units}",
        },
        "merged_note": {
            "vi": 'Trên 34 tỉnh, nhãn "hiệu chỉnh yếu" của một tỉnh dựa trên kiểm định ngược của chính nhóm đơn vị '
            "của tỉnh đó (hợp nhất hoặc giữ nguyên) trong các bảng trên.",
            "en": 'On the 34 provinces, a province\'s "weak calibration" labels rest on the backtest of its own kind of '
            "unit (merged or not merged) in the tables above.",
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
)


#: the paragraph under the headings of sections 1 and 2: a merged unit's scores before 2025 are this project's
#: estimates, said there and not only in a caption (reader's pass, issue 27)
SECTION_INTROS = Messages(
    {
        "numbers": {
            "vi": "Điểm, thứ hạng và nhóm mới nhất mà PAPI công bố cho tỉnh, ở các chỉ số kế hoạch đặt mục tiêu. "
            "Thứ hạng tính trên số tỉnh có số liệu năm đó.",
            "en": "The province's latest published PAPI score, rank and group on the indicators the plan sets targets "
            "for. Ranks count the provinces with data that year.",
        },
        "numbers_estimated": {
            "vi": "Điểm, thứ hạng và nhóm mới nhất của {province}, ở các chỉ số kế hoạch đặt mục tiêu. {province} là "
            "tỉnh, thành phố hợp nhất từ 1/7/2025: các điểm này là **ước tính của dự án** (bình quân theo dân số của "
            "điểm PAPI đã công bố của các tỉnh cũ), **không phải số liệu PAPI công bố**; thứ hạng và nhóm tính từ "
            "các ước tính đó. Thứ hạng tính trên số tỉnh có số liệu năm đó.",
            "en": "The latest score, rank and group of {province} on the indicators the plan sets targets for. "
            "{province} is a province merged on 1 July 2025: these scores are **this project's estimates** "
            "(population-weighted means of its former provinces' published PAPI scores), **not PAPI figures**; "
            "ranks and groups are computed from those estimates. Ranks count the provinces with data that year.",
        },
        "targets": {
            "vi": "Mỗi dòng là một mục tiêu của kế hoạch: điểm năm gốc đã công bố, **nhận định** (khả thi, có thể "
            "đạt, tham vọng hay rất tham vọng), **xác suất đạt** và kết quả nếu đã công bố. Nhãn *hiệu chỉnh yếu* "
            "nghĩa là loại mục tiêu này từng được dự báo kém chính xác hơn, nên cần thận trọng hơn với nhận định (xem "
            "Thuật ngữ). Chi tiết từng xác suất ở Phụ lục, mục B.",
            "en": "Each row is one target of the plan: the published baseline score, the **verdict** (likely, "
            "possible, ambitious or very ambitious), the **probability of reaching it** and, where published, the "
            "outcome. A *weak calibration* label means this kind of target was forecast less accurately in the past, "
            "so the verdict deserves more caution (see the Glossary). The details of each probability are in the "
            "Appendix, section B.",
        },
        "targets_estimated": {
            "vi": "Mỗi dòng là một mục tiêu của kế hoạch: điểm năm gốc (với {province}, tỉnh, thành phố hợp nhất, là "
            "**ước tính của dự án**, không phải số liệu PAPI công bố), **nhận định** (khả thi, có thể đạt, tham vọng "
            "hay rất tham vọng), **xác suất đạt** và kết quả nếu đã có (kết quả của các năm trước 2025 cũng là ước "
            "tính). Nhãn *hiệu chỉnh yếu* nghĩa là loại mục tiêu này từng được dự báo kém chính xác hơn, nên cần thận "
            "trọng hơn với nhận định (xem Thuật ngữ). Chi tiết từng xác suất ở Phụ lục, mục B.",
            "en": "Each row is one target of the plan: the baseline score (for {province}, a merged province, "
            "**this project's estimate**, not PAPI figures), the **verdict** (likely, possible, ambitious or very "
            "ambitious), the **probability of reaching it** and, where known, the outcome (outcomes of years before "
            "2025 are estimates too). A *weak calibration* label means this kind of target was forecast less "
            "accurately in the past, so the verdict deserves more caution (see the Glossary). The details of each "
            "probability are in the Appendix, section B.",
        },
    }
)


def section_intro(section: str, lang: str, province: str, estimated: bool) -> str:
    """The paragraph (Markdown) under the heading of ``section`` ("numbers": section 1, "targets": section 2) for
    ``province`` (its name in the reader's language); ``estimated``: its scores are this project's recast estimates
    (a merged unit of the 34)."""
    key = f"{section}_estimated" if estimated else section
    return SECTION_INTROS(key, check_lang(lang), province=province)


def caption(key: str, lang: str, **values) -> str:
    """A caption; ``values`` fill its named fields (``units`` of the ``merged`` caption)."""
    return CAPTIONS(key, check_lang(lang), **values)


def automatic_points(evaluation: pd.DataFrame, chosen: pd.DataFrame | None, lang: str) -> list[str]:
    """For the summary: how many targets were read automatically from the plan document (none: no sentence)."""
    k = int(evaluation["target_id"].astype(str).isin(automatic_targets(chosen)).sum())
    return [TEXT("automatic", check_lang(lang), k=k, n=len(evaluation), mark=AUTOMATIC_MARK)] if k else []


def geography_points(chosen: pd.DataFrame, province: str, geography: str, lang: str) -> list[str]:
    """On the 34 geography: scores are this project's recast estimates, and targets written for an old province
    are read for the unit it became part of. On the 63: how many targets (from 2025 on) were left for the 34."""
    if geography != "34":
        # targets for 2025 on were set aside by targets.in_geography (PAPI publishes those years for the 34 provinces)
        said = targets.set_aside_sentence(chosen, lang)
        return [said] if said else []
    out = [TEXT("recast", lang)]
    title = plan_title(chosen, province, lang)
    if title:  # an old province's plan read for its merged unit, asked for explicitly (issue 27): said first
        return [title] + out
    written = sorted(set(chosen["province_as_written"]) - {province}) if "province_as_written" in chosen else []
    if written:  # each province by its name in the reader's language
        from ...data import provinces

        written = [getattr(provinces.get(w, geography="63"), f"name_{lang}") for w in written]
        province = getattr(provinces.get(province, geography="34"), f"name_{lang}")
        out.append(TEXT("written_for", lang, written=numbers.join(written, lang), province=province))
    return out


PLAN_TITLE = Messages(
    {
        "recast_counts": {
            "vi": "{n:int} kết quả đạt/không đạt là ước tính (tính lại): đọc trên điểm tính lại của tỉnh hợp nhất, "
            "không phải kết quả PAPI công bố.",
            "en": "{n:int} met/missed outcomes are estimates (recast): read on the merged province's recast scores, "
            "not PAPI results.",
        },
        "heading": {
            "vi": "Kế hoạch của tỉnh {old} (cũ), đọc cho {new} mới",
            "en": "Plan of the former {old} province, read for the new {new}",
        },
        "borrowed": {
            "vi": "Kế hoạch của tỉnh {old} (cũ), đọc cho {new} mới: điểm năm gốc và kết quả các năm trước 2025 là "
            "ước tính (tính lại) của dự án cho {new} mới, không phải số liệu PAPI công bố, nên điểm năm gốc và mức "
            "tăng cần có thể khác số của {old} ghi trong kế hoạch; kế hoạch được đánh giá cho {old} trên 63 tỉnh, nơi "
            "kết quả của nó được công bố.",
            "en": "Plan of the former {old} province, read for the new {new}: baselines and outcomes before 2025 are "
            "this project's recast estimates for the new {new}, not PAPI figures, so the baseline and the gain "
            "needed can differ from {old}'s numbers in the plan; the plan is evaluated for {old} on the 63 provinces, "
            "where its outcomes were published.",
        },
    }
)


def _borrowed(chosen: pd.DataFrame, province: str, geography: str) -> tuple[list[int], int] | None:
    """(old provinces that wrote ``chosen``, the new unit's code) when a plan read on the 34 was written by old
    provinces of the merged unit ``province``; None otherwise."""
    from ...analysis.targets.plans import borrowed_from
    from ...data import provinces

    if geography != "34" or chosen.empty or "province_code" not in chosen:
        return None
    code = provinces.resolve(province, geography="34")
    authors = borrowed_from(chosen, code)
    return (list(authors), code) if authors else None


def plan_title(chosen: pd.DataFrame, province: str, lang: str, geography: str = "34") -> str:
    """On the 34: "Kế hoạch của tỉnh Quảng Nam (cũ), đọc cho Đà Nẵng mới: …" (the whole sentence, for the summary)
    when ``chosen`` (read on the 34) was written by an old province of the merged unit ``province``
    (:func:`papi_analysis.analysis.targets.plans.borrowed_from`); '' otherwise."""
    return _plan_line("borrowed", chosen, province, lang, geography)


def plan_heading(chosen: pd.DataFrame, province: str, lang: str, geography: str = "34") -> str:
    """The short line under the report's title, in the browser tab and on the index page: "Kế hoạch của tỉnh Quảng
    Nam (cũ), đọc cho Đà Nẵng mới"; '' when the plan is the unit's own."""
    return _plan_line("heading", chosen, province, lang, geography)


def _plan_line(key: str, chosen: pd.DataFrame, province: str, lang: str, geography: str) -> str:
    from ...data import provinces

    found = _borrowed(chosen, province, geography)
    if found is None:
        return ""
    authors, code = found
    old = numbers.join([provinces.name(c, lang) for c in authors], lang)
    return PLAN_TITLE(key, lang, old=old, new=provinces.name(code, lang, geography="34"))


def checks_headers(geography: str, lang: str) -> dict[str, str] | None:
    """On the 34 geography a plan written for one of the 63 provinces is checked against PAPI's published scores of
    that province, and a plan written for the 34 against recast scores (marked in each row): say so."""
    if geography != "34":
        return None
    return {"found": TEXT("found_header_34", check_lang(lang))}
