"""Words and tables about the backtest of target realism (notebook 02, section 4): each kind of target in each block
of years judged against its own noise, the predictive bands, the competitors, where the model misses, how sharp the
judgement is, merged and unmerged units (the spread over the blocks and the advisor's record: :mod:`.spread`).

Every sentence is computed from the backtest rows it describes (out of sample: each forecast year from earlier
years only); every number goes through :mod:`papi_analysis.report.numbers`.
"""

from __future__ import annotations

import pandas as pd

from ...analysis import targets
from ...analysis.targets.backtest import COVERAGE_FAMILIES, FAMILIES, FAMILY_NAMES
from ...analysis.targets.evaluation import block_label
from ...analysis.targets.scoring import VERDICTS as COMPARISONS
from ...params import check_lang
from .. import numbers
from .messages import Messages

SAY = Messages(
    {
        "within": {"vi": "trong mức nhiễu", "en": "within its noise"},
        "beyond": {"vi": "vượt mức nhiễu", "en": "beyond its noise"},
        "ece_cell": {
            "vi": "{ece:pts3} (mô hình đúng: ≤ {bound:pts3})",
            "en": "{ece:pts3} (a correct model: ≤ {bound:pts3})",
        },
        "happened_cell": {
            "vi": "{forecast:pct} → {observed:pct} ({range})",
            "en": "{forecast:pct} → {observed:pct} ({range})",
        },
        "coverage_cell": {"vi": "{observed:pct1} ({range})", "en": "{observed:pct1} ({range})"},
        "null_cell": {"vi": "{range}", "en": "{range}"},
        "diff_cell": {"vi": "{diff} ({interval})", "en": "{diff} ({interval})"},
        "range_words": {"vi": "{low} đến {high}", "en": "{low} to {high}"},
        "flagged": {
            "vi": "Vượt mức nhiễu của chính nó (gắn nhãn hiệu chỉnh yếu)",
            "en": "Beyond its own noise (verdicts carry a weak-calibration label)",
        },
        "consistent": {"vi": "Trong mức nhiễu của chính nó", "en": "Consistent with its own noise"},
        "all_years": {
            "vi": "{first:year}–{last:year} (cả hai giai đoạn)",
            "en": "{first:year}–{last:year} (both blocks)",
        },
        "band": {
            "vi": "Dải dự báo {nominal:pct} của điểm chứa điểm công bố {parts}. Chuẩn cố định cho {all}: "
            "{bar}; {verdict}.",
            "en": "The {nominal:pct} predictive band of the score covered the published score {parts}. Fixed bar over "
            "{all}: {bar}; {verdict}.",
        },
        "band_part": {
            "vi": "{observed:pct1} năm {block} (khoảng 95% lấy mẫu lại theo năm {interval}; mô hình đúng cho "
            "{null}: {word})",
            "en": "{observed:pct1} in {block} (95% interval resampling years {interval}; a correct model gives "
            "{null}: {word})",
        },
        "met": {"vi": "đạt", "en": "met"},
        "missed": {"vi": "chưa đạt", "en": "missed"},
        "kind_flagged": {
            "vi": "{kind}: vượt mức nhiễu của một mô hình đúng ({where}).",
            "en": "{kind}: beyond what a correct model produces ({where}).",
        },
        "kinds_consistent": {
            "vi": "Trong mức nhiễu của một mô hình đúng ở mọi giai đoạn: {kinds}.",
            "en": "Consistent with a correct model's noise in every block: {kinds}.",
        },
        "miss_ece": {
            "vi": "sai lệch hiệu chỉnh {ece:pts3} năm {block}, mô hình đúng cho tối đa {bound:pts3}",
            "en": "ECE {ece:pts3} in {block}, a correct model at most {bound:pts3}",
        },
        "miss_band_wide": {
            "vi": "dải {nominal:pct} chứa {observed:pct1} kết quả năm {block} (mô hình đúng: {null}): dải quá rộng",
            "en": "the {nominal:pct} band held {observed:pct1} of outcomes in {block} (a correct model: {null}): "
            "too wide",
        },
        "miss_band_narrow": {
            "vi": "dải {nominal:pct} chứa {observed:pct1} kết quả năm {block} (mô hình đúng: {null}): dải quá hẹp",
            "en": "the {nominal:pct} band held {observed:pct1} of outcomes in {block} (a correct model: {null}): "
            "too narrow",
        },
        "miss_advice": {
            "vi": "khuyến nghị {nominal:pct} đạt {observed:pct1} năm {block} (mô hình đúng: {null})",
            "en": "advice at {nominal:pct} met {observed:pct1} in {block} (a correct model: {null})",
        },
        "not_backtested": {"vi": "chưa được kiểm định ngược", "en": "not backtested"},
        "power": {
            "vi": "Phép thử này có đáng tin không? Mô phỏng với đúng số dự báo của kiểm định ngược này: một mô hình "
            "đúng bị gắn nhãn {correct_low:int}–{correct_high:pct} số lần tùy loại mục tiêu (chuẩn: tối đa 5%). Khi xác "
            "suất lệch 0,05, phép thử phát hiện {relative} với các mục tiêu về thứ hạng và nhóm, nhưng chỉ {national} "
            "với các mục tiêu về điểm: thay đổi chung của cả nước mỗi năm làm mọi kết quả điểm cùng lệch, và {years:int} "
            "năm dự báo là quá ít để phân biệt một sai lệch 0,05 với may rủi. Dải dự báo rộng hơn 15% bị phát hiện "
            "{wide} số lần (chuẩn: ít nhất 80%).",
            "en": "Can this test be trusted? Simulated with exactly this backtest's forecasts: a correct model is "
            "flagged {correct_low:int}–{correct_high:pct} of the time depending on the kind (bar: at most 5%). "
            "Probabilities off by 0.05 are caught {relative} of the time for rank and group targets but only "
            "{national} for score targets: the country's change each year moves every score outcome together, and "
            "{years:int} forecast years are too few to tell a 0.05 error from luck. Bands 15% too wide are caught "
            "{wide} of the time (bar: at least 80%).",
        },
        "competitor_crps": {
            "vi": "Dự báo điểm số (sai số của cả dải dự báo, thấp hơn là tốt hơn; tính bằng điểm trên một chỉ số): mô "
            "hình {model:pts3}, tần suất theo vị trí xuất phát {base:pts3}, bước ngẫu nhiên {rw:pts3} năm {block}. "
            "Sai số của tần suất theo vị trí trừ sai số của mô hình, trung bình mỗi dự báo: {base_diff} điểm "
            "(khoảng 95% lấy mẫu lại theo năm: {base_range}), {base_verdict}; của bước ngẫu nhiên trừ của mô hình: "
            "{rw_diff} điểm ({rw_range}), {rw_verdict}.",
            "en": "Score forecasts (CRPS, lower is better; points per dimension): model {model:pts3}, position base "
            "rate {base:pts3}, Student-t random walk {rw:pts3} in {block}. The base rate's CRPS minus the model's, on "
            "average per forecast: {base_diff} points (95% interval resampling years: {base_range}), {base_verdict}; "
            "the random walk's minus the model's: {rw_diff} points ({rw_range}), {rw_verdict}.",
        },
        "competitor_worse": {
            "vi": "Điểm Brier kém hơn đối thủ (cả khoảng 95% của chênh lệch, điểm của đối thủ trừ điểm của mô hình, "
            "nằm dưới 0) ở: {where}.",
            "en": "Brier score worse than a competitor's (the whole 95% interval of the difference, the competitor's "
            "score minus the model's, below 0) for: {where}.",
        },
        "competitor_none_worse": {
            "vi": "Điểm Brier không kém đối thủ nào ở loại mục tiêu nào, giai đoạn nào (không khoảng 95% nào của chênh "
            "lệch nằm hẳn dưới 0).",
            "en": "The Brier score is not worse than either competitor's for any kind of target in any block (no 95% "
            "interval of the difference lies wholly below 0).",
        },
        "competitor_unclear": {
            "vi": "Điểm Brier của mô hình cao hơn của đối thủ nhưng không phân biệt được (khoảng 95% của chênh lệch "
            "chứa 0) ở: {where}.",
            "en": "The model's Brier score is higher than a competitor's but not distinguishable from it (the 95% "
            "interval of the difference holds 0) for: {where}.",
        },
        "worse_item": {
            "vi": "{kind} năm {block} (điểm Brier của {competitor} trừ của mô hình: {diff})",
            "en": "{kind} in {block} (the {competitor}'s Brier score minus the model's: {diff})",
        },
        "ships": {
            "vi": "Chuẩn đặt ra cho mô hình (theo khoảng 95% của các chênh lệch: không kém đối thủ nào ở giai đoạn "
            "nào, tốt hơn cả hai khi gộp {all}): {verdict}.",
            "en": "The bar set for the model (by the 95% intervals of the differences: not worse than either "
            "competitor in any block, better than both over {all}): {verdict}.",
        },
        "better": {"vi": "mô hình tốt hơn", "en": "the model is better"},
        "not distinguishable": {"vi": "không phân biệt được", "en": "not distinguishable"},
        "worse": {"vi": "mô hình kém hơn", "en": "the model is worse"},
        "ships_yes": {"vi": "đạt với dự báo điểm số", "en": "met for the score forecasts (CRPS)"},
        "ships_no": {"vi": "chưa đạt với dự báo điểm số", "en": "missed for the score forecasts (CRPS)"},
        "base": {"vi": "tần suất theo vị trí", "en": "position base rate"},
        "rw": {"vi": "bước ngẫu nhiên", "en": "random walk"},
        "left_out": {
            "vi": "Không đưa vào kiểm định ngược: {cells:int} ô năm–chỉ số ({units:int} lượt tỉnh-năm) mà mô hình không "
            "dự báo được vì chưa đủ lịch sử trước đó (các năm {years}: những năm đầu của các chỉ số mới và của thang "
            "tổng điểm mới).",
            "en": "Left out of the backtest: {cells:int} year-and-indicator cells ({units:int} province-years) the "
            "model cannot forecast because too little earlier history exists (years {years}: the first years of the "
            "new dimensions and of the new total scale).",
        },
        "bins": {
            "vi": "{kind}: dự báo trung bình {forecast:pct}, thực tế {observed:pct} ({n:int} dự báo){detail}.",
            "en": "{kind}: forecast {forecast:pct} on average, happened {observed:pct} of the time (n = {n:int}){detail}.",
        },
        "bins_optimistic": {"vi": "; lạc quan ở {levels}", "en": "; optimistic at {levels}"},
        "bins_pessimistic": {"vi": "; bi quan ở {levels}", "en": "; pessimistic at {levels}"},
        "bins_none": {
            "vi": "; không mức dự báo nào lệch quá mức nhiễu",
            "en": "; no forecast level beyond its noise",
        },
        "bin_level": {
            "vi": "{forecast:pct} → {observed:pct} ({n:int} dự báo)",
            "en": "{forecast:pct} → {observed:pct} (n = {n:int})",
        },
        "units_merged": {"vi": "Tỉnh hợp nhất", "en": "Merged units"},
        "units_unmerged": {"vi": "Tỉnh giữ nguyên", "en": "Unmerged units"},
        "units_all": {"vi": "Mọi đơn vị", "en": "All units"},
    }
)

