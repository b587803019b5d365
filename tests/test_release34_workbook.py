"""The official provincial-indicators workbook layout for a release on the 34 provinces: read, refuse, import, build.

Workbooks are written by the tests from this project's recast (2024: scores only; 2023: also SE, CI and respondents
where PAPI published them) and relabelled as 2025/2026, the years a release on the 34 provinces can be for. They are
named DERIVED and carry a note row: none is a PAPI release.
"""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import openpyxl
import pytest

from papi_analysis import config, load_scores
from papi_analysis.data import provinces, readers, release34

TODAY = dt.date(2026, 12, 3)  # the survey year under way is 2026: releases for 2025-2026 are accepted


@pytest.fixture(scope="module")
def panel34():
    return load_scores(geography="34")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("release34_workbook")


@pytest.fixture(scope="module")
def derived_2024(panel34, folder):
    """The 2024 recast in the official layout, as a 2025 sheet."""
    return release34.write_official_workbook(
        panel34, 2024, folder / "papi34_2025_DERIVED_from_2024_recast.xlsx", as_year=2025
    )


@pytest.fixture(scope="module")
def derived_2023(panel34, folder):
    """The 2023 recast (with total SE, CI where published, respondents) in the official layout, as a 2026 sheet."""
    return release34.write_official_workbook(
        panel34, 2023, folder / "papi34_2026_DERIVED_from_2023_recast.xlsx", as_year=2026
    )


