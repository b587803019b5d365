"""The target advisor for people: the table ready to paste into a plan (notebook 02, ``papi-analysis advise``) and
its sentences, in one language. Every number comes from :func:`papi_analysis.analysis.targets.advise`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...data import schema
from ...data.geography import has_recast
from ...params import check_lang
from ..numbers import join
from ..tables import MISSING, _number, translate
from .messages import Messages
from .targets import _pct, indicator_name

HEADERS = Messages(
    {
        "indicator": {"vi": "Chỉ số", "en": "Indicator"},
        "baseline": {"vi": "Điểm {b} (thứ hạng)", "en": "Score {b} (rank)"},
        "score": {"vi": "Điểm đạt được với khả năng {p}% ({t})", "en": "Score reached with {p}% chance ({t})"},
        "rank": {"vi": "Thứ hạng với khả năng {p}%", "en": "Rank with {p}% chance"},
        "group": {"vi": "Nhóm với khả năng 70%", "en": "Group with 70% chance"},
        "room": {"vi": "Khoảng cách tới ngưỡng 25% cao nhất (điểm)", "en": "Room to the top quartile (points)"},
        "expected": {"vi": "Thay đổi dự kiến (điểm)", "en": "Expected change (points)"},
        "actual": {"vi": "Thực tế {t} (thứ hạng)", "en": "Actual {t} (rank)"},
        "recast": {"vi": "Ước tính (tính lại) {t} (thứ hạng)", "en": "Estimate (recast) {t} (rank)"},
        "in_top": {"vi": "đã vượt", "en": "already above"},  # the room cell of a score at or above the threshold
    }
)

SAY = Messages(
    {
        "title": {
            "vi": "{province}: mục tiêu năm {target:year} với khả năng đạt 90%, 70% và 50% (mô hình đã hiệu chỉnh, "
            "năm gốc {baseline:year}){geography}",
            "en": "{province}: targets for {target:year} with a 90%, 70% and 50% chance (calibrated model, "
            "baseline {baseline:year}){geography}",
        },
        "on_34": {"vi": "; 34 tỉnh, thành phố", "en": "; 34 provinces"},
        "on_34_recast": {
            "vi": "; 34 tỉnh, thành phố, điểm {baseline:year} của tỉnh hợp nhất là điểm tính lại (ước tính của dự án)",
            "en": "; 34 provinces, merged provinces' {baseline:year} scores recast (this project's estimates)",
        },
        "year_on_34": {
            "vi": "Từ năm {reform:year} PAPI khảo sát 34 tỉnh, thành phố sau ngày 1/7/2025: mục tiêu năm "
            "{target:year} được tính trên 34 tỉnh, không phải 63.",
            "en": "From {reform:year} PAPI surveys the 34 provinces of 1 July 2025: targets for {target:year} are "
            "computed on the 34 provinces, not the 63.",
        },
        "answered_for": {
            "vi": "{reform} Các mục tiêu khuyến nghị là của {unit}.",
            "en": "{reform} The advised targets are {unit}'s.",
        },
        "form_for": {
            "vi": "{reform} Biểu mẫu này là của {unit}.",
            "en": "{reform} This form is {unit}'s.",
        },
        "ranked_all": {
            "vi": "Thứ hạng tính trong cả {n:int} tỉnh, thành phố: đơn vị nào cũng có điểm năm {year:year}.",
            "en": "Ranks are among all {n:int} provinces: every one has a {year:year} score.",
        },
        "ranked_published": {
            "vi": "Thứ hạng tính trong {n:int} tỉnh, thành phố có điểm năm {year:year}, không phải {total:int}: "
            "PAPI không công bố {missing} năm {year:year}.",
            "en": "Ranks are among the {n:int} provinces with a {year:year} score, not {total:int}: PAPI did not "
            "publish {missing} in {year:year}.",
        },
        "ranked_recast": {
            "vi": "Thứ hạng tính trong {n:int} tỉnh, thành phố có điểm năm {year:year}, không phải {total:int}: "
            "{missing} không có điểm năm {year:year} vì PAPI không công bố {old} năm đó (điểm của tỉnh hợp nhất "
            "chỉ tính lại được khi mọi tỉnh cũ đều có điểm).",
            "en": "Ranks are among the {n:int} provinces with a {year:year} score, not {total:int}: {missing} "
            "cannot be ranked, as PAPI did not publish {old} in {year:year} (a merged province's score is recast "
            "only when every former province has one).",
        },
        "no_baseline_recast": {
            "vi": "{unit} không có điểm năm {year:year}: PAPI không công bố {old} năm đó, nên không tính lại được "
            "điểm của {unit}; chưa thể đưa ra mục tiêu năm {target:year}.",
            "en": "{unit} has no {year:year} score: PAPI did not publish {old} that year, so {unit}'s score cannot "
            "be recast; no targets for {target:year} can be given.",
        },
        "no_baseline": {
            "vi": "{unit} không có điểm năm {year:year} (PAPI không công bố); chưa thể đưa ra mục tiêu năm "
            "{target:year}.",
            "en": "{unit} has no published {year:year} score; no targets for {target:year} can be given.",
        },
        "recast_note": {
            "vi": "Điểm năm {year:year} của các tỉnh hợp nhất là ước tính của dự án (bình quân theo dân số của điểm "
            "các tỉnh cũ), không phải số liệu PAPI công bố.",
            "en": "The {year:year} scores of merged provinces are this project's estimates (population-weighted means "
            "of their former provinces' scores), not PAPI publications.",
        },
        "room": {
            "vi": "Còn nhiều dư địa nhất tới ngưỡng 25% cao nhất toàn quốc (điểm): {listed}.",
            "en": "Most room to the national top quartile (points): {listed}.",
        },
        "fall_back": {
            "vi": "Có xu hướng giảm lại (thay đổi dự kiến âm, hồi quy về trung bình): {listed}.",
            "en": "Likely to fall back (negative expected change, regression to the mean): {listed}.",
        },
        "no_fall_back": {
            "vi": "Không chỉ số nào có thay đổi dự kiến âm.",
            "en": "No dimension has a negative expected change.",
        },
        "met": {
            "vi": "Kiểm định ngoài mẫu, mục tiêu khuyến nghị ở mỗi mức khả năng đã đạt: {parts} ({n:int} mục tiêu mỗi "
            "mức){conservative}",
            "en": "Out of sample, advice at each chance was met this often: {parts} (n = {n:int} each){conservative}",
        },
        "conservative": {
            "vi": "; khuyến nghị thận trọng: đạt thường xuyên hơn mức khả năng ghi.",
            "en": "; the advice is conservative: reached more often than its stated chance.",
        },
        "not_conservative": {"vi": ".", "en": "."},
    }
)


def advice_table(
    advice: pd.DataFrame, lang: str, panel: pd.DataFrame | None = None, province_code: int | None = None
) -> pd.DataFrame:
    """The advice ready to paste into a plan: human headers and texts in ``lang`` (ranks as '48/63'). With
    ``panel``, ``province_code`` and a target year already published, a last column gives the actual score and
    rank."""
    lang = check_lang(lang)
    h = {key: HEADERS[key][lang] for key in HEADERS}
    a = advice.dropna(subset=["baseline"])
    b, t = int(advice["baseline_year"].iloc[0]), int(advice["target_year"].iloc[0])
    num = lambda v, d=2: MISSING if pd.isna(v) else _number(float(v), d, lang)  # noqa: E731
    signed = lambda v: MISSING if pd.isna(v) else ("+" if round(float(v), 2) > 0 else "") + num(v)  # noqa: E731
    out = {
        h["indicator"]: [indicator_name(i, lang) for i in a["indicator"]],
        # a merged unit's baseline is this project's estimate: its header says so, as the target year's does
        (h["recast"].format(t=b) if _recast(panel, province_code, b) else h["baseline"].format(b=b)): [
            f"{num(s)} ({int(r)}/{int(n)})" for s, r, n in zip(a["baseline"], a["baseline_rank"], a["n_ranked"])
        ],
    }
    for p in (90, 70, 50):
        out[h["score"].format(p=p, t=t)] = [num(v) for v in a[f"score_{p}"]]
    for p in (90, 70, 50):
        out[h["rank"].format(p=p)] = [f"{int(r)}/{int(n)}" for r, n in zip(a[f"rank_{p}"], a["n_ranked"])]
    out[h["group"]] = [str(translate(g, lang)) for g in a["group_70"]]
    out[h["room"]] = [_room(v, lang) for v in a["room_to_top_quartile"]]
    out[h["expected"]] = [signed(v) for v in a["expected_change"]]
    actual = _actuals(a, panel, province_code)
    if actual is not None:
        out[h["recast" if _recast(panel, province_code, t) else "actual"].format(t=t)] = [
            MISSING if pd.isna(actual[i][0]) else f"{num(actual[i][0])} ({actual[i][1]})" for i in a["indicator"]
        ]
    return pd.DataFrame(out)


def _room(points: float, lang: str) -> str:
    """The distance to the top-quartile threshold (points), or "already above" when the score is at or above it (the
    advisor stores 0 then: "0,00" would read as a gap that rounds away)."""
    if pd.isna(points):
        return MISSING
    return HEADERS["in_top"][lang] if float(points) <= 0 else _number(float(points), 2, lang)


def _recast(panel: pd.DataFrame | None, province_code: int | None, year: int) -> bool:
    """True when the unit's ``year`` scores are this project's recast estimates (never labelled "actual" or plain
    "score"); False when the panel or the unit is not given."""
    if panel is None or province_code is None:
        return False
    return has_recast(panel[(panel["year"] == int(year)) & (panel["province_code"] == int(province_code))])


def advice_title(province: str, target_year: int, geography: str, lang: str, recast: bool = False) -> str:
    """First line of ``papi-analysis advise``: whose advice, for which year, on which geography; ``recast``: the
    baseline year's scores include this project's recast estimates (never said of a release published on the 34)."""
    on = "" if geography != "34" else SAY("on_34_recast" if recast else "on_34", lang, baseline=target_year - 1)
    return SAY("title", lang, province=province, target=target_year, baseline=target_year - 1, geography=on)


def unit_sentences(unit, lang: str, answered: bool = True, what: str = "answered_for") -> list[str]:
    """What the reader asked for and what is answered: a 63-province geography overridden by the year, an old
    province answered for the unit it became part of (``unit``: :class:`papi_analysis.analysis.targets.AdviceUnit`;
    ``answered`` False: the reform sentence alone, before a refusal; ``what``: "form_for" for a plan form)."""
    from ...data import provinces

    out = []
    if unit.overridden:
        out.append(SAY("year_on_34", lang, reform=2025, target=unit.target_year))
    if unit.moved and not answered:
        out.append(unit.reform_sentence(lang))
    elif unit.moved:
        name = provinces.name(unit.code, lang, geography=unit.geography)
        out.append(SAY(what, lang, reform=unit.reform_sentence(lang), unit=name))
    elif unit.geography == "34" and unit.old_code is not None:
        # a province whose boundaries did not change says so too, as every other province's answer does (reader's
        # pass, item 15: Cao Bằng printed no line on the reform where Huế and Quảng Nam did)
        out.append(provinces.reform_sentence(unit.old_code, lang))
    return out


def _names(codes: list[int], geography: str, lang: str) -> str:
    from ...data import provinces

    return join([provinces.name(c, lang, geography=geography) for c in codes], lang)


def ranked_sentence(ranked: dict, year: int, lang: str) -> str:
    """Among how many units the ranks run and why not all (``ranked``: :func:`.targets.ranked_units`)."""
    if not ranked["missing"]:
        return SAY("ranked_all", lang, n=ranked["n"], year=year)
    missing = _names(ranked["missing"], ranked["geography"], lang)
    common = dict(n=ranked["n"], total=ranked["n_units"], year=year, missing=missing)
    if ranked["because"]:
        return SAY("ranked_recast", lang, old=_names(ranked["because"], "63", lang), **common)
    return SAY("ranked_published", lang, **common)


def no_baseline_sentence(unit, ranked: dict, lang: str) -> str:
    """Why a unit has no advice: its baseline year has no score (for a merged unit: which old province is missing)."""
    from ...data import provinces

    name = provinces.name(unit.code, lang, geography=unit.geography)
    year = unit.target_year - 1
    old = [c for c in ranked["because"] if unit.geography == "34" and c in provinces.old_provinces(unit.code)]
    if old:
        return SAY("no_baseline_recast", lang, unit=name, year=year, old=_names(old, "63", lang), target=year + 1)
    return SAY("no_baseline", lang, unit=name, year=year, target=year + 1)


def advice_sentences(advice: pd.DataFrame, check: pd.DataFrame | None, lang: str) -> list[str]:
    """Which dimensions have most room, which are likely to fall back, and how often advice was met out of sample."""
    lang = check_lang(lang)
    a = advice.dropna(subset=["baseline"])
    dims = a[a["indicator"] != schema.TOTAL]
    out = []
    room = dims.sort_values("room_to_top_quartile", ascending=False)
    room = room[room["room_to_top_quartile"] > 0].head(3)
    if len(room):
        listed = ", ".join(f"{r.indicator} ({_number(r.room_to_top_quartile, 2, lang)})" for r in room.itertuples())
        out.append(SAY("room", lang, listed=listed))
    back = dims[dims["expected_change"] < 0].sort_values("expected_change")
    if len(back):
        listed = ", ".join(f"{r.indicator} ({_number(r.expected_change, 2, lang)})" for r in back.itertuples())
        out.append(SAY("fall_back", lang, listed=listed))
    else:
        out.append(SAY("no_fall_back", lang))
    if check is not None and len(check):
        parts = ", ".join(f"{_pct(r.chance, lang)} → {_pct(r.met, lang)}" for r in check.itertuples())
        conservative = all(r.met > r.chance + 0.05 for r in check.itertuples())
        tail = SAY("conservative" if conservative else "not_conservative", lang)
        out.append(SAY("met", lang, parts=parts, n=int(check["n"].iloc[0]), conservative=tail))
    return out


def advice_report(unit, panel: pd.DataFrame, advice: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The advice section of a report (notebook 02, section 5): the table to paste into a plan (empty when the unit
    has no baseline score) and its sentences: what was asked and what is answered (an old province read as its
    2025 unit), among how many units the ranks run and why, recast baselines said to be estimates, then
    :func:`advice_sentences`. ``unit``, ``panel``, ``advice``: :func:`papi_analysis.analysis.targets.advice_question`."""
    from ...analysis import targets

    lang = check_lang(lang)
    year = unit.target_year - 1
    ranked = targets.ranked_units(panel, year)
    if "baseline" not in advice.columns or advice["baseline"].isna().all():
        return pd.DataFrame(), unit_sentences(unit, lang, answered=False) + [no_baseline_sentence(unit, ranked, lang)]
    said = unit_sentences(unit, lang) + [ranked_sentence(ranked, year, lang)]
    if targets.baseline_is_recast(panel, year):
        said.append(SAY("recast_note", lang, year=year))
    return advice_table(advice, lang), said + advice_sentences(advice, None, lang)


