"""Names from the unit's own geography (issue 27, item 3): a province is a code *within a geography*.

Since 1 July 2025 a merged unit keeps the GSO code of one of its old provinces: 44 is Quảng Bình among the 63 and
Quảng Trị among the 34. A figure that looks a 34-province code up among the 63 titles the new Quảng Trị's chart
"Quảng Bình". These tests draw the target and trends figures, as the reports draw them, for every merged 34-province
unit whose code is also an old province's code, and read the drawn title and the alt text the report gives the image.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import pytest

from papi_analysis import load_scores, targets
from papi_analysis.analysis import ranking, trends
from papi_analysis.data import provinces
from papi_analysis.data.panel import read_subdimensions
from papi_analysis.report import figures

EXAMPLE_PLAN = "examples/my_plan.yaml"  # Quảng Trị's 2025 targets, read on the 34 provinces


def _shared_codes() -> list[int]:
    """Merged 34-province units whose code is also the code of one of the 63 old provinces."""
    old = provinces.registry(geography="63")
    return [
        int(code)
        for code in provinces.registry(geography="34").index
        if provinces.get(int(code), geography="34").merged and code in old.index
    ]


SHARED = _shared_codes()
#: the units where the old province of that code has another name: the ones a wrong lookup shows at once
RENAMED = [c for c in SHARED if provinces.name(c, "vi", geography="34") != provinces.name(c, "vi", geography="63")]


def test_the_cases_exist():
    assert len(SHARED) >= 20
    assert 44 in RENAMED  # Quảng Trị (34) = Quảng Bình (63)'s code
    assert len(RENAMED) >= 5


@lru_cache(maxsize=1)
def _panel():
    return load_scores(geography="34")


@lru_cache(maxsize=1)
def _panel_63():
    return load_scores(geography="63")


@lru_cache(maxsize=1)
def _subdimensions():
    return read_subdimensions(geography="34")


@lru_cache(maxsize=1)
def _score_target():
    """The example plan's score target (D2, 2025) for Quảng Trị, evaluated as the targets report evaluates it."""
    chosen = targets.filter_targets(
        targets.in_geography(targets.select_plan(EXAMPLE_PLAN), "34"), "Quảng Trị", 2025, "34"
    )
    evaluation = targets.evaluate_targets(chosen, _panel(), lang="vi")
    return evaluation[evaluation["kind"] == "score_at_least"].iloc[0]


def _titles(fig: plt.Figure) -> str:
    parts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) is not None else []
    parts += [ax.get_title() for ax in fig.axes]
    return " | ".join(p for p in parts if p)


def _check(fig: plt.Figure, code: int, lang: str) -> None:
    right = provinces.name(code, lang, geography="34")
    wrong = provinces.name(code, lang, geography="63")
    try:
        fig.canvas.draw()  # the title as drawn
        drawn, alt = _titles(fig), figures.figure_alt_text(fig)
    finally:
        plt.close(fig)
    assert right in drawn, (code, drawn)
    assert right in alt, (code, alt)
    if wrong != right:
        assert wrong not in drawn and wrong not in alt, (code, drawn)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("code", SHARED)
def test_target_figure_names_the_34_province_unit(code, lang):
    row = _score_target().copy()
    row["province_code"], row["province"] = code, provinces.name(code, "vi", geography="34")
    _check(figures.plot_target(trends.province_trend(_panel(), code), row, lang), code, lang)


def test_the_example_plan_draws_quang_tri():
    """The defect as a user met it: `report --province "Quảng Trị" --plan examples/my_plan.yaml`."""
    row = _score_target()
    fig = figures.plot_target(trends.province_trend(_panel(), int(row["province_code"])), row, "vi")
    alt = figures.figure_alt_text(fig)
    plt.close(fig)
    assert alt == "Quảng Trị: D2 Công khai, minh bạch — mục tiêu 2025"


@pytest.mark.parametrize(
    ("code", "lang"), [(c, "vi") for c in SHARED] + [(c, "en") for c in RENAMED]
)  # English for the units whose old namesake code has another name: the cases a wrong lookup shows
def test_trends_figures_name_the_34_province_unit(code, lang):
    trend = trends.province_trend(_panel(), code)
    _check(figures.plot_trend(trend, "total", lang), code, lang)
    _check(figures.plot_group_matrix(trend, lang), code, lang)
    _check(figures.plot_unit_history(_panel(), _panel_63(), code, lang), code, lang)
    gaps = trends.subdimension_gaps(_subdimensions(), code)
    if not gaps.empty:
        _check(figures.plot_subdimension_gaps(gaps, code, lang, geography="34"), code, lang)


@pytest.mark.parametrize("code", RENAMED)
def test_trend_grid_and_map_name_the_34_province_unit(code):
    trend = trends.province_trend(_panel(), code)
    _check(figures.plot_trend_grid(trend, "vi"), code, "vi")
    fig = figures.plot_group_map(ranking.rank_and_group(_panel()), 2024, "total", code, "vi")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    assert provinces.name(code, "vi", geography="34") in legend
    assert provinces.name(code, "vi", geography="63") not in legend
