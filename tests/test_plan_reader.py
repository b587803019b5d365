"""The plan reader on real plans: the five seed plans as text, and as Word and PDF files made from the same text,
must give back every hand-made seed row with no wrong field and every ambiguity flagged; it reads wordings it was not
written for, refuses what it cannot read with a sentence, and never writes a number it is not sure of silently."""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from papi_analysis import config
from papi_analysis.data import provinces
from papi_analysis.data.plan_reader import PlanDocumentError, phrases, read_plan_document
from papi_analysis.data.plan_reader.compare import compare_plan, normalise
from papi_analysis.run import cli

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from plan_documents import make_docx, make_pdf  # noqa: E402

SEEDS = [
    "000_1f4afd1fb87d898f",
    "001_8ec1e42cff7f38c3",
    "002_ae2ba4cbc43b44b9",
    "003_f06d6464cc5e028e",
    "004_469ec51c1b46772e",
]
FORMATS = ["txt", "docx", "pdf"]


@pytest.fixture(scope="module")
def seed_dir(sources_dir) -> Path:
    return sources_dir.parent / "seeds"


@pytest.fixture(scope="module")
def documents(seed_dir, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each seed plan as .txt (as given), .docx and .pdf (made from the same text, as an office would)."""
    folder = tmp_path_factory.mktemp("plans")
    out = {}
    for stem in SEEDS:
        text = (seed_dir / f"{stem}.txt").read_text(encoding="utf-8")
        out[(stem, "txt")] = seed_dir / f"{stem}.txt"
        out[(stem, "docx")] = make_docx(text, folder / f"{stem}.docx")
        out[(stem, "pdf")] = make_pdf(text, folder / f"{stem}.pdf")
    return out


@pytest.fixture(scope="module")
def readings(documents):
    return {key: read_plan_document(path) for key, path in documents.items()}


@pytest.fixture(scope="module")
def hand_made():
    read = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)  # noqa: E731
    return read(config.DATA_RAW / "targets" / "seed_plans.csv"), read(
        config.DATA_RAW / "targets" / "indices" / "index_targets.csv"
    )


def _compare(reading, stem: str, hand_made):
    papi, index = hand_made
    source = f"{stem}.txt"
    rows, index_rows = reading.rows.copy(), reading.index_rows.copy()
    rows["source_file"] = index_rows["source_file"] = source  # the .docx/.pdf copies stand for the .txt

    class Read:
        pass

    read = Read()
    read.rows, read.index_rows = rows, index_rows
    return compare_plan(read, papi[papi["source_file"] == source], index[index["source_file"] == source])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", SEEDS)
def test_every_seed_row_is_found_with_no_wrong_field_and_every_ambiguity_flagged(readings, hand_made, stem, fmt):
    c = _compare(readings[(stem, fmt)], stem, hand_made)
    assert c.missed == [] and c.found == c.expected > 0
    assert c.wrong == [], c.wrong  # no wrong number, kind, year or quote
    assert c.wrong_numbers == 0 and c.missing == []
    assert c.flagged == c.ambiguous


def test_the_seeds_ambiguities_are_counted(readings, hand_made):
    counts = {stem: _compare(readings[(stem, "txt")], stem, hand_made) for stem in SEEDS}
    assert sum(c.ambiguous for c in counts.values()) == 21  # Quảng Nam 10, Huế 9, Đắk Lắk 2
    assert sum(c.expected for c in counts.values()) == 74  # 49 PAPI rows, 25 PAR INDEX and SIPAS rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_quote_is_the_documents_own_words(readings, seed_dir, fmt):
    for stem in SEEDS:
        source = normalise((seed_dir / f"{stem}.txt").read_text(encoding="utf-8").replace("\t", " "))
        reading = readings[(stem, fmt)]
        for quote in list(reading.rows["quote"]) + list(reading.index_rows["quote"]):
            for part in quote.split(" … "):
                assert normalise(part) in source, (stem, fmt, part)


def test_a_sentence_with_two_readings_gives_both_rows_flagged_with_the_other(readings):
    rows = readings[("003_f06d6464cc5e028e", "txt")].rows.set_index("target_id")
    first, second = rows.loc["total-group"], rows.loc["total-not-in-group"]
    assert (first["kind"], first["target_value"]) == ("group_at_least", "high_average")
    assert (second["kind"], second["target_value"]) == ("not_in_group", "low_average")
    assert first["quote"] == second["quote"] and "không nằm trong nhóm tỉnh trung bình thấp" in first["quote"]
    assert first["confidence"] == "medium" and second["confidence"] == "low"
    assert "next row" in first["other_reading"] and "row above" in second["other_reading"]


def test_the_readings_say_where_each_number_came_from(readings):
    rows = readings[("000_1f4afd1fb87d898f", "txt")].rows.set_index("target_id")
    total = rows.loc["total-score"]
    assert (total["target_value"], total["planned_change_stated"], total["baseline_stated"]) == (
        "45.6",
        "2.32",
        "43.28",
    )
    assert "baseline 43.28 as the plan states it in line 10" in total["reading"]  # the baseline's own sentence
    d1 = rows.loc["D1-group"]
    assert d1["quote"].startswith("a) Có 05 chỉ số nội dung") and "heading above" in d1["reading"]
    assert rows.loc["total-change", "target_year"] == "2021+"


# --------------------------------------------------------------------------- plans it was not written for

UNSEEN_VI = """ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
Số: 45/KH-UBND
Ninh Bình, ngày 15 tháng 5 năm 2024
KẾ HOẠCH
Nâng cao Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) năm 2024

