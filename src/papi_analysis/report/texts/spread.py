"""The spread of the forecasts over the blocks of years, for people (notebook 02, section 4): the national change
predicted and realised, the share of outcomes inside the predictive bands in each block against a correct model's
range, the size exponent of merged units, and the advisor's record per block. Every number goes through
:mod:`papi_analysis.report.numbers`.
"""

from __future__ import annotations

import pandas as pd

from ...analysis import targets
from ...analysis.targets.evaluation import block_label
from ...data import schema
from ...params import check_lang
from .. import numbers
from .calibration import _pct, _pct_range, block_name
from .messages import Messages

SAY = Messages(
    {
        "advice": {
            "vi": "Năm {block}, mục tiêu khuyến nghị ở mức {chances} đã đạt {mets} số lần ({n:int} mục tiêu mỗi mức; "
            "khoảng 95% lấy mẫu lại theo năm: {intervals}){reading}.",
            "en": "In {block}, advice at {chances} was met {mets} of the time (n = {n:int} each; 95% intervals "
            "resampling years: {intervals}){reading}.",
        },
        "advice_cautious": {
            "vi": ": thận trọng, đạt thường xuyên hơn mức một mô hình đúng cho phép ở mức {chances}",
            "en": ": cautious, met more often than a correct model allows at {chances}",
        },
        "advice_optimistic": {
            "vi": ": lạc quan, đạt ít hơn mức một mô hình đúng cho phép ở mức {chances}",
            "en": ": optimistic, met less often than a correct model allows at {chances}",
        },
        "advice_as_stated": {"vi": ": đúng như mức khả năng ghi", "en": ": as stated"},
        "period_bands": {
            "vi": "{block}, tỷ lệ kết quả nằm trong dải dự báo: {parts} ({n:int} dự báo).",
            "en": "{block}, share of outcomes inside the predictive band: {parts} (n = {n:int}).",
        },
        "period_part": {
            "vi": "{nominal:pct}: {observed:pct1} ({word}; mô hình đúng: {null})",
            "en": "{nominal:pct}: {observed:pct1} ({word}; a correct model: {null})",
        },
        "too_wide": {"vi": "quá rộng", "en": "too wide"},
        "too_narrow": {"vi": "quá hẹp", "en": "too narrow"},
        "as_expected": {"vi": "trong mức nhiễu", "en": "within its noise"},
        "size_none": {
            "vi": "Sai số dự báo các năm trước không cho thấy tỉnh hợp nhất dao động ít hơn: mọi đơn vị có cùng độ dao "
            "động.",
            "en": "Earlier forecast errors show no smaller year-to-year variation for merged units: every unit has the "
            "same spread.",
        },
        "size": {
            "vi": "Dao động riêng hằng năm của tỉnh hợp nhất được coi là nhỏ hơn: phương sai tỷ lệ với cỡ hiệu dụng mũ "
            "−{alpha:pts} (số mũ ước lượng chỉ từ sai số của các năm dự báo trước).",
            "en": "A merged unit's own year-to-year variation is taken to be smaller: its variance goes as its "
            "effective size to the power −{alpha:pts} (exponent estimated from the errors of earlier forecast years "
            "only).",
        },
    }
)


def advice_sentences(predictions: pd.DataFrame, lang: str, units: str = "all") -> list[str]:
    """How often the advisor's 90/70/50% scores were reached, per block, with year-resampled intervals, and where the
    advice was cautious or optimistic beyond what a correct model would give."""
    lang = check_lang(lang)
    a = targets.advice_table(predictions)
    a = a[a["units"] == units]
    out = []
    for block, part in a.groupby("block", sort=False):
        part = part.sort_values("chance", ascending=False)
        chances = numbers.join([_pct(c, lang) for c in part["chance"]], lang)
        mets = numbers.join([numbers.percent(m, lang, 1) for m in part["met"]], lang)
        intervals = "; ".join(_pct_range(lo, hi, lang) for lo, hi in zip(part["met_low"], part["met_high"]))
        reading = ""
        for word in ("cautious", "optimistic"):
            which = part[part["reading"] == word]
            if len(which):
                reading += SAY(
                    f"advice_{word}", lang, chances=numbers.join([_pct(c, lang) for c in which["chance"]], lang)
                )
        out.append(
            SAY(
                "advice",
                lang,
                block=block_name(block, lang),
                chances=chances,
                mets=mets,
                n=int(part["n"].iloc[0]),
                intervals=intervals,
                reading=reading or SAY("advice_as_stated", lang),
            )
        )
    return out


NATIONAL_HEADERS = {
    "vi": {
        "year": "Năm dự báo",
        "predicted": "Thay đổi trung bình toàn quốc, dự báo (điểm)",
        "realised": "Thay đổi trung bình toàn quốc, thực tế (điểm)",
        "miss": "Thực tế − dự báo (điểm)",
        "swing": "Độ lớn thay đổi toàn quốc (điểm, trị tuyệt đối)",
        "indicators": "Số chỉ số nội dung",
    },
    "en": {
        "year": "Forecast year",
        "predicted": "National mean change predicted (points)",
        "realised": "National mean change realised (points)",
        "miss": "Realised − predicted (points)",
        "swing": "Size of the national change (points, absolute)",
        "indicators": "Dimensions",
    },
}


def national_effect_table(misses: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict, dict]:
    """Per forecast year, the out-of-sample national mean change predicted and realised, averaged over the
    dimensions (the total, on another scale, is left out), and the mean absolute realised national change (from
    :func:`targets.national_effect_misses`): frame, headers, kinds for :func:`tables.show_table`."""
    lang = check_lang(lang)
    d = misses[misses["dimension"] != schema.TOTAL].assign(swing=lambda m: m["realised"].abs())
    t = (
        d.groupby("year")
        .agg(
            predicted=("predicted", "mean"),
            realised=("realised", "mean"),
            miss=("miss", "mean"),
            swing=("swing", "mean"),
            indicators=("dimension", "size"),
        )
        .reset_index()
    )
    kinds = {
        "year": "year",
        "predicted": "change",
        "realised": "change",
        "miss": "change",
        "swing": "points",
        "indicators": "int",
    }
    return t, NATIONAL_HEADERS[lang], kinds


def spread_by_period_sentences(predictions: pd.DataFrame, lang: str, size_exponent: float | None = None) -> list[str]:
    """Coverage of the 50% and 90% bands in each block, judged against a correct model's range (too wide / within /
    too narrow), and, on the 34 provinces, the size exponent used for the next forecast."""
    lang = check_lang(lang)
    tests = targets.judgement(predictions)["tests"]
    out = []
    for years in targets.BLOCKS:
        label = block_label(years)
        t = tests[tests["family"].isin(["band50", "band90"]) & (tests["units"] == "all") & (tests["block"] == label)]
        if t.empty:
            continue
        parts = []
        for r in t.itertuples():
            word = "as_expected" if r.inside else ("too_wide" if r.observed > r.null_high else "too_narrow")
            parts.append(
                SAY(
                    "period_part",
                    lang,
                    nominal=r.nominal,
                    observed=r.observed,
                    word=SAY(word, lang),
                    null=_pct_range(r.null_low, r.null_high, lang),
                )
            )
        out.append(
            SAY("period_bands", lang, block=block_name(label, lang), parts="; ".join(parts), n=int(t["n"].iloc[0]))
        )
    if size_exponent is not None and round(size_exponent, 2) == 0:
        out.append(SAY("size_none", lang))
    elif size_exponent is not None:
        out.append(SAY("size", lang, alpha=size_exponent))
    return out
