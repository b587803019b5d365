"""Issue 28 items 1 and 7, issue 27 item 7: the trends report (notebook 01) for leadership.

- Two layers, as in the target report: the numbered sections in plain words, then one "Phụ lục cho người phân tích" /
  "Appendix for analysts" with the methods (rank intervals, peer distance, standard-error sources, the recast method),
  then the glossary.
- The 2025 merger is stated once, in "Tỉnh trước và sau ngày 1/7/2025"; elsewhere the report refers to that section.
- An English report spells every province with its name_en ("Ca Mau", never "Cà Mau").
- On the 34 provinces a merged unit's report shows the recast-history figure and the 34-province map, captioned as
  estimates.

Checked on the source cells and on the notebook run as a reader gets it (Đà Nẵng on the 34 in Vietnamese, Cà Mau on
the 63 in English; about 30 s each)."""

from __future__ import annotations

import re

import nbformat
import pytest

from papi_analysis import config, provinces
from papi_analysis.report import figures
from papi_analysis.report.texts import glossary
from papi_analysis.report.texts import trends as trend_texts
from papi_analysis.run import runner
from report_reading import APPENDIX, reader_parts

NOTEBOOK = config.NOTEBOOKS / runner.NOTEBOOKS["trends"]
#: words a Vietnamese official should not meet before the appendix: English abbreviations, statistical names
JARGON_VI = re.compile(r"\b(SE|Euclid|Mogstad|World Bank|bootstrap|GSO)\b")
#: the sentences that state the 2025 merger (or the reform) itself, rather than refer to it
MERGER = {
    "vi": re.compile(r"gồm các tỉnh, thành phố cũ|hợp nhất với|chỉ một đơn vị lớn hơn|khảo sát 63 tỉnh"),
    "en": re.compile(r"is made of the former provinces|is merged with|means a larger unit|surveyed the 63"),
}


def _languages(cell) -> set[str]:
    return set(cell.metadata.get("tags", [])) & {"vi", "en"}


def before_appendix(parts: list[str], lang: str) -> str:
    """The leadership part: everything before the appendix heading (the whole report if it has none)."""
    end = next((i for i, p in enumerate(parts) if p.startswith(APPENDIX[lang])), len(parts))
    return "\n".join(parts[:end])


def split_at_appendix(parts: list[str], lang: str) -> tuple[str, str]:
    starts = [i for i, p in enumerate(parts) if p.startswith(APPENDIX[lang])]
    assert len(starts) == 1, f"one appendix heading in {lang}"
    return "\n".join(parts[: starts[0]]), "\n".join(parts[starts[0] :])


# ------------------------------------------------------------------------------------------ the source cells
@pytest.fixture(scope="module")
def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_methods_are_in_the_appendix(cells, lang):
    mine = [c for c in cells if c.cell_type == "markdown" and lang in _languages(c)]
    start = cells.index(next(c for c in mine if c.source.startswith(APPENDIX[lang])))
    before = "\n".join(c.source for c in cells[:start] if c.cell_type == "markdown" and lang in _languages(c))
    after = "\n".join(c.source for c in cells[start:] if c.cell_type == "markdown" and lang in _languages(c))
    for method in ("Mogstad", "Euclid", "1,96" if lang == "vi" else "1.96"):
        assert method in after
    assert "Mogstad" not in before and "Euclid" not in before
    for call in ("recast_caveats", "province_rank_table"):  # the recast method and every year's rank interval
        where = [i for i, c in enumerate(cells) if c.cell_type == "code" and call in c.source]
        assert where and min(where) > start, f"{call} comes before the appendix"
    if lang == "vi":
        assert not JARGON_VI.search(before), JARGON_VI.search(before)


def test_the_report_ends_with_its_glossary(cells):
    assert cells[-1].cell_type == "code" and "glossary_html(trend_texts.GLOSSARY_TERMS, lang)" in cells[-1].source
    for lang in ("vi", "en"):  # every term has its explanation in both languages
        assert all(term and means for term, means in glossary.entries(trend_texts.GLOSSARY_TERMS, lang))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_language_has_the_same_sections(cells, lang):
    other = {"vi": "en", "en": "vi"}[lang]
    heads = lambda lg: [  # noqa: E731
        c.source.split("\n")[0].split(".")[0] for c in cells if lg in _languages(c) and c.source.startswith("#")
    ]
    assert [h.count("#") for h in heads(lang)] == [h.count("#") for h in heads(other)]


