"""Words and tables about the backtest of target realism (notebook 02, section 4): calibration by kind of target,
band coverage, where the model misses, the national change predicted and realised, merged and unmerged units.

Every sentence is computed from the backtest rows it describes (out of sample: each forecast year from earlier
years only).
"""

from __future__ import annotations

import pandas as pd

from ...analysis import targets
from ...analysis.targets.backtest import BARS, FAMILY_NAMES, RECENT
from ...data import schema
from ...params import check_lang
from ..tables import MISSING, VALUES, _number


def _pct(p: float, lang: str) -> str:
    return f"{_number(p * 100, 0, lang)}%"


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


BACKTEST_HEADERS = {
    "vi": {
        "family": "Loại mục tiêu",
        "n": "Số dự báo",
        "mean_forecast": "Dự báo trung bình",
        "observed": "Thực tế xảy ra",
        "brier": "Điểm Brier (mô hình / tần suất lịch sử)",
        "skill": "Kỹ năng (khoảng 95%)",
        "ece": "ECE",
        "meets": "Đạt chuẩn? (mọi năm và 2019–2024)",
        "units": "Đơn vị",
    },
    "en": {
        "family": "Kind of target",
        "n": "Forecasts",
        "mean_forecast": "Mean forecast",
        "observed": "Happened",
        "brier": "Brier score (model / historical rate)",
        "skill": "Skill (95% interval)",
        "ece": "ECE",
        "meets": "Meets the bars? (all years and 2019–2024)",
        "units": "Units",
    },
}


def backtest_table(
    predictions: pd.DataFrame, lang: str, years: tuple[int, int] | None = None, table: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict, dict]:
    """(frame, headers, kinds) for :func:`show_table`: one row per kind of target with its n, mean forecast,
    observed rate, Brier scores, skill with its interval, ECE and whether the kind meets every bar."""
    lang = check_lang(lang)
    t = targets.family_table(predictions, years) if table is None else table
    t = t[~t["family"].str.startswith("band")]
    status = targets.calibration_status(predictions).set_index("family")["calibrated"]
    yes, no = VALUES["yes"][0 if lang == "vi" else 1], VALUES["no"][0 if lang == "vi" else 1]
    num = lambda v, d: MISSING if pd.isna(v) else _number(float(v), d, lang)  # noqa: E731
    frame = pd.DataFrame(
        {
            "family": [family_name(f, lang) for f in t["family"]],
            "n": [_number(float(v), 0, lang) for v in t["n"]],
            "mean_forecast": [_pct(v, lang) for v in t["mean_forecast"]],
            "observed": [_pct(v, lang) for v in t["observed"]],
            "brier": [f"{num(a, 3)} / {num(b, 3)}" for a, b in zip(t["brier"], t["brier_base"])],
            "skill": [
                f"{num(s, 3)} ({num(lo, 3)} – {num(hi, 3)})"
                for s, lo, hi in zip(t["skill"], t["skill_low"], t["skill_high"])
            ],
            "ece": [num(v, 3) for v in t["ece"]],
        }
    )
    if table is None:
        frame["meets"] = [yes if status.get(f, False) else no for f in t["family"]]
    if "units" in t.columns:
        frame.insert(
            0,
            "units",
            [
                {"merged": ("Tỉnh hợp nhất", "Merged"), "unmerged": ("Tỉnh giữ nguyên", "Not merged")}[u][
                    0 if lang == "vi" else 1
                ]
                for u in t["units"]
            ],
        )
    headers = {c: BACKTEST_HEADERS[lang][c] for c in frame.columns}
    return frame, headers, {c: "text" for c in frame.columns}


def band_sentences(predictions: pd.DataFrame, lang: str) -> list[str]:
    """Coverage of the 50% and 90% predictive bands, all years and 2019-2024, against the bars."""
    out = []
    for band, nominal in (("band50", 50), ("band90", 90)):
        lo, hi = BARS[band]
        parts = []
        for years in (None, RECENT):
            t = targets.family_table(predictions, years).set_index("family")
            if band in t.index:
                parts.append((t.loc[band, "observed"], int(t.loc[band, "n"]), years))
        if not parts:
            continue
        cover = "; ".join(
            (
                f"{_number(c * 100, 1, lang)}% ({'all years' if y is None else f'{y[0]}–{y[1]}'}, n = {_number(n, 0, lang)})"
                if lang == "en"
                else f"{_number(c * 100, 1, lang)}% ({'mọi năm' if y is None else f'{y[0]}–{y[1]}'}, n = {_number(n, 0, lang)})"
            )
            for c, n, y in parts
        )
        ok = all(lo <= c <= hi for c, _, _ in parts)
        if lang == "en":
            out.append(
                f"The {nominal}% predictive band of the score covered the published score in {cover}; bar "
                f"{lo:.0%}–{hi:.0%}: {'met' if ok else 'missed'}."
            )
        else:
            out.append(
                f"Dải dự báo {nominal}% của điểm chứa điểm công bố trong {cover}; chuẩn "
                f"{_number(lo * 100, 0, lang)}–{_number(hi * 100, 0, lang)}%: {'đạt' if ok else 'chưa đạt'}."
            )
    return out


