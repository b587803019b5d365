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
        "range": "Thấp nhất – cao nhất toàn quốc", "ci": "Khoảng tin cậy 95% (nếu được công bố)",
        "break": "Thay đổi phương pháp", "break_2016": "2016: điều chỉnh chỉ số",
        "break_2018": "2018: 8 chỉ số nội dung",
        "trend_title": "{province}: {dimension}, {start}–{end}",
        "groups_title": "{province}: nhóm xếp hạng và thứ hạng theo năm",
        "groups_note": "Ô: thứ hạng / số tỉnh có số liệu. Màu: nhóm theo tứ phân vị của năm.",
        "sub_title": "{province} {year}: chỉ số thành phần so với trung vị toàn quốc",
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
        "heatmap_note": "Ô: hệ số tương quan; n = số tỉnh-năm, khoảng tin cậy tính theo số tỉnh. Tương quan không phải nhân quả.",
        "scatter_title": "{year}: {x} và {y}",
        "fit_line": "Đường hồi quy tuyến tính",
    },
    "en": {
        "highest": "Highest", "high_average": "High average", "low_average": "Low average",
        "lowest": "Lowest", "no_data": "No data",
        "year": "Year", "score": "Score", "points": "points", "rank": "Rank",
        "national_median": "National median", "iqr": "Middle 50% of provinces (25th–75th percentile)",
        "range": "National minimum – maximum", "ci": "95% confidence interval (where published)",
        "break": "Methodology change", "break_2016": "2016: indicators revised",
        "break_2018": "2018: 8 dimensions",
        "trend_title": "{province}: {dimension}, {start}–{end}",
        "groups_title": "{province}: performance group and rank by year",
        "groups_note": "Cell: rank / provinces with data. Colour: quartile group of that year.",
        "sub_title": "{province} {year}: sub-dimensions against the national median",
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
        "heatmap_note": "Cells: correlation; n = province-years, CIs use the number of provinces. Correlation is not causation.",
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


def province_label(code: int, lang: str) -> str:
    return provinces.name(code, check_lang(lang))


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


def figure_dir(province: str | int | None) -> Path:
    """``figures/<province-slug>/`` (``figures/national/`` without a province)."""
    slug = provinces.get(province).slug if province is not None else "national"
    return config.FIGURES / slug


def save_figure(fig: plt.Figure, name: str, province: str | int | None = None,
                formats: tuple[str, ...] = ("png", "svg"), directory: Path | None = None,
                show: bool = True) -> list[Path]:
    """Save ``fig`` as ``<name>.png`` and ``<name>.svg`` (reproducible bytes: no dates) and close it.

    In a notebook the figure is displayed first (``show``). Returns the paths
    written. ``directory`` overrides ``figures/<province-slug>/``.
    """
    if show:
        _display_in_notebook(fig)
    out_dir = Path(directory) if directory is not None else figure_dir(province)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
        fig.savefig(path, format=fmt, metadata=metadata)
        paths.append(path)
    plt.close(fig)
    return paths


def _display_in_notebook(fig: plt.Figure) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is not None:
        display(fig)


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
    ax.set_title(label("trend_title", lang).format(province=province_label(code, lang),
                                                   dimension=dimension_label(dimension, lang),
                                                   start=min(years), end=max(years)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang)
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
    fig.suptitle(label("trend_title", lang).format(province=province_label(code, lang),
                                                   dimension="D1–D8", start=years[0], end=years[-1]),
                 fontsize=13, fontweight="bold")
    fig.text(0.01, -0.05, label("source", lang), fontsize=7.5, color="#555555")
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
                    label=province_label(code, lang) if first else None)
            first = False
    ci = rows.dropna(subset=["ci_low", "ci_high"])
    se_only = rows[rows["ci_low"].isna() & rows["se"].notna()]
    if not ci.empty or not se_only.empty:
        lows = pd.concat([ci["score"] - ci["ci_low"], 1.959964 * se_only["se"]])
        highs = pd.concat([ci["ci_high"] - ci["score"], 1.959964 * se_only["se"]])
        yrs = pd.concat([ci["year"], se_only["year"]])
        scores = pd.concat([ci["score"], se_only["score"]])
        ax.errorbar(yrs, scores, yerr=[lows, highs], fmt="none", ecolor=PROVINCE_COLOR, elinewidth=1.2,
                    capsize=3, label=label("ci", lang))
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
    ax.set_title(label("groups_title", lang).format(province=province_label(code, lang)))
    ax.annotate(label("groups_note", lang) + " " + label("source", lang), xy=(0, -0.02), xycoords="axes fraction",
                xytext=(0, -38), textcoords="offset points", fontsize=7.5, color="#555555", va="top")
    return fig


def plot_subdimension_gaps(gaps: pd.DataFrame, province: str | int, lang: str = "vi", top: int = 12) -> plt.Figure:
    """Horizontal bars: each sub-dimension's distance from the national median (shortfalls first)."""
    code = provinces.resolve(province)
    rows = gaps.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(rows) + 1.5))
    names = [f"{r.subdimension.lstrip('D')} {r.label_vi if lang == 'vi' else r.label_en}" for r in rows.itertuples()]
    colors = [GROUP_COLORS["lowest"] if g < 0 else GROUP_COLORS["highest"] for g in rows["gap"]]
    ax.barh(names, rows["gap"], color=colors)
    ax.axvline(0, color=NATIONAL_COLOR, linewidth=1)
    for y, r in enumerate(rows.itertuples()):
        ax.annotate(f"{r.rank}/{r.n}", xy=(r.gap, y), xytext=(4 if r.gap >= 0 else -4, 0),
                    textcoords="offset points", ha="left" if r.gap >= 0 else "right", va="center", fontsize=7.5)
    ax.set_xlabel(label("sub_axis", lang))
    year = int(gaps["year"].iloc[0])
    ax.set_title(label("sub_title", lang).format(province=province_label(code, lang), year=year))
    ax.tick_params(axis="y", labelsize=8)
    _source_note(ax, lang, label("sub_note", lang))
    return fig


