"""Maps of the PAPI groups on the 63 or 34 provinces, with Hoàng Sa and Trường Sa shown and named."""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from ... import config
from ...analysis import ranking
from ...data import provinces
from ...data.geography import has_recast
from ..messages import Messages
from .style import GROUP_COLORS, MISSING_COLOR, dimension_label, in_language, label

#: the maps' words, in both languages (no language branches in the drawing code)
SAY = Messages(
    {
        "truong_sa": {"vi": "Quần đảo Trường Sa", "en": "Truong Sa (Spratly) Islands"},
        "hoang_sa": {"vi": "Quần đảo Hoàng Sa", "en": "Hoang Sa (Paracel) Islands"},
        "geography_34": {"vi": "34 tỉnh, thành phố", "en": "34 provinces"},
        "recast_note": {
            "vi": "Điểm các tỉnh hợp nhất trước 2025: ước tính của dự án (bình quân theo dân số của các tỉnh cũ), "
            "không phải số liệu PAPI công bố",
            "en": "Scores of merged provinces before 2025: this project's estimates (population-weighted means of "
            "the former provinces), not PAPI publications",
        },
    }
)
TRUONG_SA = SAY["truong_sa"]
HOANG_SA = SAY["hoang_sa"]
#: lon/lat boxes of the two archipelagos (they belong to Đà Nẵng and Khánh Hòa in both geographies)
HOANG_SA_BOX = (110.9, 15.5, 113.0, 17.3)
TRUONG_SA_BOX = (109.5, 6.7, 117.3, 11.8)


def load_boundaries(geography: str = "63"):
    """Province boundaries (GeoDataFrame with ``province_code``) of a geography from data/raw/geo/."""
    import geopandas as gpd

    geography = provinces.check_geography(geography)
    return gpd.read_file(config.DATA_RAW / "geo" / f"provinces_{geography}.geojson")


@contextmanager
def _drawn_once(fig: plt.Figure):
    """No drawing while the map's layers are added. geopandas' ``plot`` ends with ``canvas.draw_idle()``, which on
    a canvas without a screen (reports, notebooks) draws the whole figure at once: 7 times per map. Building a map
    took 0.49-0.54 s with those drawings and takes 0.10-0.12 s without; the saved files are byte-identical. The
    figure is drawn when it is saved."""
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        del canvas.draw_idle


@in_language
def plot_group_map(
    ranked: pd.DataFrame,
    year: int,
    dimension: str,
    province: str | int | None = None,
    lang: str = "vi",
    geography: str | None = None,
) -> plt.Figure:
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
    shapes["color"] = [
        GROUP_COLORS[g] if isinstance(g, str) and g in GROUP_COLORS else MISSING_COLOR for g in shapes["group"]
    ]
    fig, ax = plt.subplots(figsize=(6.4, 8.5))
    # the Trường Sa islands lie far to the south-east: an inset keeps them without shrinking the mainland
    inset = ax.inset_axes((0.72, 0.03, 0.26, 0.2))
    code = provinces.resolve(province, geography=geography) if province is not None else None
    with _drawn_once(fig):
        for axis, edge in ((ax, 0.3), (inset, 1.5)):
            shapes.plot(
                ax=axis, color=shapes["color"], edgecolor=shapes["color"] if axis is inset else "white", linewidth=edge
            )
            missing = shapes[shapes["score"].isna()]
            if not missing.empty:
                missing.plot(ax=axis, facecolor=MISSING_COLOR, edgecolor="#9e9e9e", hatch="///", linewidth=0.3)
            if code is not None:
                shapes[shapes["province_code"] == code].plot(
                    ax=axis, facecolor="none", edgecolor="black", linewidth=1.2
                )
        # islands are specks at this scale: redraw Hoàng Sa with a thick edge in its province's colour
        hoang_sa = shapes.clip(shapely.box(*HOANG_SA_BOX))
        hoang_sa = hoang_sa[~hoang_sa.is_empty].reset_index(drop=True)
        hoang_sa.plot(ax=ax, color=list(hoang_sa["color"]), edgecolor=list(hoang_sa["color"]), linewidth=1.5)
    ax.annotate(
        f"{SAY('hoang_sa', lang)}\n({provinces.name(48, lang, geography=geography)})",
        xy=(HOANG_SA_BOX[0] + 0.9, HOANG_SA_BOX[3]),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=6.5,
        color="#333333",
    )
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
    inset.set_title(f"{SAY('truong_sa', lang)} ({provinces.name(56, lang, geography=geography)})", fontsize=6.5)
    ax.set_axis_off()
    handles = [Patch(color=GROUP_COLORS[g], label=label(g, lang)) for g in ranking.GROUPS]
    handles.append(Patch(facecolor=MISSING_COLOR, hatch="///", edgecolor="#9e9e9e", label=label("no_data", lang)))
    if code is not None:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="black",
                linewidth=1.2,
                label=provinces.name(code, lang, geography=geography),
            )
        )
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    title = label("map_title", lang).format(year=year, dimension=dimension_label(dimension, lang))
    if geography == "34":
        title += " — " + SAY("geography_34", lang)
    ax.set_title(title)
    note = label("source", lang)
    extra = recast_note(ranked[(ranked["year"] == year) & (ranked["dimension"] == dimension)], lang)
    ax.annotate(
        note + (f".\n{extra}" if extra else ""),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -10),
        textcoords="offset points",
        fontsize=7,
        color="#555555",
        va="top",
    )
    return fig


def recast_note(rows: pd.DataFrame, lang: str) -> str:
    """A caption line when ``rows`` contain recast (estimated) scores; empty otherwise."""
    if not has_recast(rows):
        return ""
    return geography_34_note(lang)


def geography_34_note(lang: str) -> str:
    """The caption line of any figure on the 34-province geography: merged provinces' scores before 2025 are this
    project's estimates (for figures whose rows do not carry ``score_source``)."""
    return SAY("recast_note", lang)