#: families a target can fall in that the backtest has no name for: three or more years ahead is not backtested
#: (the 2025 forecast of a "2023+" row, for instance)
_UNBACKTESTED_FAMILIES = {
    "several_years_ahead": {
        "en": "three or more years ahead (not backtested)",
        "vi": "từ ba năm tới trở lên (chưa kiểm định ngược)",
    }
}


def family_name(family: str, lang: str) -> str:
    """The backtest family's name in ``lang`` ('two years ahead'), also for families the backtest does not cover."""
    return FAMILY_NAMES[lang].get(family) or _UNBACKTESTED_FAMILIES.get(family, {}).get(lang, str(family))


def _pct_range(low: float, high: float, lang: str, decimals: int = 0) -> str:
    """ "43–56%" in the reader's marks; one value when both ends round alike; with a negative end, both signed and
    joined by a word ("−11% đến +34%")."""
    if pd.isna(low) or pd.isna(high):
        return "—"
    if numbers.percent(low, lang, decimals) == numbers.percent(high, lang, decimals):
        return numbers.percent(low, lang, decimals)
    if low < 0:
        signed = lambda v: numbers.percent(v, lang, decimals, sign=True)  # noqa: E731
        return SAY("range_words", lang, low=signed(low), high=signed(high))
    return f"{numbers.number(low * 100, lang, decimals)}{numbers.RANGE_DASH}{numbers.percent(high, lang, decimals)}"


