"""The plan workbooks: the review workbook of read-plan and the plan-template form are read back by report --plan,
with the same errors (sheet, row, column) as a CSV; headers in the language, drop-down lists, baselines as
published, the advisor's figures beside them, inferred cells highlighted, no formula ever."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from papi_analysis import load_scores
from papi_analysis.analysis import ranking, targets
from papi_analysis.data import provinces
from papi_analysis.data.plan_reader import read_plan_document
from papi_analysis.data.plan_reader.schema import HEADERS
from papi_analysis.report import plan_forms
from papi_analysis.run import cli, runner


@pytest.fixture(scope="module")
def quang_nam(sources_dir):
    return read_plan_document(sources_dir.parent / "seeds" / "000_1f4afd1fb87d898f.txt")


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    """The form for Quảng Trị's 2025 targets (on the 34 provinces: the new Quảng Trị holds Quảng Bình)."""
    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    assert cli.main(["plan-template", "--province", "Quảng Trị", "--out", str(path)]) == 0
    return path


def test_the_review_workbook_gives_back_the_rows_read(quang_nam, tmp_path):
    path = plan_forms.write_review_workbook(quang_nam, tmp_path / "qn.xlsx", "vi")
    loaded = targets.load_targets(path)
    written = loaded[loaded["expanded_from"] == ""].set_index("target_id")
    read = quang_nam.rows.set_index("target_id")
    for column in ("indicator", "kind", "target_value", "baseline_stated", "planned_change_stated", "quote"):
        assert (written[column] == read.loc[written.index, column].astype(str)).all(), column
    assert (
        written.loc["D2-score", "target_value"] == "5.45" and written.loc["total-score", "baseline_stated"] == "43.28"
    )
    runner.check_plan(str(path), ["Quảng Nam"])