def plot_peers(peer_rows: pd.DataFrame, year: int, dimension: str, national_median: float,
               lang: str = "vi") -> plt.Figure:
    """Region's provinces ranked by score, bars coloured by national group, selected province outlined."""
    rows = peer_rows.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(rows) + 1.6))
    colors = [GROUP_COLORS.get(g, MISSING_COLOR) if pd.notna(s) else MISSING_COLOR
              for g, s in zip(rows["group"], rows["score"])]
    names = [provinces.name(c, lang) for c in rows["province_code"]]
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
    region = provinces.get(code).region_vi if lang == "vi" else provinces.get(code).region_en
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


def load_boundaries():
    """The 63 province boundaries (GeoDataFrame with ``province_code``) from data/raw/geo/."""
    import geopandas as gpd

    return gpd.read_file(config.DATA_RAW / "geo" / "provinces_63.geojson")


def plot_group_map(ranked: pd.DataFrame, year: int, dimension: str, province: str | int | None = None,
                   lang: str = "vi") -> plt.Figure:
    """Choropleth of the 63 provinces by performance group; the selected province outlined."""
    shapes = load_boundaries()
    rows = ranked[(ranked["year"] == year) & (ranked["dimension"] == dimension)][["province_code", "group", "score"]]
    shapes = shapes.merge(rows, on="province_code", how="left")
    shapes["color"] = [GROUP_COLORS[g] if isinstance(g, str) and g in GROUP_COLORS else MISSING_COLOR
                       for g in shapes["group"]]
    fig, ax = plt.subplots(figsize=(6.4, 8.5))
    # the Trường Sa islands lie far to the south-east: an inset keeps them without shrinking the mainland
    inset = ax.inset_axes([0.72, 0.03, 0.26, 0.2])
    for axis, edge in ((ax, 0.3), (inset, 1.5)):
        shapes.plot(ax=axis, color=shapes["color"], edgecolor=shapes["color"] if axis is inset else "white",
                    linewidth=edge)
        missing = shapes[shapes["score"].isna()]
        if not missing.empty:
            missing.plot(ax=axis, facecolor=MISSING_COLOR, edgecolor="#9e9e9e", hatch="///", linewidth=0.3)
        if province is not None:
            code = provinces.resolve(province)
            shapes[shapes["province_code"] == code].plot(ax=axis, facecolor="none", edgecolor="black", linewidth=1.2)
    ax.set_xlim(102.0, 112.9)
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
    inset.set_title(TRUONG_SA[lang], fontsize=7)
    ax.set_axis_off()
    handles = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Patch(facecolor=MISSING_COLOR, hatch="///", edgecolor="#9e9e9e", label=label("no_data", lang)))
    if province is not None:
        handles.append(Patch(facecolor="none", edgecolor="black", linewidth=1.2,
                             label=provinces.name(provinces.resolve(province), lang)))
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    ax.set_title(label("map_title", lang).format(year=year, dimension=dimension_label(dimension, lang)))
    ax.annotate(label("source", lang), xy=(0, 0), xycoords="axes fraction", xytext=(0, -10),
                textcoords="offset points", fontsize=7, color="#555555", va="top")
    return fig


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
    code = provinces.resolve(province) if province is not None else None
    for row in scatter.itertuples():
        is_selected = row.province_code == code
        if row.outlier or is_selected:
            ax.annotate(provinces.name(row.province_code, lang), xy=(getattr(row, x), getattr(row, y)),
                        xytext=(4, 4), textcoords="offset points", fontsize=8,
                        fontweight="bold" if is_selected else "normal")
    if code is not None and code in set(scatter["province_code"]):
        sel = scatter[scatter["province_code"] == code]
        ax.scatter(sel[x], sel[y], s=90, color=PROVINCE_COLOR, edgecolors="black", zorder=3,
                   label=provinces.name(code, lang))
    ax.set_xlabel(f"{dimension_label(x, lang)} ({label('points', lang)})")
    ax.set_ylabel(f"{dimension_label(y, lang)} ({label('points', lang)})")
    ax.set_title(label("scatter_title", lang).format(year=year, x=x, y=y))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