# --------------------------------------------------------------------------- the terminal view (papi-analysis advise)

TERMINAL_WIDTH = 100
TERMINAL_WORDS = {
    "en": {
        "scores": "Scores (points)",
        "ranks": "Ranks (1 = best) and groups",
        "indicator": ("", "Indicator"),
        "score_span": "Score reached with chance",
        "rank_span": "Rank reached with chance",
        "base_score": "Score",
        "base_rank": "Rank",
        "expected": ("Expected", "change"),
        "room": ("Room to", "top 25%"),
        "group": ("Group with", "70% chance"),
        "actual": ("Actual", "{t}"),
        "recast": ("Estimate", "(recast) {t}"),
        "legend": "Dimensions: ",
        "csv": "The full table, ready to paste into a plan: --csv FILE.",
    },
    "vi": {
        "scores": "Điểm số",
        "ranks": "Thứ hạng (1 = cao nhất) và nhóm",
        "indicator": ("", "Chỉ số"),
        "score_span": "Điểm đạt được với khả năng",
        "rank_span": "Thứ hạng đạt được với khả năng",
        "base_score": "Điểm",
        "base_rank": "Hạng",
        "expected": ("Thay đổi", "dự kiến"),
        "room": ("Cách ngưỡng", "25% cao nhất"),
        "group": ("Nhóm với", "khả năng 70%"),
        "actual": ("Thực tế", "{t}"),
        "recast": ("Ước tính", "(tính lại) {t}"),
        "legend": "Chỉ số nội dung: ",
        "csv": "Bảng đầy đủ, sẵn sàng dán vào kế hoạch: --csv TỆP.",
    },
}


