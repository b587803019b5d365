"""Sentences and reader's tables of the trends report (notebook 01), in Vietnamese or English.

Every number in a sentence is read from the trend table passed in
(:func:`papi_analysis.analysis.trends.province_trend`): one number per claim.
Recast scores (34-province geography, this project's estimates) are labelled as such.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...analysis import trends
from ...data import provinces, schema
from ...params import check_lang
from ..figures import dimension_label
from ..numbers import join
from ..tables import translate
from .messages import Messages

#: PAPI publishes a 90% CI; figures draw 95% from the SE.
Z_95 = trends.Z_95


SAY = Messages(
    {
        "no_se": {
            "vi": "PAPI không công bố sai số chuẩn cho tỉnh này ở các năm trong biểu đồ, nên biểu đồ không có thanh "
            "sai số và không thể nói thay đổi nào vượt nhiễu chọn mẫu.",
            "en": "PAPI published no standard error for this province in the years shown, so the figure has no "
            "error bars and no change can be tested against sampling noise.",
        },
        "se_years": {
            "vi": "Thanh sai số là khoảng tin cậy 95% (±1,96 sai số chuẩn) ở những năm có sai số chuẩn cho tỉnh "
            "này: {years}{estimate}. Hai khoảng chồng lên nhau nghĩa là không thể chắc rằng có khác biệt thật. Ở "
            "các năm khác không có thanh sai số: không đánh giá được nhiễu chọn mẫu.",
            "en": "Error bars are 95% confidence intervals (±1.96 standard errors), drawn in the years with a "
            "standard error for this province: {years}{estimate}. Overlapping intervals mean a difference may not "
            "be real. Other years have no error bar: sampling noise cannot be assessed.",
        },
        "se_estimate": {
            "vi": " (sai số của tỉnh hợp nhất là ước tính, tính từ sai số đã công bố của các tỉnh cũ)",
            "en": " (for a merged province the standard error is an estimate, combined from its former provinces' "
            "published standard errors)",
        },
        "se_borrowed": {
            "vi": " Năm {years}: PAPI không công bố sai số chuẩn dùng được cho tỉnh này, nên hình không có thanh sai số; "
            'phần "Thứ hạng chắc chắn đến đâu?" mượn sai số chuẩn của năm {donors} để tính khoảng thứ hạng (giả định).',
            "en": " In {years} PAPI published no usable standard error for this province, so the figure has no error "
            'bar; the section "How sure is the rank?" borrows the standard error of {donors} for the rank range (an '
            "assumption).",
        },
        "latest": {
            "vi": "{name} năm {year:year}: tổng điểm {score:pts}{estimate}, hạng {rank}/{n}, nhóm {group}.",
            "en": "{name} in {year:year}: total score {score:pts} points{estimate}, rank {rank} of {n}, {group} group.",
        },
        "latest_estimate": {
            "vi": " (ước tính tính lại từ các tỉnh cũ)",
            "en": " (an estimate recast from its former provinces)",
        },
        "since": {
            "vi": "So với {previous:year}: tổng điểm thay đổi {change:pts+} điểm",
            "en": "Since {previous:year}: total {change:pts+} points",
        },
        "since_rank": {"vi": " (hạng {old} → {new})", "en": " (rank {old} → {new})"},
        "drivers": {
            "vi": "; các chỉ số thay đổi nhiều nhất: {drivers}. ",
            "en": "; the dimensions that moved most: {drivers}. ",
        },
        "driver": {"vi": "{dimension} ({change:pts+})", "en": "{dimension} ({change:pts+})"},
        "beyond_noise": {
            "vi": "Thay đổi vượt nhiễu chọn mẫu (95%).",
            "en": "The change is beyond sampling noise (95%).",
        },
        "within_noise": {
            "vi": "Thay đổi nằm trong nhiễu chọn mẫu (95%).",
            "en": "The change is within sampling noise (95%).",
        },
        "noise_unknown": {
            "vi": "Không đánh giá được thay đổi này có vượt nhiễu chọn mẫu hay không: PAPI không công bố sai số "
            "chuẩn của tỉnh cho năm {years}.",
            "en": "Whether it exceeds sampling noise cannot be assessed: PAPI published no standard error for the "
            "province in {years}.",
        },
        "not_comparable": {
            "vi": "Không so sánh được tổng điểm {year:year} với {previous:year} (không có số liệu {previous:year} "
            "hoặc có thay đổi phương pháp).",
            "en": "The {year:year} total cannot be compared with {previous:year} (no {previous:year} score, or a "
            "methodology change in between).",
        },
        "strongest_weakest": {
            "vi": "So với trung vị toàn quốc năm {year:year}, mạnh nhất là {best}; yếu nhất là {worst}.",
            "en": "Against the national median in {year:year}, the strongest dimension is {best}; the weakest is "
            "{worst}.",
        },
        "gap": {
            "vi": "{dimension} ({gap:pts+} điểm, hạng {rank})",
            "en": "{dimension} ({gap:pts+} points, rank {rank})",
        },
        "estimate_note": {
            "vi": "Mọi điểm của tỉnh, thành phố hợp nhất trong bảng này là ước tính của dự án (tính lại từ điểm PAPI "
            'đã công bố của các tỉnh cũ), không phải số liệu PAPI công bố (xem mục "Tỉnh trước và sau ngày '
            '1/7/2025").',
            "en": "Every score of a merged province in this table is this project's estimate (recast from its former "
            "provinces' published PAPI scores), not a PAPI figure (see \"The province before and after 1 July "
            '2025").',
        },
        "estimate_note_until": {
            "vi": "Điểm của tỉnh, thành phố hợp nhất đến năm {year:year} trong bảng này là ước tính của dự án (tính lại "
            'từ điểm PAPI đã công bố của các tỉnh cũ), không phải số liệu PAPI công bố (xem mục "Tỉnh trước và sau '
            'ngày 1/7/2025").',
            "en": "Scores of a merged province up to {year:year} in this table are this project's estimates (recast "
            "from its former provinces' published PAPI scores), not PAPI figures (see \"The province before and "
            'after 1 July 2025").',
        },
        "read_first": {
            "vi": "**Đọc trước.** Điểm là điểm PAPI đã công bố. {scales}",
            "en": "**Read first.** Scores are published PAPI points. {scales}",
        },
        "read_first_34": {
            "vi": "**Đọc trước.** Điểm của {name} là điểm PAPI đã công bố; theo 34 tỉnh, thành phố, điểm đến năm 2024 "
            "của các tỉnh, thành phố hợp nhất (dùng cho trung vị toàn quốc và thứ hạng) là ước tính của dự án. "
            "{scales}",
            "en": "**Read first.** The scores of {name} are published PAPI points; on the 34 provinces, the scores up "
            "to 2024 of merged provinces (used for the national median and the ranks) are this project's estimates. "
            "{scales}",
        },
        "read_first_estimated": {
            "vi": "**Đọc trước.** Điểm đến năm 2024 của {name} là **ước tính của dự án** (bình quân theo dân số của "
            "điểm PAPI đã công bố của các tỉnh cũ), **không phải số liệu PAPI công bố**; điểm của các tỉnh cũ là "
            "điểm PAPI đã công bố. {scales}",
            "en": "**Read first.** The scores of {name} up to 2024 are **this project's estimates** (population-"
            "weighted means of its former provinces' published PAPI scores), **not PAPI figures**; the former "
            "provinces' scores are published PAPI points. {scales}",
        },
        "read_first_scales": {
            "vi": "Mỗi chỉ số nội dung 1–10 điểm; chỉ số tổng hợp là tổng không trọng số (6–60 điểm đến 2017, 8–80 "
            "điểm từ 2018). PAPI đổi phương pháp năm 2016 (điều chỉnh chỉ số thành phần) và 2018 (thêm D7, D8): các "
            "biểu đồ không nối đường qua các mốc này, và tổng điểm của hai giai đoạn không bao giờ được so sánh trực "
            "tiếp. Năm không có số liệu được để trống, không nội suy.",
            "en": "Each dimension scores 1–10; the total is the unweighted sum (6–60 until 2017, 8–80 since 2018). PAPI "
            "changed its method in 2016 (revised indicators) and 2018 (D7 and D8 added): lines are never drawn across "
            "those breaks and totals of the two eras are never compared. Missing years stay empty, never "
            "interpolated.",
        },
        "recast_pointer": {
            "vi": "Cách tính ước tính và những điều nó không cho biết: Phụ lục cho người phân tích, mục D.",
            "en": "How the estimate is computed and what it cannot tell: Appendix for analysts, section D.",
        },
        "no_recast": {
            "vi": "Báo cáo này không dùng số liệu tính lại: mọi điểm là điểm PAPI đã công bố.",
            "en": "This report uses no recast figures: every score is a published PAPI score.",
        },
        "history_read": {
            "vi": "**Cách đọc.** Đường cam đậm, điểm rỗng: {unit} theo địa giới từ ngày {date}, là **ước tính** của "
            "dự án này (bình quân theo dân số của điểm đã công bố của {olds}), không phải số liệu PAPI công bố. Các "
            "đường mảnh: điểm PAPI đã công bố của từng tỉnh cũ. Ước tính luôn nằm giữa các tỉnh cũ, gần tỉnh đông "
            "dân hơn; năm một tỉnh cũ không có số liệu thì không có ước tính. Đường bị ngắt ở các lần PAPI đổi "
            "phương pháp; tổng điểm trước và từ 2018 không so sánh được với nhau.",
            "en": "**How to read it.** Thick orange line, open markers: {unit} within its boundaries of {date}, "
            "an **estimate** by this project (the population-weighted mean of the published scores of {olds}), not a "
            "PAPI publication. Thin lines: each former province's published PAPI score. The estimate always lies "
            "between the former provinces, nearer the more populous one; a year in which a former province has no "
            "score has no estimate. Lines break where PAPI changed its method; totals before 2018 and since are "
            "not comparable.",
        },
        "history_latest": {
            "vi": "Năm {year:year}: {unit} {score:pts} điểm (ước tính); {olds}.",
            "en": "In {year:year}: {unit} {score:pts} points (estimate); {olds}.",
        },
        "history_old_score": {"vi": "{old} cũ {score:pts}", "en": "former {old} {score:pts}"},
        "history_limit": {
            "vi": "Hình không cho biết PAPI 2025, khảo sát theo địa giới mới, sẽ chấm {unit} bao nhiêu điểm.",
            "en": "The figure does not say what PAPI 2025, surveyed within the new boundaries, will score {unit}.",
        },
        "history_not_merged": {
            "vi": "{unit} giữ nguyên địa giới của {old} cũ: lịch sử 2011–2024 của tỉnh là số liệu PAPI đã công bố "
            "(mục 2), không có ước tính, nên không có hình so sánh với các tỉnh cũ.",
            "en": "{unit} keeps the boundaries of the former {old}: its 2011–2024 history is PAPI's published scores "
            "(section 2), with no estimate, so there is no figure comparing former provinces.",
        },
        "former_caption": {
            "vi": "Các tỉnh, thành phố cũ: dân số, trọng số và tổng điểm PAPI đã công bố; dòng cuối là ước tính",
            "en": "Former provinces: population, weight and published PAPI total; the last row is an estimate",
        },
        "total_caption": {"vi": "{name}: tổng điểm theo năm", "en": "{name}: the total by year"},
        "dimensions_caption": {
            "vi": "{name}: điểm từng chỉ số nội dung theo năm",
            "en": "{name}: each dimension's score by year",
        },
        "no_subdimensions": {
            "vi": "Không có số liệu chỉ số thành phần cho tỉnh này.",
            "en": "No sub-dimension data for this province.",
        },
        "sub_caption": {
            "vi": "{name} {year:year}: mọi chỉ số thành phần, thấp nhất so với trung vị trước",
            "en": "{name} {year:year}: every sub-dimension, furthest below the median first",
        },
        "sub_estimate": {
            "vi": 'Điểm của tỉnh hợp nhất là ước tính của dự án (xem mục "Tỉnh trước và sau ngày 1/7/2025")',
            "en": "The merged province's scores are this project's estimates (see \"The province before and after 1 "
            'July 2025")',
        },
        "region_caption": {
            "vi": "{region} {year:year}: tổng điểm (◀ tỉnh đang xem)",
            "en": "{region} {year:year}: total score (◀ the selected province)",
        },
        "rank_se_estimate": {
            "vi": "Sai số chuẩn của tỉnh hợp nhất cũng là ước tính (cách tính: Phụ lục, mục C).",
            "en": "The merged province's standard errors are estimates too (how: Appendix, section C).",
        },
        "rank_history_caption": {
            "vi": "{name}: thứ hạng và khoảng tin cậy 95%",
            "en": "{name}: ranks with 95% confidence intervals",
        },
        "grdp_63_only": {
            "vi": "GRDP bình quân đầu người chỉ có theo 63 tỉnh, thành phố cũ, nên báo cáo theo 34 tỉnh, thành phố "
            "chỉ so với các tỉnh có cơ cấu D1–D8 giống nhất.",
            "en": "GRDP per head is published for the 63 former provinces only, so on the 34 provinces this report "
            "compares only with the provinces of the most similar D1–D8 profile.",
        },
        "map_63": {
            "vi": "63 tỉnh, thành phố (địa giới trước ngày 1/7/2025)",
            "en": "The 63 provinces (boundaries before 1 July 2025)",
        },
        "map_34": {
            "vi": "34 tỉnh, thành phố (địa giới từ ngày 1/7/2025; điểm trước 2025 của tỉnh hợp nhất là ước tính)",
            "en": "The 34 provinces (boundaries since 1 July 2025; merged provinces' scores before 2025 are estimates)",
        },
        "map": {
            "vi": "{where} theo nhóm xếp hạng năm {year:year}, {dimension}; tỉnh đang xem được viền đen; "
            "màu xám gạch chéo: không có số liệu. Bản đồ cho thấy vị trí tương đối, không cho thấy khoảng cách "
            "điểm giữa các tỉnh hay sai số chọn mẫu.",
            "en": "{where} by performance group in {year:year}, {dimension}; the selected province is outlined in "
            "black; grey hatching means no data. The map shows relative position only, not the size of score "
            "differences or sampling error.",
        },
        "rank_years": {
            "vi": "Các năm có sai số chuẩn cho tổng điểm của tỉnh này: {listed}. Thứ hạng dưới đây là của năm "
            "{year:year}",
            "en": "Years with a standard error for this province's total: {listed}. The ranks below are for "
            "{year:year}",
        },
        "rank_change_from": {
            "vi": "; thay đổi thứ hạng tính từ {previous:year}.",
            "en": "; the rank change is measured from {previous:year}.",
        },
        "no_rank_change": {
            "vi": "; không có năm trước có sai số chuẩn để so sánh thay đổi thứ hạng.",
            "en": "; there is no earlier year with standard errors to measure a rank change from.",
        },
        "widened": {
            "vi": " (Khoảng năm đã chọn không có năm nào có sai số chuẩn, nên dùng các năm có.)",
            "en": " (The chosen years have none, so the years that do are used.)",
        },
        "year_with_basis": {"vi": "{year:year} ({basis}, giả định)", "en": "{year:year} ({basis}, an assumption)"},
        "year_with_note": {"vi": "{year:year} ({basis})", "en": "{year:year} ({basis})"},
        "years_with_note": {"vi": "{years} ({basis})", "en": "{years} ({basis})"},
    }
)


#: the glossary terms a reader of the trends report meets, in the order they first appear (see texts/glossary.py)
GLOSSARY_TERMS: tuple[str, ...] = (
    "median",
    "group",
    "quartile",
    "methodology_break",
    "estimate",
    "standard_error",
    "confidence_interval",
    "sampling_noise",
    "rank_interval",
    "ci_abbreviation",
    "simultaneous_interval",
    "group_probability",
    "distance",
    "frontier",
)


def _is_recast(row: pd.Series) -> bool:
    return "score_source" in row.index and row["score_source"] == "recast"


def se_years(trend: pd.DataFrame, dimension: str = schema.TOTAL) -> list[int]:
    """Years in which this province has a score and a positive standard error for ``dimension``
    (the years the trend figure draws a 95% interval for)."""
    rows = trend[(trend["dimension"] == dimension) & trend["score"].notna() & (trend["se"] > 0)]
    return sorted(int(y) for y in rows["year"].unique())


def ci_sentence(
    trend: pd.DataFrame, lang: str, dimension: str = schema.TOTAL, panel: pd.DataFrame | None = None
) -> str:
    """Which years of the figure carry an error bar (95%: ±1.96 SE), computed from the province's rows; with
    ``panel``, also the years whose SE the rank section borrows (:func:`borrowed_se_years`), so that the two
    sections name the same years."""
    lang = check_lang(lang)
    years = [str(y) for y in se_years(trend, dimension)]
    recast = any(_is_recast(r) and r["se"] > 0 for _, r in trend[trend["dimension"] == dimension].iterrows())
    if not years:
        return SAY("no_se", lang)
    said = SAY("se_years", lang, years=join(years, lang), estimate=SAY("se_estimate", lang) if recast else "")
    borrowed = borrowed_se_years(panel, int(trend["province_code"].iloc[0]), dimension) if panel is not None else {}
    if borrowed:
        said += SAY(
            "se_borrowed",
            lang,
            years=join([str(y) for y in borrowed], lang),
            donors=join([str(y) for y in dict.fromkeys(borrowed.values())], lang),
        )
    return said


def borrowed_se_years(panel: pd.DataFrame, province_code: int, dimension: str = schema.TOTAL) -> dict[int, int]:
    """{year: year the SE is borrowed from} for the years in which the rank section
    (:func:`papi_analysis.analysis.rank_uncertainty.cross_section`) borrows this province's standard error."""
    from ...analysis import rank_uncertainty

    own = panel[(panel["province_code"] == province_code) & (panel["dimension"] == dimension)]
    out = {}
    for year in rank_uncertainty.years_with_se(panel, dimension):
        row = own[(own["year"] == year) & own["score"].notna()]
        if row.empty or (row["se"] > 0).any():
            continue
        section = rank_uncertainty.cross_section(panel, year, dimension).set_index("province_code")
        donor = rank_uncertainty.borrowed_year(section.at[province_code, "se_basis"])
        if donor is not None:
            out[year] = donor
    return out


