"""Figures of the links between dimensions: correlation heatmaps, a pair's scatter, lag against lead, PAPI and
PCI (notebook 03)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ...data import provinces
from ...params import check_lang
from .. import numbers
from .style import NATIONAL_COLOR, PROVINCE_COLOR, _source_note, dimension_label, in_language, label


@in_language
def plot_correlation_heatmap(
    matrix: pd.DataFrame, start_year: int, end_year: int, method: str, lang: str = "vi", changes: bool = False
) -> plt.Figure:
    """Lower-triangle heatmap of a correlation matrix (diverging, colour-blind-safe, fixed -1..1 scale)."""
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(7.2, 6.2))
    matrix = matrix.iloc[1:, :-1]  # lower triangle without the empty first row and last column
    mask = np.triu(np.ones_like(matrix, dtype=bool), k=1)
    names = [f"{d} {dimension_label(d, lang, short=True)}" for d in matrix.index]
    sns.heatmap(
        matrix,
        mask=mask,
        vmin=-1,
        vmax=1,
        cmap="RdBu_r",
        annot=_cell_texts(matrix, lang),
        fmt="",
        square=True,
        linewidths=0.5,
        cbar_kws={"shrink": 0.7},
        ax=ax,
        annot_kws={"fontsize": 8},
    )
    ax.set_xticklabels([d for d in matrix.columns], rotation=0)
    ax.set_yticklabels(names, rotation=0, fontsize=8)
    ax.grid(False)
    key = "change_heatmap_title" if changes else "heatmap_title"
    ax.set_title(label(key, lang).format(start=start_year, end=end_year, method=method), fontsize=11)
    ax.annotate(
        label("heatmap_note", lang),
        xy=(0, -0.12),
        xycoords="axes fraction",
        fontsize=7.5,
        color="#555555",
        va="top",
        wrap=True,
    )
    return fig


def _cell_texts(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A heatmap's cell labels: each correlation with 2 decimals in the reader's marks, empty where missing."""
    return matrix.map(lambda v: "" if pd.isna(v) else numbers.number(v, lang))


@in_language
def plot_pair(
    scatter: pd.DataFrame, x: str, y: str, year: int, province: str | int | None = None, lang: str = "vi"
) -> plt.Figure:
    """Provinces' scores on two dimensions in one year, linear fit, selected province and outliers labelled."""
    fig, ax = plt.subplots(figsize=(7.5, 6))
    ax.scatter(scatter[x], scatter[y], s=28, color=NATIONAL_COLOR, alpha=0.6)
    slope, intercept = np.polyfit(scatter[x], scatter[y], 1)
    xs = np.linspace(scatter[x].min(), scatter[x].max(), 50)
    ax.plot(
        xs, intercept + slope * xs, color=NATIONAL_COLOR, linestyle="--", linewidth=1, label=label("fit_line", lang)
    )
    geography = provinces.geography_of(scatter)
    code = provinces.resolve(province, geography=geography) if province is not None else None
    for row in scatter.itertuples():
        is_selected = row.province_code == code
        if row.outlier or is_selected:
            ax.annotate(
                provinces.name(row.province_code, lang, geography=geography),
                xy=(getattr(row, x), getattr(row, y)),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold" if is_selected else "normal",
            )
    if code is not None and code in set(scatter["province_code"]):
        sel = scatter[scatter["province_code"] == code]
        ax.scatter(
            sel[x],
            sel[y],
            s=90,
            color=PROVINCE_COLOR,
            edgecolors="black",
            zorder=3,
            label=provinces.name(code, lang, geography=geography),
        )
    ax.set_xlabel(f"{dimension_label(x, lang)} ({label('points', lang)})")
    ax.set_ylabel(f"{dimension_label(y, lang)} ({label('points', lang)})")
    ax.set_title(label("scatter_title", lang).format(year=year, x=x, y=y))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


# --- links: lag vs lead, PAPI-PCI (issue 14) ---------------------------------------------------------------

