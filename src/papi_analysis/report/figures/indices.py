"""Figure for a plan's PAR INDEX / SIPAS targets: how far each field's baseline and target are from
its maximum (notebook 04_other_indices). Drawn with the project style; saved with figures.save_figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ...analysis import index_checks
from ...data import indices
from ...params import check_lang
from .. import figures, numbers
from ..messages import Messages
from .style import in_language

TEXTS = Messages(
    {
        "title": {
            "vi": "{short}: điểm năm {base:year}, mục tiêu năm {target:year} và điểm tối đa",
            "en": "{short}: {base:year} score, {target:year} target and maximum",
        },
        "baseline": {"vi": "Điểm năm {base:year} (kế hoạch ghi)", "en": "{base:year} score (as the plan states it)"},
        "gain": {"vi": "Mức tăng tới mục tiêu năm {target:year}", "en": "Gain to the {target:year} target"},
        "max": {"vi": "Điểm tối đa", "en": "Maximum points"},
        "target_only": {"vi": "Mục tiêu (không có điểm năm gốc)", "en": "Target (no baseline stated)"},
        "points": {"vi": "Điểm", "en": "Points"},
        "source": {"vi": "Nguồn: kế hoạch của tỉnh ({where})", "en": "Source: the province's plan ({where})"},
        "source_plan": {"vi": "Nguồn: kế hoạch của tỉnh", "en": "Source: the province's plan"},
    }
)
#: a figure the plan does not state, in the bar's label
NOT_STATED = "—"


def headroom_rows(room: pd.DataFrame) -> pd.DataFrame:
    """The rows the figure draws: the index's fields (or its total when the plan sets no field target),
    only those with a maximum and a target or baseline."""
    usable = room[room["max_points"].notna() & (room["target"].notna() | room["baseline"].notna())]
    fields = usable[usable["component"].str.fullmatch(r"F\d")]
    return (fields if len(fields) else usable[usable["component"] == "total"]).reset_index(drop=True)


@in_language
def plot_headroom(room: pd.DataFrame, lang: str = "vi", where: str = "") -> plt.Figure | None:
    """Horizontal bars, one per field: grey = the maximum, dark = the stated baseline, orange = the planned
    gain to the target (a marker alone where no baseline is stated). None if there is nothing to draw."""
    lang = check_lang(lang)
    rows = headroom_rows(room)
    if rows.empty:
        return None
    figures.apply_style()
    t = TEXTS.bind(lang)
    index = rows["index"].iloc[0]
    spec = indices.get_index(index)
    base, target = int(rows["baseline_year"].min()), int(rows["target_year"].max())
    labels = [
        spec.component(c).name(lang) if c == "total" else f"{c} {spec.component(c).name(lang)}"
        for c in rows["component"]
    ]
    labels = [_wrap(text, 38) for text in labels]
    fig, ax = plt.subplots(figsize=(8.5, 0.62 * len(rows) + 1.8), layout="constrained")
    y = list(range(len(rows)))[::-1]
    ax.barh(y, rows["max_points"], color="#e6e6e6", height=0.6, label=t["max"])
    has_base = rows["baseline"].notna()
    if has_base.any():
        ax.barh(
            [v for v, h in zip(y, has_base) if h],
            rows.loc[has_base, "baseline"],
            color="#4d4d4d",
            height=0.6,
            label=t("baseline", base=base),
        )
    gain = rows["target"] - rows["baseline"]
    drawn = has_base & rows["target"].notna() & (gain > 0)
    if drawn.any():
        ax.barh(
            [v for v, h in zip(y, drawn) if h],
            gain[drawn],
            left=rows.loc[drawn, "baseline"],
            color="#e08214",
            height=0.6,
            label=t("gain", target=target),
        )
    only_target = ~has_base & rows["target"].notna()
    if only_target.any():
        ax.scatter(
            rows.loc[only_target, "target"],
            [v for v, h in zip(y, only_target) if h],
            marker="D",
            color="#e08214",
            zorder=3,
            label=t["target_only"],
        )
    for v, (_, r) in zip(y, rows.iterrows()):
        ax.annotate(
            _value_text(r, lang),
            xy=(r["max_points"], v),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_xlabel(t["points"])
    ax.set_xlim(0, float(rows["max_points"].max()) * 1.3)
    ax.grid(axis="y", visible=False)
    short = index_checks.SHORT_NAMES.get(index, index)
    ax.set_title(t("title", short=short, base=base, target=target), loc="left", pad=16)
    fig.legend(loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    source = t("source", where=where) if where else t["source_plan"]
    ax.text(0, 1.01, source, transform=ax.transAxes, fontsize=7.5, color="#555555", va="bottom")
    return fig


def _value_text(row: pd.Series, lang: str) -> str:
    """'7,97 → 8,97 / 9,5' (baseline → target / maximum, in the reader's marks; "—" where the plan states none)."""
    baseline, target = (
        NOT_STATED if pd.isna(row[column]) else numbers.number(row[column], lang) for column in ("baseline", "target")
    )
    return f"{baseline} → {target} / {numbers.short_number(row['max_points'], lang)}"


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