def summary_points(trend: pd.DataFrame, year: int, name: str, lang: str) -> list[str]:
    """2-3 sentences for the report's summary: latest total, rank and group; the change since the previous
    survey year and the dimensions that moved most; the strongest and weakest dimension against the median."""
    lang = check_lang(lang)
    standing = trend[trend["year"] == year].set_index("dimension")
    total = standing.loc[schema.TOTAL]
    estimate = SAY("latest_estimate", lang) if _is_recast(total) else ""
    points = [
        SAY(
            "latest",
            lang,
            name=name,
            year=year,
            score=total["score"],
            estimate=estimate,
            rank=int(total["rank"]),
            n=int(total["n_ranked"]),
            group=translate(total["group"], lang),
        )
    ]
    dims = standing.drop(index=schema.TOTAL)
    dims = dims[dims["score"].notna()]
    previous = year - 1
    if pd.notna(total["change"]):
        moved = (
            dims[dims["change"].notna()]
            .assign(size=lambda d: d["change"].abs())
            .sort_values("size", ascending=False)
            .head(2)
        )
        drivers = join(
            [SAY("driver", lang, dimension=dimension_label(d, lang), change=r["change"]) for d, r in moved.iterrows()],
            lang,
        )
        text = SAY("since", lang, previous=previous, change=total["change"])
        if pd.notna(total["rank_change"]):
            text += SAY("since_rank", lang, old=int(total["rank"] + total["rank_change"]), new=int(total["rank"]))
        text += SAY("drivers", lang, drivers=drivers) if drivers else ". "
        noise = total["change_beyond_noise"]
        if noise is True:
            text += SAY("beyond_noise", lang)
        elif noise is False:
            text += SAY("within_noise", lang)
        else:  # name the year(s) without a standard error, as section 2's sentence lists the years with one
            with_se = set(se_years(trend))
            missing = [str(y) for y in (previous, year) if y not in with_se] or [str(previous), str(year)]
            text += SAY("noise_unknown", lang, years=join(missing, lang))
        points.append(text)
    else:
        points.append(SAY("not_comparable", lang, year=year, previous=previous))
    gaps = dims[dims["gap_to_median"].notna()].sort_values("gap_to_median")
    if len(gaps) >= 2:

        def one(d: str, r: pd.Series) -> str:
            return SAY(
                "gap",
                lang,
                dimension=dimension_label(d, lang),
                gap=r["gap_to_median"],
                rank=f"{int(r['rank'])}/{int(r['n_ranked'])}",
            )

        points.append(
            SAY(
                "strongest_weakest",
                lang,
                year=year,
                best=one(gaps.index[-1], gaps.iloc[-1]),
                worst=one(gaps.index[0], gaps.iloc[0]),
            )
        )
    return points


