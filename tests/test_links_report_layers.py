"""Issue 28 item 1 for the links report: two layers. Sections 1-5 are for leadership (the summary, which dimensions are
high together, one pair, whether gains go together, the robust links, PAPI and the PCI) in plain words; the pair's
interval, partial correlations, which dimension leads, the common factor, the robustness checks and the PCI lags come
after a clearly titled appendix; a glossary explains every term that remains. Checked on the notebook's source cells
(both languages) and on the page a reader gets (Đà Nẵng on the 34 provinces, Vietnamese; Cà Mau, English)."""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from papi_analysis import config
from papi_analysis.report.texts import glossary
from papi_analysis.run import export, runner
from report_reading import appendix_index

NOTEBOOK = config.NOTEBOOKS / "03_dimension_links.ipynb"
#: calls whose tables and figures belong to the appendix
ANALYST_CALLS = (
    "links.fisher_interval",
    "links.correlation_by_year",
    "links.partial_correlation",
    "links_texts.lagged_report_table",
    "figures.plot_lag_lead",
    "naive_false_positive",
    "links.first_component_share",
    "links.specification_table",
    "links_texts.pci_lagged_report_table",
)
#: calls the leadership part shows
LEADERSHIP_CALLS = (
    "summary.show_summary",
    "figures.plot_correlation_heatmap",
    "figures.plot_pair",
    "links_texts.levels_vs_changes_sentence",
    "links_texts.correlation_verdict_table",
    "figures.plot_pci_heatmap",
)
#: method names and abbreviations an official should not meet before the appendix
JARGON = re.compile(
    r"Holm|Benjamini|Anderson|Hsiao|G − 1|G-1|hoang dã|\bwild\b|Fisher|Pearson|Spearman|Euclid|\bSE\b|"
    r"hiệu chỉnh giả|placebo-calibrated|\br = |\b[jk] năm|\bdimension [jk]\b"
)


@pytest.fixture(scope="module")
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_analysts_material_is_in_the_appendix(cells, lang):
    start = appendix_index(cells, lang)
    for call in ANALYST_CALLS:
        where = [i for i, c in enumerate(cells[5:], start=5) if c.cell_type == "code" and call in c.source]
        assert where and min(where) > start, f"{call} comes before the appendix"
    for call in LEADERSHIP_CALLS:
        where = [i for i, c in enumerate(cells) if c.cell_type == "code" and call in c.source]
        assert where and min(where) < start, f"{call} is not in the leadership part"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_leadership_part_is_numbered_and_in_plain_words(cells, lang):
    start = appendix_index(cells, lang)
    said = [c.source for c in cells[:start] if c.cell_type == "markdown" and lang in c.metadata.get("tags", [])]
    headings = [line.split(".")[0] for text in said for line in text.splitlines() if line.startswith("## ")]
    assert headings[:5] == ["## 1", "## 2", "## 3", "## 4", "## 5"]
    for text in said:
        assert not JARGON.search(text), JARGON.search(text)


def test_the_report_ends_with_its_glossary_and_sources(cells):
    assert "glossary.glossary_html(glossary.LINKS_TERMS, lang)" in cells[-3].source
    assert cells[-2].source.startswith("Nguồn:") and cells[-1].source.startswith("Sources:")
    assert len(set(glossary.LINKS_TERMS)) == len(glossary.LINKS_TERMS)


def _page_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize(
    "province, geography, lang, also_after",
    [("Đà Nẵng", "34", "vi", "lấy mẫu lại theo tỉnh"), ("Cà Mau", "63", "en", "F. PAPI and the PCI over time")],
)
def test_the_page_a_reader_gets_keeps_methods_after_the_appendix(tmp_path, province, geography, lang, also_after):
    executed = runner.execute(
        NOTEBOOK,
        tmp_path / "links.ipynb",
        dict(province=province, geography=geography, lang=lang, draws=99, sims=99),
    )
    page = _page_text(export.to_html(executed, tmp_path / "links.html", lang).read_text(encoding="utf-8"))
    heading = {"vi": "Phụ lục cho người phân tích ¶ Phần này", "en": "Appendix for analysts ¶ For readers"}[lang]
    assert page.count(heading) == 1
    leaders, appendix = page.split(heading)
    assert not JARGON.search(leaders), JARGON.search(leaders)
    assert {"vi": "Tóm tắt", "en": "At a glance"}[lang] in leaders
    assert "Holm" in appendix and also_after in appendix  # the methods are kept, for analysts
    assert glossary.TERMS("robust_link", lang) in appendix  # the glossary closes the page