RELIABILITY_FAMILY_LABELS = {
    "en": {"change_at_least": "change at least", "gain": "gains (≥ 0.25 / ≥ 1 point)",
           "score_at_least": "score at least", "group_at_least": "group at least", "rank_at_most": "rank at most",
           "improve_score_and_rank": "higher score and rank", "cross_break": "across a methodology break",
           "not_in_group": "not in a group", "rank_gain_at_least": "rank gain of k places",
           "all_up": "every dimension up", "two_years_ahead": "two years ahead",
           "title": "Out-of-sample calibration by target kind (rolling origin)", "n": "forecasts per point",
           "caption": "Point size: number of forecasts. On the diagonal = calibrated; below = optimistic."},
    "vi": {"change_at_least": "thay đổi ít nhất", "gain": "mức tăng (≥ 0,25 / ≥ 1 điểm)",
           "score_at_least": "điểm ít nhất", "group_at_least": "nhóm trở lên", "rank_at_most": "thứ hạng trong top",
           "improve_score_and_rank": "tăng điểm và thứ hạng", "cross_break": "qua mốc thay đổi phương pháp",
           "not_in_group": "không nằm trong nhóm", "rank_gain_at_least": "tăng ít nhất k bậc",
           "all_up": "mọi chỉ số nội dung cùng tăng", "two_years_ahead": "hai năm tới",
           "title": "Hiệu chỉnh ngoài mẫu theo loại mục tiêu (dự báo cuốn chiếu)", "n": "số dự báo mỗi điểm",
           "caption": "Kích thước điểm: số dự báo. Trên đường chéo = hiệu chỉnh tốt; dưới đường chéo = lạc quan."},
}


def plot_reliability_by_family(curves: dict[str, pd.DataFrame], lang: str = "vi") -> plt.Figure:
    """Reliability diagram with one panel per target family (``curves``: family -> table from
    :func:`papi_analysis.analysis.targets.reliability`); each point is labelled with its number of forecasts."""
    words = RELIABILITY_FAMILY_LABELS[check_lang(lang)]
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
