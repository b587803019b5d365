"""The row-per-province layout of a 34-province release: read, refuse, import, build.

The test file is the 2024 recast (this project's estimate, not a PAPI release) relabelled as 2025, the first year a
release on the 34 provinces can be for, and named as derived.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import numpy as np
import pandas as pd
import pytest

from papi_analysis import config, load_scores
from papi_analysis.data import release34

DERIVED_NAME = "papi34_2025_DERIVED_from_2024_recast.csv"
TODAY = dt.date(2026, 12, 3)  # the survey year under way is 2026: releases for 2025-2026 are accepted


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    """The 2024 recast written in the row-per-province layout as year 2025."""
    path = tmp_path_factory.mktemp("release34") / DERIVED_NAME
    return release34.write_release34(load_scores(geography="34"), 2024, path, as_year=2025)


@pytest.fixture
def raw(tmp_path):
    """A copy of data/raw/ (the real one is never modified)."""
    shutil.copytree(config.DATA_RAW, tmp_path / "raw")
    return tmp_path / "raw"


def test_the_derived_file_reads_back_as_written(derived):
    release = release34.read_release34(derived, today=TODAY)
    assert len(release) == 34 and release["year"].eq(2025).all()
    panel34 = load_scores(geography="34")
    expected = panel34[(panel34["year"] == 2024) & (panel34["dimension"] == "D5")].set_index("province_code")["score"]
    got = release.set_index("province_code")["D5"]
    assert np.allclose(got, expected.reindex(got.index), atol=1e-6, equal_nan=True)
    # the two units with a missing constituent in 2024 stay empty, not zero
    assert release.set_index("province_code").loc[[25, 82], "total"].isna().all()


def _malformed(derived, tmp_path, edit):
    lines = derived.read_text().splitlines()
    edit(lines)
    path = tmp_path / "papi34_2025_DERIVED_malformed.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _set(lines, row, column, value):
    cells = lines[row].split(",")
    cells[lines[0].split(",").index(column)] = value
    lines[row] = ",".join(cells)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda lines: _set(lines, 5, "D3", "12.5"), r"row 6, column D3: D3 score 12.5 is outside its scale, 1-10"),
        (lambda lines: lines.pop(9), "33 provinces, expected the 34; missing"),
        (
            lambda lines: lines.__setitem__(2, lines[2].replace("Cao Bằng", "Quảng Nam")),
            r"row 3, column province: .*Quảng Nam.*63 provinces",
        ),
        (lambda lines: lines.__setitem__(7, lines[2]), r"row 8, column province: .* is also in row 3"),
        (lambda lines: lines.__setitem__(0, lines[0].replace("D8,", "")), r"row 1 \(header\): missing column"),
        (lambda lines: _set(lines, 4, "D2", "abc"), r"row 5, column D2: 'abc' is not a number"),
        (lambda lines: _set(lines, 4, "D2", "0"), r"row 5, column D2: 0 is never a PAPI figure"),
        (
            lambda lines: [_set(lines, i, "year", "9999") for i in range(1, len(lines))],
            r"row 2, column year: 9999 is after 2026, the survey year now under way",
        ),
        (
            lambda lines: [_set(lines, i, "year", "2019") for i in range(1, len(lines))],
            r"row 2, column year: 2019 is published on the 63 provinces .* only be for 2025-2026",
        ),
        (lambda lines: _set(lines, 6, "year", "2026"), r"row 7, column year: 2026, but row 2 is 2025"),
    ],
    ids=["scale", "missing", "old-name", "twice", "header", "text", "zero", "9999", "2019", "two-years"],
)
def test_a_malformed_copy_is_refused_naming_file_row_and_column(derived, tmp_path, edit, message):
    path = _malformed(derived, tmp_path, edit)
    with pytest.raises(release34.ReleaseFormatError, match=message) as err:
        release34.read_release34(path, today=TODAY)
    assert "papi34_2025_DERIVED_malformed.csv" in str(err.value)
    assert "Traceback" not in str(err.value)


def test_every_problem_of_the_file_is_listed_at_once(derived, tmp_path):
    def edit(lines):
        _set(lines, 3, "D1", "11")
        _set(lines, 10, "D7", "-2")

    with pytest.raises(release34.ReleaseFormatError) as err:
        release34.read_release34(_malformed(derived, tmp_path, edit), today=TODAY)
    assert len(err.value.problems) == 2, err.value.problems
    assert "row 4, column D1" in str(err.value) and "row 11, column D7" in str(err.value)


def test_a_total_that_is_not_the_sum_is_refused(derived, tmp_path):
    frame = pd.read_csv(derived)
    row = frame.index[frame["province_code"] == 48][0]
    frame.loc[row, "total"] = frame.loc[row, "total"] + 0.5
    path = tmp_path / "papi34_2025_DERIVED_bad_total.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(
        release34.ReleaseFormatError, match=rf"row {row + 2}, column total: the total .* is not the sum"
    ):
        release34.read_release34(path, today=TODAY)


def test_import_writes_raw_records_with_provenance_and_pins_them(derived, tmp_path, raw):
    result = release34.import_release34(
        derived, origin="test: derived from the 2024 recast, not a PAPI release", raw_dir=raw, today=TODAY
    )
    assert [p.name for p in result.written] == ["scores_2025.csv", "scores_2025.provenance.json", "SHA256SUMS"]
    sums = (raw / "SHA256SUMS").read_text()
    assert f"{hashlib.sha256(result.written[0].read_bytes()).hexdigest()}  papi34/scores_2025.csv" in sums
    assert "papi/scores.csv" in sums  # the existing pins are kept
    rows = release34.read_imported(raw, today=TODAY)
    assert (rows.groupby("dimension")["province_code"].nunique() == 34).all()
    assert set(rows["score_source"]) == {"published", ""}
    again = release34.import_release34(
        derived, origin="test: derived from the 2024 recast, not a PAPI release", raw_dir=raw, today=TODAY
    )
    assert again.unchanged and not again.written  # the same file twice: nothing written
    edited = pd.read_csv(derived)
    edited.loc[0, "D1"] = 5.0
    edited.loc[0, "total"] = np.nan
    other = tmp_path / "papi34_2025_DERIVED_second_file.csv"
    edited.to_csv(other, index=False)
    before = (raw / "papi34" / "scores_2025.csv").read_bytes()
    with pytest.raises(release34.ReleaseImportError, match="2025 is already imported .* only with --force"):
        release34.import_release34(other, origin="test", raw_dir=raw, today=TODAY)
    assert (raw / "papi34" / "scores_2025.csv").read_bytes() == before


def test_an_imported_release_joins_the_34_panel_as_published(derived, tmp_path, raw):
    from papi_analysis.data import panel as data_panel

    release34.import_release34(
        derived, origin="test: derived from the 2024 recast, not a PAPI release", raw_dir=raw, today=TODAY
    )
    data_panel.verify_raw_checksums(raw)  # the new files are pinned
    panel34 = data_panel.build_panel_34(load_scores(), raw)
    year = panel34[panel34["year"] == 2025]
    assert len(year) == 34 * 9 and set(year["score_source"]) == {"published", ""}
    assert year.loc[year["score"].isna(), "missing_reason"].str.startswith("not published").all()
    assert (year["effective_size"] == 1.0).all()
