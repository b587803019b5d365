"""Figures of one province's scores over time: the total and every dimension against the country, groups by
year, sub-dimension gaps and region peers (notebook 01)."""

from __future__ import annotations

import math
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...analysis import ranking
from ...data import provinces, schema
from ...params import check_lang
from .. import numbers
from ..messages import Messages
from .maps import geography_34_note, recast_note
from .style import (
    GROUP_COLORS,
    MISSING_COLOR,
    NATIONAL_COLOR,
    PROVINCE_COLOR,
    _break_lines,
    _source_note,
    dimension_label,
    in_language,
    label,
    province_label,
)

#: the trend figures' own words, in both languages (no language branches in the drawing code)
SAY = Messages(
    {
        "recast_marker": {"vi": "Ước tính (tính lại theo 34 tỉnh)", "en": "Estimate (recast to 34 provinces)"},
        "history_title": {
            "vi": "{unit}: {dimension}, {start:year}–{end:year} — ước tính theo địa giới mới và các tỉnh cũ",
            "en": "{unit}: {dimension}, {start:year}–{end:year} — recast estimate and the former provinces",
        },
        "history_unit": {
            "vi": "{unit} mới (từ 1/7/2025):\nước tính, tính lại",
            "en": "New {unit} (since 1 July 2025):\nestimate, recast",
        },
        "history_old": {"vi": "{old} cũ:\nPAPI công bố", "en": "Former {old}:\npublished by PAPI"},
        "history_note": {
            "vi": "Đường cam, điểm rỗng: ước tính của dự án (bình quân theo dân số của điểm các tỉnh cũ), không "
            "phải số liệu PAPI công bố",
            "en": "Orange line, open markers: this project's estimate (population-weighted mean of the former "
            "provinces' scores), not a PAPI publication",
        },
    }
)
#: the former provinces' lines: colours apart from the unit's orange and the groups' blues and reds, and a marker
#: and dash each so that they also read in grey
FORMER_STYLES = (("#1b9e77", "s", "-"), ("#7570b3", "^", "--"), ("#666666", "D", "-."))


@in_language
def plot_trend(trend: pd.DataFrame, dimension: str, lang: str = "vi") -> plt.Figure:
    """Province score by year against the national median, middle 50% and range.

    Lines are drawn only within a methodology period and between consecutive
    years with data; a missing year is left as a gap marked 'no data'.
    """
    fig, ax = plt.subplots(figsize=(9, 4.8))
    _draw_trend(ax, trend, dimension, lang)
    code = int(trend["province_code"].iloc[0])
    years = sorted(trend.loc[trend["dimension"] == dimension, "year"])
    ax.set_title(
        label("trend_title", lang).format(
            province=province_label(code, lang, provinces.geography_of(trend)),
            dimension=dimension_label(dimension, lang),
            start=min(years),
            end=max(years),
        )
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang, recast_note(trend, lang))
    return fig


