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


def _constrained_figure():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")
    for ax in axes:
        ax.plot([2011, 2024], [40, 45])
        ax.set_title("Điểm tổng hợp PAPI")
    fig.legend(["Quảng Nam"], loc="outside right")  # outside the axes: the crop grows past the figure's edge
    return fig


def test_saved_png_is_the_picture_savefig_draws(panel, tmp_path):
    """save_figure measures the crop without savefig's extra drawing pass when the layout is already done: the
    PNG must still be the one matplotlib's own ``savefig(bbox_inches="tight")`` draws, pixel for pixel."""
    import io

    import numpy as np
    from PIL import Image

    t = trends.province_trend(panel, "Quảng Nam")
    ranked = ranking.rank_and_group(panel)
    makers = {
        "grid": lambda: figures.plot_trend_grid(t, "vi"),  # fig.tight_layout() done: a do-nothing engine is left
        "groups": lambda: figures.plot_group_matrix(t, "vi"),  # no layout engine
        "map": lambda: figures.plot_group_map(ranked, 2024, "total", 49, "vi"),
        "constrained": _constrained_figure,  # a real layout engine: laid out by a drawing pass first
    }
    for name, make in makers.items():
        png, _ = figures.save_figure(make(), name, directory=tmp_path)
        reference = io.BytesIO()
        make().savefig(reference, format="png", dpi=300, bbox_inches="tight")
        ours = np.asarray(Image.open(png).convert("RGBA"))
        theirs = np.asarray(Image.open(reference).convert("RGBA"))
        assert ours.shape == theirs.shape, name
        assert np.array_equal(ours, theirs), name


def test_a_map_is_drawn_only_when_it_is_saved(panel, monkeypatch):
    # geopandas' plot() draws the whole figure after every layer; the map has 7 layers
    import matplotlib.figure

    drawn = []
    draw = matplotlib.figure.Figure.draw
    monkeypatch.setattr(
        matplotlib.figure.Figure, "draw", lambda self, renderer: drawn.append(self) or draw(self, renderer)
    )
    fig = figures.plot_group_map(ranking.rank_and_group(panel), 2024, "total", 49, "vi")
    assert drawn == []
    assert len(fig.axes[0].collections) >= 3  # the provinces, the outline, Hoàng Sa
    assert "draw_idle" not in vars(fig.canvas)  # the canvas draws again as usual
    fig.canvas.draw_idle()
    assert drawn == [fig]


def test_the_crop_and_the_drawing_measure_each_text_once(panel, tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import RendererAgg

    from papi_analysis.report.figures import rendering

    measured = []
    measure = RendererAgg.get_text_width_height_descent

    def counted(self, s, prop, ismath):
        measured.append((s, self.dpi, prop.get_size_in_points(), prop.get_weight()))
        return measure(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counted)
    monkeypatch.setattr(rendering.SharedSizesRenderer, "_sizes", {})
    fig = figures.plot_trend_grid(trends.province_trend(panel, "Quảng Nam"), "vi")
    measured.clear()  # the layout at screen resolution, when the figure was built
    figures.save_figure(fig, "grid", directory=tmp_path)
    at_print = [m for m in measured if m[1] == 300]
    assert len(at_print) >= 40  # titles, labels, legends, ticks: 50 different texts
    assert len(at_print) == len(set(at_print))  # without the shared table: each text twice or more


def test_shared_text_sizes_are_the_sizes_matplotlib_measures():
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from papi_analysis.report.figures.rendering import SharedSizesRenderer

    shared, plain = SharedSizesRenderer(10, 10, 300), RendererAgg(10, 10, 300)
    for text in ("Quảng Nam", "Thừa Thiên Huế", "2024", "Bà Rịa - Vũng Tàu"):
        for prop in (
            FontProperties(size=6.5),
            FontProperties(size=10),
            FontProperties(size=10, weight="bold"),
            FontProperties(size=10, style="italic"),
        ):
            assert shared.get_text_width_height_descent(text, prop, False) == plain.get_text_width_height_descent(
                text, prop, False
            )
    low = SharedSizesRenderer(10, 10, 100)  # another resolution is measured anew
    assert (
        low.get_text_width_height_descent("Quảng Nam", FontProperties(size=10), False)[0]
        < shared.get_text_width_height_descent("Quảng Nam", FontProperties(size=10), False)[0]
    )
