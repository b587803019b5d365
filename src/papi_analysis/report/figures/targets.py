"""Figures of target realism: a target against the province's history and the predictive band, and the
backtest's reliability diagrams (notebook 02)."""

from __future__ import annotations

from statistics import NormalDist

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ...data import provinces, schema
from ...data.geography import has_recast
from ...params import check_lang
from .. import numbers
from .maps import recast_note
from .style import (
    GROUP_COLORS,
    NATIONAL_COLOR,
    PROVINCE_COLOR,
    _source_note,
    dimension_label,
    in_language,
    label,
    province_label,
)
from .trends import _runs_with_data, mark_recast


@in_language
def plot_target(trend: pd.DataFrame, evaluation: pd.Series, lang: str = "vi") -> plt.Figure:
    """A province's history of one indicator (current methodology period), the target, the
    model's 50% and 90% predictive ranges for the target year, and the actual result if published."""
    dim = evaluation["indicator"]
    target_year = int(evaluation["target_year"])
    period = schema.period_of(min(target_year, 2024)).label
    rows = trend[
        (trend["dimension"] == dim) & (trend["year"] < target_year) & (trend["methodology_period"] == period)
    ].sort_values("year")
    fig, ax = plt.subplots(figsize=(8, 4.4))
    if not rows.empty:
        ax.plot(
            rows["year"],
            rows["national_median"],
            color=NATIONAL_COLOR,
            linestyle=":",
            label=label("national_median", lang),
        )
        for run in _runs_with_data(rows):
            ax.plot(run["year"], run["score"], color=PROVINCE_COLOR, marker="o", linewidth=2.2)
        mark_recast(ax, rows, lang)  # a merged unit's recast history: open markers, said in the source line
    mean, sd = evaluation["predicted_mean"], evaluation["predicted_sd"]
    if pd.notna(mean) and pd.notna(sd):
        lo_scale, hi_scale = (
            schema.period_of(min(target_year, 2024)).total_range
            if dim == schema.TOTAL
            else schema.DIMENSION_SCORE_RANGE
        )
        for q, alpha, key in ((0.95, 0.18, "band90"), (0.75, 0.35, "band50")):
            half = NormalDist().inv_cdf(q) * sd
            # the simulated bands where the evaluation has them (heavy tails), else a normal approximation
            low = evaluation.get(f"{key}_low", mean - half)
            high = evaluation.get(f"{key}_high", mean + half)
            # a score cannot leave its scale: the band is cut there
            ax.fill_between(
                [target_year - 0.3, target_year + 0.3],
                max(lo_scale, low),
                min(hi_scale, high),
                color=PROVINCE_COLOR,
                alpha=alpha,
                linewidth=0,
                label=label(key, lang),
            )
    if evaluation["kind"] == "score_at_least":
        ax.scatter(
            [target_year],
            [float(evaluation["target"])],
            marker="*",
            s=220,
            color="black",
            zorder=4,
            label=f"{label('target', lang)}: {numbers.number(float(evaluation['target']), lang)}",
        )
    if pd.notna(evaluation["actual"]):
        # a merged unit's outcome before 2025 is read on its recast score: an estimate, never "actual" (issue 27)
        recast = has_recast(trend[(trend["dimension"] == dim) & (trend["year"] == target_year)])
        ax.scatter(
            [target_year],
            [evaluation["actual"]],
            marker="D",
            s=60,
            color=GROUP_COLORS["highest"],
            zorder=5,
            label=f"{label('actual_estimate' if recast else 'actual', lang)}: "
            f"{numbers.number(float(evaluation['actual']), lang)}",
        )
    years = sorted(set(rows["year"]) | {target_year})
    ax.set_xticks(years)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("score_axis", lang))
    code = int(evaluation["province_code"])
    ax.set_title(
        label("target_title", lang).format(
            province=province_label(code, lang, _geography_of(trend, evaluation)),
            dimension=dimension_label(dim, lang),
            year=target_year,
        )
    )
    if pd.notna(evaluation["probability"]):
        ax.annotate(
            f"{label('probability', lang)}: "
            + numbers.percent_interval(
                evaluation["probability"], evaluation["probability_low"], evaluation["probability_high"], lang
            ),
            xy=(0.01, 0.02),
            xycoords="axes fraction",
            fontsize=8.5,
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang, recast_note(rows, lang))
    return fig


