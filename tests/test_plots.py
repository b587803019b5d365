"""Figures: saved through one helper, reproducible, in both languages."""

from __future__ import annotations

import pytest

from papi_analysis.analysis import ranking, trends
from papi_analysis.report import figures


@pytest.fixture(scope="module", autouse=True)
def style():
    figures.apply_style()


def test_save_figure_writes_png_and_svg_reproducibly(panel, tmp_path):
    t = trends.province_trend(panel, "Thừa Thiên Huế")
    first = figures.save_figure(figures.plot_trend(t, "total", "vi"), "trend", directory=tmp_path / "a")
    second = figures.save_figure(figures.plot_trend(t, "total", "vi"), "trend", directory=tmp_path / "b")
    assert [p.suffix for p in first] == [".png", ".svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    svg = first[1].read_text()
    assert "Thừa Thiên Huế" in svg  # text stays text, with its diacritics


def test_default_figure_folder_is_the_province_slug(tmp_path, monkeypatch):
    from papi_analysis import config

    monkeypatch.setattr(config, "FIGURES", tmp_path)
    assert figures.figure_dir("TT-Huế") == tmp_path / "thua-thien-hue"


@pytest.mark.parametrize("lang, word", [("vi", "Trung vị toàn quốc"), ("en", "National median")])
def test_labels_follow_the_language(panel, tmp_path, lang, word):
    t = trends.province_trend(panel, "Cà Mau")
    paths = figures.save_figure(figures.plot_trend(t, "D2", lang), "d2", directory=tmp_path)
    assert word in paths[1].read_text()


def test_every_figure_kind_renders(panel, tmp_path):
    from papi_analysis.data import panel as data_panel

    t = trends.province_trend(panel, "Bắc Giang")
    ranked = ranking.rank_and_group(panel)
    drawn = {
        "groups": figures.plot_group_matrix(t, "en"),
        "subs": figures.plot_subdimension_gaps(trends.subdimension_gaps(data_panel.read_subdimensions(), 24), 24, "en"),
        "peers": figures.plot_peers(trends.peers(panel, 24, 2021), 2021, "total", 42.3, "en"),
        "map": figures.plot_group_map(ranked, 2021, "total", 24, "vi"),
    }
    for name, fig in drawn.items():
        png, svg = figures.save_figure(fig, name, directory=tmp_path)
        assert png.stat().st_size > 10_000


def test_unknown_language_is_refused():
    from papi_analysis.params import ParameterError

    with pytest.raises(ParameterError, match="'vi'"):
        figures.label("source", "fr")