def test_the_review_workbook_highlights_what_was_inferred_and_reads_in_the_language(quang_nam, tmp_path):
    path = plan_forms.write_review_workbook(quang_nam, tmp_path / "qn.xlsx", "en")
    book = load_workbook(path)
    assert book.sheetnames[:4] == ["Instructions", "PAPI targets", "PAR INDEX, SIPAS", "Sentences not read"]
    sheet = book["PAPI targets"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == [HEADERS[c]["en"] for c in ("target_id", "indicator", "kind", "target_value")]
    column = {h: k for k, h in enumerate(headers)}
    fills = {}
    for row in sheet.iter_rows(min_row=2):
        fills[row[0].value] = {headers[k] for k, cell in enumerate(row) if cell.fill.fgColor.rgb == "00FFF2CC"}
    assert HEADERS["confidence"]["en"] in fills["total-group"]  # medium: the group is read as "or better"
    assert fills["total-score"] == set()  # read word for word
    kinds = [row[column[HEADERS["kind"]["en"]]].value for row in sheet.iter_rows(min_row=2)]
    assert kinds[1] == "score_at_least · score at least"  # a drop-down value, read back as its code
    lists = [v.sqref for v in sheet.data_validations.dataValidation]
    assert len(lists) == 4


def test_text_from_a_document_is_never_a_formula(tmp_path):
    text = (
        "KẾ HOẠCH\nNâng cao Chỉ số PAPI tỉnh Cà Mau năm 2025\n\nI. MỤC TIÊU\n"
        '=HYPERLINK("http://x.invalid","Phấn đấu Chỉ số PAPI năm 2025 đạt 44 điểm")\n'
    )
    reading = read_plan_document(text=text)
    assert reading.rows["quote"].iloc[0].startswith("=HYPERLINK")
    path = plan_forms.write_review_workbook(reading, tmp_path / "x.xlsx", "vi")
    cells = [c for row in load_workbook(path)["Mục tiêu PAPI"].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(str(c.value).startswith("=HYPERLINK") and c.data_type == "s" for c in cells)


def test_a_workbook_error_names_sheet_row_and_column(quang_nam, tmp_path):
    path = plan_forms.write_review_workbook(quang_nam, tmp_path / "qn.xlsx", "vi")
    book = load_workbook(path)
    sheet = book["Mục tiêu PAPI"]
    sheet["D3"] = "nan"  # target value of the second target
    book.save(path)
    with pytest.raises(
        targets.TargetFileError, match=r"qn.xlsx, sheet 'Mục tiêu PAPI', row 3, column D \(target_value\)"
    ):
        targets.load_targets(path)


def test_the_form_has_headers_lists_baselines_and_the_advisors_figures(form):
    book = load_workbook(form)
    assert book.sheetnames == ["Hướng dẫn", "Mục tiêu PAPI", "Danh mục"] and book["Danh mục"].sheet_state == "hidden"
    sheet = book["Mục tiêu PAPI"]
    headers = [c.value for c in sheet[1]]
    assert HEADERS["kind"]["vi"] in headers and "Điểm đạt được với xác suất 90%" in headers
    validated = {str(v.sqref).split(":")[0][0] for v in sheet.data_validations.dataValidation}
    letters = {h: chr(ord("A") + k) for k, h in enumerate(headers)}
    assert {letters[HEADERS[c]["vi"]] for c in ("kind", "indicator", "target_value")} <= validated
    rows = {
        r[headers.index(HEADERS["indicator"]["vi"])]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]
    }
    total = rows["total · Chỉ số PAPI tổng hợp (không trọng số)"]
    panel = load_scores(geography="34")
    code = provinces.resolve("Quảng Trị", geography="34")
    published = ranking.rank_and_group(panel[panel["year"] == 2024]).set_index(["province_code", "dimension"])
    mine = published.loc[(code, "total")]
    at = {h: k for k, h in enumerate(headers)}
    assert total[at[HEADERS["baseline_stated"]["vi"]]] == pytest.approx(round(mine["score"], 2))
    assert total[at[HEADERS["baseline_rank_stated"]["vi"]]] == f"{int(mine['rank'])}/{int(mine['n_ranked'])}"
    assert total[at["Nhóm năm gốc"]].startswith(mine["group"])
    assert "ước tính" in total[at["Nguồn điểm năm gốc"]]  # a merged province: recast, an estimate
    s90, s70, s50 = (total[at[f"Điểm đạt được với xác suất {p}%"]] for p in (90, 70, 50))
    assert s90 < s70 < s50  # a surer score is a lower one
    advice = targets.advise(panel, code, 2024).set_index("indicator")
    assert s50 == pytest.approx(advice.loc["total", "score_50"])


def test_the_form_filled_in_round_trips_through_report_plan(form, tmp_path):
    book = load_workbook(form)
    sheet = book["Mục tiêu PAPI"]
    headers = [c.value for c in sheet[1]]
    kind, value = headers.index(HEADERS["kind"]["vi"]) + 1, headers.index(HEADERS["target_value"]["vi"]) + 1
    baseline = sheet.cell(row=2, column=headers.index(HEADERS["baseline_stated"]["vi"]) + 1).value
    sheet.cell(row=2, column=kind, value="score_at_least · đạt ít nhất số điểm")
    sheet.cell(row=2, column=value, value=round(baseline + 0.5, 2))
    sheet.cell(row=3, column=kind, value="group_at_least · nằm trong nhóm này trở lên")
    sheet.cell(row=3, column=value, value="highest · nhóm cao nhất")
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    loaded = targets.load_targets(filled)
    assert list(loaded["kind"]) == ["score_at_least", "group_at_least"]  # the rows left blank are not targets
    assert list(loaded["indicator"]) == ["total", "D1"] and set(loaded["geography"]) == {"34"}
    chosen = targets.in_geography(loaded, "34")
    assert targets.check_targets(chosen, load_scores(geography="34")).empty  # baselines as published
    runner.check_plan(str(filled), ["Quảng Trị"], "34")


def test_the_form_in_english_is_read_too(tmp_path):
    path = tmp_path / "en.xlsx"
    assert (
        cli.main(["plan-template", "--province", "Cao Bằng", "--lang", "en", "--year", "2024", "--out", str(path)]) == 0
    )
    book = load_workbook(path)
    sheet = book["PAPI targets"]
    headers = [c.value for c in sheet[1]]
    assert HEADERS["target_year"]["en"] in headers
    sheet.cell(row=2, column=headers.index(HEADERS["kind"]["en"]) + 1, value="rank_at_most")
    sheet.cell(row=2, column=headers.index(HEADERS["target_value"]["en"]) + 1, value=55)
    book.save(path)
    loaded = targets.load_targets(path)
    assert (loaded["target_year"].iloc[0], loaded["geography"].iloc[0], loaded["province"].iloc[0]) == (
        2024,
        "63",
        "Cao Bằng",
    )


def test_plan_template_for_2025_of_an_old_province_is_its_new_units(tmp_path, capsys):
    # merged into Quảng Trị on 1 July 2025: the form is Quảng Trị's, and the command says so (issue 27)
    assert cli.main(["plan-template", "--province", "Quảng Bình", "--out", str(tmp_path / "form.xlsx")]) == 0
    assert "Quảng Trị" in capsys.readouterr().out
