"""The links report's introduction promises only what the page contains (issue 27): the Đà Nẵng (34) page announced
a PCI section that its summary then said exists only for the 63 provinces."""

from __future__ import annotations

import json

import pytest

from papi_analysis import config
from papi_analysis.report.texts import links as links_texts

NOTEBOOK = config.ROOT / "notebooks" / "03_dimension_links.ipynb"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _introduction(lang: str, geography: str, start: int, end: int) -> str:
    """What a reader reads before the summary: the language's markdown cells above the parameters, then the
    sentence the first code cell writes."""
    fixed = []
    for cell in _cells():
        if "parameters" in cell["metadata"].get("tags", []):
            break
        if cell["cell_type"] == "markdown" and lang in cell["metadata"].get("tags", []):
            fixed.append("".join(cell["source"]))
    return "\n".join(fixed) + " " + links_texts.introduction_sentence(geography, start, end, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_34_province_page_announces_no_pci_section(lang):
    intro = _introduction(lang, "34", 2018, 2024)
    announce = {"vi": "Mục 5 so PAPI", "en": "compares PAPI with"}[lang]
    assert announce not in intro
    assert {"vi": "không so PAPI", "en": "does not compare PAPI"}[lang] in intro
    assert "63" in intro  # says why: the PCI exists for the 63 former provinces only
    assert "63" in links_texts.no_pci_sentence("34", 2018, 2024, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_63_province_page_announces_the_pci_years_it_shows(lang):
    intro = _introduction(lang, "63", 2018, 2024)
    assert {"vi": "Mục 5 so PAPI", "en": "Section 5 compares PAPI"}[lang] in intro
    assert "2018–2021" in intro  # the overlap the section computes, not the period asked for


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_period_after_the_pci_years_announces_no_pci_section(lang):
    intro = _introduction(lang, "63", 2022, 2024)
    assert {"vi": "không so PAPI", "en": "does not compare PAPI"}[lang] in intro
    assert "2012–2021" in intro and "2022–2024" in intro


def test_the_notebook_writes_the_computed_introduction_and_no_fixed_pci_promise():
    code = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "code")
    assert "links_texts.introduction_sentence(geography, start_year, end_year, lang)" in code
    assert "links_texts.no_pci_sentence(geography, start_year, end_year, lang)" in code
    for cell in _cells()[:2]:
        assert "PCI" not in "".join(cell["source"])


def test_the_links_notebook_words_its_sentences_through_messages():
    """Captions and sentences of notebook 03 come from report/texts/links.py (no language branches in cells)."""
    import re

    code = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "code")
    assert not re.search(r"\blang\s*[!=]=", code)
    assert links_texts.PAGE.problems() == []