def _pct(p: float, lang: str) -> str:
    return numbers.percent(p, lang)


#: the backtest's label of all its years together ("2016-2024"), as the tables of :mod:`.evaluation` write it
ALL_BLOCK = block_label(targets.ALL_YEARS)
#: the same years for a reader: "2016–2024"
ALL_SPAN = f"{targets.ALL_YEARS[0]}{numbers.RANGE_DASH}{targets.ALL_YEARS[1]}"


def block_name(block: str, lang: str) -> str:
    """'2016–2021' (with an en dash), or the label of both blocks together."""
    first, last = (int(x) for x in block.split("-"))
    if (first, last) == targets.ALL_YEARS:
        return SAY("all_years", lang, first=first, last=last)
    return f"{first}{numbers.RANGE_DASH}{last}"


BACKTEST_HEADERS = {
    "vi": {
        "family": "Loại mục tiêu",
        "block": "Giai đoạn",
        "n": "Số dự báo",
        "happened": "Dự báo → thực tế (khoảng 95%)",
        "ece": "Sai lệch hiệu chỉnh",
        "diff_base": "Điểm Brier, tần suất theo vị trí trừ mô hình (khoảng 95%; cả khoảng trên 0: mô hình tốt hơn)",
        "diff_rw": "Điểm Brier, bước ngẫu nhiên trừ mô hình (khoảng 95%; cả khoảng trên 0: mô hình tốt hơn)",
        "judgement": "Sai lệch hiệu chỉnh so với nhiễu của một mô hình đúng",
        "units": "Đơn vị",
        "covered": "Tỷ lệ đạt / nằm trong dải (khoảng 95%)",
        "null": "Mô hình đúng cho",
        "nominal": "Mức danh nghĩa",
    },
    "en": {
        "family": "Kind of target",
        "block": "Years",
        "n": "Forecasts",
        "happened": "Forecast → happened (95% interval)",
        "ece": "ECE",
        "diff_base": "Brier score, position base rate minus model (95% interval; whole interval above 0: the model "
        "is better)",
        "diff_rw": "Brier score, random walk minus model (95% interval; whole interval above 0: the model is better)",
        "judgement": "ECE against a correct model's noise",
        "units": "Units",
        "covered": "Met / inside the band (95% interval)",
        "null": "A correct model gives",
        "nominal": "Nominal level",
    },
}


