"""Issue 28 item 7, end to end: the Vietnamese target report, as its reader gets it (Vietnamese cells and the outputs
of the cells a reader sees), never shows an English abbreviation ("SE", "ECE", "CRPS"), a province name without its
diacritics ("Quang Nam"), a command line ("--geography 34"), a variable letter ("ít nhất c") or "Điểm (điểm)".
Run on the hardest case: a merged province of the 34, read from an old province's plan, with its recast scores."""

from __future__ import annotations

import re

import pytest

from papi_analysis import config, provinces
from papi_analysis.run import runner
from report_reading import reader_parts


def reader_text(path) -> str:
    """What a Vietnamese reader sees: Vietnamese markdown, and the outputs of the cells that reach the page."""
    return "\n".join(reader_parts(path, "vi"))


def problems(text: str) -> list[str]:
    found = []
    for pattern in (r"\b(SE|ECE|CRPS|Brier score|issue \d+)\b", r"--[a-z]+", r"ít nhất [a-z]\b", r"Điểm \(điểm\)"):
        found += [m.group(0) for m in re.finditer(pattern, text)]
    plain = {
        p.name_en
        for geography in ("63", "34")
        for p in (provinces.get(int(c), geography=geography) for c in provinces.registry(geography=geography).index)
        if p.name_en != p.name_vi
    }
    found += [name for name in plain if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    return found


def test_the_check_finds_what_it_looks_for():
    found = problems("ECE 0,02; SE 0,1; use --geography 34; Quang Nam; thay đổi ít nhất c; Điểm (điểm)")
    assert set(found) == {"--geography", "ECE", "Quang Nam", "SE", "Điểm (điểm)", "ít nhất c"}
    assert problems("Quảng Nam, sai số chuẩn, PAR INDEX") == []


@pytest.fixture(scope="module")
def vietnamese_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb") / "targets.ipynb"
    parameters = dict(plan="quang-nam-2021", province="Đà Nẵng", geography="34", lang="vi")
    return runner.execute(config.NOTEBOOKS / runner.NOTEBOOKS["targets"], out, parameters)


def test_the_vietnamese_target_report_reads_in_vietnamese(vietnamese_report):
    text = reader_text(vietnamese_report)
    assert "Phụ lục cho người phân tích" in text and "Thuật ngữ" in text and "Quảng Nam" in text
    assert problems(text) == []


def test_no_vietnamese_sentence_about_a_province_gives_a_command_line():
    """The 63-province report of a namesake (Đà Nẵng, Cà Mau) said "Đơn vị mới: dùng --geography 34."."""
    for code in provinces.registry(geography="63").index:
        for sentence in (provinces.name_change_note(int(code), "vi"), provinces.reform_sentence(int(code), "vi")):
            assert not sentence or "--" not in sentence, sentence
    # and it promises no report that may not exist (reader's pass, item 12: "Đơn vị mới có báo cáo riêng")
    note = provinces.name_change_note("Đà Nẵng", "vi")
    assert "Báo cáo về đơn vị mới dùng địa giới 34" in note and "báo cáo riêng" not in note