Năm 2023, Chỉ số PAPI của tỉnh Ninh Bình đạt 42,15 điểm, xếp hạng 35/61, thuộc nhóm trung bình thấp.

I. MỤC TIÊU
1. Phấn đấu năm 2024 Chỉ số PAPI của tỉnh đạt từ 43,5 điểm trở lên, tăng ít nhất 05 bậc so với năm 2023 và nằm trong nhóm 2.
2. Chỉ số nội dung “Quản trị điện tử” đạt 4,2/10 điểm; chỉ số nội dung “Kiểm soát tham nhũng” không giảm điểm so với năm 2023.
3. Giai đoạn 2021-2025, phấn đấu xếp hạng trong top 20 của cả nước.
4. Tăng điểm 8 chỉ số nội dung trong năm 2024.
5. Chỉ số nội dung “Tham gia của người dân ở cấp cơ sở” đạt 45 điểm.
6. Chỉ số PCI năm 2024 đạt 68 điểm.
"""

UNSEEN_EN = """PLAN to improve the PAPI index of Quang Tri province in 2025

In 2024 the province scored 44.20 points on PAPI.

1. Objectives
- In 2025 the province aims to reach 45.5 points on the PAPI total (up 1.3 points from 2024) and to be in the high-average group.
- The dimension “E-governance” will reach 3.8 points.
- The province aims to be in the top 10 by 2025.
"""


def test_a_vietnamese_plan_in_other_words_for_another_province():
    reading = read_plan_document(text=UNSEEN_VI)
    facts = reading.facts
    assert (facts.province, facts.plan_year, facts.number, facts.plan_id()) == (
        "Ninh Bình",
        2024,
        "45/KH-UBND",
        "ninh-binh-2024",
    )
    rows = reading.rows.set_index("target_id")
    got = {(r.indicator, r.kind, r.target_value) for r in reading.rows.itertuples()}
    assert {
        ("total", "score_at_least", "43.5"),
        ("total", "rank_gain_at_least", "5"),
        ("D8", "score_at_least", "4.2"),
        ("D4", "change_at_least", "0"),
        ("total", "rank_at_most", "20"),
        ("all", "all_up", ""),
    } <= got
    assert (
        rows.loc["total-score", "baseline_stated"] == "42.15"
        and rows.loc["total-score", "baseline_rank_stated"] == "35/61"
    )
    # "nhóm 2": the second group, or the top 2? Both rows, both flagged low, each naming the other
    two = reading.rows[reading.rows["quote"].str.contains("nằm trong nhóm 2")]
    pair = two[two["kind"].isin(["group_at_least", "rank_at_most"]) & (two["confidence"] == "low")]
    assert set(zip(pair["kind"], pair["target_value"])) == {("group_at_least", "high_average"), ("rank_at_most", "2")}
    # a period is not a target year: the row says so
    top20 = rows.loc[rows["target_value"] == "20"].iloc[0]
    assert top20["confidence"] == "low" and "period" in top20["reading"]
    # a wrong number is worse than a missed row: 45 points for a dimension scored 1-10 is not written, but listed
    reasons = dict(zip(reading.not_read["quote"].str[:12], reading.not_read["reason"]))
    assert "outside the D1 scale" in reasons["5. Chỉ số nộ"] and "another index" in reasons["6. Chỉ số PC"]
    assert not ((reading.rows["indicator"] == "D1") & (reading.rows["target_value"] == "45")).any()


def test_an_english_plan():
    reading = read_plan_document(text=UNSEEN_EN)
    assert (reading.facts.province, reading.facts.plan_year) == ("Quảng Trị", 2025)
    got = {(r.indicator, r.kind, r.target_value, r.target_year) for r in reading.rows.itertuples()}
    assert got == {
        ("total", "score_at_least", "45.5", 2025),
        ("total", "group_at_least", "high_average", 2025),
        ("D8", "score_at_least", "3.8", 2025),
        ("total", "rank_at_most", "10", 2025),
    }
    assert reading.rows.set_index("target_id").loc["total-score", "baseline_stated"] == "44.20"


def test_the_phrase_table_names_no_province_and_no_plan():
    """Patterns are written for the language of plans, not for five documents: no wording holds a province's name."""
    names = provinces.registry()
    folded = {
        " ".join(_fold(n).split())
        for n in list(names["name_vi"]) + [a for a in "|".join(names["aliases"]).split("|") if len(a) > 3]
    }
    for phrase in phrases.PHRASES:
        words = f" {_fold(phrase.wording)} "
        assert not any(f" {n} " in words for n in folded), phrase


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"[^a-z0-9 ]", " ", "".join(c for c in text if not unicodedata.combining(c)))


