"""Sentences and reader's tables of the trends report (notebook 01), in Vietnamese or English.

Every number in a sentence is read from the trend table passed in
(:func:`papi_analysis.analysis.trends.province_trend`): one number per claim.
Recast scores (34-province geography, this project's estimates) are labelled as such.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...analysis import trends
from ...data import schema
from ...params import check_lang
from ..figures import dimension_label
from ..tables import _number, translate

#: PAPI publishes a 90% CI; figures draw 95% from the SE.
Z_95 = trends.Z_95


def _pts(value: float, lang: str, sign: bool = False) -> str:
    text = _number(float(value), 2, lang)
    if sign and float(value) > 0 and text.strip("0,."):
        text = "+" + text
    return text.replace("-", "−")


def _is_recast(row: pd.Series) -> bool:
    return "score_source" in row.index and row["score_source"] == "recast"


def se_years(trend: pd.DataFrame, dimension: str = schema.TOTAL) -> list[int]:
    """Years in which this province has a score and a positive standard error for ``dimension``
    (the years the trend figure draws a 95% interval for)."""
    rows = trend[(trend["dimension"] == dimension) & trend["score"].notna() & (trend["se"] > 0)]
    return sorted(int(y) for y in rows["year"].unique())


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" và " if lang == "vi" else " and ") + items[-1]


def ci_sentence(trend: pd.DataFrame, lang: str, dimension: str = schema.TOTAL) -> str:
    """Which years of the figure carry an error bar (95%: ±1.96 SE), computed from the province's rows."""
    lang = check_lang(lang)
    years = [str(y) for y in se_years(trend, dimension)]
    recast = any(_is_recast(r) and r["se"] > 0 for _, r in trend[trend["dimension"] == dimension].iterrows())
    if not years:
        return (
            "PAPI không công bố sai số chuẩn cho tỉnh này ở các năm trong biểu đồ, nên biểu đồ không có thanh "
            "sai số và không thể nói thay đổi nào vượt nhiễu chọn mẫu."
            if lang == "vi"
            else "PAPI published no standard error for this province in the years shown, so the figure has no error "
            "bars and no change can be tested against sampling noise."
        )
    est = {
        "vi": " (sai số của tỉnh hợp nhất là ước tính, tính từ sai số đã công bố của các tỉnh cũ)",
        "en": " (for a merged province the SE is an estimate, combined from its former provinces' published SEs)",
    }
    if lang == "vi":
        return (
            f"Thanh sai số là khoảng tin cậy 95% (±1,96 sai số chuẩn) ở những năm có sai số chuẩn cho tỉnh này: "
            f"{_join(years, lang)}{est[lang] if recast else ''}. Hai khoảng chồng lên nhau nghĩa là không thể chắc "
            "rằng có khác biệt thật. Ở các năm khác không có thanh sai số: không đánh giá được nhiễu chọn mẫu."
        )
    return (
        f"Error bars are 95% confidence intervals (±1.96 standard errors), drawn in the years with a standard "
        f"error for this province: {_join(years, lang)}{est[lang] if recast else ''}. Overlapping intervals "
        "mean a difference may not be real. Other years have no error bar: sampling noise cannot be assessed."
    )