def _geography_of(trend: pd.DataFrame, evaluation: pd.Series) -> str:
    """The geography the target's province code belongs to: the evaluation row's ``geography``, else the trend's.

    A code names a province only within a geography: 44 is Quảng Bình among the 63 and Quảng Trị among the 34 (the
    new unit kept the code of one of its old provinces), so the name is looked up in the unit's own geography."""
    written = evaluation.get("geography")
    if written is not None and pd.notna(written) and str(written).strip():
        return provinces.check_geography(str(written).strip())
    return provinces.geography_of(trend)


@in_language
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
        ax.plot(
            table["mean_forecast"], table["observed"], color=color, marker=marker, linewidth=1.5, label=label(key, lang)
        )
        ax.scatter(table["mean_forecast"], table["observed"], s=np.sqrt(table["n"]) * 2, color=color, alpha=0.4)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(label("forecast", lang))
    ax.set_ylabel(label("observed", lang))
    ax.set_title(label("reliability_title", lang), fontsize=11)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    _source_note(ax, lang)
    return fig


RELIABILITY_LABELS = {
    "en": {
        "title": "Out-of-sample calibration by target kind (rolling origin, 2016–2024)",
        "n": "forecasts per point",
        "caption": "Point size: number of forecasts. Grey bars: where a correct model's observed rate falls (95% of "
        "simulated worlds, the country's change shared within a year). A point on the dashed diagonal: forecasts "
        "came true as often as they said; lower than the diagonal: the model was optimistic; higher: pessimistic.",
    },
    "vi": {
        "title": "Hiệu chỉnh ngoài mẫu theo loại mục tiêu (dự báo cuốn chiếu, 2016–2024)",
        "n": "số dự báo mỗi điểm",
        "caption": "Kích thước điểm: số dự báo. Thanh xám: nơi tỷ lệ thực tế của một mô hình đúng rơi vào (95% số "
        "lần mô phỏng, thay đổi chung của cả nước giống nhau trong một năm). Điểm nằm đúng đường chéo (nét đứt): dự "
        "báo xảy ra đúng như tỷ lệ đã nói; thấp hơn đường chéo: mô hình lạc quan; cao hơn đường chéo: bi quan.",
    },
}


MIN_BAND_N = 20  # forecasts a bin needs for its consistency band to be drawn
#: the note under the reliability figure (points): the figure is shown shrunk to the page's width, so a 7-point note
#: read about 7 pixels high; 12 points reads like the report's own text
CAPTION_FONTSIZE = 12


@in_language
def plot_reliability_by_family(curves: dict[str, pd.DataFrame], lang: str = "vi") -> plt.Figure:
    """Reliability diagram with one panel per target family (``curves``: family -> table from
    :func:`papi_analysis.analysis.targets.reliability_bands` or :func:`~papi_analysis.analysis.targets.reliability`);
    each point is labelled with its number of forecasts; with ``null_low``/``null_high`` columns, a grey bar shows the
    range a correct model's observed rate falls in."""
    from ...analysis.targets.backtest import FAMILY_NAMES  # the target kinds' names, vi/en

    words = {**FAMILY_NAMES[check_lang(lang)], **RELIABILITY_LABELS[lang]}
    n = len(curves)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    note_height = 0.9  # inches kept under the panels for the note (three lines at CAPTION_FONTSIZE)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.2 * rows + 0.7 + note_height), squeeze=False)
    for ax, (family, table) in zip(axes.flat, curves.items()):
        ax.plot([0, 1], [0, 1], color="#9e9e9e", linestyle="--", linewidth=1)
        if {"null_low", "null_high"} <= set(table.columns):
            shown = table[table["n"] >= MIN_BAND_N]  # a bin of a few forecasts has a band from 0 to 1: left out
            ax.vlines(
                shown["mean_forecast"], shown["null_low"], shown["null_high"], color="#bdbdbd", linewidth=4, alpha=0.8
            )
        ax.plot(table["mean_forecast"], table["observed"], color=PROVINCE_COLOR, marker="o", linewidth=1.2)
        ax.scatter(
            table["mean_forecast"], table["observed"], s=np.sqrt(table["n"]) * 2, color=PROVINCE_COLOR, alpha=0.35
        )
        for row in table.itertuples():
            ax.annotate(
                numbers.integer(row.n, lang),
                xy=(row.mean_forecast, row.observed),
                xytext=(3, -9),
                textcoords="offset points",
                fontsize=6,
                color="#555555",
            )
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
    fig.text(0.01, 0.005, words["caption"], fontsize=CAPTION_FONTSIZE, wrap=True)
    numbers.localize_axes(fig, lang)
    fig.tight_layout(rect=(0, note_height / fig.get_figheight(), 1, 0.97))
    return fig