NOTES = Messages(
    {
        "blank in source": {"vi": "PAPI không công bố điểm", "en": "not published by PAPI"},
        "zero in source (no data)": {"vi": "PAPI không công bố điểm", "en": "not published by PAPI"},
        "KCDL in source": {"vi": "PAPI ghi không có dữ liệu (KCDL)", "en": "marked 'no data' by PAPI"},
        "recast": {"vi": "ước tính", "en": "estimate"},
        "no total": {"vi": "không có tổng: thiếu {dims}", "en": "no total: {dims} not published"},
        "not recast": {
            "vi": "không ước tính được: tỉnh cũ {olds} không có điểm công bố",
            "en": "no estimate: former province {olds} has no published score",
        },
        "no data": {"vi": "không có số liệu", "en": "no data"},
    }
)


def note_text(missing_reason: str, score_source: str, lang: str) -> str:
    """A reader's note for one score: why it is missing, or that it is this project's estimate."""
    lang = check_lang(lang)
    reason = str(missing_reason or "")
    if score_source == "recast":
        return NOTES("recast", lang)
    if not reason:
        return ""
    if reason in NOTES:
        return NOTES(reason, lang)
    if reason.startswith("dimension(s) missing:"):
        return NOTES("no total", lang, dims=reason.split(":", 1)[1].strip())
    if reason.startswith("not recast:"):
        return NOTES("not recast", lang, olds=reason.split("old province(s)", 1)[-1].split(":")[0].strip())
    return NOTES("no data", lang)