def summary_points(trend: pd.DataFrame, year: int, name: str, lang: str) -> list[str]:
    """2-3 sentences for the report's summary: latest total, rank and group; the change since the previous
    survey year and the dimensions that moved most; the strongest and weakest dimension against the median."""
    lang = check_lang(lang)
    standing = trend[trend["year"] == year].set_index("dimension")
    total = standing.loc[schema.TOTAL]
    group = translate(total["group"], lang)
    estimate = _is_recast(total)
    if lang == "vi":
        first = (
            f"{name} năm {year}: tổng điểm {_pts(total['score'], lang)}"
            + (" (ước tính tính lại từ các tỉnh cũ)" if estimate else "")
            + f", hạng {int(total['rank'])}/{int(total['n_ranked'])}, nhóm {group}."
        )
    else:
        first = (
            f"{name} in {year}: total score {_pts(total['score'], lang)} points"
            + (" (an estimate recast from its former provinces)" if estimate else "")
            + f", rank {int(total['rank'])} of {int(total['n_ranked'])}, {group} group."
        )
    points = [first]
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
        drivers = _join(
            [f"{dimension_label(d, lang)} ({_pts(r['change'], lang, sign=True)})" for d, r in moved.iterrows()], lang
        )
        rank_from = int(total["rank"] + total["rank_change"]) if pd.notna(total["rank_change"]) else None
        noise = total["change_beyond_noise"]
        if lang == "vi":
            text = f"So với {previous}: tổng điểm thay đổi {_pts(total['change'], lang, sign=True)} điểm"
            if rank_from is not None:
                text += f" (hạng {rank_from} → {int(total['rank'])})"
            text += f"; các chỉ số thay đổi nhiều nhất: {drivers}. " if drivers else ". "
            text += (
                "Thay đổi vượt nhiễu chọn mẫu (95%)."
                if noise is True
                else "Thay đổi nằm trong nhiễu chọn mẫu (95%)."
                if noise is False
                else f"Không đánh giá được thay đổi này có vượt nhiễu chọn mẫu hay không (không có sai số chuẩn "
                f"cho cả {previous} và {year})."
            )
        else:
            text = f"Since {previous}: total {_pts(total['change'], lang, sign=True)} points"
            if rank_from is not None:
                text += f" (rank {rank_from} → {int(total['rank'])})"
            text += f"; the dimensions that moved most: {drivers}. " if drivers else ". "
            text += (
                "The change is beyond sampling noise (95%)."
                if noise is True
                else "The change is within sampling noise (95%)."
                if noise is False
                else f"Whether it exceeds sampling noise cannot be assessed (no standard errors for both "
                f"{previous} and {year})."
            )
        points.append(text)
    else:
        points.append(
            f"Không so sánh được tổng điểm {year} với {previous} (không có số liệu {previous} hoặc "
            "có thay đổi phương pháp)."
            if lang == "vi"
            else f"The {year} total cannot be compared with {previous} (no {previous} score, or a methodology "
            "change in between)."
        )
    gaps = dims[dims["gap_to_median"].notna()].sort_values("gap_to_median")
    if len(gaps) >= 2:
        best, worst = gaps.iloc[-1], gaps.iloc[0]

        def one(d: str, r: pd.Series) -> str:
            rank = f"{int(r['rank'])}/{int(r['n_ranked'])}"
            if lang == "vi":
                return f"{dimension_label(d, lang)} ({_pts(r['gap_to_median'], lang, sign=True)} điểm, hạng {rank})"
            return f"{dimension_label(d, lang)} ({_pts(r['gap_to_median'], lang, sign=True)} points, rank {rank})"

        points.append(
            f"So với trung vị toàn quốc năm {year}, mạnh nhất là {one(gaps.index[-1], best)}; yếu nhất là "
            f"{one(gaps.index[0], worst)}."
            if lang == "vi"
            else f"Against the national median in {year}, the strongest dimension is {one(gaps.index[-1], best)}; "
            f"the weakest is {one(gaps.index[0], worst)}."
        )
    return points


NOTES = {
    "blank in source": ("PAPI không công bố điểm", "not published by PAPI"),
    "zero in source (no data)": ("PAPI không công bố điểm", "not published by PAPI"),
    "KCDL in source": ("PAPI ghi không có dữ liệu (KCDL)", "marked 'no data' by PAPI"),
    "recast": ("ước tính", "estimate"),
}


