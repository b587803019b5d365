"""One figure style, one place for labels (Vietnamese or English), one helper to save figures.

Figures are saved by :func:`save_figure` into ``figures/<province-slug>/`` as
PNG (300 dpi, for reading) and SVG (text kept as text, for print). DejaVu Sans
ships with matplotlib and renders Vietnamese diacritics. The four PAPI groups
have fixed, colour-blind-safe colours (blue for the better half, orange/red for
the lower half, ordered by lightness so they also read in grey).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import config
from ..analysis import ranking
from ..data import provinces, schema
from ..params import check_lang
from . import rendering

GROUP_COLORS: dict[str, str] = {
    "highest": "#2166ac",
    "high_average": "#92c5de",
    "low_average": "#f4a582",
    "lowest": "#b2182b",
}
MISSING_COLOR = "#d9d9d9"
PROVINCE_COLOR = "#d95f02"  # the selected province, everywhere
NATIONAL_COLOR = "#4d4d4d"

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "highest": "Cao nhất", "high_average": "Trung bình cao", "low_average": "Trung bình thấp",
        "lowest": "Thấp nhất", "no_data": "Không có số liệu",
        "year": "Năm", "score": "Điểm", "points": "điểm", "rank": "Thứ hạng",
        "national_median": "Trung vị toàn quốc", "iqr": "50% tỉnh ở giữa (tứ phân vị 25–75)",
        "range": "Thấp nhất – cao nhất toàn quốc", "ci": "Khoảng tin cậy 95% (±1,96 × sai số chuẩn, nếu PAPI công bố)",
        "break": "Thay đổi phương pháp", "break_2016": "2016: điều chỉnh chỉ số",
        "break_2018": "2018: 8 chỉ số nội dung",
        "trend_title": "{province}: {dimension}, {start}–{end}",
        "groups_title": "{province}: nhóm xếp hạng và thứ hạng theo năm",
        "groups_note": "Ô: thứ hạng / số tỉnh có số liệu. Màu: nhóm theo tứ phân vị của năm.",
        "sub_title": "{province} {year}: {shown} so với trung vị toàn quốc",
        "sub_subset": "{n} chỉ số thành phần thấp nhất (trên {total})", "sub_all": "cả {total} chỉ số thành phần",
        "sub_axis": "Chênh lệch so với trung vị toàn quốc (điểm của chỉ số thành phần)",
        "sub_note": "Số cạnh cột: thứ hạng / số tỉnh có số liệu",
        "peer_title": "{region} {year}: {dimension}",
        "map_title": "Nhóm xếp hạng PAPI {year}: {dimension}",
        "selected": "Tỉnh đang xem", "total_6": "Tổng (6 chỉ số, 6–60)", "total_8": "Tổng (8 chỉ số, 8–80)",
        "source": "Nguồn: PAPI (CECODES, VFF-CRT, RTA, UNDP), papi.org.vn",
        "target": "Mục tiêu", "band90": "Dự báo: 90% khả năng nằm trong dải", "band50": "Dự báo: 50%",
        "actual": "Kết quả thực tế", "target_title": "{province}: {dimension} — mục tiêu {year}",
        "probability": "Xác suất đạt mục tiêu (mô hình)",
        "reliability_title": "Kiểm định ngược: xác suất dự báo so với tần suất thực tế",
        "forecast": "Xác suất dự báo", "observed": "Tần suất thực tế",
        "perfect": "Hiệu chỉnh hoàn hảo", "model": "Mô hình (đã hiệu chỉnh)",
        "model_raw": "Mô hình (chưa hiệu chỉnh)", "empirical": "Phân phối thay đổi lịch sử",
        "heatmap_title": "Tương quan giữa các chỉ số nội dung, {start}–{end} ({method})",
        "change_heatmap_title": "Tương quan giữa thay đổi hằng năm, {start}–{end} ({method})",
        "heatmap_note": "Ô: hệ số tương quan; n = số tỉnh-năm (khoảng tin cậy trong bảng: bootstrap theo tỉnh). Tương quan không phải nhân quả.",
        "scatter_title": "{year}: {x} và {y}",
        "fit_line": "Đường hồi quy tuyến tính",
    },
    "en": {
        "highest": "Highest", "high_average": "High average", "low_average": "Low average",
        "lowest": "Lowest", "no_data": "No data",
        "year": "Year", "score": "Score", "points": "points", "rank": "Rank",
        "national_median": "National median", "iqr": "Middle 50% of provinces (25th–75th percentile)",
        "range": "National minimum – maximum", "ci": "95% confidence interval (±1.96 × SE, where PAPI published one)",
        "break": "Methodology change", "break_2016": "2016: indicators revised",
        "break_2018": "2018: 8 dimensions",
        "trend_title": "{province}: {dimension}, {start}–{end}",
        "groups_title": "{province}: performance group and rank by year",
        "groups_note": "Cell: rank / provinces with data. Colour: quartile group of that year.",
        "sub_title": "{province} {year}: {shown} sub-dimensions against the national median",
        "sub_subset": "the {n} weakest of {total}", "sub_all": "all {total}",
        "sub_axis": "Difference from the national median (sub-dimension points)",
        "sub_note": "Numbers beside bars: rank / provinces with data",
        "peer_title": "{region} {year}: {dimension}",
        "map_title": "PAPI performance groups {year}: {dimension}",
        "selected": "Selected province", "total_6": "Total (6 dimensions, 6–60)",
        "total_8": "Total (8 dimensions, 8–80)",
        "source": "Source: PAPI (CECODES, VFF-CRT, RTA, UNDP), papi.org.vn",
        "target": "Target", "band90": "Prediction: 90% range", "band50": "Prediction: 50% range",
        "actual": "Actual result", "target_title": "{province}: {dimension} — target for {year}",
        "probability": "Model probability of reaching the target",
        "reliability_title": "Backtest: forecast probability against observed frequency",
        "forecast": "Forecast probability", "observed": "Observed frequency",
        "perfect": "Perfect calibration", "model": "Model (calibrated)",
        "model_raw": "Model (before calibration)", "empirical": "Historical changes",
        "heatmap_title": "Correlations between dimensions, {start}–{end} ({method})",
        "change_heatmap_title": "Correlations of year-on-year changes, {start}–{end} ({method})",
        "heatmap_note": "Cells: correlation; n = province-years (intervals in the tables: province-cluster bootstrap). Correlation is not causation.",
        "scatter_title": "{year}: {x} and {y}",
        "fit_line": "Linear fit",
    },
}


def label(key: str, lang: str) -> str:
    """A figure label in Vietnamese (``vi``) or English (``en``)."""
    return LABELS[check_lang(lang)][key]


def dimension_label(dimension: str, lang: str, short: bool = False) -> str:
    """'D1 Participation at local levels' (or just the name with ``short``)."""
    name = schema.DIMENSION_NAMES[dimension][check_lang(lang)]
    return name if short or dimension == schema.TOTAL else f"{dimension} {name}"


def province_label(code: int, lang: str, geography: str = "63") -> str:
    return provinces.name(code, check_lang(lang), geography=geography)


def apply_style() -> None:
    """Project style: matplotlib's bundled seaborn white-grid style first (it resets fonts), then our rcParams.

    (The style ships with matplotlib, so notebooks that draw no heatmap never import seaborn.)
    """
    mpl.rcdefaults()
    plt.style.use("seaborn-v0_8-whitegrid")
    mpl.rcParams.update({
        "font.family": "DejaVu Sans",
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 80,  # inline display only; files are written at savefig.dpi
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": "papi-analysis",
    })


def figure_dir(province: str | int | None, geography: str = "63") -> Path:
    """``figures/<province-slug>/`` (``figures/national/`` without a province; 34-province slugs end in ``-34``)."""
    slug = provinces.get(province, geography=geography).slug if province is not None else "national"
    return config.FIGURES / slug


def save_figure(fig: plt.Figure | rendering.NationalFigure, name: str, province: str | int | None = None,
                formats: tuple[str, ...] = ("png", "svg"), directory: Path | None = None,
                show: bool = True, geography: str = "63") -> list[Path]:
    """Save ``fig`` as ``<name>.png`` and ``<name>.svg`` (reproducible bytes: no dates) and close it.

    In a notebook the figure is shown too (``show``): the inline image is scaled down from the one print-resolution
    raster, so each figure is rasterised once. A figure wrapped in :func:`national` is drawn once and reused for every
    province (see :mod:`papi_analysis.report.rendering`). Returns the paths written. ``directory`` overrides
    ``figures/<province-slug>/``.
    """
    out_dir = Path(directory) if directory is not None else figure_dir(province, geography)
    return rendering.save_figure(fig, name, out_dir, formats, show)


national = rendering.national
figure_alt_text = rendering.figure_alt_text
INLINE_DPI = rendering.INLINE_DPI


def _source_note(ax: plt.Axes, lang: str, extra: str = "") -> None:
    text = label("source", lang) + (f". {extra}" if extra else "")
    ax.annotate(text, xy=(0, -0.16), xycoords="axes fraction", fontsize=7.5, color="#555555", va="top")


def _break_lines(ax: plt.Axes, years: list[int], lang: str, dimension: str) -> None:
    """Dashed verticals where the methodology changed between two plotted years."""
    for year, key, height in ((2016, "break_2016", 0.99), (2018, "break_2018", 0.93)):
        if min(years) < year <= max(years) and schema.is_break_between(year - 1, year, dimension):
            ax.axvline(year - 0.5, color="#7f7f7f", linestyle="--", linewidth=1)
            ax.annotate(label(key, lang), xy=(year - 0.45, height), xycoords=("data", "axes fraction"),
                        fontsize=8, color="#555555", va="top", ha="left",
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})


def plot_trend(trend: pd.DataFrame, dimension: str, lang: str = "vi") -> plt.Figure:
    """Province score by year against the national median, middle 50% and range.

    Lines are drawn only within a methodology period and between consecutive
    years with data; a missing year is left as a gap marked 'no data'.
    """
    fig, ax = plt.subplots(figsize=(9, 4.8))
    _draw_trend(ax, trend, dimension, lang)
    code = int(trend["province_code"].iloc[0])
    years = sorted(trend.loc[trend["dimension"] == dimension, "year"])
    ax.set_title(label("trend_title", lang).format(province=province_label(code, lang, provinces.geography_of(trend)),
                                                   dimension=dimension_label(dimension, lang),
                                                   start=min(years), end=max(years)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang, recast_note(trend, lang))
    return fig


def plot_trend_grid(trend: pd.DataFrame, lang: str = "vi") -> plt.Figure:
    """Small multiples: every dimension's trend (same reading as :func:`plot_trend`), one shared legend."""
    dims = [d for d in schema.DIMENSIONS if not trend.loc[trend["dimension"] == d, "year"].empty]
    ncols = 2
    nrows = math.ceil(len(dims) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, 3.0 * nrows), squeeze=False)
    all_years = sorted(trend["year"].unique())
    for ax, dim in zip(axes.flat, dims):
        _draw_trend(ax, trend, dim, lang, compact=True)
        ax.set_xlim(all_years[0] - 0.6, all_years[-1] + 0.6)  # panels align although D7, D8 start in 2018
        ax.set_title(dimension_label(dim, lang), fontsize=10)
    for ax in list(axes.flat)[len(dims):]:
        ax.set_visible(False)
    code = int(trend["province_code"].iloc[0])
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.03))
    years = sorted(trend["year"].unique())
    fig.suptitle(label("trend_title", lang).format(province=province_label(code, lang, provinces.geography_of(trend)),
                                                   dimension="D1–D8", start=years[0], end=years[-1]),
                 fontsize=13, fontweight="bold")
    note = recast_note(trend, lang)
    fig.text(0.01, -0.05, label("source", lang) + (f". {note}" if note else ""), fontsize=7.5, color="#555555")
    fig.tight_layout()
    return fig