LINK_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "lag_title": "Chỉ số năm trước và năm sau: {start}–{end}",
        "lag": "Năm trước (t−1) → năm nay",
        "lead": "Năm sau (t+1), phép thử giả",
        "lag_axis": "Hệ số (điểm của chỉ số kết quả trên 1 điểm của chỉ số dự báo)",
        "lag_note": "Thanh: khoảng tin cậy 95% (t với G−1 bậc tự do). Chấm đặc: vững qua mọi kiểm tra. "
        "Nếu năm sau 'dự báo' mạnh như năm trước, liên hệ là đồng biến bền, không phải đi trước.",
        "pci_title": "PAPI và PCI, {start}–{end}: tương quan {kind}",
        "levels": "mức điểm",
        "changes": "thay đổi hằng năm",
        "pci_note": "Ô: hệ số tương quan gộp (đã trừ trung bình năm). *: p hiệu chỉnh BH < 0,05 (bootstrap theo tỉnh). "
        "PCI k = chỉ số thành phần thứ k của PCI (VCCI). Tương quan không phải nhân quả.",
    },
    "en": {
        "lag_title": "Last year's and next year's predictor: {start}–{end}",
        "lag": "Last year (t−1) → this year",
        "lead": "Next year (t+1), placebo",
        "lag_axis": "Coefficient (outcome points per predictor point)",
        "lag_note": "Bars: 95% intervals (t with G−1 df). Filled dot: robust to every check. "
        "A lead as strong as the lag means persistent co-movement, not timing.",
        "pci_title": "PAPI and PCI, {start}–{end}: correlations of {kind}",
        "levels": "levels",
        "changes": "year-on-year changes",
        "pci_note": "Cells: pooled correlation (year means removed). *: BH-adjusted p < 0.05 (province-cluster "
        "bootstrap). PCI k = PCI sub-index k (VCCI). Correlation is not causation.",
    },
}


@in_language
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
    ax.scatter(
        rows["coef"],
        y + 0.15,
        s=36,
        color=np.where(robust, PROVINCE_COLOR, "white"),
        edgecolors=PROVINCE_COLOR,
        zorder=3,
        label=words["lag"],
    )
    ax.errorbar(
        rows["lead_coef"],
        y - 0.15,
        xerr=q * rows["lead_se"],
        fmt="o",
        color=NATIONAL_COLOR,
        markersize=4,
        elinewidth=1,
        alpha=0.7,
        label=words["lead"],
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [f"{o} ← {p}" for o, p in zip(rows["outcome"], rows["predictor"])])
    ax.set_xlabel(words["lag_axis"])
    ax.set_title(words["lag_title"].format(start=start_year, end=end_year), fontsize=11, pad=28)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.annotate(
        words["lag_note"],
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -42),
        textcoords="offset points",
        fontsize=7.5,
        color="#555555",
        va="top",
        wrap=True,
    )
    return fig


@in_language
def plot_pci_heatmap(
    pairs: pd.DataFrame, start_year: int, end_year: int, lang: str = "vi", kind: str = "levels"
) -> plt.Figure:
    """PAPI dimensions (rows) by PCI composite and sub-indices (columns): pooled correlations, starred where
    the Benjamini-Hochberg adjusted p-value is below 0.05."""
    import seaborn as sns

    words = LINK_LABELS[check_lang(lang)]
    matrix = pairs.pivot(index="dim_a", columns="dim_b", values="r")
    columns = ["PCI", *[c for c in matrix.columns if c != "PCI"]]
    columns = sorted(columns, key=lambda c: -1 if c == "PCI" else int(c[3:]))
    matrix = matrix[columns]
    stars = pairs.pivot(index="dim_a", columns="dim_b", values="p_bh")[columns] < 0.05
    text = _cell_texts(matrix, lang) + stars.map(lambda s: "*" if s else "")
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(matrix) + 2.2))
    sns.heatmap(
        matrix,
        vmin=-1,
        vmax=1,
        cmap="RdBu_r",
        annot=text,
        fmt="",
        linewidths=0.5,
        cbar_kws={"shrink": 0.7},
        ax=ax,
        annot_kws={"fontsize": 8},
    )
    ax.set_xticklabels(["PCI" if c == "PCI" else f"PCI {c[3:]}" for c in columns], rotation=0, fontsize=8)
    ax.set_yticklabels([f"{d} {dimension_label(d, lang, short=True)}" for d in matrix.index], rotation=0, fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    ax.set_title(words["pci_title"].format(start=start_year, end=end_year, kind=words[kind]), fontsize=11)
    ax.annotate(
        words["pci_note"], xy=(0, -0.12), xycoords="axes fraction", fontsize=7.5, color="#555555", va="top", wrap=True
    )
    return fig