def _row(ws, starts: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value is not None and str(row[0].value).startswith(starts):
            return row[0].row
    raise LookupError(starts)


def _column(ws, name: str) -> int:
    for cell in ws[2]:
        if cell.value == name:
            return cell.column
    raise LookupError(name)


def _edited(source, tmp_path, edit, name="papi34_DERIVED_malformed.xlsx"):
    wb = openpyxl.load_workbook(source)
    edit(wb.active)
    path = tmp_path / name
    wb.save(path)
    return path


def test_the_2024_recast_in_the_official_layout_reads_back(derived_2024, panel34):
    release = release34.read_release34(derived_2024, today=TODAY).set_index("province_code")
    assert len(release) == 34 and release["year"].eq(2025).all()
    for dimension in ("D1", "D8", "total"):
        expected = panel34[(panel34["year"] == 2024) & (panel34["dimension"] == dimension)].set_index("province_code")
        assert np.allclose(release[dimension], expected["score"].reindex(release.index), atol=1e-6, equal_nan=True)
    assert release.loc[[25, 82], "total"].isna().all()  # missing stays missing (a constituent was not published)


def test_uncertainty_and_respondent_rows_are_read(derived_2023, panel34):
    release = release34.read_release34(derived_2023, today=TODAY).set_index("province_code")
    total = panel34[(panel34["year"] == 2023) & (panel34["dimension"] == "total")].set_index("province_code")
    for column, source in (("total_se", "se"), ("total_ci_low", "ci_low"), ("n_respondents", "n_respondents")):
        expected = total[source].reindex(release.index).astype(float)
        assert np.allclose(release[column].astype(float), expected, atol=1e-6, equal_nan=True), column
    assert release["n_respondents"].dtype == "Int64"


def test_a_row_naming_only_a_statistic_belongs_to_the_indicator_above(panel34, tmp_path):
    """2019 has an SE for every dimension (from PAPI's published variances): written as 'Standard Error' rows under
    each dimension row, they are read as that dimension's SE."""
    path = release34.write_official_workbook(panel34, 2019, tmp_path / "papi34_2025_DERIVED_2019.xlsx", as_year=2025)
    release = release34.read_release34(path, today=TODAY).set_index("province_code")
    for dimension in ("D1", "D5", "D8"):
        se = panel34[(panel34["year"] == 2019) & (panel34["dimension"] == dimension)].set_index("province_code")["se"]
        assert np.allclose(release[f"{dimension}_se"], se.reindex(release.index), atol=1e-9), dimension
    assert readers.classify_transposed_row(["Standard Error", "Sai số chuẩn"], None) is None  # nothing above it
    assert readers.classify_transposed_row(["Hiểu biết về chính sách hiện hành (%)"], ("D1", "score")) is None
    assert readers.classify_transposed_row(["95% CI Low"], ("D2", "score")) == ("D2", "ci_low")
    assert readers.classify_transposed_row(["Weighted score | có trọng số"], ("D2", "score")) == (
        "D2_weighted",
        "score",
    )
    assert readers.classify_transposed_row(["Chỉ số nội dung 3: Trách nhiệm (có trọng số) - sai số"]) == (
        "D3_weighted",
        "se",
    )


def _swap_ci(ws):
    low, high, col = _row(ws, "Unweighted 95% CI Low"), _row(ws, "Unweighted 95% CI High"), _column(ws, "Hà Nội")
    ws.cell(low, col).value, ws.cell(high, col).value = ws.cell(high, col).value, ws.cell(low, col).value


def _shift(starts, name, delta=None, factor=None, value=None):
    def edit(ws):
        cell = ws.cell(_row(ws, starts), _column(ws, name))
        cell.value = value if value is not None else (cell.value + delta if delta is not None else cell.value * factor)

    return edit


def _rename(old, new):
    def edit(ws):
        ws.cell(2, _column(ws, old)).value = new

    return edit


def _delete_row(starts):
    def edit(ws):
        ws.delete_rows(_row(ws, starts))

    return edit


def _repeat_row(starts):
    def edit(ws):
        ws.append([c.value for c in ws[_row(ws, starts)]])

    return edit


def _title(title):
    def edit(ws):
        ws.title = title

    return edit


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            _swap_ci,
            r"row 4 \(total CI low\), column D \(Hà Nội\): the CI low bound .* the bounds are swapped",
        ),
        (
            _shift("Unweighted 95% CI High", "Hà Nội", delta=0.5),
            r"column D \(Hà Nội\): the confidence interval .* is not centred",
        ),
        (
            _shift("Unweighted Standard Error", "Cao Bằng", factor=2.0),
            r"column E \(Cao Bằng\): the half-width .* 0.82 standard errors",
        ),
        (
            _shift("Observations", "Cao Bằng", value=248.5),
            r"row \d+ \(respondents\), column E \(Cao Bằng\): 248.5 respondents is not a whole number",
        ),
        (
            _shift("Dimension 3", "Huế", value=12.0),
            r"\(D3 score\), column .* \(Huế\): D3 score 12 is outside its scale, 1-10",
        ),
        (
            _shift("Dimension 1", "Đà Nẵng", delta=0.25),
            r"\(total score\), column .* \(Đà Nẵng\): the total .* is not the sum",
        ),
        (_shift("Dimension 2", "Hà Nội", value="n/a?"), r"\(D2 score\), column D \(Hà Nội\): 'n/a\?' is not a number"),
        (_rename("Cao Bằng", "Hà Nội"), r"row 2, column E: Hà Nội is also column D; each province once"),
        (_rename("Cao Bằng", "Atlantis"), r"row 2, column E: Unknown province 'Atlantis'"),
        (
            _rename("Đà Nẵng", "Quảng Nam"),
            r"row 2, column .*: 'Quảng Nam' is one of the 63 provinces .* part of Đà Nẵng",
        ),
        (_delete_row("Dimension 7"), r"no row or column for D7"),
        (_repeat_row("Dimension 3"), r"row \d+: repeats the D3 score of row \d+"),
        (_title("9999_DERIVED_TEST"), r"sheet '9999_DERIVED_TEST': 9999 is after 2026, the survey year now under way"),
        (_title("2019_DERIVED_TEST"), r"sheet '2019_DERIVED_TEST': 2019 is published on the 63 provinces"),
        (_title("2024_DERIVED_TEST"), r"2024 is published on the 63 provinces .* only be for 2025-2026"),
    ],
    ids=[
        "ci-swapped",
        "ci-off-centre",
        "ci-vs-se",
        "respondents-1.5",
        "scale",
        "total-sum",
        "text",
        "column-twice",
        "unknown-name",
        "old-name",
        "row-missing",
        "row-twice",
        "year-9999",
        "year-2019",
        "year-2024",
    ],
)
def test_a_malformed_workbook_is_refused_naming_file_sheet_row_and_column(derived_2023, tmp_path, edit, message):
    path = _edited(derived_2023, tmp_path, edit)
    with pytest.raises(release34.ReleaseFormatError, match=message) as err:
        release34.read_release34(path, today=TODAY)
    assert str(err.value).startswith("papi34_DERIVED_malformed.xlsx was not imported")
    assert "nothing was written" in str(err.value)