@in_language
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
    for ax in list(axes.flat)[len(dims) :]:
        ax.set_visible(False)
    code = int(trend["province_code"].iloc[0])
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.03))
    years = sorted(trend["year"].unique())
    fig.suptitle(
        label("trend_title", lang).format(
            province=province_label(code, lang, provinces.geography_of(trend)),
            dimension="D1–D8",
            start=years[0],
            end=years[-1],
        ),
        fontsize=13,
        fontweight="bold",
    )
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
        ax.fill_between(
            seg["year"],
            seg["national_min"],
            seg["national_max"],
            color=NATIONAL_COLOR,
            alpha=0.08,
            linewidth=0,
            label=label("range", lang) if i == 0 else None,
        )
        ax.fill_between(
            seg["year"],
            seg["national_q25"],
            seg["national_q75"],
            color=NATIONAL_COLOR,
            alpha=0.18,
            linewidth=0,
            label=label("iqr", lang) if i == 0 else None,
        )
        ax.plot(
            seg["year"],
            seg["national_median"],
            color=NATIONAL_COLOR,
            linestyle=":",
            linewidth=1.5,
            label=label("national_median", lang) if i == 0 else None,
        )
    first = True
    for seg in segments:
        for run in _runs_with_data(seg):
            ax.plot(
                run["year"],
                run["score"],
                color=PROVINCE_COLOR,
                marker="o",
                linewidth=2.2,
                label=province_label(code, lang, provinces.geography_of(trend)) if first else None,
            )
            first = False
    # PAPI's published ci_low/ci_high are 90% intervals (score ± 1.645 SE); draw 95% (± 1.96 SE) from the SE.
    with_se = rows[rows["se"].notna() & (rows["se"] > 0)]
    if not with_se.empty:
        half = 1.959964 * with_se["se"]
        ax.errorbar(
            with_se["year"],
            with_se["score"],
            yerr=[half, half],
            fmt="none",
            ecolor=PROVINCE_COLOR,
            elinewidth=1.2,
            capsize=3,
            label=label("ci", lang),
        )
    mark_recast(ax, rows, lang)
    missing = rows[rows["score"].isna()]
    for year in missing["year"]:
        ax.annotate(
            label("no_data", lang),
            xy=(year, 0.02),
            xycoords=("data", "axes fraction"),
            rotation=90,
            fontsize=7 if compact else 8,
            color="#555555",
            ha="center",
            va="bottom",
        )
        ax.axvspan(year - 0.4, year + 0.4, color=MISSING_COLOR, alpha=0.5, linewidth=0)
    if compact:
        for year in (2016, 2018):
            if min(years) < year <= max(years) and schema.is_break_between(year - 1, year, dimension):
                ax.axvline(
                    year - 0.5,
                    color="#7f7f7f",
                    linestyle="--",
                    linewidth=1,
                    label=label("break", lang) if year == 2018 else None,
                )
    else:
        _break_lines(ax, years, lang, dimension)
        ax.set_xlabel(label("year", lang))
        ax.set_ylabel(label("score_axis", lang))
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], rotation=0 if len(years) <= 10 else 45, fontsize=7 if compact else None)
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


def _plot_lines(ax: plt.Axes, rows: pd.DataFrame, dimension: str, legend: str, **style: Any) -> None:
    """One line per methodology period and run of years with a score (a gap or a break cuts it); the legend entry
    once."""
    first = True
    for segment in _segments(rows, dimension) if not rows.empty else []:
        for run in _runs_with_data(segment):
            ax.plot(run["year"], run["score"], label=legend if first else None, **style)
            first = False


def mark_recast(ax: plt.Axes, rows: pd.DataFrame, lang: str) -> None:
    """Estimates (a merged unit's 34-province recast, ``score_source == "recast"``) as open markers over the line,
    with their own legend entry: never drawn like a published score."""
    if "score_source" not in rows.columns:
        return
    recast = rows[rows["score_source"] == "recast"]
    if not recast.empty:
        ax.scatter(
            recast["year"],
            recast["score"],
            s=30,
            facecolor="white",
            edgecolor=PROVINCE_COLOR,
            linewidth=1.5,
            zorder=4,
            label=SAY("recast_marker", lang),
        )


