"""Readers of the official formats: real files, and bad input built in the test."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from papi_analysis.data import readers

RELEASE = "papi/sources/PAPI_2011-2016.xlsx"
WORKBOOK_EN = "papi/sources/PAPI-2015-2023-eng.xlsm"
WORKBOOK_VI = "papi/sources/PAPI-2015-2023-vi.xlsm"


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def release(sources_dir):
    return readers.read_release_2011_2016(sources_dir / RELEASE)


def test_release_has_63_provinces_each_year_and_no_highest_row(release):
    scores = release[(release["indicator"] == "total_unweighted")]
    assert scores.groupby("year")["province_code"].nunique().tolist() == [63] * 6
    assert 999 not in set(release["province_code"])


def test_release_2014_gaps_are_missing_not_zero(release):
    gaps = release[(release["year"] == 2014) & release["province_code"].isin([24, 87]) & (release["indicator"] == "D1")]
    assert gaps["value"].isna().all()
    assert set(gaps["missing_reason"]) <= {"blank in source", "zero in source (no data)"}


def test_release_records_say_where_each_number_is(release):
    row = release[(release["year"] == 2011) & (release["province_code"] == 1) & (release["indicator"] == "D1")].iloc[0]
    assert (row["source_file"], row["source_sheet"], row["source_cell"]) == ("PAPI_2011-2016.xlsx", "2011_PAPI", "D3")


def test_workbook_refuses_the_sheets_that_copy_2019(sources_dir):
    for year in (2020, 2021):
        with pytest.raises(readers.DuplicateSheetError) as err:
            readers.read_papi_workbook(sources_dir / WORKBOOK_EN, years=[year])
        message = str(err.value)
        assert "PAPI-2015-2023-eng.xlsm" in message and f"'{year}" in message and "'2019'" in message


def test_inspect_workbook_flags_exactly_the_copied_sheets(sources_dir):
    sheets = readers.inspect_workbook(sources_dir / WORKBOOK_VI)
    copies = sheets[sheets["duplicate_of"] != ""]
    assert sorted(copies["sheet"]) == ["2020", "2020_Process", "2021", "2021_Process"]


def test_english_and_vietnamese_workbooks_agree(sources_dir):
    years = [2017, 2018, 2022]
    en = readers.read_papi_workbook(sources_dir / WORKBOOK_EN, years=years)
    vi = readers.read_papi_workbook(sources_dir / WORKBOOK_VI, years=years)
    keys = ["year", "province_code", "indicator", "statistic"]
    merged = en.merge(vi, on=keys, suffixes=("_en", "_vi"))
    dims = merged[merged["indicator"].str.fullmatch(r"D\d")]
    assert len(dims) > 0
    pd.testing.assert_series_equal(dims["value_en"], dims["value_vi"], check_names=False)


def test_release_and_workbook_agree_for_2015_and_2016(sources_dir, release):
    workbook = readers.read_papi_workbook(sources_dir / WORKBOOK_EN, years=[2015, 2016])
    keys = ["year", "province_code", "indicator"]
    a = release[release["indicator"].str.fullmatch(r"D\d") & release["year"].isin([2015, 2016])]
    b = workbook[workbook["indicator"].str.fullmatch(r"D\d")]
    merged = a.merge(b, on=keys, suffixes=("_release", "_workbook"))
    assert len(merged) == 2 * 63 * 6
    assert (merged["value_release"] - merged["value_workbook"]).abs().max() < 1e-5


def test_workbook_2022_zeros_are_missing(sources_dir):
    wb = readers.read_papi_workbook(sources_dir / WORKBOOK_EN, years=[2022])
    bac_giang = wb[(wb["province_code"] == 24) & (wb["statistic"] == "score") & wb["indicator"].str.fullmatch(r"D\d")]
    missing = sorted(bac_giang.loc[bac_giang["value"].isna(), "indicator"])
    assert missing == ["D1", "D2", "D4", "D5"]


def test_csv_export_reader(sources_dir):
    records = readers.read_province_year_csv(sources_dir / "papi/sources/agg_province_year_2021.csv")
    totals = records[records["indicator"] == "total_unweighted"]
    assert len(totals) == 63
    assert sorted(totals.loc[totals["value"].isna(), "province_code"]) == [22, 24, 27]


# --------------------------------------------------------------------------- bad input


def _release_like(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2012_PAPI"
    header = [
        "tinhid",
        "tentinh_eng",
        "tentinh_vie",
        "Participation at Local Levels",
        "Transparency",
        "Vertical Accountability",
        "Control of Corruption",
        "Public Administrative Procedures",
        "Public Service Delivery",
        "Un-weighted2015PAPI",
    ]
    ws.append(header)
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_release_reader_refuses_unknown_province(tmp_path):
    path = _release_like(
        tmp_path / "bad.xlsx",
        [
            [1, "Ha Noi", "Hà Nội", 5, 5, 5, 5, 5, 5, 30],
            [2, "Atlantis", "Atlantis", 5, 5, 5, 5, 5, 5, 30],
        ],
    )
    with pytest.raises(readers.SourceFormatError) as err:
        readers.read_release_2011_2016(path)
    message = str(err.value)
    assert "bad.xlsx" in message and "'2012_PAPI'" in message and "row 4" in message and "Atlantis" in message


def test_release_reader_refuses_text_in_a_score_cell(tmp_path):
    path = _release_like(tmp_path / "bad.xlsx", [[1, "Ha Noi", "Hà Nội", 5, "five", 5, 5, 5, 5, 30]])
    with pytest.raises(readers.SourceFormatError) as err:
        readers.read_release_2011_2016(path)
    assert "cell E3" in str(err.value) and "'five'" in str(err.value)


def test_release_reader_refuses_a_code_that_contradicts_the_name(tmp_path):
    path = _release_like(tmp_path / "bad.xlsx", [[2, "Ha Noi", "Hà Nội", 5, 5, 5, 5, 5, 5, 30]])
    with pytest.raises(readers.SourceFormatError, match="code 2 does not match"):
        readers.read_release_2011_2016(path)


def test_release_reader_refuses_a_wrong_header(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "2012_PAPI"
    wb.active.append(["province", "x", "y"])
    wb.active.append(["province", "x", "y"])
    wb.active.append([1, "Ha Noi", "Hà Nội"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(readers.SourceFormatError, match=r"bad.xlsx, sheet '2012_PAPI', row 1"):
        readers.read_release_2011_2016(tmp_path / "bad.xlsx")


def test_release_reader_refuses_a_province_listed_twice(tmp_path):
    path = _release_like(
        tmp_path / "bad.xlsx",
        [
            [1, "Ha Noi", "Hà Nội", 5, 5, 5, 5, 5, 5, 30],
            [1, "Ha Noi", "Hà Nội", 5, 5, 5, 5, 5, 5, 30],
        ],
    )
    with pytest.raises(readers.SourceFormatError, match="more than once"):
        readers.read_release_2011_2016(path)


def test_release_reader_keeps_zeros_and_kcdl_as_missing(tmp_path):
    path = _release_like(
        tmp_path / "ok.xlsx",
        [
            [1, "Ha Noi", "Hà Nội", 0, "KCDL", 5, 5, 5, 5, 30],
            [999, "Highest", "Điểm cao nhất", 9, 9, 9, 9, 9, 9, 54],
        ],
    )
    records = readers.read_release_2011_2016(path).set_index("indicator")
    assert math.isnan(records.loc["D1", "value"]) and records.loc["D1", "missing_reason"] == "zero in source (no data)"
    assert math.isnan(records.loc["D2", "value"]) and records.loc["D2", "missing_reason"] == "KCDL in source"
    assert set(records["province_code"]) == {1}


def _transposed_like(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, names, values in sheets:
        ws = wb.create_sheet(title)
        ws.append(["Tên tỉnh/thành phố", "Thang điểm", *names])
        ws.append(["Chỉ số nội dung 1: Tham gia", "1-10 điểm", *values])
        ws.append(["Chỉ số nội dung 2: Công khai", "1-10 điểm", *[v + 0.5 for v in values]])
    wb.save(path)
    return path


def test_workbook_reader_detects_a_copied_year_in_a_built_workbook(tmp_path):
    path = _transposed_like(
        tmp_path / "copy.xlsx",
        [
            ("2018", ["Ha Noi", "Ha Giang"], [5.1, 5.2]),
            ("2019", ["Ha Noi", "Ha Giang"], [5.3, 5.4]),
            ("2020", ["Ha Noi", "Ha Giang"], [5.3, 5.4]),
        ],
    )
    assert len(readers.read_papi_workbook(path, years=[2018, 2019])) == 8
    with pytest.raises(readers.DuplicateSheetError, match=r"copy.xlsx, sheet '2020'.*'2019'"):
        readers.read_papi_workbook(path)


def test_workbook_reader_refuses_unknown_province_column(tmp_path):
    path = _transposed_like(tmp_path / "bad.xlsx", [("2018", ["Ha Noi", "Narnia"], [5.1, 5.2])])
    with pytest.raises(readers.SourceFormatError) as err:
        readers.read_papi_workbook(path)
    assert "bad.xlsx" in str(err.value) and "'2018'" in str(err.value) and "cell D1" in str(err.value)


def test_workbook_reader_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "broken.xlsm"
    path.write_text("not a workbook")
    with pytest.raises(readers.SourceFormatError, match="broken.xlsm"):
        readers.read_papi_workbook(path)


def test_csv_reader_refuses_missing_columns_and_unknown_provinces(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("province_vi,year,D1\nHà Nội,2024,5.0\n")
    with pytest.raises(readers.SourceFormatError, match="missing column"):
        readers.read_province_year_csv(path)
    header = "province_vi,year,D1,D2,D3,D4,D5,D6,D7,D8,total_official\n"
    path.write_text(header + "Hà Nội,2024,5,5,5,5,5,5,5,5,40\nGotham,2024,5,5,5,5,5,5,5,5,40\n")
    with pytest.raises(readers.SourceFormatError) as err:
        readers.read_province_year_csv(path)
    assert "export.csv" in str(err.value) and "line 3" in str(err.value) and "Gotham" in str(err.value)
