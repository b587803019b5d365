"""34-province views the official site does not have (issue 27, item 7), and figure words without language branches
(issue 25): a merged unit's recast 2011-2024 history beside its former provinces' published scores, captioned in
the reader's language with numbers in the reader's marks; the 34-province map in every trends report on the 34."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pytest

from papi_analysis import config, load_scores
from papi_analysis.data import provinces
from papi_analysis.report import figures
from papi_analysis.report.figures import maps as map_figures
from papi_analysis.report.figures import trends as trend_figures
from papi_analysis.report.messages import Messages
from papi_analysis.report.texts import trends as trend_texts

FIGURE_MODULES = [map_figures, trend_figures]


@lru_cache(maxsize=1)
def _panels():
    return load_scores(geography="34"), load_scores(geography="63")


def _lines(fig: plt.Figure) -> dict[str, object]:
    return {line.get_label(): line for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")}


def _points(fig: plt.Figure, color: str) -> dict[int, float]:
    """Every drawn (year, score) of the lines in ``color`` (a history is drawn as several runs)."""
    out = {}
    for line in fig.axes[0].get_lines():
        if line.get_color() == color:
            out.update({int(x): float(y) for x, y in zip(line.get_xdata(), line.get_ydata())})
    return out


@pytest.mark.parametrize(("unit", "lang"), [("Quảng Trị", "vi"), ("TP. Hồ Chí Minh", "en"), ("Bắc Ninh", "vi")])
def test_history_draws_the_recast_unit_beside_its_former_provinces(unit, lang):
    panel_34, panel_63 = _panels()
    code = provinces.resolve(unit, geography="34")
    fig = figures.plot_unit_history(panel_34, panel_63, code, lang)
    try:
        fig.canvas.draw()
        labels = list(_lines(fig))
        unit_points = _points(fig, figures.PROVINCE_COLOR)
        unit_faces = {
            line.get_markerfacecolor() for line in fig.axes[0].get_lines() if line.get_color() == figures.PROVINCE_COLOR
        }
        former = {
            c: _points(fig, color)
            for c, (color, _, _) in zip(
                sorted(
                    provinces.old_provinces(code),
                    key=lambda c: (provinces.name(c, geography="63") != provinces.name(code, geography="34"), c),
                ),
                trend_figures.FORMER_STYLES,
            )
        }
        note = " ".join(t.get_text() for t in fig.axes[0].texts)
    finally:
        plt.close(fig)
    # one legend entry per former province (named among the 63) and one for the unit, labelled as an estimate
    assert len(labels) == len(provinces.old_provinces(code)) + 1
    for old in provinces.old_provinces(code):
        assert any(provinces.name(old, lang, geography="63") in text for text in labels)
    assert any({"vi": "ước tính", "en": "estimate"}[lang] in text for text in labels)
    assert unit_faces == {"white"}  # open markers: an estimate, never drawn as a publication
    assert {"vi": "ước tính của dự án", "en": "this project's estimate"}[lang] in note
    # the drawn numbers are the panels' numbers: recast for the unit, published for each former province
    own = panel_34[(panel_34["province_code"] == code) & (panel_34["dimension"] == "total")].set_index("year")
    assert unit_points == pytest.approx(own["score"].dropna().to_dict())
    assert set(own.loc[own["score"].notna(), "score_source"]) == {"recast"}
    for old, points in former.items():
        published = panel_63[(panel_63["province_code"] == old) & (panel_63["dimension"] == "total")].set_index("year")
        assert points == pytest.approx(published["score"].dropna().to_dict()), old
    # missing stays missing: a year a former province has no total has no estimate either
    for year, score in own["score"].items():
        if np.isnan(score):
            assert year not in unit_points


def test_history_missing_years_of_bac_ninh_stay_missing():
    panel_34, panel_63 = _panels()
    fig = figures.plot_unit_history(panel_34, panel_63, provinces.resolve("Bắc Ninh", geography="34"), "vi")
    points = _points(fig, figures.PROVINCE_COLOR)
    plt.close(fig)
    assert 2014 not in points and 2021 not in points  # Bắc Giang 2014, both 2021: not published
    assert 2013 in points and 2024 in points


def test_history_refuses_a_unit_that_kept_its_boundaries():
    panel_34, panel_63 = _panels()
    with pytest.raises(ValueError, match="no recast history"):
        figures.plot_unit_history(panel_34, panel_63, provinces.resolve("Cao Bằng", geography="34"), "vi")
    sentence = trend_texts.history_caption(panel_34, panel_63, provinces.resolve("Cao Bằng", geography="34"), "vi")
    assert "không có ước tính" in sentence


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_history_caption_reads_the_figure_in_the_readers_language_and_marks(lang):
    panel_34, panel_63 = _panels()
    code = provinces.resolve("Quảng Trị", geography="34")
    caption = trend_texts.history_caption(panel_34, panel_63, code, lang)
    estimate = panel_34.query("province_code == @code and dimension == 'total' and year == 2024")["score"].iloc[0]
    quang_binh = panel_63.query("province_code == 44 and dimension == 'total' and year == 2024")["score"].iloc[0]
    written = {"vi": lambda v: f"{v:.2f}".replace(".", ","), "en": lambda v: f"{v:.2f}"}[lang]
    assert written(estimate) in caption and written(quang_binh) in caption
    assert {"vi": "Cách đọc", "en": "How to read it"}[lang] in caption
    assert {"vi": "ước tính", "en": "estimate"}[lang] in caption
    assert provinces.name(44, lang, geography="63") in caption  # Quảng Bình, a former province, named as one
    if lang == "vi":
        assert not re.search(r"\d\.\d", caption)


def _code_cells(path: str) -> str:
    cells = json.loads((config.ROOT / "notebooks" / path).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_every_34_trends_report_draws_the_history_and_the_34_map():
    code = _code_cells("01_trends.ipynb")
    block = code[code.index('if geography == "34":') :]
    assert "figures.plot_unit_history(panel, panel_63, selected.code, lang)" in block
    assert "trend_texts.history_caption(panel, panel_63, selected.code, lang)" in block
    # the map is drawn on the report's own panel: the 34 boundaries on the 34, with its caption
    assert "figures.plot_group_map(ranked, map_year, map_dimension, selected.code, lang)" in code
    assert "ranked = ranking.rank_and_group(panel)" in code
    assert "trend_texts.map_caption(geography, map_year, map_dimension, lang)" in code


def test_the_34_map_draws_34_units_and_says_so():
    panel_34, _ = _panels()
    from papi_analysis.analysis import ranking

    fig = figures.plot_group_map(ranking.rank_and_group(panel_34), 2024, "total", 44, "en")
    title = fig.axes[0].get_title()
    plt.close(fig)
    assert title.endswith("34 provinces")
    assert len(figures.load_boundaries("34")) == 34


@pytest.mark.parametrize("module", FIGURE_MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_figure_words_have_no_language_branches(module):
    source = open(module.__file__, encoding="utf-8").read()
    assert not re.search(r"\blang\s*[!=]=", source), module.__name__
    tables = [v for v in vars(module).values() if isinstance(v, Messages)]
    assert tables, module.__name__
    for table in tables:
        assert table.problems() == []


def test_history_figure_numbers_are_in_the_readers_marks(tmp_path):
    """Tick labels as the reader writes them ("32,5" in Vietnamese); years stay years."""
    import xml.etree.ElementTree as ET

    figures.apply_style()
    panel_34, panel_63 = _panels()
    code = provinces.resolve("TP. Hồ Chí Minh", geography="34")  # its score axis has half-point ticks
    texts = {}
    for lang in ("vi", "en"):
        (svg,) = figures.save_figure(
            figures.plot_unit_history(panel_34, panel_63, code, lang),
            f"history_{lang}",
            directory=tmp_path,
            formats=("svg",),
            show=False,
        )
        texts[lang] = ["".join(e.itertext()) for e in ET.parse(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert not [t for t in texts["vi"] if re.search(r"\d\.\d", t)]
    assert any(re.fullmatch(r"\d+,\d", t.strip()) for t in texts["vi"])
    assert any(re.fullmatch(r"\d+\.\d", t.strip()) for t in texts["en"])
    assert "2024" in texts["vi"]


def test_the_target_figure_of_a_merged_unit_says_its_history_is_an_estimate():
    from papi_analysis import targets, trends

    panel_34, _ = _panels()
    chosen = targets.filter_targets(
        targets.in_geography(targets.select_plan("examples/my_plan.yaml"), "34"), "Quảng Trị", 2025, "34"
    )
    evaluation = targets.evaluate_targets(chosen, panel_34, lang="vi")
    row = evaluation[evaluation["kind"] == "score_at_least"].iloc[0]
    fig = figures.plot_target(trends.province_trend(panel_34, int(row["province_code"])), row, "vi")
    notes = " ".join(t.get_text() for t in fig.axes[0].texts)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    assert "ước tính của dự án" in notes
    assert "Ước tính (tính lại theo 34 tỉnh)" in labels


def test_the_trends_notebook_words_its_sentences_through_messages():
    """Captions and sentences of notebook 01 come from report/texts/trends.py (no language branches in cells)."""
    assert not re.search(r"\blang\s*[!=]=", _code_cells("01_trends.ipynb"))


def _drawn_text(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


def test_every_34_figure_of_a_merged_units_scores_says_they_are_estimates():
    """The region, groups-by-year and sub-dimension figures of the Đà Nẵng (34) trends report carried no estimate
    note while the tables under them did (reader's pass 2, item 5)."""
    from papi_analysis import trends

    note = map_figures.geography_34_note("vi")
    panel = load_scores(geography="34")
    code = provinces.resolve("Đà Nẵng", geography="34")
    trend = trends.province_trend(panel, code)
    assert note in _drawn_text(trend_figures.plot_group_matrix(trend, "vi"))
    region = trends.peers(panel, code, 2024, "total")
    median = trends.national_distribution(panel).query("year == 2024 and dimension == 'total'")["median"].iloc[0]
    assert note in _drawn_text(trend_figures.plot_peers(region, 2024, "total", median, "vi"))
    cao_bang = trends.province_trend(load_scores(), provinces.resolve("Cao Bằng"))
    assert note not in _drawn_text(trend_figures.plot_group_matrix(cao_bang, "vi"))  # the 63: published scores
    plt.close("all")