def _draw_trend(ax: plt.Axes, trend: pd.DataFrame, dimension: str, lang: str, compact: bool = False) -> None:
    rows = trend[trend["dimension"] == dimension].sort_values("year")
    if rows.empty:
        raise ValueError(f"No {dimension} rows to plot (D7 and D8 exist only from 2018).")
    years = rows["year"].tolist()
    code = int(rows["province_code"].iloc[0])
    segments = _segments(rows, dimension)
    for i, seg in enumerate(segments):
        ax.fill_between(seg["year"], seg["national_min"], seg["national_max"], color=NATIONAL_COLOR, alpha=0.08,
                        linewidth=0, label=label("range", lang) if i == 0 else None)
        ax.fill_between(seg["year"], seg["national_q25"], seg["national_q75"], color=NATIONAL_COLOR, alpha=0.18,
                        linewidth=0, label=label("iqr", lang) if i == 0 else None)
        ax.plot(seg["year"], seg["national_median"], color=NATIONAL_COLOR, linestyle=":", linewidth=1.5,
                label=label("national_median", lang) if i == 0 else None)
    first = True
    for seg in segments:
        for run in _runs_with_data(seg):
            ax.plot(run["year"], run["score"], color=PROVINCE_COLOR, marker="o", linewidth=2.2,
                    label=province_label(code, lang, provinces.geography_of(trend)) if first else None)
            first = False
    # PAPI's published ci_low/ci_high are 90% intervals (score ± 1.645 SE); draw 95% (± 1.96 SE) from the SE.
    with_se = rows[rows["se"].notna() & (rows["se"] > 0)]
    if not with_se.empty:
        half = 1.959964 * with_se["se"]
        ax.errorbar(with_se["year"], with_se["score"], yerr=[half, half], fmt="none", ecolor=PROVINCE_COLOR, elinewidth=1.2,
                    capsize=3, label=label("ci", lang))
    if "score_source" in rows.columns:  # estimates (34-province recast) as open markers, never as published
        recast = rows[rows["score_source"] == "recast"]
        if not recast.empty:
            ax.scatter(recast["year"], recast["score"], s=30, facecolor="white", edgecolor=PROVINCE_COLOR,
                       linewidth=1.5, zorder=4, label="Ước tính (tính lại theo 34 tỉnh)" if lang == "vi"
                       else "Estimate (recast to 34 provinces)")
    missing = rows[rows["score"].isna()]
    for year in missing["year"]:
        ax.annotate(label("no_data", lang), xy=(year, 0.02), xycoords=("data", "axes fraction"), rotation=90,
                    fontsize=7 if compact else 8, color="#555555", ha="center", va="bottom")
        ax.axvspan(year - 0.4, year + 0.4, color=MISSING_COLOR, alpha=0.5, linewidth=0)
    if compact:
        for year in (2016, 2018):
            if min(years) < year <= max(years) and schema.is_break_between(year - 1, year, dimension):
                ax.axvline(year - 0.5, color="#7f7f7f", linestyle="--", linewidth=1,
                           label=label("break", lang) if year == 2018 else None)
    else:
        _break_lines(ax, years, lang, dimension)
        ax.set_xlabel(label("year", lang))
        ax.set_ylabel(f"{label('score', lang)} ({label('points', lang)})")
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], rotation=0 if len(years) <= 10 else 45,
                       fontsize=7 if compact else None)
    if compact:
        ax.tick_params(axis="y", labelsize=8)