def misses_sentences(predictions: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per kind of target that misses a bar, with the numbers (from :func:`calibration_misses`)."""
    lang = check_lang(lang)
    misses = targets.calibration_misses(predictions)
    lines = []
    for family, rows in misses.groupby("family", sort=False):
        parts = []
        for _, r in rows.iterrows():
            period = r["period"] if lang == "en" else ("mọi năm" if r["period"] == "all years" else r["period"])
            m = r["measure"]
            if m == "not backtested":
                parts.append("not backtested" if lang == "en" else "chưa được kiểm định ngược")
            elif m == "years":
                parts.append(
                    f"only {int(r['value'])} forecast years ({r['years']})"
                    if lang == "en"
                    else f"chỉ có {int(r['value'])} năm dự báo ({r['years']})"
                )
            elif m == "ece":
                parts.append(f"ECE {_number(r['value'], 3, lang)} ≥ {_number(r['bar'], 2, lang)} ({period})")
            elif m == "skill":
                parts.append(
                    (
                        f"skill {_number(r['value'], 3, lang)}, 95% interval {_number(r['low'], 3, lang)} to "
                        f"{_number(r['high'], 3, lang)}, not above 0 ({period})"
                    )
                    if lang == "en"
                    else (
                        f"kỹ năng {_number(r['value'], 3, lang)}, khoảng 95% từ {_number(r['low'], 3, lang)} đến "
                        f"{_number(r['high'], 3, lang)}, chưa trên 0 ({period})"
                    )
                )
            else:
                parts.append(
                    (f"{m[4:]}% band covers {_number(r['value'] * 100, 1, lang)}% ({period})")
                    if lang == "en"
                    else f"dải {m[4:]}% chứa {_number(r['value'] * 100, 1, lang)}% ({period})"
                )
        lines.append(f"{FAMILY_NAMES[lang][family]}: {'; '.join(parts)}.")
    return lines


def calibration_sentences(
    predictions: pd.DataFrame, lang: str, years: tuple[int, int] | None = RECENT, min_n: int = 100, gap: float = 0.05
) -> list[str]:
    """Per kind of target: mean forecast against the observed rate, then where (which forecast levels, at least
    ``min_n`` forecasts, more than ``gap`` off) the model was optimistic or pessimistic — read off the bins."""
    lang = check_lang(lang)
    p = predictions if years is None else predictions[predictions["year"].between(*years)]
    out = []
    for family in targets.FAMILIES:
        f = p[p["family"] == family]
        if f.empty:
            continue
        bins = targets.reliability(f)
        off = bins[(bins["n"] >= min_n) & ((bins["mean_forecast"] - bins["observed"]).abs() > gap)]
        opt = off[off["mean_forecast"] > off["observed"]]
        pes = off[off["mean_forecast"] < off["observed"]]
        fmt = lambda t: ", ".join(
            f"{_pct(r.mean_forecast, lang)} → {_pct(r.observed, lang)} (n = {_number(r.n, 0, lang)})"  # noqa: E731
            for r in t.itertuples()
        )
        if lang == "en":
            line = (
                f"{FAMILY_NAMES[lang][family]}: forecast {_pct(f['p_model'].mean(), lang)} on average, happened "
                f"{_pct(f['outcome'].mean(), lang)} of the time (n = {_number(len(f), 0, lang)})"
            )
            line += f"; optimistic at {fmt(opt)}" if len(opt) else ""
            line += f"; pessimistic at {fmt(pes)}" if len(pes) else ""
            line += "" if len(off) else "; no forecast level off by more than 5 points"
        else:
            line = (
                f"{FAMILY_NAMES[lang][family]}: dự báo trung bình {_pct(f['p_model'].mean(), lang)}, thực tế "
                f"{_pct(f['outcome'].mean(), lang)} (n = {_number(len(f), 0, lang)})"
            )
            line += f"; lạc quan ở {fmt(opt)}" if len(opt) else ""
            line += f"; bi quan ở {fmt(pes)}" if len(pes) else ""
            line += "" if len(off) else "; không mức dự báo nào lệch quá 5 điểm"
        out.append(line + ".")
    return out


def left_out_sentence(predictions: pd.DataFrame, lang: str) -> str:
    """How many year-indicator cells the backtest could not forecast, and which years."""
    d = targets.dropped_cells(predictions)
    if d.empty:
        return ""
    years = ", ".join(str(int(y)) for y in sorted(d["year"].unique()))
    cells, units = _number(len(d), 0, lang), _number(int(d["units"].sum()), 0, lang)
    if lang == "en":
        return (
            f"Left out of the backtest: {cells} year-and-indicator cells ({units} province-years) the model cannot "
            f"forecast because too little earlier history exists (years {years}: the first years of the series, "
            "of the new dimensions and of the new total scale)."
        )
    return (
        f"Không đưa vào kiểm định ngược: {cells} ô năm–chỉ số ({units} lượt tỉnh-năm) mà mô hình không dự báo được "
        f"vì chưa đủ lịch sử trước đó (các năm {years}: những năm đầu của chuỗi số liệu, của các chỉ số mới và của "
        "thang tổng điểm mới)."
    )


def band_by_units_sentences(split: pd.DataFrame, lang: str) -> list[str]:
    """Coverage of the 50% and 90% bands for merged and unmerged units apart (from
    :func:`targets.family_table_by_unit_kind`), against the bars."""
    lang = check_lang(lang)
    out = []
    for units in ("merged", "unmerged"):
        rows = split[(split["units"] == units) & split["family"].str.startswith("band")].set_index("family")
        if rows.empty:
            continue
        parts = []
        for band in ("band50", "band90"):
            if band in rows.index:
                lo, hi = BARS[band]
                cov = rows.loc[band, "observed"]
                ok = lo <= cov <= hi
                parts.append(
                    (
                        f"the {band[4:]}% band covers {_number(cov * 100, 1, lang)}% "
                        f"({'within' if ok else 'outside'} {lo:.0%}–{hi:.0%})"
                    )
                    if lang == "en"
                    else (
                        f"dải {band[4:]}% chứa {_number(cov * 100, 1, lang)}% "
                        f"({'trong' if ok else 'ngoài'} chuẩn {_number(lo * 100, 0, lang)}–{_number(hi * 100, 0, lang)}%)"
                    )
                )
        n = _number(int(rows["n"].iloc[0]), 0, lang)
        k = int(rows["n_units"].iloc[0])
        if lang == "en":
            out.append(
                f"{'Merged' if units == 'merged' else 'Unmerged'} units ({k}, n = {n} scores): {'; '.join(parts)}."
            )
        else:
            out.append(
                f"{'Tỉnh hợp nhất' if units == 'merged' else 'Tỉnh giữ nguyên'} ({k} đơn vị, n = {n} điểm): "
                f"{'; '.join(parts)}."
            )
    return out


NATIONAL_HEADERS = {
    "vi": {
        "year": "Năm dự báo",
        "predicted": "Thay đổi TB toàn quốc dự báo (điểm)",
        "realised": "Thay đổi TB toàn quốc thực tế (điểm)",
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


def spread_by_period_sentences(
    predictions: pd.DataFrame, periods: tuple[tuple[int, int], ...], lang: str, size_exponent: float | None = None
) -> list[str]:
    """Coverage of the 50% and 90% bands in each period (too narrow / within the bar / too wide, from the number),
    and, on the 34 provinces, the size exponent used for the next forecast."""
    lang = check_lang(lang)
    out = []
    for years in periods:
        t = targets.family_table(predictions, years).set_index("family")
        if "band50" not in t.index:
            continue
        parts = []
        for band in ("band50", "band90"):
            lo, hi = BARS[band]
            cov = t.loc[band, "observed"]
            word = (
                ("within the bar" if lo <= cov <= hi else "too wide" if cov > hi else "too narrow")
                if lang == "en"
                else ("trong chuẩn" if lo <= cov <= hi else "quá rộng" if cov > hi else "quá hẹp")
            )
            parts.append(f"{band[4:]}%: {_number(cov * 100, 1, lang)}% ({word})")
        n = _number(int(t.loc["band50", "n"]), 0, lang)
        span = f"{years[0]}–{years[1]}"
        out.append(
            f"{span}, share of outcomes inside the predictive band: {'; '.join(parts)} (n = {n})."
            if lang == "en"
            else f"{span}, tỷ lệ kết quả nằm trong dải dự báo: {'; '.join(parts)} (n = {n})."
        )
    if size_exponent is not None and round(size_exponent, 2) == 0:
        out.append(
            "Earlier forecast errors show no smaller year-to-year variation for merged units: every unit has "
            "the same spread."
            if lang == "en"
            else "Sai số dự báo các năm trước không cho thấy tỉnh hợp nhất dao động ít hơn: mọi đơn vị có cùng độ "
            "dao động."
        )
    elif size_exponent is not None:
        a = _number(size_exponent, 2, lang)
        out.append(
            f"A merged unit's own year-to-year variation is taken to be smaller: its variance goes as its "
            f"effective size to the power −{a} (exponent estimated from the errors of earlier forecast years "
            "only)."
            if lang == "en"
            else f"Dao động riêng hằng năm của tỉnh hợp nhất được coi là nhỏ hơn: phương sai tỷ lệ với cỡ hiệu dụng "
            f"mũ −{a} (số mũ ước lượng chỉ từ sai số của các năm dự báo trước)."
        )
    return out