def _blocks() -> list[tuple[int, int]]:
    return list(targets.BLOCKS) + [targets.ALL_YEARS]


def backtest_table(predictions: pd.DataFrame, lang: str, units: str = "all") -> tuple[pd.DataFrame, dict, dict]:
    """(frame, headers, kinds) for :func:`tables.show_table`: one row per kind of target and block of years (2016-2021,
    2022-2024, both), with the forecasts' number, mean forecast and observed rate (year-resampled interval), the ECE
    beside the most a correct model gives on the same forecasts, the mean Brier-score difference per forecast against
    each competitor (competitor minus model, with its year-resampled interval), and the judgement. ``units``: ``merged`` or ``unmerged`` for one class of unit (34 provinces)."""
    lang = check_lang(lang)
    j = targets.judgement(predictions)
    tests = j["tests"]
    rows = []
    for years in _blocks():
        p = predictions if units == "all" else predictions[predictions["units"] == units]
        table = targets.family_table(p, years).set_index("family")
        for family in FAMILIES:
            if family not in table.index:
                continue
            t = table.loc[family]
            test = tests[
                (tests["family"] == family) & (tests["units"] == units) & (tests["block"] == block_label(years))
            ]
            row = dict(
                family=family_name(family, lang),
                block=block_name(block_label(years), lang),
                n=numbers.integer(t["n"], lang),
                happened=SAY(
                    "happened_cell",
                    lang,
                    forecast=t["mean_forecast"],
                    observed=t["observed"],
                    range=_pct_range(t["observed_low"], t["observed_high"], lang),
                ),
                ece="—",
                diff_base=_diff(t, "base", lang),
                diff_rw=_diff(t, "rw", lang),
                judgement="—",
            )
            if len(test):
                r = test.iloc[0]
                row["ece"] = SAY("ece_cell", lang, ece=r["observed"], bound=r["null_high"])
                row["judgement"] = SAY("within" if r["inside"] else "beyond", lang)
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame = frame.sort_values(
        "family", key=lambda s: s.map({family_name(f, lang): i for i, f in enumerate(FAMILIES)}), kind="stable"
    )
    headers = {c: BACKTEST_HEADERS[lang][c] for c in frame.columns}
    return frame.reset_index(drop=True), headers, {c: "text" for c in frame.columns}