def _segments(rows: pd.DataFrame, dimension: str) -> list[pd.DataFrame]:
    """Split a province's rows at methodology breaks that affect ``dimension``."""
    segments, current = [], [rows.iloc[0]]
    for prev, row in zip(rows.iloc[:-1].itertuples(), rows.iloc[1:].itertuples()):
        if schema.is_break_between(prev.year, row.year, dimension):
            segments.append(pd.DataFrame(current))
            current = []
        current.append(rows.loc[row.Index])
    segments.append(pd.DataFrame(current))
    return segments


def _runs_with_data(segment: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive years with a score (a missing year breaks the line)."""
    runs, current = [], []
    for _, row in segment.iterrows():
        if pd.isna(row["score"]):
            if current:
                runs.append(pd.DataFrame(current))
            current = []
        else:
            current.append(row)
    if current:
        runs.append(pd.DataFrame(current))
    return runs


def plot_group_matrix(trend: pd.DataFrame, lang: str = "vi") -> plt.Figure:
    """Dimensions × years, each cell coloured by performance group and labelled 'rank/n'."""
    dims = [d for d in schema.INDICATORS if d in set(trend["dimension"])]
    years = sorted(trend["year"].unique())
    code = int(trend["province_code"].iloc[0])
    fig, ax = plt.subplots(figsize=(max(7, 0.62 * len(years) + 3), 0.5 * len(dims) + 1.6))
    lookup = trend.set_index(["dimension", "year"])
    for i, dim in enumerate(dims):
        for j, year in enumerate(years):
            if (dim, year) not in lookup.index:
                continue  # dimension not scored that year (D7, D8 before 2018)
            row = lookup.loc[(dim, year)]
            has = pd.notna(row["score"])
            color = GROUP_COLORS[row["group"]] if has else MISSING_COLOR
            ax.add_patch(mpl.patches.Rectangle((j, i), 0.96, 0.92, color=color,
                                               hatch=None if has else "///", ec="white" if has else "#9e9e9e"))
            text = f"{int(row['rank'])}/{int(row['n_ranked'])}" if has else "–"
            dark = color in (GROUP_COLORS["highest"], GROUP_COLORS["lowest"])
            ax.text(j + 0.48, i + 0.46, text, ha="center", va="center", fontsize=7.5,
                    color="white" if dark else "black")
    for year in (2016, 2018):
        if years[0] < year <= years[-1]:
            ax.axvline(years.index(year) - 0.02, color="#333333", linestyle="--", linewidth=1)
    ax.set_xlim(0, len(years))
    ax.set_ylim(len(dims), 0)
    ax.set_xticks(np.arange(len(years)) + 0.48)
    ax.set_xticklabels([str(y) for y in years], rotation=45)
    ax.set_yticks(np.arange(len(dims)) + 0.46)
    ax.set_yticklabels([dimension_label(d, lang) for d in dims], fontsize=8.5)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Patch(facecolor=MISSING_COLOR, hatch="///", edgecolor="#9e9e9e", label=label("no_data", lang)))
    handles.append(Line2D([0], [0], color="#333333", linestyle="--", label=label("break", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(label("groups_title", lang).format(province=province_label(code, lang, provinces.geography_of(trend))))
    ax.annotate(label("groups_note", lang) + " " + label("source", lang), xy=(0, -0.02), xycoords="axes fraction",
                xytext=(0, -38), textcoords="offset points", fontsize=7.5, color="#555555", va="top")
    return fig


def plot_subdimension_gaps(gaps: pd.DataFrame, province: str | int, lang: str = "vi", top: int = 12,
                           geography: str = "63") -> plt.Figure:
    """Horizontal bars: each sub-dimension's distance from the national median (shortfalls first)."""
    code = provinces.resolve(province, geography=geography)
    rows = gaps.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(rows) + 1.5))
    from .tables import subdimension_label  # full, corrected display names (source typos fixed)

    names = [f"{r.subdimension.lstrip('D')} {subdimension_label(r.subdimension, r.year, lang, r.label_vi + r.label_en)}"
             for r in rows.itertuples()]
    colors = [GROUP_COLORS["lowest"] if g < 0 else GROUP_COLORS["highest"] for g in rows["gap"]]
    ax.barh(names, rows["gap"], color=colors)
    ax.axvline(0, color=NATIONAL_COLOR, linewidth=1)
    for y, r in enumerate(rows.itertuples()):
        ax.annotate(f"{r.rank}/{r.n}", xy=(r.gap, y), xytext=(4 if r.gap >= 0 else -4, 0),
                    textcoords="offset points", ha="left" if r.gap >= 0 else "right", va="center", fontsize=7.5)
    ax.set_xlabel(label("sub_axis", lang))
    year = int(gaps["year"].iloc[0])
    shown = (label("sub_subset", lang).format(n=len(rows), total=len(gaps)) if len(rows) < len(gaps)
             else label("sub_all", lang).format(total=len(gaps)))  # say which subset the figure shows
    ax.set_title(label("sub_title", lang).format(province=province_label(code, lang, geography), year=year, shown=shown))
    ax.tick_params(axis="y", labelsize=8)
    from .tables import SUBDIMENSION_MARK_NOTE

    mark = ("\n" + SUBDIMENSION_MARK_NOTE[lang]) if any(n.endswith("*") for n in names) else ""
    _source_note(ax, lang, label("sub_note", lang) + mark)
    return fig


