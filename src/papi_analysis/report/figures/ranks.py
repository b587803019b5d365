"""Figures of rank uncertainty: the caterpillar of 95% rank intervals (notebook 01, section 8)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...analysis import ranking
from ...data import provinces
from ...params import check_lang
from ..messages import Messages
from .style import (
    GROUP_COLORS,
    LABELS,
    MISSING_COLOR,
    NATIONAL_COLOR,
    PROVINCE_COLOR,
    dimension_label,
    in_language,
    label,
)

# --- rank uncertainty (issue 13) -------------------------------------------------------------

RANK_INTERVAL = Messages(
    {
        # in a table the interval's level (95%) is said once, in the column's header or the row's label
        "cell": {"vi": "{rank:int} ({low:int}–{high:int})", "en": "{rank:int} ({low:int}–{high:int})"},
        # a figure's label is read without a header or a glossary: spelled out
        "labelled": {
            "vi": "{rank:int} (khoảng tin cậy 95%: {low:int}–{high:int})",
            "en": "{rank:int} (95% CI: {low:int}–{high:int})",
        },
        "none": {
            "vi": "{rank:int} (không tính được khoảng tin cậy)",
            "en": "{rank:int} (no confidence interval: no standard error)",
        },
    }
)


def rank_interval(rank: int, low, high, lang: str = "vi", labelled: bool = False) -> str:
    """A rank and its 95% interval: "21 (12–33)" in a table cell (its header says what the interval is);
    ``labelled`` for a figure's label, "21 (khoảng tin cậy 95%: 12–33)" / "21 (95% CI: 12–33)"; without a standard
    error "21 (không tính được khoảng tin cậy)"."""
    lang = check_lang(lang)
    if pd.isna(low) or pd.isna(high):
        return RANK_INTERVAL("none", lang, rank=int(rank))
    return RANK_INTERVAL("labelled" if labelled else "cell", lang, rank=int(rank), low=int(low), high=int(high))


LABELS["vi"].update(
    {
        "caterpillar_title": "{dimension} {year}: điểm và thứ hạng của {n} tỉnh, với khoảng tin cậy 95%",
        "ci95_se": "Khoảng tin cậy 95% của điểm (±1,96 × sai số chuẩn PAPI công bố)",
        "ci95_se_34": "Khoảng tin cậy 95% của điểm (±1,96 × sai số chuẩn; tỉnh hợp nhất: ước tính)",
        "cutoff": "Ranh giới nhóm (tứ phân vị 25, 50, 75)",
        "rank_ci": "Khoảng tin cậy 95% của thứ hạng (Mogstad và cộng sự 2023)",
        "rank_axis": "Thứ hạng (1 = cao nhất)",
        "rank_order": "Các tỉnh, xếp theo điểm",
        "borrowed_se": "Sai số chuẩn mượn từ năm gần nhất (giả định, không phải số công bố)",
        "caterpillar_note": (
            "Cách đọc: mỗi cột là một tỉnh, xếp theo điểm. Hai khoảng chồng nhau nhiều thì không chắc tỉnh "
            "nào cao hơn. Khoảng thứ hạng chứa thứ hạng thật với xác suất ít nhất 95% cho từng tỉnh. "
            "Không thể hiện: sai số ngoài chọn mẫu, thay đổi phương pháp."
        ),
    }
)
LABELS["en"].update(
    {
        "caterpillar_title": "{dimension} {year}: scores and ranks of {n} provinces with 95% confidence intervals",
        "ci95_se": "95% confidence interval of the score (±1.96 × PAPI's published SE)",
        "ci95_se_34": "95% confidence interval of the score (±1.96 × SE; merged provinces: an estimate)",
        "cutoff": "Group cut-off (25th, 50th, 75th percentile)",
        "rank_ci": "95% confidence interval of the rank (Mogstad et al. 2023)",
        "rank_axis": "Rank (1 = best)",
        "rank_order": "Provinces, ordered by score",
        "borrowed_se": "SE borrowed from the nearest year (assumption, not published)",
        "caterpillar_note": (
            "How to read: one column per province, ordered by score. Where two intervals overlap widely, "
            "it is not certain which province is higher. Each rank interval holds the true rank with at "
            "least 95% probability. Not shown: non-sampling error, methodology changes."
        ),
    }
)


@in_language
def plot_rank_caterpillar(
    intervals: pd.DataFrame, province: str | int | None = None, lang: str = "vi", geography: str = "63"
) -> plt.Figure:
    """Caterpillar plot of one year and dimension from :func:`rank_uncertainty.rank_intervals`.

    Top: every province's score with its 95% CI (±1.96 SE), coloured by published group, the three group
    cut-offs dashed. Bottom: the 95% confidence interval of each rank. The selected province is orange and
    labelled; provinces whose SE is borrowed (an assumption) are drawn hollow.
    """
    from ...analysis import rank_uncertainty

    lang = check_lang(lang)
    rows = intervals.sort_values(["rank", "province_code"]).reset_index(drop=True)
    if rows["se"].isna().all():
        raise ValueError(
            "No standard errors for this year and dimension: PAPI did not publish them, so there is "
            "nothing to draw. Choose a year from rank_uncertainty.years_with_se(panel, dimension)."
        )
    year, dimension = int(rows["year"].iloc[0]), rows["dimension"].iloc[0]
    code = (
        None
        if province is None
        else int(province)
        if isinstance(province, (int, np.integer))
        else provinces.resolve(province, geography=geography)
    )
    x = np.arange(1, len(rows) + 1)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 8.2), sharex=True, height_ratios=[1.1, 1])
    half = 1.959964 * rows["se"]
    borrowed = ~rows["se_basis"].isin([rank_uncertainty.PUBLISHED, rank_uncertainty.RECAST_SE]).to_numpy()
    colors = np.array([GROUP_COLORS.get(g, MISSING_COLOR) for g in rows["group"]])
    selected = (rows["province_code"] == code).to_numpy() if code is not None else np.zeros(len(rows), bool)
    for ax, low, mid, high in (
        (top, rows["score"] - half, rows["score"], rows["score"] + half),
        (bottom, rows["rank_low"].astype(float), rows["rank"].astype(float), rows["rank_high"].astype(float)),
    ):
        ax.vlines(
            x, low, high, colors=np.where(selected, PROVINCE_COLOR, colors), linewidth=np.where(selected, 2.6, 1.6)
        )
        face = np.where(borrowed, "white", np.where(selected, PROVINCE_COLOR, colors))
        ax.scatter(
            x,
            mid,
            s=np.where(selected, 60, 20),
            c=list(face),
            edgecolors=list(np.where(selected, "black", colors)),
            linewidths=0.9,
            zorder=3,
        )
    for cut in ranking.quartile_cutoffs(rows["score"]):
        top.axhline(cut, color=NATIONAL_COLOR, linestyle="--", linewidth=0.9)
    group_edges = rows.groupby("group", sort=False)["rank"].max().astype(float)
    for g in ranking.GROUPS[:-1]:
        if g in group_edges.index:
            bottom.axhline(group_edges[g] + 0.5, color=NATIONAL_COLOR, linestyle="--", linewidth=0.9)
    bottom.invert_yaxis()
    bottom.set_ylim(len(rows) + 1, 0)
    top.set_ylabel(label("score_axis", lang))
    bottom.set_ylabel(label("rank_axis", lang))
    bottom.set_xticks(x)
    bottom.set_xticklabels(
        [
            provinces.name(c, lang, geography=geography) if geography != "63" or not _is_other_geography(c) else str(c)
            for c in rows["province_code"]
        ],
        rotation=90,
        fontsize=6.5,
    )
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
        text = f"{provinces.name(int(r['province_code']), lang, geography=geography)}: " + rank_interval(
            r["rank"], r["rank_low"], r["rank_high"], lang, labelled=True
        )
        # label beside the interval: below it when there is room, else above; toward the middle of the axis
        below = float(r["rank_high"]) < 0.6 * len(rows)
        anchor = float(r["rank_high"]) if below else float(r["rank_low"])
        bottom.annotate(
            text,
            xy=(x[i], anchor),
            xytext=(0, -6 if below else 6),
            textcoords="offset points",
            ha="left" if x[i] < len(rows) / 2 else "right",
            va="top" if below else "bottom",
            fontsize=9.5,
            fontweight="bold",
            color=PROVINCE_COLOR,
            bbox={"facecolor": "white", "edgecolor": PROVINCE_COLOR, "alpha": 0.92, "pad": 3},
        )
    handles: list[Artist] = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles += [
        Line2D(
            [0],
            [0],
            color="#555555",
            linewidth=1.6,
            label=label("ci95_se_34" if geography == "34" else "ci95_se", lang),
        ),
        Line2D([0], [0], color=NATIONAL_COLOR, linestyle="--", label=label("cutoff", lang)),
        Line2D([0], [0], color="#555555", linewidth=1.6, label=label("rank_ci", lang)),
    ]
    if borrowed.any():
        handles.append(
            Line2D([0], [0], marker="o", color="white", markeredgecolor="#555555", label=label("borrowed_se", lang))
        )
    if selected.any() and code is not None:
        handles.append(
            Line2D(
                [0],
                [0],
                marker="o",
                color=PROVINCE_COLOR,
                markeredgecolor="black",
                label=provinces.name(code, lang, geography=geography),
            )
        )
    top.legend(handles=handles, loc="upper right", fontsize=7.5, frameon=True, framealpha=0.9)
    top.set_title(
        label("caterpillar_title", lang).format(dimension=dimension_label(dimension, lang), year=year, n=len(rows))
    )
    fig.text(
        0.01,
        -0.02,
        label("caterpillar_note", lang) + " " + label("source", lang),
        fontsize=7.5,
        color="#555555",
        va="top",
        wrap=True,
    )
    fig.tight_layout()
    return fig


def _is_other_geography(code: int) -> bool:
    """True for a code the 63-province registry does not know (e.g. a post-2025 province): label it by code."""
    try:
        provinces.name(int(code), "vi")
        return False
    except Exception:
        return True
