"""Sentences and report tables for the links report (notebooks/03_dimension_links.ipynb), in one language.

Every number in a sentence comes from the tables passed in (the cached results of
:mod:`papi_analysis.analysis.links`); the words that compare numbers ("weaker", "stronger") are chosen
from those numbers, never written in advance.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...analysis.links import pci
from ...data import provinces, schema
from ...params import check_lang
from .messages import Messages

#: checks of a correlation verdict (analysis.links.robustness.correlation_verdicts), named as failed
CORRELATION_CHECKS = Messages(
    {
        "interval_excludes_0": {"vi": "khoảng tin cậy chứa 0", "en": "interval includes 0"},
        "all_specifications": {"vi": "không vững qua 8 cách tính", "en": "not in all 8 specifications"},
        "leave_one_year_out": {"vi": "đổi dấu khi bỏ một năm", "en": "sign flips without one year"},
        "leave_one_region_out": {"vi": "đổi dấu khi bỏ một vùng", "en": "sign flips without one region"},
        "within_and_between": {
            "vi": "trong tỉnh và giữa các tỉnh khác dấu",
            "en": "within and between provinces disagree",
        },
    }
)
#: checks of a lagged verdict (analysis.links.robustness.lagged_verdicts), named as failed
LAGGED_CHECKS = Messages(
    {
        "significant_after_calibration": {
            "vi": "không có ý nghĩa sau hiệu chỉnh",
            "en": "not significant after calibration",
        },
        "lead_placebo_clear": {"vi": "phép thử năm sau có ý nghĩa", "en": "lead placebo significant"},
        "leave_one_out": {
            "vi": "không vững khi bỏ một năm hoặc một vùng",
            "en": "fails without one year or one region",
        },
    }
)
SAY = Messages(
    {
        "interval": {
            "vi": "khoảng tin cậy 95% từ {low:pts} đến {high:pts}",
            "en": "95% interval {low:pts} to {high:pts}",
        },
        "weaker": {"vi": "thường yếu hơn", "en": "usually weaker than"},
        "stronger": {"vi": "thường mạnh hơn", "en": "usually stronger than"},
        "mixed": {"vi": "không nhất quán yếu hơn hay mạnh hơn", "en": "neither consistently weaker nor stronger than"},
        "levels_vs_changes": {
            "vi": "Tương quan của thay đổi hằng năm (đã trừ thay đổi trung bình toàn quốc của từng năm) {verdict} "
            "tương quan của mức điểm: yếu hơn ở {weaker} và mạnh hơn ở {stronger} trong {n} cặp; hệ số tương quan "
            "trung bình {mean_change:pts} với thay đổi, {mean_level:pts} với mức điểm.",
            "en": "Correlations of year-on-year changes (each year's national mean change removed) are {verdict} "
            "those of levels: weaker in {weaker} and stronger in {stronger} of {n} pairs; mean correlation "
            "{mean_change:pts} for changes, {mean_level:pts} for levels.",
        },
        "no_robust_pair": {
            "vi": "Không cặp nào trong {n} cặp chỉ số nội dung vượt qua mọi kiểm tra độ vững ({start:year}–{end:year}).",
            "en": "None of the {n} pairs of dimensions passes every robustness check ({start:year}–{end:year}).",
        },
        "robust_pairs": {
            "vi": "{k} trong {n} cặp chỉ số nội dung cùng biến động một cách vững trong giai đoạn "
            "{start:year}–{end:year} (tỉnh cao ở chỉ số này thường cao ở chỉ số kia, qua mọi kiểm tra ở mục 4); "
            "mạnh nhất là {a} và {b}: hệ số tương quan {r:pts} ({interval}).",
            "en": "{k} of {n} pairs of dimensions move together robustly in {start:year}–{end:year} (provinces high "
            "on one tend to be high on the other, through every check of section 4); the strongest is {a} and {b}: "
            "correlation {r:pts} ({interval}).",
        },
        "no_robust_lag": {
            "vi": "Không có chỉ số nào đi trước một chỉ số khác một cách vững (điểm năm trước của chỉ số này báo "
            "trước thay đổi năm nay của chỉ số kia): trong {n} cặp được xem xét, {significant} cặp vượt qua các "
            "kiểm tra chống may rủi (Phụ lục, mục C), và không cặp nào còn đứng vững khi bỏ lần lượt từng năm, "
            "từng vùng.",
            "en": "No dimension robustly leads another (last year's score on one foretelling this year's change "
            "on the other): of {n} pairs examined, {significant} pass the checks against chance (Appendix, section "
            "C), and none holds when each year or region is left out in turn.",
        },
        "lag": {"vi": "{outcome} ← {predictor} ({coef:pts})", "en": "{outcome} ← {predictor} ({coef:pts})"},
        "robust_lags": {
            "vi": "{k} trong {n} cặp có một chỉ số đi trước chỉ số kia một cách vững (chỉ số năm nay ← chỉ số năm "
            "trước, số điểm tăng thêm cho mỗi điểm năm trước): {listed}.",
            "en": "{k} of {n} pairs have one dimension robustly leading the other (this year's ← last year's, "
            "points gained per point the year before): {listed}.",
        },
        "pci": {
            "vi": "PAPI và PCI {period}: mức điểm liên hệ rõ ở {k_levels} trong {n_levels} cặp (chỉ số PAPI với PCI "
            "hoặc chỉ số thành phần PCI, sau hiệu chỉnh cho việc xem nhiều cặp cùng lúc); mạnh nhất với PCI tổng "
            "hợp là {name}, hệ số tương quan {r:pts} ({interval}). Thay đổi hằng năm: {k_changes} trong "
            "{n_changes} cặp; chỉ số này đi trước chỉ số kia, theo hai chiều: {k_lags} trong {n_lags} cặp.",
            "en": "PAPI and the PCI, {period}: levels are clearly linked in {k_levels} of {n_levels} pairs (a PAPI "
            "dimension with the PCI or a PCI sub-index, after the correction for looking at many pairs at once); "
            "the strongest with the composite PCI is {name}, correlation {r:pts} ({interval}). Year-on-year "
            "changes: {k_changes} of {n_changes} pairs; one leading the other, either way: {k_lags} of {n_lags} "
            "pairs.",
        },
        "recast": {
            "vi": "Tính trên 34 tỉnh, thành phố sau ngày {date}: điểm {start:year}–{end:year} của {n_recast} trong "
            "{n_all} đơn vị (hợp nhất từ nhiều tỉnh cũ) là ước tính của dự án này (bình quân gia quyền theo dân số "
            "của điểm các tỉnh cũ), không phải số liệu PAPI công bố. Mục PCI chỉ có với 63 tỉnh.",
            "en": "Computed on the 34 provinces of {date}: the {start:year}–{end:year} scores of {n_recast} of "
            "{n_all} units (merged from several former provinces) are this project's estimates (population-weighted "
            "means of the former provinces' scores), not PAPI publications. The PCI section needs the 63 provinces.",
        },
        "intro_pci": {
            "vi": "Mục 5 so PAPI với Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI), {pci_start:year}–{pci_end:year}.",
            "en": "Section 5 compares PAPI with the Provincial Competitiveness Index (PCI), "
            "{pci_start:year}–{pci_end:year}.",
        },
        "intro_no_pci_34": {
            "vi": "Báo cáo này tính trên 34 tỉnh, thành phố nên không so PAPI với Chỉ số Năng lực cạnh tranh cấp tỉnh "
            "(PCI): PCI chỉ được công bố cho 63 tỉnh cũ; mục 5 nói vì sao.",
            "en": "This report is on the 34 provinces, so it does not compare PAPI with the Provincial "
            "Competitiveness Index (PCI): the PCI is published for the 63 former provinces only; section 5 "
            "says why.",
        },
        "intro_no_pci_years": {
            "vi": "Báo cáo này không so PAPI với Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI): PCI chỉ có số liệu "
            "{pci_start:year}–{pci_end:year}, không trùng với giai đoạn {start:year}–{end:year}.",
            "en": "This report does not compare PAPI with the Provincial Competitiveness Index (PCI): PCI figures "
            "cover {pci_start:year}–{pci_end:year} only, which does not overlap {start:year}–{end:year}.",
        },
        "pci_only_63": {
            "vi": "Mục này chỉ tính trên 63 tỉnh: PCI chỉ được công bố cho 63 tỉnh cũ, và dự án không ước tính PCI cho "
            "34 tỉnh mới (PCI đo đánh giá của doanh nghiệp, không thể gộp theo dân số như điểm PAPI). Chạy lại với 63 "
            "tỉnh để xem.",
            "en": "This section is computed on the 63 provinces only: PCI is published for the 63 former provinces, "
            "and this project does not estimate a PCI for the 34 new ones (PCI measures firms' views, which cannot be "
            "population-weighted like PAPI scores). Run the report on the 63 provinces to see it.",
        },
        "pci_no_overlap": {
            "vi": "PCI chỉ có số liệu {pci_start:year}–{pci_end:year}, không trùng với giai đoạn "
            "{start:year}–{end:year}.",
            "en": "PCI figures cover {pci_start:year}–{pci_end:year} only, which does not overlap "
            "{start:year}–{end:year}.",
        },
        "above": {"vi": "cao hơn", "en": "above"},
        "below": {"vi": "thấp hơn", "en": "below"},
        "position": {
            "vi": "{name} {year:year}: điểm {y} {side} {gap:pts} điểm so với mức thường thấy ở các tỉnh có cùng "
            "điểm {x} (đường hồi quy ở mục 2).",
            "en": "{name} {year:year}: its {y} score is {gap:pts} points {side} what provinces with the same {x} "
            "score typically have (the line in section 2).",
        },
    }
)


def dimension_name(code: str, lang: str) -> str:
    """'D2 (Transparency in local decision-making)' / 'D2 (Công khai, minh bạch)'."""
    return f"{code} ({schema.DIMENSION_NAMES[code][check_lang(lang)]})" if code in schema.DIMENSION_NAMES else code


def _interval(low: float, high: float, lang: str) -> str:
    return SAY("interval", lang, low=low, high=high)


# --------------------------------------------------------------------------- levels against changes


def levels_vs_changes(pooled: pd.DataFrame, change_pairs: pd.DataFrame) -> dict[str, float]:
    """Per pair, is the (year-demeaned) change correlation weaker than the (year-centred) level correlation?
    Strength is the absolute value (ties, to 6 decimals, count as neither). Returns n pairs, counts weaker and
    stronger, and mean r of each."""
    both = pooled.merge(change_pairs, on=["dim_a", "dim_b"], suffixes=("_level", "_change")).dropna(
        subset=["r_level", "r_change"]
    )
    level, change = both["r_level"].abs().round(6), both["r_change"].abs().round(6)
    return dict(
        n=len(both),
        weaker=int((change < level).sum()),
        stronger=int((change > level).sum()),
        mean_level=float(both["r_level"].mean()),
        mean_change=float(both["r_change"].mean()),
    )


def levels_vs_changes_sentence(pooled: pd.DataFrame, change_pairs: pd.DataFrame, lang: str) -> str:
    """A sentence whose comparison word is chosen from the counts (most pairs weaker, most stronger, or mixed)."""
    lang = check_lang(lang)
    s = levels_vs_changes(pooled, change_pairs)
    if s["weaker"] >= 2 * s["stronger"]:
        verdict = "weaker"
    elif s["stronger"] >= 2 * s["weaker"]:
        verdict = "stronger"
    else:
        verdict = "mixed"
    return SAY(
        "levels_vs_changes",
        lang,
        verdict=SAY(verdict, lang),
        weaker=s["weaker"],
        stronger=s["stronger"],
        n=s["n"],
        mean_change=s["mean_change"],
        mean_level=s["mean_level"],
    )


# --------------------------------------------------------------------------- tables


def _failed(row: pd.Series, checks: Messages, lang: str) -> str:
    return "; ".join(checks(key, lang) for key in checks if key in row and not bool(row[key]))


def correlation_verdict_table(verdicts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The verdict per pair of dimensions, strongest first, with a robust yes/no column and the failed checks."""
    lang = check_lang(lang)
    table = verdicts.sort_values("r", key=lambda r: -r.abs()).reset_index(drop=True)
    out = table[["dim_a", "dim_b", "r", "ci_low", "ci_high", "r_changes", "within", "between"]].copy()
    out["robust"] = np.where(table["robust"].astype(bool), "robust", "not_robust")
    out["failed_checks"] = [_failed(row, CORRELATION_CHECKS, lang) for _, row in table.iterrows()]
    return out