def _diff(t: pd.Series, name: str, lang: str) -> str:
    """The mean Brier difference against competitor ``name`` (``base``, ``rw``) with its interval, or "—"."""
    if pd.isna(t.get(f"diff_{name}", float("nan"))):
        return "—"
    return _diff_text(t[f"diff_{name}"], t[f"diff_{name}_low"], t[f"diff_{name}_high"], lang)


#: decimals of a mean Brier difference per forecast: those of rare events are a few thousandths
DIFF_DECIMALS = 4


def _diff_text(diff: float, low: float, high: float, lang: str, decimals: int = DIFF_DECIMALS) -> str:
    """ "+0,0022 (−0,0003 đến +0,0059)": a mean score difference and its 95% interval, signed."""
    interval = _range_text(low, high, lang, decimals)
    return SAY("diff_cell", lang, diff=numbers.number(diff, lang, decimals, sign=True), interval=interval)


def _range_text(low: float, high: float, lang: str, decimals: int) -> str:
    """ "−0,022 đến +0,105": an interval of a difference, both ends signed."""
    signed = lambda v: numbers.number(v, lang, decimals, sign=True)  # noqa: E731
    return SAY("range_words", lang, low=signed(low), high=signed(high))


def comparison_word(verdict: object, lang: str) -> str:
    """The word for a comparison with a competitor (:func:`targets.scoring.verdict`: ``better``, ``not
    distinguishable``, ``worse``), "—" when there is none."""
    return SAY(str(verdict), lang) if verdict in COMPARISONS else "—"


