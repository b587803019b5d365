"""The targets report's figure per score target, up to :data:`MAX_TARGET_FIGURES`, and the sentence saying so.

A plan may list hundreds of targets; a figure each would fill the report and the province page. The table before
the figures lists every target; the figures show the first :data:`MAX_TARGET_FIGURES` score targets, and the report
says how many were left out. File names are made from the plan's and the target's ids by
:func:`papi_analysis.params.file_slug`: a plan id "45/KH-UBND" never names a folder.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..analysis import trends
from ..params import check_lang, file_slug
from . import figures
from .texts.messages import Messages

#: score targets drawn per report (the seed plans have at most 9 per plan)
MAX_TARGET_FIGURES = 12

SAY = Messages(
    {
        "capped": {
            "vi": "Hình chỉ được vẽ cho {shown:int} trong số {total:int} mục tiêu điểm số (các mục tiêu đầu tiên "
            "của kế hoạch); bảng ở trên liệt kê đủ mọi mục tiêu.",
            "en": "Figures are drawn for {shown:int} of the {total:int} score targets (the plan's first ones); the "
            "table above lists every target.",
        },
    }
)


def target_figure_name(plan_id: object, target_id: object, lang: str) -> str:
    """``target_<plan>_<target>_<lang>``, each id made a file name by :func:`papi_analysis.params.file_slug`."""
    return f"target_{file_slug(plan_id)}_{file_slug(target_id)}_{check_lang(lang)}"


def save_target_figures(
    evaluation: pd.DataFrame, panel: pd.DataFrame, lang: str, geography: str = "63", limit: int = MAX_TARGET_FIGURES
) -> list[Path]:
    """Draw and save the figure of each score target of ``evaluation`` (``kind`` "score_at_least"), at most
    ``limit`` of them; in a notebook, a sentence follows when some were left out. Returns the files written."""
    scored = evaluation[evaluation["kind"] == "score_at_least"]
    written: list[Path] = []
    trends_of: dict[int, pd.DataFrame] = {}
    for row in scored.head(limit).itertuples():
        if row.province_code not in trends_of:
            trends_of[row.province_code] = trends.province_trend(panel, row.province_code)
        written += figures.save_figure(
            figures.plot_target(trends_of[row.province_code], evaluation.loc[row.Index], lang),
            target_figure_name(row.plan_id, row.target_id, lang),
            row.province_code,
            geography=geography,
        )
    if len(scored) > limit:
        sentence = SAY("capped", lang, shown=limit, total=len(scored))
        try:
            from IPython import get_ipython
            from IPython.display import HTML, display
        except ImportError:
            return written
        if get_ipython() is not None:
            display(HTML(f"<p>{html.escape(sentence)}</p>"))
    return written