def test_the_34_names_in_any_spelling(derived_2024, tmp_path):
    registry = provinces.registry(geography="34")

    def spell(ws):
        for cell in ws[2][3:]:
            code = provinces.resolve(cell.value, geography="34")
            # English names without diacritics, every other one in capitals; Hà Nội as "TP Hà Nội"
            cell.value = registry.loc[code, "name_en"].upper() if code % 2 else registry.loc[code, "name_en"]
        ws.cell(2, 4).value = "TP Hà Nội"

    got = release34.read_release34(_edited(derived_2024, tmp_path, spell), today=TODAY)
    want = release34.read_release34(derived_2024, today=TODAY)
    assert got.drop(columns="province").equals(want.drop(columns="province"))
    assert got.loc[got["province_code"] == 1, "province"].item() == "TP Hà Nội"  # as written in the source


def test_a_sheet_on_the_63_provinces_mapped_to_the_34_is_refused_with_that_sentence(tmp_path):
    """The layout a dashboard describes for the 2024 '..._34_TinhThanh.xlsx' file: 63 columns, a row mapping them."""
    path = release34.write_official_workbook(
        load_scores(), 2024, tmp_path / "papi_2025_DERIVED_63_provinces_mapped.xlsx", as_year=2025, mapping_row=True
    )
    with pytest.raises(
        release34.ReleaseFormatError,
        match=r"row 2: its 63 province columns are the provinces before 1 July 2025 \(row 3 maps them to the 34\)",
    ):
        release34.read_release34(path, today=TODAY)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    quang_nam = next(c.column for c in ws[2] if c.value == "Quảng Nam")
    ws.cell(3, quang_nam).value = "Huế"  # Quảng Nam became part of Đà Nẵng, not Huế
    wb.save(path)
    with pytest.raises(
        release34.ReleaseFormatError,
        match=r"row 3, column .*: 'Huế' does not match the column's province Quảng Nam, which is Đà Nẵng among the 34",
    ):
        release34.read_release34(path, today=TODAY)


def test_the_labels_of_a_real_official_sheet_are_read_as_the_63_province_reader_reads_them(
    sources_dir, panel34, tmp_path
):
    """The real 2023 sheet (165 rows: totals with CI and SE, dimensions, sub-dimensions, raw indicators, respondents,
    copyright) with its columns laid out on the 34 provinces: the 11 unmerged provinces keep their real columns, the
    merged units get their 2023 recast in the dimension and total rows and nothing else. Named DERIVED."""
    source = sources_dir / "papi" / "sources" / "PAPI-2015-2023-vi.xlsm"
    wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    rows = [list(r) for r in wb["2023"].iter_rows(values_only=True)]
    wb.close()
    scale = readers.scale_column(rows)
    old_columns = {provinces.resolve(rows[1][c]): c for c in range(scale + 1, len(rows[1])) if rows[1][c]}
    registry = provinces.registry(geography="34")
    recast = panel34[panel34["year"] == 2023].set_index(["province_code", "dimension"])
    out = openpyxl.Workbook()
    ws = out.active
    ws.title = "2026_DERIVED_TEST"
    kinds = [readers.classify_transposed_row([str(c) for c in r[:scale] if c is not None]) for r in rows]
    for i, row in enumerate(rows):
        cells = list(row[: scale + 1])
        for code in registry.index:
            old = [int(c) for c in str(registry.loc[code, "old_province_codes"]).split("|")]
            if i == 0:
                cells.append(code)
            elif i == 1:
                cells.append(registry.loc[code, "name_vi"])
            elif len(old) == 1:
                cells.append(row[old_columns[old[0]]])
            elif (
                kinds[i]
                and kinds[i][1] == "score"
                and kinds[i][0] in {*(f"D{k}" for k in range(1, 9)), "total_unweighted"}
            ):
                dimension = "total" if kinds[i][0] == "total_unweighted" else kinds[i][0]
                cells.append(float(recast.loc[(code, dimension), "score"]))
            else:
                cells.append(None)
        ws.append(cells)
    path = tmp_path / "papi34_2026_DERIVED_real_2023_sheet_on_34_columns.xlsx"
    out.save(path)

    records, year, layout = release34.read_release_records(path, today=TODAY)
    assert year == 2026 and "official provincial-indicators workbook" in layout
    mine = {(r["province_code"], r["indicator"], r["statistic"]): r["value"] for r in records}
    official = readers.read_papi_workbook(source, years=[2023])
    unmerged = [c for c in registry.index if registry.loc[c, "n_old_provinces"] == 1]
    compared = 0
    for r in official[official["province_code"].isin(unmerged)].itertuples():
        if "." in r.indicator:  # sub-dimensions are not imported
            continue
        key = (r.province_code, r.indicator, r.statistic)
        assert np.isclose(mine[key], r.value, equal_nan=True), key
        compared += 1
    assert compared == 11 * (8 + 4 + 1)  # 8 dimensions, the total's score/CI low/CI high/SE, respondents