def plot_peers(peer_rows: pd.DataFrame, year: int, dimension: str, national_median: float,
               lang: str = "vi") -> plt.Figure:
    """Region's provinces ranked by score, bars coloured by national group, selected province outlined."""
    rows = peer_rows.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(rows) + 1.6))
    colors = [GROUP_COLORS.get(g, MISSING_COLOR) if pd.notna(s) else MISSING_COLOR
              for g, s in zip(rows["group"], rows["score"])]
    geography = provinces.geography_of(peer_rows)
    names = [provinces.name(c, lang, geography=geography) for c in rows["province_code"]]
    ys = np.arange(len(rows))
    # dots on stems from the national median: no bar baseline to truncate
    ax.hlines(ys, national_median, rows["score"].fillna(national_median), color="#9e9e9e", linewidth=1)
    has = rows["score"].notna().to_numpy()
    ax.scatter(rows["score"][has], ys[has], s=90, c=[c for c, h in zip(colors, has) if h], zorder=3,
               edgecolors=["black" if sel else "white" for sel, h in zip(rows["selected"], has) if h],
               linewidths=[2.2 if sel else 0.8 for sel, h in zip(rows["selected"], has) if h])
    ax.set_yticks(ys)
    ax.set_yticklabels(names)
    for tick, selected in zip(ax.get_yticklabels(), rows["selected"]):
        tick.set_fontweight("bold" if selected else "normal")
    ax.axvline(national_median, color=NATIONAL_COLOR, linestyle=":", linewidth=1.5, label=label("national_median", lang))
    valid = rows["score"].dropna()
    if not valid.empty:
        ax.set_xlim(valid.min() * 0.97 if dimension == schema.TOTAL else max(0, valid.min() - 1),
                    valid.max() * 1.04 if dimension == schema.TOTAL else min(10, valid.max() + 0.6))
    left = ax.get_xlim()[0]
    for y, r in enumerate(rows.itertuples()):
        text = f"{r.score:.2f} ({int(r.rank)}/{int(r.n_ranked)})" if pd.notna(r.score) else label("no_data", lang)
        ax.annotate(text, xy=(left if pd.isna(r.score) else r.score, y), xytext=(7, 0), textcoords="offset points",
                    va="center", fontsize=7.5, color="#555555" if pd.isna(r.score) else "black")
    code = int(rows.loc[rows["selected"], "province_code"].iloc[0])
    record = provinces.get(code, geography=geography)
    region = record.region_vi if lang == "vi" else record.region_en
    ax.set_title(label("peer_title", lang).format(region=region, year=year, dimension=dimension_label(dimension, lang)))
    ax.set_xlabel(f"{label('score', lang)} ({label('points', lang)})")
    handles = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Line2D([0], [0], color=NATIONAL_COLOR, linestyle=":", label=label("national_median", lang)))
    handles.append(Line2D([0], [0], marker="o", color="white", markerfacecolor="white", markeredgecolor="black",
                          markeredgewidth=2, markersize=9, label=label("selected", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


TRUONG_SA = {"vi": "Quần đảo Trường Sa", "en": "Truong Sa (Spratly) Islands"}
HOANG_SA = {"vi": "Quần đảo Hoàng Sa", "en": "Hoang Sa (Paracel) Islands"}
#: lon/lat boxes of the two archipelagos (they belong to Đà Nẵng and Khánh Hòa in both geographies)
HOANG_SA_BOX = (110.9, 15.5, 113.0, 17.3)
TRUONG_SA_BOX = (109.5, 6.7, 117.3, 11.8)


def load_boundaries(geography: str = "63"):
    """Province boundaries (GeoDataFrame with ``province_code``) of a geography from data/raw/geo/."""
    import geopandas as gpd

    geography = provinces.check_geography(geography)
    return gpd.read_file(config.DATA_RAW / "geo" / f"provinces_{geography}.geojson")


def plot_group_map(ranked: pd.DataFrame, year: int, dimension: str, province: str | int | None = None,
                   lang: str = "vi", geography: str | None = None) -> plt.Figure:
    """Choropleth of the provinces (63, or 34 for a 34-province panel) by performance group.

    The selected province is outlined; the Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa)
    archipelagos are drawn and named (Trường Sa in an inset). ``geography`` defaults to the
    geography of ``ranked`` (its ``geography`` column).
    """
    import shapely

    geography = provinces.check_geography(geography or provinces.geography_of(ranked))
    shapes = load_boundaries(geography)
    rows = ranked[(ranked["year"] == year) & (ranked["dimension"] == dimension)][["province_code", "group", "score"]]
    shapes = shapes.merge(rows, on="province_code", how="left")
    shapes["color"] = [GROUP_COLORS[g] if isinstance(g, str) and g in GROUP_COLORS else MISSING_COLOR
                       for g in shapes["group"]]
    fig, ax = plt.subplots(figsize=(6.4, 8.5))
    # the Trường Sa islands lie far to the south-east: an inset keeps them without shrinking the mainland
    inset = ax.inset_axes([0.72, 0.03, 0.26, 0.2])
    code = provinces.resolve(province, geography=geography) if province is not None else None
    for axis, edge in ((ax, 0.3), (inset, 1.5)):
        shapes.plot(ax=axis, color=shapes["color"], edgecolor=shapes["color"] if axis is inset else "white",
                    linewidth=edge)
        missing = shapes[shapes["score"].isna()]
        if not missing.empty:
            missing.plot(ax=axis, facecolor=MISSING_COLOR, edgecolor="#9e9e9e", hatch="///", linewidth=0.3)
        if code is not None:
            shapes[shapes["province_code"] == code].plot(ax=axis, facecolor="none", edgecolor="black", linewidth=1.2)
    # islands are specks at this scale: redraw Hoàng Sa with a thick edge in its province's colour
    hoang_sa = shapes.clip(shapely.box(*HOANG_SA_BOX))
    hoang_sa = hoang_sa[~hoang_sa.is_empty].reset_index(drop=True)
    hoang_sa.plot(ax=ax, color=list(hoang_sa["color"]), edgecolor=list(hoang_sa["color"]), linewidth=1.5)
    ax.annotate(f"{HOANG_SA[lang]}\n({provinces.name(48, lang, geography=geography)})",
                xy=(HOANG_SA_BOX[0] + 0.9, HOANG_SA_BOX[3]), xytext=(0, 4), textcoords="offset points",
                ha="center", va="bottom", fontsize=6.5, color="#333333")
    ax.set_xlim(102.0, 113.2)
    ax.set_ylim(8.3, 23.6)
    inset.set_xlim(111.3, 117.3)
    inset.set_ylim(6.7, 11.8)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.grid(False)
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_color("#9e9e9e")
    inset.set_title(f"{TRUONG_SA[lang]} ({provinces.name(56, lang, geography=geography)})", fontsize=6.5)
    ax.set_axis_off()
    handles = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Patch(facecolor=MISSING_COLOR, hatch="///", edgecolor="#9e9e9e", label=label("no_data", lang)))
    if code is not None:
        handles.append(Patch(facecolor="none", edgecolor="black", linewidth=1.2,
                             label=provinces.name(code, lang, geography=geography)))
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    title = label("map_title", lang).format(year=year, dimension=dimension_label(dimension, lang))
    if geography == "34":
        title += " — " + ("34 tỉnh, thành phố" if lang == "vi" else "34 provinces")
    ax.set_title(title)
    note = label("source", lang)
    extra = recast_note(ranked[(ranked["year"] == year) & (ranked["dimension"] == dimension)], lang)
    ax.annotate(note + (f".\n{extra}" if extra else ""), xy=(0, 0), xycoords="axes fraction", xytext=(0, -10),
                textcoords="offset points", fontsize=7, color="#555555", va="top")
    return fig


def recast_note(rows: pd.DataFrame, lang: str) -> str:
    """A caption line when ``rows`` contain recast (estimated) scores; empty otherwise."""
    if "score_source" not in rows.columns or not (rows["score_source"] == "recast").any():
        return ""
    return ("Điểm các tỉnh hợp nhất trước 2025: ước tính của dự án (bình quân theo dân số của các tỉnh cũ), "
            "không phải số liệu PAPI công bố" if lang == "vi" else
            "Scores of merged provinces before 2025: this project's estimates (population-weighted means of the "
            "former provinces), not PAPI publications")


def plot_target(trend: pd.DataFrame, evaluation: pd.Series, lang: str = "vi") -> plt.Figure:
    """A province's history of one indicator (current methodology period), the target, the
    model's 50% and 90% predictive ranges for the target year, and the actual result if published."""
    from scipy import stats

    dim = evaluation["indicator"]
    target_year = int(evaluation["target_year"])
    period = schema.period_of(min(target_year, 2024)).label
    rows = trend[(trend["dimension"] == dim) & (trend["year"] < target_year)
                 & (trend["methodology_period"] == period)].sort_values("year")
    fig, ax = plt.subplots(figsize=(8, 4.4))
    if not rows.empty:
        ax.plot(rows["year"], rows["national_median"], color=NATIONAL_COLOR, linestyle=":",
                label=label("national_median", lang))
        for run in _runs_with_data(rows):
            ax.plot(run["year"], run["score"], color=PROVINCE_COLOR, marker="o", linewidth=2.2)
    mean, sd = evaluation["predicted_mean"], evaluation["predicted_sd"]
    if pd.notna(mean) and pd.notna(sd):
        lo_scale, hi_scale = (schema.period_of(min(target_year, 2024)).total_range if dim == schema.TOTAL
                              else schema.DIMENSION_SCORE_RANGE)
        for q, alpha, key in ((0.95, 0.18, "band90"), (0.75, 0.35, "band50")):
            half = stats.norm.ppf(q) * sd
            # the simulated bands where the evaluation has them (heavy tails), else a normal approximation
            low = evaluation.get(f"{key}_low", mean - half)
            high = evaluation.get(f"{key}_high", mean + half)
            # a score cannot leave its scale: the band is cut there
            ax.fill_between([target_year - 0.3, target_year + 0.3], max(lo_scale, low),
                            min(hi_scale, high), color=PROVINCE_COLOR, alpha=alpha, linewidth=0,
                            label=label(key, lang))
    if evaluation["kind"] == "score_at_least":
        ax.scatter([target_year], [float(evaluation["target"])], marker="*", s=220, color="black", zorder=4,
                   label=f"{label('target', lang)}: {float(evaluation['target']):.2f}")
    if pd.notna(evaluation["actual"]):
        ax.scatter([target_year], [evaluation["actual"]], marker="D", s=60, color=GROUP_COLORS["highest"], zorder=5,
                   label=f"{label('actual', lang)}: {evaluation['actual']:.2f}")
    years = sorted(set(rows["year"]) | {target_year})
    ax.set_xticks(years)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(f"{label('score', lang)} ({label('points', lang)})")
    code = int(evaluation["province_code"])
    ax.set_title(label("target_title", lang).format(province=province_label(code, lang),
                                                    dimension=dimension_label(dim, lang), year=target_year))
    if pd.notna(evaluation["probability"]):
        ax.annotate(f"{label('probability', lang)}: {evaluation['probability']:.0%} "
                    f"({evaluation['probability_low']:.0%}–{evaluation['probability_high']:.0%})",
                    xy=(0.01, 0.02), xycoords="axes fraction", fontsize=8.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


def plot_reliability(curves: dict[str, pd.DataFrame], lang: str = "vi") -> plt.Figure:
    """Reliability diagram: mean forecast probability per bin against the observed frequency.

    ``curves`` maps a label key (``model``, ``model_raw``, ``empirical``) to a table from
    :func:`papi_analysis.analysis.targets.reliability`. Point size follows the number of forecasts.
    """
    fig, ax = plt.subplots(figsize=(6, 5.4))
    ax.plot([0, 1], [0, 1], color="#9e9e9e", linestyle="--", label=label("perfect", lang))
    styles = {"model": (PROVINCE_COLOR, "o"), "model_raw": ("#7570b3", "s"), "empirical": (NATIONAL_COLOR, "^")}
    for key, table in curves.items():
        color, marker = styles.get(key, ("#1b9e77", "o"))
        ax.plot(table["mean_forecast"], table["observed"], color=color, marker=marker, linewidth=1.5,
                label=label(key, lang))
        ax.scatter(table["mean_forecast"], table["observed"], s=np.sqrt(table["n"]) * 2, color=color, alpha=0.4)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(label("forecast", lang))
    ax.set_ylabel(label("observed", lang))
    ax.set_title(label("reliability_title", lang), fontsize=11)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


def plot_correlation_heatmap(matrix: pd.DataFrame, start_year: int, end_year: int, method: str, lang: str = "vi",
                             changes: bool = False) -> plt.Figure:
    """Lower-triangle heatmap of a correlation matrix (diverging, colour-blind-safe, fixed -1..1 scale)."""
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(7.2, 6.2))
    matrix = matrix.iloc[1:, :-1]  # lower triangle without the empty first row and last column
    mask = np.triu(np.ones_like(matrix, dtype=bool), k=1)
    names = [f"{d} {dimension_label(d, lang, short=True)}" for d in matrix.index]
    sns.heatmap(matrix, mask=mask, vmin=-1, vmax=1, cmap="RdBu_r", annot=True, fmt=".2f", square=True,
                linewidths=0.5, cbar_kws={"shrink": 0.7}, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xticklabels([d for d in matrix.columns], rotation=0)
    ax.set_yticklabels(names, rotation=0, fontsize=8)
    ax.grid(False)
    key = "change_heatmap_title" if changes else "heatmap_title"
    ax.set_title(label(key, lang).format(start=start_year, end=end_year, method=method), fontsize=11)
    ax.annotate(label("heatmap_note", lang), xy=(0, -0.12), xycoords="axes fraction", fontsize=7.5,
                color="#555555", va="top", wrap=True)
    return fig


def plot_pair(scatter: pd.DataFrame, x: str, y: str, year: int, province: str | int | None = None,
              lang: str = "vi") -> plt.Figure:
    """Provinces' scores on two dimensions in one year, linear fit, selected province and outliers labelled."""
    fig, ax = plt.subplots(figsize=(7.5, 6))
    ax.scatter(scatter[x], scatter[y], s=28, color=NATIONAL_COLOR, alpha=0.6)
    slope, intercept = np.polyfit(scatter[x], scatter[y], 1)
    xs = np.linspace(scatter[x].min(), scatter[x].max(), 50)
    ax.plot(xs, intercept + slope * xs, color=NATIONAL_COLOR, linestyle="--", linewidth=1, label=label("fit_line", lang))
    geography = provinces.geography_of(scatter)
    code = provinces.resolve(province, geography=geography) if province is not None else None
    for row in scatter.itertuples():
        is_selected = row.province_code == code
        if row.outlier or is_selected:
            ax.annotate(provinces.name(row.province_code, lang, geography=geography), xy=(getattr(row, x), getattr(row, y)),
                        xytext=(4, 4), textcoords="offset points", fontsize=8,
                        fontweight="bold" if is_selected else "normal")
    if code is not None and code in set(scatter["province_code"]):
        sel = scatter[scatter["province_code"] == code]
        ax.scatter(sel[x], sel[y], s=90, color=PROVINCE_COLOR, edgecolors="black", zorder=3,
                   label=provinces.name(code, lang, geography=geography))
    ax.set_xlabel(f"{dimension_label(x, lang)} ({label('points', lang)})")
    ax.set_ylabel(f"{dimension_label(y, lang)} ({label('points', lang)})")
    ax.set_title(label("scatter_title", lang).format(year=year, x=x, y=y))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


# --- rank uncertainty (issue 13) -------------------------------------------------------------

LABELS["vi"].update({
    "caterpillar_title": "{dimension} {year}: điểm và thứ hạng của {n} tỉnh, với khoảng tin cậy 95%",
    "ci95_se": "Khoảng tin cậy 95% của điểm (±1,96 × sai số chuẩn PAPI công bố)",
    "cutoff": "Ranh giới nhóm (tứ phân vị 25, 50, 75)",
    "rank_ci": "Khoảng tin cậy 95% của thứ hạng (Mogstad và cộng sự 2023)",
    "rank_axis": "Thứ hạng (1 = cao nhất)",
    "rank_order": "Các tỉnh, xếp theo điểm",
    "borrowed_se": "Sai số chuẩn mượn từ năm gần nhất (giả định, không phải số công bố)",
    "caterpillar_note": ("Cách đọc: mỗi cột là một tỉnh, xếp theo điểm. Hai khoảng chồng nhau nhiều thì không chắc tỉnh "
                         "nào cao hơn. Khoảng thứ hạng chứa thứ hạng thật với xác suất ít nhất 95% cho từng tỉnh. "
                         "Không thể hiện: sai số ngoài chọn mẫu, thay đổi phương pháp."),
})
LABELS["en"].update({
    "caterpillar_title": "{dimension} {year}: scores and ranks of {n} provinces with 95% confidence intervals",
    "ci95_se": "95% confidence interval of the score (±1.96 × PAPI's published SE)",
    "cutoff": "Group cut-off (25th, 50th, 75th percentile)",
    "rank_ci": "95% confidence interval of the rank (Mogstad et al. 2023)",
    "rank_axis": "Rank (1 = best)",
    "rank_order": "Provinces, ordered by score",
    "borrowed_se": "SE borrowed from the nearest year (assumption, not published)",
    "caterpillar_note": ("How to read: one column per province, ordered by score. Where two intervals overlap widely, "
                         "it is not certain which province is higher. Each rank interval holds the true rank with at "
                         "least 95% probability. Not shown: non-sampling error, methodology changes."),
})


def plot_rank_caterpillar(intervals: pd.DataFrame, province: str | int | None = None,
                          lang: str = "vi", geography: str = "63") -> plt.Figure:
    """Caterpillar plot of one year and dimension from :func:`ranking.rank_intervals`.

    Top: every province's score with its 95% CI (±1.96 SE), coloured by published group, the three group
    cut-offs dashed. Bottom: the 95% confidence interval of each rank. The selected province is orange and
    labelled; provinces whose SE is borrowed (an assumption) are drawn hollow.
    """
    from ..analysis import rank_uncertainty

    lang = check_lang(lang)
    rows = intervals.sort_values(["rank", "province_code"]).reset_index(drop=True)
    if rows["se"].isna().all():
        raise ValueError("No standard errors for this year and dimension: PAPI did not publish them, so there is "
                         "nothing to draw. Choose a year from rank_uncertainty.years_with_se(panel, dimension).")
    year, dimension = int(rows["year"].iloc[0]), rows["dimension"].iloc[0]
    code = None if province is None else int(province) if isinstance(province, (int, np.integer)) \
        else provinces.resolve(province, geography=geography)
    x = np.arange(1, len(rows) + 1)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 8.2), sharex=True, height_ratios=[1.1, 1])
    half = 1.959964 * rows["se"]
    borrowed = ~rows["se_basis"].isin([rank_uncertainty.PUBLISHED, rank_uncertainty.RECAST_SE]).to_numpy()
    colors = np.array([GROUP_COLORS.get(g, MISSING_COLOR) for g in rows["group"]])
    selected = (rows["province_code"] == code).to_numpy() if code is not None else np.zeros(len(rows), bool)
    for ax, low, mid, high in ((top, rows["score"] - half, rows["score"], rows["score"] + half),
                               (bottom, rows["rank_low"].astype(float), rows["rank"].astype(float),
                                rows["rank_high"].astype(float))):
        ax.vlines(x, low, high, colors=np.where(selected, PROVINCE_COLOR, colors), linewidth=np.where(selected, 2.6, 1.6))
        face = np.where(borrowed, "white", np.where(selected, PROVINCE_COLOR, colors))
        ax.scatter(x, mid, s=np.where(selected, 60, 20), c=list(face),
                   edgecolors=list(np.where(selected, "black", colors)), linewidths=0.9, zorder=3)
    for cut in ranking.quartile_cutoffs(rows["score"]):
        top.axhline(cut, color=NATIONAL_COLOR, linestyle="--", linewidth=0.9)
    group_edges = rows.groupby("group", sort=False)["rank"].max().astype(float)
    for g in ranking.GROUPS[:-1]:
        if g in group_edges.index:
            bottom.axhline(group_edges[g] + 0.5, color=NATIONAL_COLOR, linestyle="--", linewidth=0.9)
    bottom.invert_yaxis()
    bottom.set_ylim(len(rows) + 1, 0)
    top.set_ylabel(f"{label('score', lang)} ({label('points', lang)})")
    bottom.set_ylabel(label("rank_axis", lang))
    bottom.set_xticks(x)
    bottom.set_xticklabels([provinces.name(c, lang, geography=geography) if geography != "63"
                            or not _is_other_geography(c) else str(c)
                            for c in rows["province_code"]], rotation=90, fontsize=6.5)
    for tick, sel in zip(bottom.get_xticklabels(), selected):
        if sel:
            tick.set_fontweight("bold")
            tick.set_color(PROVINCE_COLOR)
    bottom.set_xlim(0, len(rows) + 1)
    top.grid(axis="x", visible=False)
    bottom.grid(axis="x", visible=False)
    if selected.any():
        i = int(np.flatnonzero(selected)[0])
        r = rows.iloc[i]
        text = f"{provinces.name(int(r['province_code']), lang, geography=geography)}: " + \
            rank_uncertainty.format_rank_interval(r["rank"], r["rank_low"], r["rank_high"], lang)
        # label beside the interval: below it when there is room, else above; toward the middle of the axis
        below = float(r["rank_high"]) < 0.6 * len(rows)
        anchor = float(r["rank_high"]) if below else float(r["rank_low"])
        bottom.annotate(text, xy=(x[i], anchor), xytext=(0, -6 if below else 6), textcoords="offset points",
                        ha="left" if x[i] < len(rows) / 2 else "right", va="top" if below else "bottom",
                        fontsize=9.5, fontweight="bold", color=PROVINCE_COLOR,
                        bbox={"facecolor": "white", "edgecolor": PROVINCE_COLOR, "alpha": 0.92, "pad": 3})
    handles = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles += [Line2D([0], [0], color="#555555", linewidth=1.6, label=label("ci95_se", lang)),
                Line2D([0], [0], color=NATIONAL_COLOR, linestyle="--", label=label("cutoff", lang)),
                Line2D([0], [0], color="#555555", linewidth=1.6, label=label("rank_ci", lang))]
    if borrowed.any():
        handles.append(Line2D([0], [0], marker="o", color="white", markeredgecolor="#555555",
                              label=label("borrowed_se", lang)))
    if selected.any():
        handles.append(Line2D([0], [0], marker="o", color=PROVINCE_COLOR, markeredgecolor="black",
                              label=provinces.name(code, lang, geography=geography)))
    top.legend(handles=handles, loc="upper right", fontsize=7.5, frameon=True, framealpha=0.9)
    top.set_title(label("caterpillar_title", lang).format(dimension=dimension_label(dimension, lang), year=year,
                                                          n=len(rows)))
    fig.text(0.01, -0.02, label("caterpillar_note", lang) + " " + label("source", lang), fontsize=7.5,
             color="#555555", va="top", wrap=True)
    fig.tight_layout()
    return fig


def _is_other_geography(code: int) -> bool:
    """True for a code the 63-province registry does not know (e.g. a post-2025 province): label it by code."""
    try:
        provinces.name(int(code), "vi")
        return False
    except Exception:
        return True

# --- links: lag vs lead, PAPI-PCI (issue 14) ---------------------------------------------------------------

LINK_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "lag_title": "Chỉ số năm trước và năm sau: {start}–{end}",
        "lag": "Năm trước (t−1) → năm nay", "lead": "Năm sau (t+1), phép thử giả",
        "lag_axis": "Hệ số (điểm của chỉ số kết quả trên 1 điểm của chỉ số dự báo)",
        "lag_note": "Thanh: khoảng tin cậy 95% (t với G−1 bậc tự do). Chấm đặc: vững qua mọi kiểm tra. "
                    "Nếu năm sau 'dự báo' mạnh như năm trước, liên hệ là đồng biến bền, không phải đi trước.",
        "pci_title": "PAPI và PCI, {start}–{end}: tương quan {kind}",
        "levels": "mức điểm", "changes": "thay đổi hằng năm",
        "pci_note": "Ô: hệ số tương quan gộp (đã trừ trung bình năm). *: p hiệu chỉnh BH < 0,05 (bootstrap theo tỉnh). "
                    "PCI k = chỉ số thành phần thứ k của PCI (VCCI). Tương quan không phải nhân quả.",
    },
    "en": {
        "lag_title": "Last year's and next year's predictor: {start}–{end}",
        "lag": "Last year (t−1) → this year", "lead": "Next year (t+1), placebo",
        "lag_axis": "Coefficient (outcome points per predictor point)",
        "lag_note": "Bars: 95% intervals (t with G−1 df). Filled dot: robust to every check. "
                    "A lead as strong as the lag means persistent co-movement, not timing.",
        "pci_title": "PAPI and PCI, {start}–{end}: correlations of {kind}",
        "levels": "levels", "changes": "year-on-year changes",
        "pci_note": "Cells: pooled correlation (year means removed). *: BH-adjusted p < 0.05 (province-cluster "
                    "bootstrap). PCI k = PCI sub-index k (VCCI). Correlation is not causation.",
    },
}