def coverage_table(predictions: pd.DataFrame, lang: str, units: str = "all") -> tuple[pd.DataFrame, dict, dict]:
    """(frame, headers, kinds): the 50% and 90% bands and the advice at 90/70/50%, per block: nominal level, share
    covered or met with its year-resampled interval, the range a correct model gives, the judgement."""
    lang = check_lang(lang)
    tests = targets.judgement(predictions)["tests"]
    t = tests[tests["family"].isin(COVERAGE_FAMILIES) & (tests["units"] == units)]
    order = {f: i for i, f in enumerate(COVERAGE_FAMILIES)}
    blocks = {f"{first}-{last}": i for i, (first, last) in enumerate(_blocks())}
    t = t.assign(o=t["family"].map(order), b=t["block"].map(blocks), level=t["nominal"].round(2))
    t = t.sort_values(["o", "level", "b"], ascending=[True, False, True])
    frame = pd.DataFrame(
        {
            "family": [family_name(f, lang) for f in t["family"]],
            "nominal": [_pct(v, lang) for v in t["nominal"]],
            "block": [block_name(b, lang) for b in t["block"]],
            "n": [numbers.integer(v, lang) for v in t["n"]],
            "covered": [
                SAY("coverage_cell", lang, observed=o, range=_pct_range(lo, hi, lang))
                for o, lo, hi in zip(t["observed"], t["observed_low"], t["observed_high"])
            ],
            "null": [_pct_range(lo, hi, lang) for lo, hi in zip(t["null_low"], t["null_high"])],
            "judgement": [SAY("within" if i else "beyond", lang) for i in t["inside"]],
        }
    )
    headers = {c: BACKTEST_HEADERS[lang][c] for c in frame.columns}
    return frame, headers, {c: "text" for c in frame.columns}


def band_sentences(predictions: pd.DataFrame, lang: str) -> list[str]:
    """Coverage of the 50% and 90% bands in each block against a correct model's range, and over 2016-2024 against
    the fixed bars of issue 26."""
    lang = check_lang(lang)
    tests = targets.judgement(predictions)["tests"]
    out = []
    for band in ("band50", "band90"):
        t = tests[(tests["family"] == band) & (tests["units"] == "all")].set_index("block")
        if t.empty:
            continue
        parts = [
            SAY(
                "band_part",
                lang,
                observed=r["observed"],
                block=block_name(block, lang),
                interval=_pct_range(r["observed_low"], r["observed_high"], lang),
                null=_pct_range(r["null_low"], r["null_high"], lang),
                word=SAY("within" if r["inside"] else "beyond", lang),
            )
            for block, r in t.iterrows()
        ]
        lo, hi = targets.BAND_BARS[band]
        ok = ALL_BLOCK in t.index and lo <= t.loc[ALL_BLOCK, "observed"] <= hi
        out.append(
            SAY(
                "band",
                lang,
                nominal=float(t["nominal"].iloc[0]),
                parts="; ".join(parts),
                all=ALL_SPAN,
                bar=_pct_range(lo, hi, lang),
                verdict=SAY("met" if ok else "missed", lang),
            )
        )
    return out


def _miss_text(r, lang: str) -> str:
    block = block_name(r.block, lang)
    if r.measure == "ece":
        return SAY("miss_ece", lang, ece=r.observed, block=block, bound=r.null_high)
    null = _pct_range(r.null_low, r.null_high, lang)
    if r.source == "advice":
        nominal = float(str(r.event).split()[-1].rstrip("%")) / 100
        return SAY("miss_advice", lang, nominal=nominal, observed=r.observed, block=block, null=null)
    nominal = 0.5 if "50" in str(r.event) else 0.9
    key = "miss_band_wide" if r.observed > r.null_high else "miss_band_narrow"
    return SAY(key, lang, nominal=nominal, observed=r.observed, block=block, null=null)


def miss_reasons(predictions: pd.DataFrame, family: str, lang: str, units: str = "all") -> list[str]:
    """Why a kind of target is flagged (the tests outside a correct model's range), in words; a kind the backtest
    does not cover is 'not backtested'."""
    lang = check_lang(lang)
    misses = targets.calibration_misses(predictions)
    mine = misses[(misses["family"] == family) & (misses["units"] == units)]
    if family not in FAMILIES or (len(mine) and (mine["measure"] == "not backtested").all()):
        return [SAY("not_backtested", lang)]
    return [_miss_text(r, lang) for r in mine.itertuples()]