def test_several_year_sheets_need_year_and_two_sheets_of_one_year_must_agree(derived_2024, derived_2023, tmp_path):
    wb = openpyxl.load_workbook(derived_2024)
    other = openpyxl.load_workbook(derived_2023).active
    copy = wb.create_sheet(other.title)
    for row in other.iter_rows(values_only=True):
        copy.append(row)
    path = tmp_path / "papi34_DERIVED_two_years.xlsx"
    wb.save(path)
    with pytest.raises(
        release34.ReleaseFormatError, match="sheets for 2025, 2026; say which year to import with --year"
    ):
        release34.read_release34(path, today=TODAY)
    assert release34.read_release34(path, year=2026, today=TODAY)["year"].eq(2026).all()

    wb = openpyxl.load_workbook(derived_2024)
    english = wb.copy_worksheet(wb.active)
    english.title = "2025_ENG"
    english.cell(_row(english, "Dimension 4"), 5).value = 6.5
    wb.save(path)
    with pytest.raises(
        release34.ReleaseFormatError, match=r"sheet '2025_ENG', row \d+ \(D4 score\), column E .* differs from"
    ):
        release34.read_release34(path, today=TODAY)


def test_the_row_per_province_layout_in_a_workbook(panel34, tmp_path):
    csv = release34.write_release34(panel34, 2024, tmp_path / "papi34_2025_DERIVED.csv", as_year=2025)
    wb = openpyxl.Workbook()
    for line in csv.read_text().splitlines():
        wb.active.append(
            [
                float(c) if c.replace(".", "").isdigit() and "." in c else (int(c) if c.isdigit() else c or None)
                for c in line.split(",")
            ]
        )
    path = tmp_path / "papi34_2025_DERIVED_rows.xlsx"
    wb.save(path)
    assert release34.read_release34(path, today=TODAY).equals(release34.read_release34(csv, today=TODAY))


def test_an_imported_workbook_builds_into_the_34_panel_as_published(derived_2023, tmp_path):
    from papi_analysis.data import panel as data_panel

    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    release34.import_release34(derived_2023, origin="test: derived from the 2023 recast", raw_dir=raw, today=TODAY)
    data_panel.build_data(raw, tmp_path / "processed")
    panel = data_panel.read_panel(tmp_path / "processed", raw, geography="34")
    year = panel[panel["year"] == 2026]
    assert len(year) == 34 * 9 and (year.loc[year["score"].notna(), "score_source"] == "published").all()
    hanoi = year[(year["province_code"] == 1) & (year["dimension"] == "total")].iloc[0]
    assert hanoi["n_respondents"] == 1120 and hanoi["uncertainty_source"].startswith("published CI and SE")