def test_the_targets_readme_shows_the_phrase_table():
    readme = (config.DATA_RAW / "targets" / "README.md").read_text(encoding="utf-8")
    assert phrases.markdown_table() in readme, (
        "run: python -c 'from papi_analysis.data.plan_reader import phrases; print(phrases.markdown_table())'"
    )


# --------------------------------------------------------------------------- what cannot be read


def test_a_scanned_pdf_is_refused_with_a_sentence(seed_dir, tmp_path):
    text = (seed_dir / "003_f06d6464cc5e028e.txt").read_text(encoding="utf-8")
    scanned = make_pdf(text, tmp_path / "scan.pdf", scanned=True)
    with pytest.raises(PlanDocumentError, match="scan.pdf has no text layer .* scanned image"):
        read_plan_document(scanned)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("plan.doc", b"\xd0\xcf\x11\xe0", "Save it from Word as .docx"),
        ("plan.docx", b"not a zip", "cannot be opened as a Word document"),
        ("plan.pdf", b"%PDF-1.4 broken", "cannot be read as a PDF"),
        ("plan.txt", "Kế hoạch".encode("utf-16-be")[2:] + b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_documents_that_cannot_be_read_give_a_sentence(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert cli.main(["read-plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# --------------------------------------------------------------------------- the command


def test_read_plan_from_standard_input_to_a_workbook_the_report_accepts(tmp_path, monkeypatch, capsys, seed_dir):
    from papi_analysis.analysis import targets
    from papi_analysis.run import runner

    text = (seed_dir / "000_1f4afd1fb87d898f.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out = tmp_path / "qn.xlsx"
    assert cli.main(["read-plan", "-", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Quảng Nam, plan quang-nam-2021" in said and f"wrote {out}" in said and "19 PAPI targets" in said
    loaded = targets.load_targets(out)
    assert set(loaded["plan_id"]) == {"quang-nam-2021"} and len(loaded) == 23  # 2021+ read as five years
    assert loaded["note"].str.contains("read automatically").all()
    runner.check_plan(str(out), ["Quảng Nam"])  # what `report --plan qn.xlsx` checks before any notebook starts
    assert runner.plan_label(str(out)) == "quang-nam-2021"


def test_read_plan_report_runs_the_target_report_on_the_rows_read(tmp_path, monkeypatch, capsys, seed_dir):
    from papi_analysis.run import runner

    ran = []
    monkeypatch.setattr(runner, "run_tasks", lambda tasks, **kw: ran.extend(tasks) or [])
    monkeypatch.setattr(runner, "write_pages", lambda *a, **k: None)
    monkeypatch.setattr(runner, "write_run_log", lambda *a, **k: None)
    document = tmp_path / "hue.txt"
    document.write_text((seed_dir / "002_ae2ba4cbc43b44b9.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert cli.main(["read-plan", str(document), "--report", "--lang", "en"]) == 0
    (task,) = ran
    assert task.notebook == "targets" and task.parameters["plan"].endswith("hue.targets.xlsx")
    assert task.parameters["province"] == "Thừa Thiên Huế" and task.parameters["lang"] == "en"
    assert "read automatically" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_row_read_is_a_valid_targets_file(readings, tmp_path, fmt):
    from papi_analysis.analysis import targets
    from papi_analysis.report import plan_forms

    for stem in SEEDS:
        reading = readings[(stem, fmt)]
        (path,) = plan_forms.write_review_csv(reading, tmp_path / f"{stem}.csv")[:1]
        loaded = targets.load_targets(path)
        assert set(loaded["province"]) == {reading.facts.province}


UNSEEN_TABLE = """KẾ HOẠCH
Cải thiện Chỉ số PAPI tỉnh Lào Cai năm 2025

I. MỤC TIÊU CỤ THỂ
1. Chỉ số PAPI
STT\tChỉ số nội dung\tĐiểm năm 2024\tMục tiêu năm 2025
1\tTham gia của người dân ở cấp cơ sở\t5,12\t5,40
2\tCông khai, minh bạch\t5,60\t≥ 5,80
3\tTrách nhiệm giải trình với người dân\t4,31\t4,50
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_table_of_another_layout_in_every_format(tmp_path, fmt):
    """Two columns of numbers instead of five, a target without its sign: read by the header's words (Word, text)
    or by the order that fits the rows (PDF)."""
    path = tmp_path / f"plan.{fmt}"
    if fmt == "txt":
        path.write_text(UNSEEN_TABLE, encoding="utf-8")
    else:
        (make_docx if fmt == "docx" else make_pdf)(UNSEEN_TABLE, path)
    reading = read_plan_document(path)
    got = [
        (r.indicator, r.kind, r.target_value, r.baseline_stated, r.baseline_year, r.target_year)
        for r in reading.rows.itertuples()
    ]
    assert got == [
        ("D1", "score_at_least", "5.40", "5.12", 2024, 2025),
        ("D2", "score_at_least", "5.80", "5.60", 2024, 2025),
        ("D3", "score_at_least", "4.50", "4.31", 2024, 2025),
    ]
    assert reading.facts.province == "Lào Cai" and reading.not_read.empty