def _beyond_noise(rows: pd.DataFrame) -> list[object]:
    out: list[object] = []
    for change, beyond in zip(rows["change"], rows["change_beyond_noise"]):
        if pd.isna(change):
            out.append(np.nan)
        elif pd.isna(beyond):
            out.append("not assessable")
        else:
            out.append("yes" if bool(beyond) else "no")
    return out


def history_for_report(trend: pd.DataFrame, lang: str, dimension: str = schema.TOTAL) -> pd.DataFrame:
    """Year-by-year rows of one dimension with the project's column names, for ``tables.show_table``."""
    rows = trend[trend["dimension"] == dimension].sort_values("year")
    source = rows["score_source"] if "score_source" in rows.columns else pd.Series("", index=rows.index)
    out = pd.DataFrame(
        {
            "year": rows["year"].astype(int),
            "score": rows["score"],
            "national_median": rows["national_median"],
            "rank": rows["rank"],
            "n_ranked": rows["n_ranked"],
            "group": rows["group"],
            "change": rows["change"],
            "methodology_break": ["yes" if b else "no" for b in rows["crosses_break"]],
            "beyond_noise": _beyond_noise(rows),
            "note": [note_text(m, s, lang) for m, s in zip(rows["missing_reason"], source)],
        }
    ).reset_index(drop=True)
    out.loc[out["year"] == out["year"].min(), "methodology_break"] = np.nan  # no earlier year to change from
    return _drop_uniform_note(out)