def _actuals(
    advice: pd.DataFrame, panel: pd.DataFrame | None, province_code: int | None
) -> dict[str, tuple[float, str]] | None:
    """Published (score, 'rank/n') of the target year per indicator, or None when the year is not published."""
    t = int(advice["target_year"].iloc[0])
    if panel is None or province_code is None or t not in set(panel["year"]):
        return None
    from ...analysis import ranking

    ranked = ranking.rank_and_group(panel[panel["year"] == t]).set_index(["province_code", "dimension"])
    out = {}
    for indicator in advice["indicator"]:
        key = (int(province_code), indicator)
        r = ranked.loc[key] if key in ranked.index else None
        out[indicator] = (
            (float("nan"), "")
            if r is None or pd.isna(r["score"])
            else (float(r["score"]), f"{int(r['rank'])}/{int(r['n_ranked'])}")
        )
    return out


def _text_table(columns: list[tuple[str, str, list[str]]], spans: list[tuple[int, int, str]]) -> list[str]:
    """Plain-text table: ``columns`` are (header line 1, header line 2, cells), the first left-aligned and the
    others right-aligned; ``spans`` (first, last column, label) put one label over several columns on line 1."""
    widths = [max(len(h1), len(h2), *(len(c) for c in cells)) for h1, h2, cells in columns]
    for first, last, label in spans:  # a span label wider than its columns widens them evenly
        joint = sum(widths[first : last + 1]) + 2 * (last - first)
        for k in range(max(0, len(label) - joint)):
            widths[first + k % (last - first + 1)] += 1
    spanned = {i: (first, last, label) for first, last, label in spans for i in range(first, last + 1)}
    # words (the indicator, a group) read from the left; numbers line up on the right
    # (a column of numbers with a word or two, "already in", stays right-aligned)
    left = [
        i == 0 or 2 * sum(any(ch.isalpha() for ch in c) for c in cells) > len(cells)
        for i, (_, _, cells) in enumerate(columns)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if left[i] else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    top, i = [], 0
    while i < len(columns):
        if i in spanned:
            first, last, label = spanned[i]
            top.append(label.center(sum(widths[first : last + 1]) + 2 * (last - first)))
            i = last + 1
        else:
            top.append(columns[i][0].ljust(widths[i]) if left[i] else columns[i][0].rjust(widths[i]))
            i += 1
    rows = ["  ".join(top).rstrip(), line([h2 for _, h2, _ in columns])]
    rows.append("  ".join("-" * w for w in widths))
    rows += [line([cells[r] for _, _, cells in columns]) for r in range(len(columns[0][2]))]
    return rows


def advice_terminal(
    advice: pd.DataFrame,
    lang: str,
    panel: pd.DataFrame | None = None,
    province_code: int | None = None,
    width: int = TERMINAL_WIDTH,
) -> str:
    """The advice for a terminal about ``width`` columns wide: a scores table and a ranks table with short
    headers (dimension codes, named once above), the same numbers as :func:`advice_table` (the CSV)."""
    import textwrap

    lang = check_lang(lang)
    w: dict[str, Any] = TERMINAL_WORDS[lang]
    a = advice.dropna(subset=["baseline"])
    b, t = int(advice["baseline_year"].iloc[0]), int(advice["target_year"].iloc[0])
    num = lambda v: MISSING if pd.isna(v) else _number(float(v), 2, lang)  # noqa: E731
    signed = lambda v: MISSING if pd.isna(v) else ("+" if round(float(v), 2) > 0 else "") + num(v)  # noqa: E731
    codes = [indicator_name(i, lang) if i == schema.TOTAL else str(i) for i in a["indicator"]]
    actual = _actuals(a, panel, province_code)
    recast_base = _recast(panel, province_code, b)  # a merged unit's baseline is an estimate, score and rank
    base_head = (w["recast"][0], w["recast"][1].format(t=b)) if recast_base else (w["base_score"], str(b))
    rank_head = (w["recast"][0], w["recast"][1].format(t=b)) if recast_base else (w["base_rank"], str(b))
    scores = [
        (*w["indicator"], codes),
        (*base_head, [num(v) for v in a["baseline"]]),
    ]
    scores += [("", f"{p}%", [num(v) for v in a[f"score_{p}"]]) for p in (90, 70, 50)]
    scores += [
        (*w["expected"], [signed(v) for v in a["expected_change"]]),
        (*w["room"], [_room(v, lang) for v in a["room_to_top_quartile"]]),
    ]
    ranks = [
        (*w["indicator"], codes),
        (*rank_head, [f"{int(r)}/{int(n)}" for r, n in zip(a["baseline_rank"], a["n_ranked"])]),
    ]
    ranks += [
        ("", f"{p}%", [f"{int(r)}/{int(n)}" for r, n in zip(a[f"rank_{p}"], a["n_ranked"])]) for p in (90, 70, 50)
    ]
    ranks += [(*w["group"], [str(translate(g, lang)) for g in a["group_70"]])]
    if actual is not None:
        key = "recast" if _recast(panel, province_code, t) else "actual"  # an estimate is never "actual"
        scores.append((w[key][0], w[key][1].format(t=t), [num(actual[i][0]) for i in a["indicator"]]))
        ranks.append((w[key][0], w[key][1].format(t=t), [actual[i][1] or MISSING for i in a["indicator"]]))
    dims = [i for i in a["indicator"] if i != schema.TOTAL]
    lines = textwrap.wrap(
        w["legend"] + "; ".join(indicator_name(d, lang) for d in dims) + ".", width, subsequent_indent="  "
    )
    lines += ["", w["scores"]] + _text_table(scores, [(2, 4, w["score_span"])])
    lines += ["", w["ranks"]] + _text_table(ranks, [(2, 4, w["rank_span"])])
    return "\n".join(lines)


def wrap_lines(lines: list[str], width: int = TERMINAL_WIDTH, bullet: str = "- ") -> str:
    """Sentences as a bulleted list wrapped at ``width`` columns."""
    import textwrap

    return "\n".join(
        textwrap.fill(line, width, initial_indent=bullet, subsequent_indent=" " * len(bullet)) for line in lines
    )