def _link(outcome: str, predictor: str) -> str:
    return f"{outcome} ← {predictor}"


def lagged_report_table(lagged: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """The ``top`` lagged effects with the smallest calibrated p-values, in report columns (robust yes/no).
    ``link`` reads "D1 ← D2": D2 last year, D1 this year."""
    key = "p_calibrated" if lagged["p_calibrated"].notna().all() else "p_value"
    table = lagged.sort_values(key).head(top).reset_index(drop=True)
    out = pd.DataFrame({"link": [_link(o, p) for o, p in zip(table["outcome"], table["predictor"])]})
    out = out.join(table[["coef", "ci_low", "ci_high", "p_value", "p_wild", "p_calibrated_holm", "lead_p", "ah_coef"]])
    if "robust" in table:
        out["robust"] = np.where(table["robust"].astype(bool), "robust", "not_robust")
    return out


def pci_lagged_report_table(pci_lags: pd.DataFrame) -> pd.DataFrame:
    """PAPI-PCI lagged effects both ways ("D4 ← PCI": PCI last year, D4 this year), in report columns."""
    out = pd.DataFrame({"link": [_link(o, p) for o, p in zip(pci_lags["outcome"], pci_lags["predictor"])]})
    return out.join(
        pci_lags[["coef", "ci_low", "ci_high", "p_value", "p_wild", "p_calibrated_holm", "lead_p", "n"]].reset_index(
            drop=True
        )
    )


# --------------------------------------------------------------------------- summary


def robust_correlations_sentence(verdicts: pd.DataFrame, start_year: int, end_year: int, lang: str) -> str:
    lang = check_lang(lang)
    robust = verdicts[verdicts["robust"].astype(bool)]
    n, k = len(verdicts), len(robust)
    if k == 0:
        return SAY("no_robust_pair", lang, n=n, start=start_year, end=end_year)
    best = robust.loc[robust["r"].abs().idxmax()]
    return SAY(
        "robust_pairs",
        lang,
        k=k,
        n=n,
        start=start_year,
        end=end_year,
        a=dimension_name(best["dim_a"], lang),
        b=dimension_name(best["dim_b"], lang),
        r=best["r"],
        interval=_interval(best["ci_low"], best["ci_high"], lang),
    )


def robust_lags_sentence(lagged: pd.DataFrame, lang: str) -> str:
    lang = check_lang(lang)
    n = len(lagged)
    significant = int(lagged["significant_after_calibration"].astype(bool).sum())
    robust = lagged[lagged["robust"].astype(bool)]
    if robust.empty:
        return SAY("no_robust_lag", lang, n=n, significant=significant)
    listed = ", ".join(
        SAY("lag", lang, outcome=o, predictor=p, coef=c)
        for o, p, c in robust[["outcome", "predictor", "coef"]].itertuples(index=False)
    )
    return SAY("robust_lags", lang, k=len(robust), n=n, listed=listed)


def pci_sentence(pci_levels: pd.DataFrame, pci_changes: pd.DataFrame, pci_lags: pd.DataFrame, lang: str) -> str:
    """The PAPI-PCI headline: level and change links (BH p < 0.05), the strongest with the composite, lagged tests."""
    lang = check_lang(lang)
    composite = pci_levels[pci_levels["dim_b"] == "PCI"]
    best = composite.loc[composite["r"].abs().idxmax()]
    return SAY(
        "pci",
        lang,
        period=str(pci_levels["period"].iloc[0]).replace("-", "–"),
        k_levels=int((pci_levels["p_bh"] < 0.05).sum()),
        n_levels=int(pci_levels["p_bh"].notna().sum()),
        name=dimension_name(best["dim_a"], lang),
        r=best["r"],
        interval=_interval(best["ci_low"], best["ci_high"], lang),
        k_changes=int((pci_changes["p_bh"] < 0.05).sum()),
        n_changes=int(pci_changes["p_bh"].notna().sum()),
        k_lags=int((pci_lags["p_calibrated_holm"] < 0.05).sum()),
        n_lags=len(pci_lags),
    )


def introduction_sentence(geography: str, start_year: int, end_year: int, lang: str) -> str:
    """The introduction's last sentence, computed from what the page will contain: it announces the PCI section
    only when the report has one (63 provinces, a period that overlaps the PCI years), and otherwise says why not."""
    lang = check_lang(lang)
    if pci.has_pci(geography, start_year, end_year):
        pci_start, pci_end = pci.overlap(start_year, end_year)
        return SAY("intro_pci", lang, pci_start=pci_start, pci_end=pci_end)
    if geography != "63":
        return SAY("intro_no_pci_34", lang)
    first, last = pci.PCI_YEARS
    return SAY("intro_no_pci_years", lang, pci_start=first, pci_end=last, start=start_year, end=end_year)


def no_pci_sentence(geography: str, start_year: int, end_year: int, lang: str) -> str:
    """Section 8 without PCI figures: why (the 34 provinces, or a period outside the PCI years)."""
    lang = check_lang(lang)
    if geography != "63":
        return SAY("pci_only_63", lang)
    first, last = pci.PCI_YEARS
    return SAY("pci_no_overlap", lang, pci_start=first, pci_end=last, start=start_year, end=end_year)


def recast_sentence(panel: pd.DataFrame, start_year: int, end_year: int, lang: str) -> str:
    """For the 34-province panel: how many provinces' scores in the period are this project's recast estimates."""
    lang = check_lang(lang)
    rows = panel[panel["year"].between(start_year, end_year)]
    return SAY(
        "recast",
        lang,
        date=provinces.REFORM_DATE[lang],
        start=start_year,
        end=end_year,
        n_recast=int(rows.loc[rows["score_source"] == "recast", "province_code"].nunique()),
        n_all=int(rows["province_code"].nunique()),
    )


def pair_position_sentence(
    scatter: pd.DataFrame, x: str, y: str, year: int, code: int, name: str, lang: str
) -> str | None:
    """Where the selected province sits against the line of section 2 (None if it has no scores that year)."""
    lang = check_lang(lang)
    row = scatter[scatter["province_code"] == code]
    if row.empty or not math.isfinite(float(row["residual"].iloc[0])):
        return None
    residual = float(row["residual"].iloc[0])
    return SAY(
        "position",
        lang,
        name=name,
        year=year,
        y=y,
        x=x,
        gap=abs(residual),
        side=SAY("above" if residual > 0 else "below", lang),
    )


#: the links report's captions, headers and sentences written in the notebook's cells (notebooks/03), both languages
PAGE = Messages(
    {
        "estimates": {"vi": "Ước tính", "en": "Estimates"},
        "estimates_all": {
            "vi": "Mọi tương quan và hồi quy dưới đây tính trên các điểm này.",
            "en": "Every correlation and regression below is computed on these scores.",
        },
        "pair": {
            "vi": "Cặp đang xem, {x} và {y}: r = {r:pts}, khoảng tin cậy 95% từ {low:pts} đến {high:pts} ({n} tỉnh-năm "
            "của {n_effective} tỉnh). Khoảng tin cậy tính bằng cách rút lại ngẫu nhiên cả tỉnh (giữ mọi năm của tỉnh "
            "đó) {draws} lần, vì cùng một tỉnh lặp lại mỗi năm.",
            "en": "The selected pair, {x} and {y}: r = {r:pts}, 95% interval {low:pts} to {high:pts} ({n} "
            "province-years of {n_effective} provinces). The interval comes from resampling whole provinces (all their "
            "years together) {draws} times, because the same province appears every year.",
        },
        "provinces_header": {"vi": "Số tỉnh", "en": "Provinces"},
        "outliers_caption": {
            "vi": "{year:year}: {name} và năm tỉnh xa đường hồi quy nhất",
            "en": "{year:year}: {name} and the five provinces farthest from the line",
        },
        "shock": {
            "vi": "Nếu không trừ thay đổi trung bình của từng năm, hệ số tương quan trung bình là {r:pts}.",
            "en": "Without removing each year's mean change, the mean correlation would be {r:pts}.",
        },
        "changes_limit": {
            "vi": "Biểu đồ không cho biết thay đổi nào vượt sai số chọn mẫu.",
            "en": "The figure does not show which changes exceed sampling error.",
        },
        "partial_caption": {
            "vi": "Tương quan riêng phần, {start:year}–{end:year}, {n} tỉnh-năm có đủ mọi chỉ số",
            "en": "Partial correlations, {start:year}–{end:year}, {n} complete province-years",
        },
        "lagged_caption": {
            "vi": "{shown} cặp có giá trị p (hiệu chỉnh bằng dữ liệu xáo trộn) nhỏ nhất trong {total} cặp, "
            "{start:year}–{end:year}; "
            "“D1 ← D2”: D2 năm trước, D1 năm nay",
            "en": "The {shown} pairs with the smallest calibrated p-values of {total}, {start:year}–{end:year}; "
            "“D1 ← D2”: D2 last year, D1 this year",
        },
        "p_value_header": {
            "vi": "Giá trị p (kiểm định t, bậc tự do bằng số tỉnh trừ 1)",
            "en": "p-value (t-test, degrees of freedom: provinces minus 1)",
        },
        "false_positives": {
            "vi": 'Trong các bộ số liệu mô phỏng không có tác động chéo, kiểm định thông thường báo "có tác động" ở '
            "{low:pct} đến {high:pct} số lần tùy cặp (trung vị {median:pct}; lẽ ra là 5%): đó là lý do cần hiệu chỉnh.",
            "en": "In simulated data with no cross effect, the usual test reports an effect in {low:pct} to {high:pct} "
            "of cases depending on the pair (median {median:pct}; it should be 5%): that is why calibration is needed.",
        },
        "pooled_period": {"vi": "Gộp cả giai đoạn", "en": "All years pooled"},
        "component_caption": {
            "vi": "{k} chỉ số, {start:year}–{end:year}; số quan sát: tỉnh-năm có đủ mọi chỉ số",
            "en": "{k} dimensions, {start:year}–{end:year}; observations: complete province-years",
        },
        "year_header": {"vi": "Năm", "en": "Year"},
        "verdicts_caption": {
            "vi": "{n} cặp chỉ số, {start:year}–{end:year}, xếp theo độ mạnh của tương quan",
            "en": "{n} pairs of dimensions, {start:year}–{end:year}, strongest first",
        },
        "spec_levels": {"vi": "Mức điểm", "en": "Levels"},
        "spec_changes": {"vi": "Thay đổi hằng năm", "en": "Yearly changes"},
        "spec_pearson": {"vi": "Pearson", "en": "Pearson"},
        "spec_spearman": {"vi": "Spearman (theo thứ hạng)", "en": "Spearman (ranks)"},
        "pci_read": {
            "vi": "*Cách đọc: hàng là chỉ số PAPI, cột là PCI tổng hợp và các chỉ số thành phần; dấu * đánh dấu ô có "
            "liên hệ rõ sau hiệu chỉnh cho việc xem nhiều cặp cùng lúc (xem Thuật ngữ). Hình trên: mức điểm; hình dưới: thay đổi hằng năm "
            "(thay đổi của D1, D3, D5 qua năm 2016 bị loại). Không cho biết chiều tác động.*",
            "en": "*How to read: rows are PAPI dimensions, columns the PCI composite and sub-indices; a star marks "
            "cells clearly linked after the correction for looking at many pairs at once (see the Glossary). Top: levels; bottom: year-on-year changes. "
            "It does not show which way any influence runs.*",
        },
        "pci_appendix_title": {
            "vi": "F. PAPI và PCI theo thời gian: chỉ số nào đi trước?",
            "en": "F. PAPI and the PCI over time: which leads?",
        },
        "pci_lead": {
            "vi": "PAPI có đi trước PCI, hay ngược lại? Cùng các kiểm tra như mục C, theo cả hai chiều, với PCI tổng "
            "hợp:",
            "en": "Does PAPI lead the PCI, or the other way round? The same checks as in section C, both directions, "
            "composite PCI:",
        },
        "pci_lagged_caption": {
            "vi": "{start:year}–{end:year}; “D4 ← PCI”: PCI năm trước, D4 năm nay",
            "en": "{start:year}–{end:year}; “D4 ← PCI”: PCI last year, D4 this year",
        },
    }
)