def judgement_sentences(predictions: pd.DataFrame, lang: str, units: str = "all") -> list[str]:
    """One sentence per kind of target flagged by the noise-aware judgement, with its numbers, then the kinds that
    are consistent with their own noise."""
    lang = check_lang(lang)
    kinds = targets.judgement(predictions)["kinds"]
    kinds = kinds[(kinds["units"] == units) & kinds["family"].isin(FAMILIES)]
    out = []
    for r in kinds[kinds["flagged"]].itertuples():
        out.append(
            SAY(
                "kind_flagged",
                lang,
                kind=family_name(r.family, lang),
                where="; ".join(miss_reasons(predictions, r.family, lang, units)),
            )
        )
    fine = [family_name(f, lang) for f in kinds.loc[~kinds["flagged"], "family"]]
    if fine:
        out.append(SAY("kinds_consistent", lang, kinds=numbers.join(fine, lang)))
    return out


def power_sentence(predictions: pd.DataFrame, lang: str) -> str:
    """The simulation of :func:`targets.flag_rates` in one sentence: false alarms of a correct model, power against
    probabilities off by 0.05 (rank and group kinds; score kinds) and against bands 15% too wide."""
    lang = check_lang(lang)
    rates = targets.flag_rates(predictions)
    years = int(predictions.loc[predictions["family"] == "band50", "year"].nunique())
    r = rates[rates["units"] == "all"]
    correct = r[r["scenario"] == "correct"]["flagged"]
    shifted = r[r["scenario"].isin(["optimistic", "pessimistic"])]
    relative = shifted[shifted["family"].isin(["group_at_least", "not_in_group", "rank_at_most", "rank_gain_at_least"])]
    national = shifted[shifted["family"].isin(["change_at_least", "gain", "score_at_least"])]
    wide = r[(r["scenario"] == "too wide") & r["family"].isin(["band50", "band90"])]["flagged"]
    span = lambda s: _pct_range(s.min(), s.max(), lang)  # noqa: E731
    return SAY(
        "power",
        lang,
        correct_low=correct.min() * 100,
        correct_high=correct.max(),
        relative=span(relative["flagged"]),
        national=span(national["flagged"]),
        years=years,
        wide=span(wide),
    )


def competitor_sentences(predictions: pd.DataFrame, lang: str) -> list[str]:
    """The model against the position base rate and the Student-t random walk: CRPS of the scores per block with the
    mean difference against each competitor and the word its interval gives, the kinds and blocks where the Brier
    score is worse than a competitor's (interval below 0) or higher but not distinguishable (interval holds 0), and
    whether issue 26's bar is met (by the intervals)."""
    lang = check_lang(lang)
    c = targets.competitor_table(predictions)
    out = []
    crps = c[c["family"] == "crps"]
    for r in crps.itertuples():
        out.append(
            SAY(
                "competitor_crps",
                lang,
                model=r.model,
                base=r.base,
                rw=r.rw,
                block=block_name(r.block, lang),
                base_diff=numbers.number(r.diff_base, lang, 3, sign=True),
                base_range=_range_text(r.diff_base_low, r.diff_base_high, lang, 3),
                base_verdict=comparison_word(r.verdict_base, lang),
                rw_diff=numbers.number(r.diff_rw, lang, 3, sign=True),
                rw_range=_range_text(r.diff_rw_low, r.diff_rw_high, lang, 3),
                rw_verdict=comparison_word(r.verdict_rw, lang),
            )
        )
    worse: list[str] = []
    unclear: list[str] = []
    for r in c[(c["family"] != "crps") & (c["block"] != ALL_BLOCK)].itertuples():
        for name in ("base", "rw"):
            diff, verdict = getattr(r, f"diff_{name}", float("nan")), getattr(r, f"verdict_{name}", None)
            if pd.isna(diff) or verdict not in ("worse", "not distinguishable") or diff >= 0:
                continue
            (worse if verdict == "worse" else unclear).append(
                SAY(
                    "worse_item",
                    lang,
                    kind=family_name(r.family, lang),
                    block=block_name(r.block, lang),
                    competitor=SAY(name, lang),
                    diff=_diff_text(diff, getattr(r, f"diff_{name}_low"), getattr(r, f"diff_{name}_high"), lang),
                )
            )
    out.append(SAY("competitor_worse", lang, where="; ".join(worse)) if worse else SAY("competitor_none_worse", lang))
    if unclear:
        out.append(SAY("competitor_unclear", lang, where="; ".join(unclear)))
    overall = crps[crps["block"] == ALL_BLOCK]
    ships = len(crps) > 0 and bool(crps["as_good"].all()) and len(overall) > 0 and bool(overall["better"].all())
    out.append(
        SAY(
            "ships",
            lang,
            all=ALL_SPAN,
            verdict=SAY("ships_yes" if ships else "ships_no", lang),
        )
    )
    return out