def plot_lag_lead(table: pd.DataFrame, start_year: int, end_year: int, lang: str = "vi", top: int = 10) -> plt.Figure:
    """Forest plot of lagged effects (``coef``, ``se``) beside their lead placebos (``lead_coef``, ``lead_se``)
    for the ``top`` pairs with the smallest calibrated p-value; ``robust`` rows drawn filled."""
    from scipy import stats

    words = LINK_LABELS[check_lang(lang)]
    key = "p_calibrated" if table["p_calibrated"].notna().all() else "p_value"
    rows = table.sort_values(key).head(top).iloc[::-1]
    q = stats.t.ppf(0.975, int(rows["n_provinces"].min()) - 1)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(rows) + 1.8))
    y = np.arange(len(rows))
    robust = rows["robust"].to_numpy(bool) if "robust" in rows else np.zeros(len(rows), bool)
    ax.errorbar(rows["coef"], y + 0.15, xerr=q * rows["se"], fmt="none", ecolor=PROVINCE_COLOR, elinewidth=1.5)
    ax.scatter(rows["coef"], y + 0.15, s=36, color=np.where(robust, PROVINCE_COLOR, "white"), edgecolors=PROVINCE_COLOR,
               zorder=3, label=words["lag"])
    ax.errorbar(rows["lead_coef"], y - 0.15, xerr=q * rows["lead_se"], fmt="o", color=NATIONAL_COLOR, markersize=4,
                elinewidth=1, alpha=0.7, label=words["lead"])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [f"{o} ← {p}" for o, p in zip(rows["outcome"], rows["predictor"])])
    ax.set_xlabel(words["lag_axis"])
    ax.set_title(words["lag_title"].format(start=start_year, end=end_year), fontsize=11, pad=28)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.annotate(words["lag_note"], xy=(0, 0), xycoords="axes fraction", xytext=(0, -42), textcoords="offset points",
                fontsize=7.5, color="#555555", va="top", wrap=True)
    return fig