def _runs_with_data(segment: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive years with a score (a missing year breaks the line)."""
    runs: list[pd.DataFrame] = []
    current: list[pd.Series] = []
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


@in_language
def plot_unit_history(
    panel_34: pd.DataFrame,
    panel_63: pd.DataFrame,
    province: str | int,
    lang: str = "vi",
    dimension: str = schema.TOTAL,
    start_year: int = 2011,
    end_year: int = 2024,
) -> plt.Figure:
    """A merged 34-province unit's recast history of ``dimension`` (this project's estimate, drawn as such: open
    markers) with each former province's published scores beside it, 2011-2024.

    ``panel_34`` is ``load_scores(geography="34")``, ``panel_63`` the published 63-province panel. Lines break at
    methodology changes and at missing years (a year a former province has no score has no estimate either). The
    unit is named in its own geography, its former provinces in theirs.
    """
    unit = provinces.get(province, geography="34")
    if not unit.merged:
        raise ValueError(
            f"{unit.name_vi} keeps the boundaries of one former province: its history is the published one, "
            "there is no recast history to draw."
        )
    if provinces.geography_of(panel_34) != "34" or provinces.geography_of(panel_63) != "63":
        raise ValueError("plot_unit_history needs the 34-province panel and the 63-province panel, in that order.")

    def rows_of(panel: pd.DataFrame, code: int) -> pd.DataFrame:
        rows = panel[
            (panel["province_code"] == code)
            & (panel["dimension"] == dimension)
            & panel["year"].between(start_year, end_year)
        ]
        return rows.sort_values("year").reset_index(drop=True)

    fig, ax = plt.subplots(figsize=(9.5, 5.0))
    years: set[int] = set()
    # the former province of the same name first (Quảng Trị's own line before Quảng Bình's), then by code
    former = sorted(unit.old_codes, key=lambda c: (provinces.name(c, "vi", geography="63") != unit.name_vi, c))
    for code, (color, marker, dash) in zip(former, FORMER_STYLES):
        rows = rows_of(panel_63, code)
        years |= set(rows["year"])
        name = provinces.name(code, lang, geography="63")
        _plot_lines(
            ax,
            rows,
            dimension,
            SAY("history_old", lang, old=name),
            color=color,
            marker=marker,
            markersize=5,
            linestyle=dash,
            linewidth=1.3,
        )
    own = rows_of(panel_34, unit.code)
    years |= set(own["year"])
    _plot_lines(
        ax,
        own,
        dimension,
        SAY("history_unit", lang, unit=province_label(unit.code, lang, "34")),
        color=PROVINCE_COLOR,
        marker="o",
        markersize=7,
        markerfacecolor="white",
        markeredgewidth=1.8,
        linewidth=2.6,
        zorder=4,
    )
    shown = sorted(years)
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.22 * (high - low))  # room above the lines for the methodology labels
    missing = own.loc[own["score"].isna(), "year"]
    for year in missing:
        ax.axvspan(year - 0.4, year + 0.4, color=MISSING_COLOR, alpha=0.5, linewidth=0)
        ax.annotate(
            label("no_data", lang),
            xy=(year, 0.02),
            xycoords=("data", "axes fraction"),
            rotation=90,
            fontsize=8,
            color="#555555",
            ha="center",
            va="bottom",
        )
    if shown:
        _break_lines(ax, shown, lang, dimension)
        ax.set_xticks(shown)
        ax.set_xticklabels([str(y) for y in shown], rotation=0 if len(shown) <= 10 else 45)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("score_axis", lang))
    ax.set_title(
        SAY(
            "history_title",
            lang,
            unit=province_label(unit.code, lang, "34"),
            dimension=dimension_label(dimension, lang),
            start=min(shown, default=start_year),
            end=max(shown, default=end_year),
        )
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, labelspacing=1.0)
    _source_note(ax, lang, SAY("history_note", lang))
    return fig


@in_language
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
            ax.add_patch(
                mpl.patches.Rectangle(
                    (j, i), 0.96, 0.92, color=color, hatch=None if has else "///", ec="white" if has else "#9e9e9e"
                )
            )
            text = f"{int(row['rank'])}/{int(row['n_ranked'])}" if has else "–"
            dark = color in (GROUP_COLORS["highest"], GROUP_COLORS["lowest"])
            ax.text(
                j + 0.48, i + 0.46, text, ha="center", va="center", fontsize=7.5, color="white" if dark else "black"
            )
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
    handles: list[Artist] = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Patch(facecolor=MISSING_COLOR, hatch="///", edgecolor="#9e9e9e", label=label("no_data", lang)))
    handles.append(Line2D([0], [0], color="#333333", linestyle="--", label=label("break", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(label("groups_title", lang).format(province=province_label(code, lang, provinces.geography_of(trend))))
    note = recast_note(trend, lang)  # a merged unit's groups and ranks before 2025 come from estimates
    ax.annotate(
        label("groups_note", lang) + " " + label("source", lang) + (f"\n{note}" if note else ""),
        xy=(0, -0.02),
        xycoords="axes fraction",
        xytext=(0, -38),
        textcoords="offset points",
        fontsize=7.5,
        color="#555555",
        va="top",
    )
    return fig


@in_language
def plot_subdimension_gaps(
    gaps: pd.DataFrame, province: str | int, lang: str = "vi", top: int = 12, geography: str = "63"
) -> plt.Figure:
    """Horizontal bars: each sub-dimension's distance from the national median (shortfalls first)."""
    code = provinces.resolve(province, geography=geography)
    rows = gaps.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(rows) + 1.5))
    from ..tables import subdimension_label  # full, corrected display names (source typos fixed)

    names = [
        f"{r.subdimension.lstrip('D')} {subdimension_label(r.subdimension, r.year, lang, r.label_vi + r.label_en)}"
        for r in rows.itertuples()
    ]
    colors = [GROUP_COLORS["lowest"] if g < 0 else GROUP_COLORS["highest"] for g in rows["gap"]]
    ax.barh(names, rows["gap"], color=colors)
    ax.axvline(0, color=NATIONAL_COLOR, linewidth=1)
    for y, r in enumerate(rows.itertuples()):
        ax.annotate(
            f"{r.rank}/{r.n}",
            xy=(r.gap, y),
            xytext=(4 if r.gap >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if r.gap >= 0 else "right",
            va="center",
            fontsize=7.5,
        )
    ax.set_xlabel(label("sub_axis", lang))
    year = int(gaps["year"].iloc[0])
    shown = (
        label("sub_subset", lang).format(n=len(rows), total=len(gaps))
        if len(rows) < len(gaps)
        else label("sub_all", lang).format(total=len(gaps))
    )  # say which subset the figure shows
    ax.set_title(
        label("sub_title", lang).format(province=province_label(code, lang, geography), year=year, shown=shown)
    )
    ax.tick_params(axis="y", labelsize=8)
    from ..tables import SUBDIMENSION_MARK_NOTE

    mark = ("\n" + SUBDIMENSION_MARK_NOTE[lang]) if any(n.endswith("*") for n in names) else ""
    if geography == "34":  # the merged units' sub-dimension scores (and so the national median) are estimates
        mark += "\n" + geography_34_note(lang)
    _source_note(ax, lang, label("sub_note", lang) + mark)
    return fig


@in_language
def plot_peers(
    peer_rows: pd.DataFrame, year: int, dimension: str, national_median: float, lang: str = "vi"
) -> plt.Figure:
    """Region's provinces ranked by score, bars coloured by national group, selected province outlined."""
    rows = peer_rows.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(rows) + 1.6))
    colors = [
        GROUP_COLORS.get(g, MISSING_COLOR) if pd.notna(s) else MISSING_COLOR
        for g, s in zip(rows["group"], rows["score"])
    ]
    geography = provinces.geography_of(peer_rows)
    names = [provinces.name(c, lang, geography=geography) for c in rows["province_code"]]
    ys = np.arange(len(rows))
    # dots on stems from the national median: no bar baseline to truncate
    ax.hlines(ys, national_median, rows["score"].fillna(national_median), color="#9e9e9e", linewidth=1)
    has = rows["score"].notna().to_numpy()
    ax.scatter(
        rows["score"][has],
        ys[has],
        s=90,
        c=[c for c, h in zip(colors, has) if h],
        zorder=3,
        edgecolors=["black" if sel else "white" for sel, h in zip(rows["selected"], has) if h],
        linewidths=[2.2 if sel else 0.8 for sel, h in zip(rows["selected"], has) if h],
    )
    ax.set_yticks(ys)
    ax.set_yticklabels(names)
    for tick, selected in zip(ax.get_yticklabels(), rows["selected"]):
        tick.set_fontweight("bold" if selected else "normal")
    ax.axvline(
        national_median, color=NATIONAL_COLOR, linestyle=":", linewidth=1.5, label=label("national_median", lang)
    )
    valid = rows["score"].dropna()
    if not valid.empty:
        ax.set_xlim(
            valid.min() * 0.97 if dimension == schema.TOTAL else max(0, valid.min() - 1),
            valid.max() * 1.04 if dimension == schema.TOTAL else min(10, valid.max() + 0.6),
        )
    left = ax.get_xlim()[0]
    for y, r in enumerate(rows.itertuples()):
        text = (
            f"{numbers.number(r.score, lang)} ({int(r.rank)}/{int(r.n_ranked)})"
            if pd.notna(r.score)
            else label("no_data", lang)
        )
        ax.annotate(
            text,
            xy=(left if pd.isna(r.score) else r.score, y),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color="#555555" if pd.isna(r.score) else "black",
        )
    code = int(rows.loc[rows["selected"], "province_code"].iloc[0])
    record = provinces.get(code, geography=geography)
    region = getattr(record, f"region_{check_lang(lang)}")
    ax.set_title(label("peer_title", lang).format(region=region, year=year, dimension=dimension_label(dimension, lang)))
    ax.set_xlabel(label("score_axis", lang))
    handles: list[Artist] = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Line2D([0], [0], color=NATIONAL_COLOR, linestyle=":", label=label("national_median", lang)))
    handles.append(
        Line2D(
            [0],
            [0],
            marker="o",
            color="white",
            markerfacecolor="white",
            markeredgecolor="black",
            markeredgewidth=2,
            markersize=9,
            label=label("selected", lang),
        )
    )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _source_note(ax, lang, geography_34_note(lang) if geography == "34" else "")
    return fig
