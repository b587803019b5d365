"""Issue 28 item 1: the target report has two layers. The first sections are for leadership (summary, the province's
numbers, each target with its verdict word, probability and outcome, what to aim for next year) in plain words; the
plan checks, the probabilities in detail, the backtest, calibration and the national change come after a clearly
titled appendix; a glossary ends the report. Checked on the committed notebook's source cells (both languages)."""

from __future__ import annotations

import re

import nbformat
import pytest

from papi_analysis import config
from report_reading import appendix_index

NOTEBOOK = config.NOTEBOOKS / "02_target_realism.ipynb"
#: calls that belong to the appendix: the analyst's tables, sentences and figures
ANALYST_CALLS = (
    "check_targets",
    "texts.checks_table",
    "texts.verdict_table",
    "texts.backtest_table",
    "texts.coverage_table",
    "plot_reliability_by_family",
    "texts.calibration_sentences",
    "texts.national_effect_table",
    "texts.advice_check_sentences",
)
#: calls the leadership part shows
LEADERSHIP_CALLS = (
    "show_summary",
    "texts.province_numbers",
    "texts.plain_table",
    "texts.verdicts_html",
    "save_target_figures",
    "advice",
)
#: words an official should not meet before the appendix (English abbreviations and technical names)
JARGON = re.compile(r"\b(ECE|CRPS|Brier|SE|bootstrap|Student-t|backtest)\b|kiểm định ngược|ngoài mẫu|cuốn chiếu")


@pytest.fixture(scope="module")
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def _languages(cell) -> set[str]:
    return set(cell.metadata.get("tags", [])) & {"vi", "en"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_analysts_material_is_in_the_appendix(cells, lang):
    start = appendix_index(cells, lang)
    for call in ANALYST_CALLS:
        where = [i for i, c in enumerate(cells) if c.cell_type == "code" and call in c.source]
        assert where and min(where) > start, f"{call} comes before the appendix"
    for call in LEADERSHIP_CALLS:
        where = [i for i, c in enumerate(cells) if c.cell_type == "code" and call in c.source]
        assert where and min(where) < start, f"{call} is not in the leadership part"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_leadership_part_is_in_plain_words(cells, lang):
    start = appendix_index(cells, lang)
    said = [c.source for c in cells[:start] if c.cell_type == "markdown" and lang in _languages(c)]
    headings = [line for text in said for line in text.splitlines() if line.startswith("## ")]
    assert [h.split(".")[0] for h in headings[:4]] == ["## 1", "## 2", "## 3", "## 4"]
    for text in said:
        assert not JARGON.search(text.replace("Phụ lục", "")), JARGON.search(text)


def test_the_report_ends_with_its_glossary(cells):
    last = cells[-1]
    assert last.cell_type == "code" and "glossary.glossary_html(glossary.TARGET_TERMS, lang)" in last.source


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_language_has_the_same_sections(cells, lang):
    other = {"vi": "en", "en": "vi"}[lang]
    mine = [c for c in cells if c.cell_type == "markdown" and lang in _languages(c)]
    theirs = [c for c in cells if c.cell_type == "markdown" and other in _languages(c)]
    assert len(mine) == len(theirs)
    numbered = lambda cs: [c.source.split()[1] for c in cs if re.match(r"#+ (\d|[A-D])\.", c.source)]  # noqa: E731
    assert numbered(mine) == numbered(theirs)