def note_text(missing_reason: str, score_source: str, lang: str) -> str:
    """A reader's note for one score: why it is missing, or that it is this project's estimate."""
    i = 0 if check_lang(lang) == "vi" else 1
    reason = str(missing_reason or "")
    if score_source == "recast":
        return NOTES["recast"][i]
    if not reason:
        return ""
    if reason in NOTES:
        return NOTES[reason][i]
    if reason.startswith("dimension(s) missing:"):
        dims = reason.split(":", 1)[1].strip()
        return f"không có tổng: thiếu {dims}" if i == 0 else f"no total: {dims} not published"
    if reason.startswith("not recast:"):
        olds = reason.split("old province(s)", 1)[-1].split(":")[0].strip()
        return (
            f"không ước tính được: tỉnh cũ {olds} không có điểm công bố"
            if i == 0
            else f"no estimate: former province {olds} has no published score"
        )
    return "không có số liệu" if i == 0 else "no data"


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
    """A caption sentence when ``rows`` hold recast scores (34-province geography); empty otherwise."""
    if "score_source" not in rows.columns or not (rows["score_source"] == "recast").any():
        return ""
    return (
        'Điểm của tỉnh, thành phố hợp nhất trước năm 2025 (ghi "ước tính") là ước tính của dự án này: bình quân '
        "theo dân số của điểm đã công bố của các tỉnh cũ, không phải số liệu PAPI công bố."
        if check_lang(lang) == "vi"
        else 'Scores of merged provinces before 2025 (noted "estimate") are this project\'s estimates: '
        "population-weighted means of their former provinces' published scores, not PAPI publications."
    )


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


def map_caption(geography: str, year: int, dimension: str, lang: str) -> str:
    """How to read the group map, for the geography drawn."""
    dim = dimension_label(dimension, lang)
    if check_lang(lang) == "vi":
        where = (
            "63 tỉnh, thành phố (địa giới trước ngày 1/7/2025)"
            if geography == "63"
            else "34 tỉnh, thành phố (địa giới từ ngày 1/7/2025; điểm trước 2025 của tỉnh hợp nhất là ước tính)"
        )
        return (
            f"{where} theo nhóm xếp hạng năm {year} của chỉ số {dim}; tỉnh đang xem được viền đen; màu xám gạch "
            "chéo: không có số liệu. Bản đồ cho thấy vị trí tương đối, không cho thấy khoảng cách điểm giữa "
            "các tỉnh hay sai số chọn mẫu."
        )
    where = (
        "The 63 provinces (boundaries before 1 July 2025)"
        if geography == "63"
        else "The 34 provinces (boundaries since 1 July 2025; merged provinces' scores before 2025 are estimates)"
    )
    return (
        f"{where} by performance group in {year}, {dim}; the selected province is outlined in black; grey "
        "hatching means no data. The map shows relative position only, not the size of score differences or "
        "sampling error."
    )


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
    from .ranks import se_basis_text

    lang = check_lang(lang)
    parts = []
    for year in years:
        rows = rank_uncertainty.cross_section(panel, year, schema.TOTAL)
        basis = rows.loc[rows["province_code"] == province, "se_basis"]
        own = basis.iloc[0] if len(basis) else rank_uncertainty.NO_SE
        note = se_basis_text(own, lang).replace(" (assumption)", ", an assumption").replace(" (giả định)", ", giả định")
        parts.append(str(year) if own == rank_uncertainty.PUBLISHED else f"{year} ({note})")
    listed = _join(parts, lang)
    if check_lang(lang) == "vi":
        text = (
            f"Các năm có sai số chuẩn cho tổng điểm của tỉnh này: {listed}. Thứ hạng dưới đây là của năm {rank_year}"
            + (
                f"; thay đổi thứ hạng tính từ {previous_year}."
                if previous_year
                else "; không có năm trước có sai số chuẩn để so sánh thay đổi thứ hạng."
            )
        )
        return text + (
            " (Khoảng năm đã chọn không có năm nào có sai số chuẩn, nên dùng các năm có.)" if widened else ""
        )
    text = f"Years with a standard error for this province's total: {listed}. The ranks below are for {rank_year}" + (
        f"; the rank change is measured from {previous_year}."
        if previous_year
        else "; there is no earlier year with standard errors to measure a rank change from."
    )
    return text + (" (The chosen years have none, so the years that do are used.)" if widened else "")


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