def plot_pci_heatmap(pairs: pd.DataFrame, start_year: int, end_year: int, lang: str = "vi",
                     kind: str = "levels") -> plt.Figure:
    """PAPI dimensions (rows) by PCI composite and sub-indices (columns): pooled correlations, starred where
    the Benjamini-Hochberg adjusted p-value is below 0.05."""
    import seaborn as sns

    words = LINK_LABELS[check_lang(lang)]
    matrix = pairs.pivot(index="dim_a", columns="dim_b", values="r")
    columns = ["PCI", *[c for c in matrix.columns if c != "PCI"]]
    columns = sorted(columns, key=lambda c: -1 if c == "PCI" else int(c[3:]))
    matrix = matrix[columns]
    stars = pairs.pivot(index="dim_a", columns="dim_b", values="p_bh")[columns] < 0.05
    text = matrix.map(lambda v: "" if pd.isna(v) else f"{v:.2f}") + stars.map(lambda s: "*" if s else "")
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(matrix) + 2.2))
    sns.heatmap(matrix, vmin=-1, vmax=1, cmap="RdBu_r", annot=text, fmt="", linewidths=0.5,
                cbar_kws={"shrink": 0.7}, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xticklabels(["PCI" if c == "PCI" else f"PCI {c[3:]}" for c in columns], rotation=0, fontsize=8)
    ax.set_yticklabels([f"{d} {dimension_label(d, lang, short=True)}" for d in matrix.index], rotation=0, fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    ax.set_title(words["pci_title"].format(start=start_year, end=end_year, kind=words[kind]), fontsize=11)
    ax.annotate(words["pci_note"], xy=(0, -0.12), xycoords="axes fraction", fontsize=7.5, color="#555555",
                va="top", wrap=True)
    return fig


RELIABILITY_LABELS = {
    "en": {"title": "Out-of-sample calibration by target kind (rolling origin)", "n": "forecasts per point",
           "caption": "Point size: number of forecasts. On the diagonal = calibrated; below = optimistic."},
    "vi": {"title": "Hiệu chỉnh ngoài mẫu theo loại mục tiêu (dự báo cuốn chiếu)", "n": "số dự báo mỗi điểm",
           "caption": "Kích thước điểm: số dự báo. Trên đường chéo = hiệu chỉnh tốt; dưới đường chéo = lạc quan."},
}


def plot_reliability_by_family(curves: dict[str, pd.DataFrame], lang: str = "vi") -> plt.Figure:
    """Reliability diagram with one panel per target family (``curves``: family -> table from
    :func:`papi_analysis.analysis.targets.reliability`); each point is labelled with its number of forecasts."""
    from ..analysis.targets.backtest import FAMILY_NAMES  # the target kinds' names, vi/en

    words = {**FAMILY_NAMES[check_lang(lang)], **RELIABILITY_LABELS[lang]}
    n = len(curves)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.2 * rows + 0.6), squeeze=False)
    for ax, (family, table) in zip(axes.flat, curves.items()):
        ax.plot([0, 1], [0, 1], color="#9e9e9e", linestyle="--", linewidth=1)
        ax.plot(table["mean_forecast"], table["observed"], color=PROVINCE_COLOR, marker="o", linewidth=1.2)
        ax.scatter(table["mean_forecast"], table["observed"], s=np.sqrt(table["n"]) * 2, color=PROVINCE_COLOR,
                   alpha=0.35)
        for row in table.itertuples():
            ax.annotate(f"{row.n}", xy=(row.mean_forecast, row.observed), xytext=(3, -9),
                        textcoords="offset points", fontsize=6, color="#555555")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title(words.get(family, family), fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel(label("forecast", lang), fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel(label("observed", lang), fontsize=8)
    fig.suptitle(words["title"], fontsize=11)
    fig.text(0.01, 0.005, words["caption"], fontsize=7.5)
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    return fig