def standing_for_report(trend: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """Every indicator in ``year``: score, national median, gap, rank, group, change and whether it beats noise."""
    rows = trend[trend["year"] == year]
    source = rows["score_source"] if "score_source" in rows.columns else pd.Series("", index=rows.index)
    out = pd.DataFrame(
        {
            "dimension": rows["dimension"],
            "score": rows["score"],
            "national_median": rows["national_median"],
            "gap_to_median": rows["gap_to_median"],
            "rank": rows["rank"],
            "n_ranked": rows["n_ranked"],
            "group": rows["group"],
            "change": rows["change"],
            "beyond_noise": _beyond_noise(rows),
            "note": [note_text(m, s, lang) for m, s in zip(rows["missing_reason"], source)],
        }
    ).reset_index(drop=True)
    return _drop_uniform_note(out)


def scores_by_year(trend: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """Wide table: one row per dimension (D1-D8), one column per year, scores in points.

    Returns (frame, headers, kinds) for ``tables.show_table``; a year a dimension did not exist is missing.
    """
    dims = trend[trend["dimension"] != schema.TOTAL]
    wide = dims.pivot_table(index="dimension", columns="year", values="score", aggfunc="first", dropna=False)
    order = [d for d in schema.DIMENSIONS if d in wide.index]
    wide = wide.reindex(order)
    wide.columns = [str(int(y)) for y in wide.columns]
    frame = wide.reset_index()
    headers = {str(y): str(y) for y in wide.columns}
    kinds = {str(y): "points" for y in wide.columns}
    return frame, headers, kinds


def estimate_note(rows: pd.DataFrame, lang: str) -> str:
    """A caption sentence when ``rows`` hold recast scores (34-province geography): every merged province's score in
    them, or those up to the last recast year when later rows are published; empty when none is recast."""
    if "score_source" not in rows.columns:
        return ""
    recast = rows["score_source"] == "recast"
    if not recast.any():
        return ""
    last = int(rows.loc[recast, "year"].max())
    if (rows.loc[~recast & rows["score"].notna(), "year"] > last).any():
        return SAY("estimate_note_until", lang, year=last)
    return SAY("estimate_note", lang)


def read_first(name: str, code: int, geography: str, lang: str) -> str:
    """The "Read first" paragraph (Markdown): whose scores are published and whose are this project's estimates, then
    the scales and breaks. ``name``: the province in the reader's language; ``code``: its code in ``geography``."""
    lang = check_lang(lang)
    scales = SAY("read_first_scales", lang)
    if geography != "34":
        return SAY("read_first", lang, scales=scales)
    key = "read_first_estimated" if provinces.get(code, geography="34").merged else "read_first_34"
    return SAY(key, lang, name=name, scales=scales)


def caption(text: str, rows: pd.DataFrame, lang: str) -> str:
    """``text`` followed by :func:`estimate_note` when ``rows`` hold recast scores."""
    note = estimate_note(rows, lang)
    return f"{text}. {note}" if note else text


def _drop_uniform_note(frame: pd.DataFrame) -> pd.DataFrame:
    """The note column only where it tells rows apart (a note on every row belongs in the caption)."""
    notes = frame["note"].fillna("")
    if notes.nunique() <= 1:
        return frame.drop(columns="note")
    return frame


def history_caption(
    panel_34: pd.DataFrame, panel_63: pd.DataFrame, province: int, lang: str, dimension: str = schema.TOTAL
) -> str:
    """How to read :func:`papi_analysis.report.figures.plot_unit_history` for a merged unit, with the latest year's
    estimate and its former provinces' published scores beside it; for a unit that kept one old province's
    boundaries, the sentence saying why there is no such figure."""
    lang = check_lang(lang)
    unit = provinces.get(province, geography="34")
    unit_name = provinces.name(province, lang, geography="34")
    former = sorted(unit.old_codes, key=lambda c: (provinces.name(c, "vi", geography="63") != unit.name_vi, c))
    old_names = [provinces.name(c, lang, geography="63") for c in former]
    if not unit.merged:
        return SAY("history_not_merged", lang, unit=unit_name, old=old_names[0])
    parts = [SAY("history_read", lang, unit=unit_name, date=provinces.REFORM_DATE[lang], olds=join(old_names, lang))]
    own = panel_34[
        (panel_34["province_code"] == unit.code) & (panel_34["dimension"] == dimension) & panel_34["score"].notna()
    ]
    if not own.empty:
        latest = own.loc[own["year"].idxmax()]
        year = int(latest["year"])
        published = panel_63[(panel_63["year"] == year) & (panel_63["dimension"] == dimension)].set_index(
            "province_code"
        )["score"]
        olds = [
            SAY("history_old_score", lang, old=name, score=float(published[code]))
            for code, name in zip(former, old_names)
            if code in published.index and pd.notna(published[code])
        ]
        parts.append(
            SAY("history_latest", lang, year=year, unit=unit_name, score=float(latest["score"]), olds=join(olds, lang))
        )
    parts.append(SAY("history_limit", lang, unit=unit_name))
    return " ".join(parts)


def map_caption(geography: str, year: int, dimension: str, lang: str) -> str:
    """How to read the group map, for the geography drawn."""
    where = SAY("map_63" if geography == "63" else "map_34", lang)
    return SAY("map", lang, where=where, year=year, dimension=dimension_label(dimension, lang))


def rank_years_sentence(
    panel: pd.DataFrame,
    province: int,
    years: list[int],
    rank_year: int,
    previous_year: int | None,
    widened: bool,
    lang: str,
) -> str:
    """Which years of standard errors the rank section uses, for this province; a year whose SE is not the
    province's own published one (borrowed, see :func:`rank_uncertainty.cross_section`) says so."""
    from ...analysis import rank_uncertainty
    from .ranks import RECAST_SE, se_basis_text

    lang = check_lang(lang)
    parts = []
    bases = []
    for year in years:
        rows = rank_uncertainty.cross_section(panel, year, schema.TOTAL)
        basis = rows.loc[rows["province_code"] == province, "se_basis"]
        bases.append(basis.iloc[0] if len(basis) else rank_uncertainty.NO_SE)
    if len(years) > 1 and len(set(bases)) == 1 and bases[0] == RECAST_SE:  # one note for all the years, said once
        listed = SAY(
            "years_with_note", lang, years=join([str(y) for y in years], lang), basis=se_basis_text(bases[0], lang)
        )
        text = SAY("rank_years", lang, listed=listed, year=rank_year)
        text += SAY("rank_change_from", lang, previous=previous_year) if previous_year else SAY("no_rank_change", lang)
        return text + (SAY("widened", lang) if widened else "")
    for year, own in zip(years, bases):
        if own == rank_uncertainty.PUBLISHED:
            parts.append(str(year))
            continue
        note = se_basis_text(own, lang)
        for suffix in (" (assumption)", " (giả định)"):
            if note.endswith(suffix):
                parts.append(SAY("year_with_basis", lang, year=year, basis=note[: -len(suffix)]))
                break
        else:
            parts.append(SAY("year_with_note", lang, year=year, basis=note))
    text = SAY("rank_years", lang, listed=join(parts, lang), year=rank_year)
    text += SAY("rank_change_from", lang, previous=previous_year) if previous_year else SAY("no_rank_change", lang)
    return text + (SAY("widened", lang) if widened else "")


def show_reader_table(frame: pd.DataFrame, name: str, lang: str, caption: str | None = None) -> None:
    """Show a table whose headers and values are already in the report's language (e.g. report.texts.ranks)."""
    from ..tables import show_table

    show_table(
        frame,
        name,
        lang,
        caption=caption,
        headers={c: c for c in frame.columns},
        kinds={c: "text" for c in frame.columns},
    )


def subdimension_rows(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Reader's rows of :func:`trends.subdimension_gaps`: full sub-dimension name, score, median, gap, rank."""
    from ..tables import subdimension_label

    return pd.DataFrame(
        {
            "subdimension": [
                f"{r.subdimension.lstrip('D')} "
                f"{subdimension_label(r.subdimension, r.year, lang, r.label_vi + r.label_en)}"
                for r in gaps.itertuples()
            ],
            "score": gaps["score"].to_numpy(),
            "national_median": gaps["national_median"].to_numpy(),
            "gap_to_median": gaps["gap"].to_numpy(),
            "rank": gaps["rank"].to_numpy(),
            "n_ranked": gaps["n"].to_numpy(),
        }
    )
