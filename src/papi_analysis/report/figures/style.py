"""The project's figure style, colours and labels (Vietnamese or English), and where figures are saved.

Saving goes through :func:`save_figure` (see :mod:`papi_analysis.report.figures.rendering`: PNG at 300 dpi rasterised
once, SVG with text kept as text). Every plot function carries :func:`in_language`, so its tick labels and colorbars
are in the reader's marks ("5,4" in Vietnamese); the numbers it writes itself go through
:mod:`papi_analysis.report.numbers`. DejaVu Sans ships with matplotlib and renders Vietnamese diacritics. The four
PAPI groups have fixed, colour-blind-safe colours (blue for the better half, orange/red for the lower half, ordered
by lightness so they also read in grey).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ... import config
from ...data import provinces, schema
from ...params import check_lang
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
        "highest": "Cao nhất",
        "high_average": "Trung bình cao",
        "low_average": "Trung bình thấp",
        "lowest": "Thấp nhất",
        "no_data": "Không có số liệu",
        "year": "Năm",
        "score": "Điểm",
        "score_axis": "Điểm",
        "points": "điểm",
        "rank": "Thứ hạng",
        "national_median": "Trung vị toàn quốc",
        "iqr": "50% tỉnh ở giữa (tứ phân vị 25–75)",
        "range": "Thấp nhất – cao nhất toàn quốc",
        "ci": "Khoảng tin cậy 95% (±1,96 × sai số chuẩn, nếu PAPI công bố)",
        "break": "Thay đổi phương pháp",
        "break_2016": "2016: điều chỉnh chỉ số",
        "break_2018": "2018: 8 chỉ số nội dung",
        "trend_title": "{province}: {dimension}, {start}–{end}",
        "groups_title": "{province}: nhóm xếp hạng và thứ hạng theo năm",
        "groups_note": "Ô: thứ hạng / số tỉnh có số liệu. Màu: nhóm theo tứ phân vị của năm.",
        "sub_title": "{province} {year}: {shown} so với trung vị toàn quốc",
        "sub_subset": "{n} chỉ số thành phần thấp nhất (trên {total})",
        "sub_all": "cả {total} chỉ số thành phần",
        "sub_axis": "Chênh lệch so với trung vị toàn quốc (điểm của chỉ số thành phần)",
        "sub_note": "Số cạnh cột: thứ hạng / số tỉnh có số liệu",
        "peer_title": "{region} {year}: {dimension}",
        "map_title": "Nhóm xếp hạng PAPI {year}: {dimension}",
        "selected": "Tỉnh đang xem",
        "total_6": "Tổng (6 chỉ số, 6–60)",
        "total_8": "Tổng (8 chỉ số, 8–80)",
        "source": "Nguồn: PAPI (CECODES, VFF-CRT, RTA, UNDP), papi.org.vn",
        "target": "Mục tiêu",
        "band90": "Dự báo: 90% khả năng nằm trong dải",
        "band50": "Dự báo: 50%",
        "actual": "Kết quả thực tế",
        "actual_estimate": "Kết quả (ước tính, tính lại)",
        "target_title": "{province}: {dimension} — mục tiêu {year}",
        "probability": "Xác suất đạt mục tiêu (mô hình)",
        "reliability_title": "Kiểm định ngược: xác suất dự báo so với tần suất thực tế",
        "forecast": "Xác suất dự báo",
        "observed": "Tần suất thực tế",
        "perfect": "Hiệu chỉnh hoàn hảo",
        "model": "Mô hình (đã hiệu chỉnh)",
        "model_raw": "Mô hình (chưa hiệu chỉnh)",
        "empirical": "Phân phối thay đổi lịch sử",
        "heatmap_title": "Tương quan giữa các chỉ số nội dung, {start}–{end} ({method})",
        "change_heatmap_title": "Tương quan giữa thay đổi hằng năm, {start}–{end} ({method})",
        "heatmap_note": "Ô: hệ số tương quan; n = số tỉnh-năm (khoảng tin cậy trong bảng: bootstrap theo tỉnh). Tương quan không phải nhân quả.",
        "scatter_title": "{year}: {x} và {y}",
        "fit_line": "Đường hồi quy tuyến tính",
    },
    "en": {
        "highest": "Highest",
        "high_average": "High average",
        "low_average": "Low average",
        "lowest": "Lowest",
        "no_data": "No data",
        "year": "Year",
        "score": "Score",
        "score_axis": "Score (points)",
        "points": "points",
        "rank": "Rank",
        "national_median": "National median",
        "iqr": "Middle 50% of provinces (25th–75th percentile)",
        "range": "National minimum – maximum",
        "ci": "95% confidence interval (±1.96 × SE, where PAPI published one)",
        "break": "Methodology change",
        "break_2016": "2016: indicators revised",
        "break_2018": "2018: 8 dimensions",
        "trend_title": "{province}: {dimension}, {start}–{end}",
        "groups_title": "{province}: performance group and rank by year",
        "groups_note": "Cell: rank / provinces with data. Colour: quartile group of that year.",
        "sub_title": "{province} {year}: {shown} sub-dimensions against the national median",
        "sub_subset": "the {n} weakest of {total}",
        "sub_all": "all {total}",
        "sub_axis": "Difference from the national median (sub-dimension points)",
        "sub_note": "Numbers beside bars: rank / provinces with data",
        "peer_title": "{region} {year}: {dimension}",
        "map_title": "PAPI performance groups {year}: {dimension}",
        "selected": "Selected province",
        "total_6": "Total (6 dimensions, 6–60)",
        "total_8": "Total (8 dimensions, 8–80)",
        "source": "Source: PAPI (CECODES, VFF-CRT, RTA, UNDP), papi.org.vn",
        "target": "Target",
        "band90": "Prediction: 90% range",
        "band50": "Prediction: 50% range",
        "actual": "Actual result",
        "actual_estimate": "Result (estimate, recast)",
        "target_title": "{province}: {dimension} — target for {year}",
        "probability": "Model probability of reaching the target",
        "reliability_title": "Backtest: forecast probability against observed frequency",
        "forecast": "Forecast probability",
        "observed": "Observed frequency",
        "perfect": "Perfect calibration",
        "model": "Model (calibrated)",
        "model_raw": "Model (before calibration)",
        "empirical": "Historical changes",
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
    mpl.rcParams.update(
        {
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
        }
    )


def figure_dir(province: str | int | None, geography: str = "63") -> Path:
    """``figures/<province-slug>/`` (``figures/national/`` without a province; 34-province slugs end in ``-34``)."""
    slug = provinces.get(province, geography=geography).slug if province is not None else "national"
    return config.FIGURES / slug


def save_figure(
    fig: plt.Figure | rendering.NationalFigure,
    name: str,
    province: str | int | None = None,
    formats: tuple[str, ...] = ("png", "svg"),
    directory: Path | None = None,
    show: bool = True,
    geography: str = "63",
) -> list[Path]:
    """Save ``fig`` as ``<name>.png`` and ``<name>.svg`` (reproducible bytes: no dates) and close it.

    In a notebook the figure is shown too (``show``): the inline image is scaled down from the one print-resolution
    raster, so each figure is rasterised once. A figure wrapped in :func:`national` is drawn once and reused for every
    province (see :mod:`papi_analysis.report.figures.rendering`). Returns the paths written. ``directory`` overrides
    ``figures/<province-slug>/``.
    """
    out_dir = Path(directory) if directory is not None else figure_dir(province, geography)
    return rendering.save_figure(fig, name, out_dir, formats, show)


national = rendering.national
in_language = rendering.in_language
figure_alt_text = rendering.figure_alt_text
INLINE_DPI = rendering.INLINE_DPI


def _source_note(ax: plt.Axes, lang: str, extra: str = "") -> None:
    figure = ax.figure
    if isinstance(figure, Figure) and rendering.figure_language(figure) is None:  # a source line gives its language
        rendering.localize(figure, lang)
    text = label("source", lang) + (f". {extra}" if extra else "")
    ax.annotate(text, xy=(0, -0.16), xycoords="axes fraction", fontsize=7.5, color="#555555", va="top")


def _break_lines(ax: plt.Axes, years: list[int], lang: str, dimension: str) -> None:
    """Dashed verticals where the methodology changed between two plotted years."""
    for year, key, height in ((2016, "break_2016", 0.99), (2018, "break_2018", 0.93)):
        if min(years) < year <= max(years) and schema.is_break_between(year - 1, year, dimension):
            ax.axvline(year - 0.5, color="#7f7f7f", linestyle="--", linewidth=1)
            ax.annotate(
                label(key, lang),
                xy=(year - 0.45, height),
                xycoords=("data", "axes fraction"),
                fontsize=8,
                color="#555555",
                va="top",
                ha="left",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
            )