def calibration_sentences(
    predictions: pd.DataFrame, lang: str, block: str | None = None, min_n: int = 100, units: str = "all"
) -> list[str]:
    """Per kind of target: mean forecast against the observed rate, then the forecast levels (at least ``min_n``
    forecasts) whose observed rate lies outside the range a correct model gives: optimistic or pessimistic."""
    lang = check_lang(lang)
    block = block or ALL_BLOCK
    bins = targets.judgement(predictions)["bins"]
    bins = bins[(bins["block"] == block) & (bins["units"] == units)]
    out = []
    level = lambda t: ", ".join(  # noqa: E731
        SAY("bin_level", lang, forecast=r.mean_forecast, observed=r.observed, n=r.n) for r in t.itertuples()
    )
    for family in FAMILIES:
        f = bins[bins["family"] == family]
        if f.empty:
            continue
        n = f["n"].sum()
        off = f[(f["n"] >= min_n) & ((f["observed"] < f["null_low"]) | (f["observed"] > f["null_high"]))]
        opt, pes = off[off["observed"] < off["null_low"]], off[off["observed"] > off["null_high"]]
        detail = (SAY("bins_optimistic", lang, levels=level(opt)) if len(opt) else "") + (
            SAY("bins_pessimistic", lang, levels=level(pes)) if len(pes) else ""
        )
        out.append(
            SAY(
                "bins",
                lang,
                kind=family_name(family, lang),
                forecast=(f["mean_forecast"] * f["n"]).sum() / n,
                observed=(f["observed"] * f["n"]).sum() / n,
                n=n,
                detail=detail or SAY("bins_none", lang),
            )
        )
    return out


def backtest_sentences(predictions: pd.DataFrame, lang: str) -> list[str]:
    """Everything section 4 says under its tables: the bands, the kinds beyond their noise, how far the test can be
    trusted, the competitors, the cells left out."""
    out = band_sentences(predictions, lang) + judgement_sentences(predictions, lang)
    out += [power_sentence(predictions, lang)] + competitor_sentences(predictions, lang)
    left = left_out_sentence(predictions, lang)
    return out + ([left] if left else [])


def left_out_sentence(predictions: pd.DataFrame, lang: str) -> str:
    """How many year-indicator cells the backtest could not forecast, and which years."""
    d = targets.dropped_cells(predictions)
    if d.empty:
        return ""
    years = numbers.join([numbers.year(y) for y in sorted(d["year"].unique())], lang)
    return SAY("left_out", check_lang(lang), cells=len(d), units=int(d["units"].sum()), years=years)


def units_name(units: str, lang: str) -> str:
    return SAY(f"units_{units}", check_lang(lang))
