"""Figures in the reader's marks: every figure a report draws, saved through the report's save path as SVG (text
stays text), reads "45,60" in Vietnamese and "45.60" in English: legends, labels, tick labels, heatmap cells and
colorbars alike; years stay "2024" and ranks "3/63".

The figures are drawn as the notebooks draw them (national figures through ``figures.national``), on the real
PAPI data of both geographies.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import pytest

from papi_analysis import load_scores, targets
from papi_analysis.analysis import index_checks, links, rank_uncertainty, ranking, trends
from papi_analysis.analysis.links import lagged
from papi_analysis.data import provinces
from papi_analysis.data.panel import read_subdimensions
from papi_analysis.report import figures, tables
from papi_analysis.report.figures import indices as index_figures
from papi_analysis.report.figures import rendering
from papi_analysis.report.messages import Messages
from papi_analysis.report.texts import indices as index_report

#: in Vietnamese "45.60" reads as forty-five thousand six hundred
DECIMAL_POINT = re.compile(r"\d\.\d")
#: a decimal comma in English text ("45,60"; a thousands group "5,613" is English)
DECIMAL_COMMA = re.compile(r"\d,(?:\d{1,2}|\d{4,})(?!\d)")
#: Vietnamese groups thousands with a point, so every comma between digits is a decimal comma
VI_COMMA = re.compile(r"\d,\d")
#: a table or footnote of the plan, numbered as the plan numbers it ("bảng 2.1")
PLAN_PLACE = re.compile(r"\b(?:bảng|chú thích|table|footnote) \d+(?:\.\d+)+")
#: sub-dimension codes ("2.3 Công khai thu, chi ngân sách") are names, written as PAPI numbers them (and as the
#: report's tables write them), not numbers
SUBDIMENSION_CODES = {code.removeprefix("D") for code, _, _ in tables.SUBDIMENSION_LABELS}
#: the province's report and the plan drawn in each geography (Quảng Nam became part of Đà Nẵng in 2025)
PROVINCE = {"63": "Quảng Nam", "34": "Đà Nẵng"}
PLAN = "quang-nam-2021"
START, END = 2018, 2024
#: figures of the PAR INDEX / SIPAS report (notebook 04 runs on the 63 provinces): plan, province
INDEX_PLANS = {"cao-bang-2023": "Cao Bằng", "dak-lak-2018": "Đắk Lắk"}

FIGURES = [
    "trend_total",
    "trend_dimensions",
    "groups_by_year",
    "subdimension_gaps",
    "region",
    "map",
    "rank_intervals",
    "target",
    "backtest_reliability",
    "links_heatmap",
    "links_changes",
    "links_pair",
    "links_lag_lead",
]
FIGURES_63 = ["links_pci_levels", "links_pci_changes", *(f"index_headroom_{plan}" for plan in INDEX_PLANS)]


def _cases():
    for geography in ("63", "34"):
        for name in FIGURES + (FIGURES_63 if geography == "63" else []):
            yield pytest.param(geography, name, id=f"{geography}-{name}")


@lru_cache(maxsize=2)
def _data(geography: str) -> dict:
    """Everything the four reports draw for one province, computed once per geography (real data; the
    resampling counts of the reports set to 0, which changes no drawn text)."""
    panel = load_scores(geography=geography)
    code = provinces.resolve(PROVINCE[geography], geography=geography)
    trend = trends.province_trend(panel, code)
    latest = trends.latest_year_with_data(trend)
    national = trends.national_distribution(panel)
    median = national.query("year == @latest and dimension == 'total'")["median"].iloc[0]
    chosen = targets.filter_targets(
        targets.in_geography(targets.select_plan(PLAN), geography), PROVINCE[geography], 0, geography
    )
    evaluation = targets.evaluate_targets(chosen, panel, lang="vi")  # the numbers do not depend on the language
    predictions = targets.backtest(panel, years=[latest], compare_tails=False)
    wide = links.wide_scores(panel, START, END)
    pairs = list(itertools.permutations(links.dimensions_of(START, END), 2))[:12]
    data = dict(
        panel=panel,
        code=code,
        trend=trend,
        latest=latest,
        median=median,
        gaps=trends.subdimension_gaps(read_subdimensions(geography=geography), code),
        ranked=ranking.rank_and_group(panel),
        intervals=rank_uncertainty.rank_intervals(panel, rank_uncertainty.years_with_se(panel, "total")[-1], "total"),
        target=evaluation[evaluation["kind"] == "score_at_least"].iloc[0],
        curves={f: targets.reliability(predictions[predictions["family"] == f]) for f in targets.FAMILIES},
        pooled=links.correlation_matrix(links.pooled_correlation(panel, START, END, draws=0)),
        changes=links.correlation_matrix(links.change_correlation(panel, START, END, draws=0)),
        scatter=links.pair_scatter_data(panel, "D2", "D4", END),
        lagged=lagged.lagged_table(wide, pairs, draws=0, sims=0, calibration_sims=0),
    )
    if geography == "63":
        pci_start, pci_end = links.overlap(START, END)
        data["pci"] = {
            kind: (links.pci_correlations(panel, START, END, "pearson", kind, 0), pci_start, pci_end)
            for kind in ("levels", "changes")
        }
        data["plans"] = {plan: index_report.select(plan, province) for plan, province in INDEX_PLANS.items()}
    return data


def _draw(geography: str, name: str, lang: str):
    """The figure ``name`` as the report in ``lang`` draws it (a ``figures.national`` wrapper where the notebook
    uses one)."""
    d = _data(geography)
    if name.startswith("index_headroom_"):
        chosen = d["plans"][name.removeprefix("index_headroom_")]
        index = index_report.target_indices(chosen)[0]
        return index_figures.plot_headroom(
            index_checks.headroom(chosen[chosen["index"] == index], lang),
            lang,
            where=index_report.figure_source(chosen, index, lang),
        )
    makers = {
        "trend_total": lambda: figures.plot_trend(d["trend"], "total", lang),
        "trend_dimensions": lambda: figures.plot_trend_grid(d["trend"], lang),
        "groups_by_year": lambda: figures.plot_group_matrix(d["trend"], lang),
        "subdimension_gaps": lambda: figures.plot_subdimension_gaps(d["gaps"], d["code"], lang, geography=geography),
        "region": lambda: figures.plot_peers(
            trends.peers(d["panel"], d["code"], d["latest"], "total"), d["latest"], "total", d["median"], lang
        ),
        "map": lambda: figures.plot_group_map(d["ranked"], END, "total", d["code"], lang),
        "rank_intervals": lambda: figures.plot_rank_caterpillar(d["intervals"], d["code"], lang, geography=geography),
        "target": lambda: figures.plot_target(d["trend"], d["target"], lang),
        "backtest_reliability": lambda: figures.national(figures.plot_reliability_by_family, d["curves"], lang),
        "links_heatmap": lambda: figures.national(
            figures.plot_correlation_heatmap, d["pooled"], START, END, "Pearson", lang
        ),
        "links_changes": lambda: figures.national(
            figures.plot_correlation_heatmap, d["changes"], START, END, "Pearson", lang, changes=True
        ),
        "links_pair": lambda: figures.plot_pair(d["scatter"], "D2", "D4", END, d["code"], lang),
        "links_lag_lead": lambda: figures.national(figures.plot_lag_lead, d["lagged"], START, END, lang),
        "links_pci_levels": lambda: figures.national(figures.plot_pci_heatmap, *d["pci"]["levels"], lang, "levels"),
        "links_pci_changes": lambda: figures.national(figures.plot_pci_heatmap, *d["pci"]["changes"], lang, "changes"),
    }
    return makers[name]()


def numbers_of(text: str) -> str:
    """``text`` without what is a name rather than a number: a sub-dimension's code before its name, a table's
    number in the plan."""
    code, _, rest = text.partition(" ")
    return PLAN_PLACE.sub("", rest if code in SUBDIMENSION_CODES and rest[:1].isupper() else text)


def svg_texts(path) -> list[str]:
    """Every text drawn in an SVG saved with ``svg.fonttype`` "none" (one string per text element)."""
    return ["".join(element.itertext()) for element in ET.parse(path).iter("{http://www.w3.org/2000/svg}text")]


def _drawn_text(geography: str, name: str, lang: str, folder) -> list[str]:
    (svg,) = figures.save_figure(_draw(geography, name, lang), f"{name}_{lang}", directory=folder, formats=("svg",))
    return [numbers_of(text) for text in svg_texts(svg)]


@pytest.fixture(autouse=True)
def _style_and_cache(tmp_path, monkeypatch):
    import matplotlib as mpl

    figures.apply_style()
    mpl.rcParams["savefig.dpi"] = 30  # the save path rasterises for the inline image too; the SVG's text is the same
    monkeypatch.setattr(rendering, "FIGURE_CACHE", tmp_path / "figure_cache")  # national figures drawn anew


@pytest.mark.parametrize("geography, name", list(_cases()))
def test_figure_numbers_are_in_the_readers_marks(geography, name, tmp_path):
    vi = _drawn_text(geography, name, "vi", tmp_path)
    en = _drawn_text(geography, name, "en", tmp_path)
    assert vi and en, "nothing drawn"
    points = [t for t in vi if DECIMAL_POINT.search(t)]
    assert points == [], f"decimal points in the Vietnamese figure: {points}"
    commas = [t for t in en if DECIMAL_COMMA.search(t)]
    assert commas == [], f"decimal commas in the English figure: {commas}"
    # the English figure writes with points the numbers the Vietnamese one writes with commas
    assert sum(len(DECIMAL_POINT.findall(t)) for t in en) == sum(len(VI_COMMA.findall(t)) for t in vi)
    if name in ("trend_total", "groups_by_year"):
        assert "2024" in vi  # a year is a year ("2.024" would be a decimal point above)
    if name == "region":
        assert any(re.fullmatch(r"\d+,\d\d \(\d+/\d+\)", t) for t in vi)  # "47,13 (3/63)": score, rank/provinces


def test_the_test_reads_decimal_points_and_commas():
    assert DECIMAL_POINT.search("Mục tiêu: 45.60") and not DECIMAL_POINT.search("Mục tiêu: 45,60")
    assert not DECIMAL_POINT.search("47,13 (3/63), 2024")
    assert DECIMAL_COMMA.search("0,25") and DECIMAL_COMMA.search("−0,5") and not DECIMAL_COMMA.search("5,613")
    assert numbers_of("2.3 Công khai thu, chi ngân sách cấp xã/phường") == "Công khai thu, chi ngân sách cấp xã/phường"
    assert numbers_of("Nguồn: kế hoạch của tỉnh (bảng 2.1)") == "Nguồn: kế hoạch của tỉnh ()"
    assert DECIMAL_POINT.search(numbers_of("2.3 điểm")) and DECIMAL_POINT.search(numbers_of("9.9 Tên"))


def _plot_functions():
    package = figures
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("plot_") and inspect.isfunction(value) and value.__module__ == module.__name__:
                yield pytest.param(value, id=f"{info.name}.{name}")


@pytest.mark.parametrize("plot", list(_plot_functions()))
def test_every_plot_function_draws_in_its_language(plot):
    """No figure can forget: each plot function carries ``in_language`` (its ticks and colorbars localised, its
    language known to the save path)."""
    assert getattr(plot, "in_language", False), plot.__qualname__


def test_a_figure_without_the_decorator_is_localised_when_saved(tmp_path, monkeypatch):
    """The save path localises what was added after the plot function returned, and a national figure's language
    is its ``lang`` argument."""
    import matplotlib.pyplot as plt

    monkeypatch.setattr(rendering, "FIGURE_CACHE", tmp_path / "cache")

    def plain(values, lang="vi"):
        fig, ax = plt.subplots()
        ax.plot([2020, 2022, 2024], values)
        ax.set_xticks([2020, 2022, 2024])
        return fig

    (svg,) = figures.save_figure(
        figures.national(plain, [4.2, 4.9, 5.6]), "plain", directory=tmp_path, formats=("svg",)
    )
    texts = svg_texts(svg)
    assert "2024" in texts and any("," in t for t in texts) and not any(DECIMAL_POINT.search(t) for t in texts)
    fig = rendering.in_language(plain)([4.2, 4.9, 5.6], "vi")
    extra = fig.axes[0].twinx()
    extra.plot([2020, 2022, 2024], [0.1, 0.5, 0.9])
    (svg,) = figures.save_figure(fig, "twin", directory=tmp_path, formats=("svg",))
    assert not any(DECIMAL_POINT.search(t) for t in svg_texts(svg))


def test_figure_sentence_tables_are_complete_in_both_languages():
    found = {}
    for info in pkgutil.iter_modules(figures.__path__, figures.__name__ + "."):
        module = importlib.import_module(info.name)
        found |= {f"{info.name}.{n}": v for n, v in vars(module).items() if isinstance(v, Messages)}
    assert "papi_analysis.report.figures.indices.TEXTS" in found
    for name, table in found.items():
        assert table.problems() == [], name