# ------------------------------------------------------------------------------------------ the reports as read
@pytest.fixture(scope="module")
def da_nang_34_vi(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb") / "trends.ipynb"
    return runner.execute(NOTEBOOK, out, dict(province="Đà Nẵng", geography="34", lang="vi"))


@pytest.fixture(scope="module")
def ca_mau_63_en(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb") / "trends.ipynb"
    return runner.execute(NOTEBOOK, out, dict(province="Cà Mau", geography="63", lang="en"))


def test_a_merged_unit_of_the_34_is_told_of_its_merger_once(da_nang_34_vi):
    parts = reader_parts(da_nang_34_vi, "vi")
    stated = MERGER["vi"].findall(before_appendix(parts, "vi"))
    assert stated == ["gồm các tỉnh, thành phố cũ"], stated
    main, appendix = split_at_appendix(parts, "vi")
    assert provinces.composition_sentence("Đà Nẵng", "vi") in main
    # the section that states it comes first; the captions and caveats point to it by its title
    section = next(p for p in parts if p.startswith("## Tỉnh trước và sau ngày 1/7/2025"))
    assert parts.index(section) < next(i for i, p in enumerate(parts) if p.startswith("## 1."))
    assert main.count('xem mục "Tỉnh trước và sau ngày 1/7/2025"') >= 2
    assert "Phụ lục cho người phân tích, mục D" in main and "khảo sát 63 tỉnh" in appendix


def test_the_vietnamese_report_speaks_plainly_before_its_appendix(da_nang_34_vi):
    main, appendix = split_at_appendix(reader_parts(da_nang_34_vi, "vi"), "vi")
    assert not JARGON_VI.search(main), JARGON_VI.search(main)
    assert "--" not in main  # no command line
    assert "Euclid" in appendix and "Mogstad" in appendix and "Thuật ngữ" in appendix
    glossary_part = appendix.split("Thuật ngữ", 1)[1]
    # rank cells are "25 (13–30) / 32" under a header that spells the interval out: no abbreviation "KTC" anywhere
    # (reader's pass item 10); the glossary says how to read such a cell
    assert "KTC" not in main and "KTC" not in appendix
    assert "Thứ hạng (khoảng tin cậy 95%)" in glossary_part


def test_the_34_province_report_shows_the_recast_history_and_the_34_map(da_nang_34_vi):
    main, _ = split_at_appendix(reader_parts(da_nang_34_vi, "vi"), "vi")
    folder = config.FIGURES / "da-nang-34"
    assert (folder / "history_recast_vi.png").exists() and (folder / "map_total_2024_vi.png").exists()
    history = next(p for p in main.split("\n") if p.startswith("**Cách đọc.** Đường cam đậm"))
    assert "**ước tính**" in history and "không phải số liệu PAPI công bố" in history
    assert trend_texts.map_caption("34", 2024, "total", "vi") in main
    assert "điểm trước 2025 của tỉnh hợp nhất là ước tính" in trend_texts.map_caption("34", 2024, "total", "vi")
    drawn = nbformat.read(da_nang_34_vi, as_version=4).cells
    images = [
        c
        for c in drawn
        if c.cell_type == "code" and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
    ]
    assert any("plot_unit_history" in c.source for c in images) and any("plot_group_map" in c.source for c in images)
    assert figures.PROVINCE_COLOR  # the history figure's own test is in tests/test_views_34.py


def test_an_english_report_spells_every_province_one_way(ca_mau_63_en):
    parts = reader_parts(ca_mau_63_en, "en")
    text = "\n".join(parts)
    assert "Ca Mau" in text and "Bac Lieu" in text
    with_marks = {
        provinces.name(int(c), "vi", geography=g)
        for g in ("63", "34")
        for c in provinces.registry(geography=g).index
        if provinces.name(int(c), "vi", geography=g) != provinces.name(int(c), "en", geography=g)
    }
    # the 2022 borrowed standard errors name three provinces in prose: they too are in English spelling
    assert [n for n in with_marks if n in text] == []
    assert MERGER["en"].findall(before_appendix(parts, "en")) == [
        "means a larger unit"
    ]  # the namesake note, not also the reform sentence


def test_the_english_page_and_its_title_spell_the_province_in_english(tmp_path, monkeypatch):
    """The browser tab and the PDF title of an English report said "Trends: … — Cà Mau (PAPI)" over a page of "Ca Mau"."""
    from papi_analysis.run import cli

    # folders of its own: the worker's shared reports/ca-mau holds other tests' reports and their one workbook
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(config, "FIGURES", tmp_path / "figures")
    monkeypatch.setenv("PAPI_FIGURES", str(tmp_path / "figures"))  # the kernels read it when they start
    assert cli.main(["report", "--province", "Cà Mau", "--notebooks", "trends", "--lang", "en", "--quiet"]) == 0
    page = (config.REPORTS / "ca-mau" / "01_trends.en.html").read_text(encoding="utf-8")
    title = re.search(r"<title>([^<]*)</title>", page).group(1)
    assert "Ca Mau" in title and "Cà Mau" not in title, title
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script).*?</\1>", " ", page, flags=re.S))
    assert "Cà Mau" not in visible and "Bạc Liêu" not in visible


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_leadership_sections_are_numbered_in_order(cells, lang):
    """Sections 1-8 were numbered and the two after them (peers, frontier) were not (issue 28)."""
    start = next(i for i, c in enumerate(cells) if c.source.startswith(APPENDIX[lang]))
    numbered = [
        int(m.group(1)) for c in cells[:start] if lang in _languages(c) and (m := re.match(r"#+ (\d+)\.", c.source))
    ]
    assert numbered == list(range(1, 11))
    assert not [c for c in cells[:start] if lang in _languages(c) and c.source.startswith("### ")]
