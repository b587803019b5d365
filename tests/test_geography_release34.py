"""The 34-province release layout: read, refuse, import. The test file is the 2024 recast, named as derived."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pandas as pd
import pytest

from papi_analysis import config, load_scores
from papi_analysis.data import release34

DERIVED_NAME = "papi34_2024_DERIVED_recast_from_63_provinces.csv"


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    """The 2024 recast (this project's estimate, not a PAPI release) written in the release layout."""
    path = tmp_path_factory.mktemp("release34") / DERIVED_NAME
    return release34.write_release34(load_scores(geography="34"), 2024, path)


def test_the_derived_2024_file_reads_back_as_written(derived):
    release = release34.read_release34(derived)
    assert len(release) == 34 and release["year"].eq(2024).all()
    panel34 = load_scores(geography="34")
    expected = panel34[(panel34["year"] == 2024) & (panel34["dimension"] == "D5")].set_index("province_code")["score"]
    got = release.set_index("province_code")["D5"]
    assert np.allclose(got, expected.reindex(got.index), atol=1e-6, equal_nan=True)
    # the two units with a missing constituent in 2024 stay empty, not zero
    assert release.set_index("province_code").loc[[25, 82], "total"].isna().all()


def _malformed(derived, tmp_path, edit):
    lines = derived.read_text().splitlines()
    edit(lines)
    path = tmp_path / "papi34_2024_DERIVED_malformed.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda lines: lines.__setitem__(5, lines[5].replace(lines[5].split(",")[5], "12.5", 1)),
            r"row 6: D3 12.5 is outside 1-10",
        ),
        (lambda lines: lines.pop(9), "33 provinces, expected 34; missing"),
        (
            lambda lines: lines.__setitem__(2, lines[2].replace("Cao Bằng", "Quảng Nam")),
            r"row 3: .*Quảng Nam.*63 provinces",
        ),
        (lambda lines: lines.__setitem__(7, lines[2]), r"row 8: .* is also in row 3"),
        (lambda lines: lines.__setitem__(0, lines[0].replace("D8,", "")), r"row 1 \(header\): missing column"),
    ],
)
def test_a_malformed_copy_is_refused_naming_file_and_row(derived, tmp_path, edit, message):
    path = _malformed(derived, tmp_path, edit)
    with pytest.raises(release34.ReleaseFormatError, match=message) as err:
        release34.read_release34(path)
    assert "papi34_2024_DERIVED_malformed.csv" in str(err.value)


def test_a_total_that_is_not_the_sum_is_refused(derived, tmp_path):
    frame = pd.read_csv(derived)
    row = frame.index[frame["province_code"] == 48][0]
    frame.loc[row, "total"] = frame.loc[row, "total"] + 0.5
    path = tmp_path / "papi34_2024_DERIVED_bad_total.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(release34.ReleaseFormatError, match=rf"row {row + 2}: total .* is not the sum"):
        release34.read_release34(path)


def test_import_writes_raw_records_with_provenance_and_pins_them(derived, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(config.RAW_CHECKSUMS, raw / "SHA256SUMS")
    written = release34.import_release34(
        derived, origin="test: derived from the 2024 recast, not a PAPI release", raw_dir=raw
    )
    assert [p.name for p in written] == ["scores_2024.csv", "scores_2024.provenance.json"]
    sums = (raw / "SHA256SUMS").read_text()
    assert f"{hashlib.sha256(written[0].read_bytes()).hexdigest()}  papi34/scores_2024.csv" in sums
    assert "papi/scores.csv" in sums  # the existing pins are kept
    rows = release34.read_imported(raw)
    assert (rows.groupby("dimension")["province_code"].nunique() == 34).all()
    assert set(rows["score_source"]) == {"published", ""}
    with pytest.raises(FileExistsError, match="--force"):
        edited = pd.read_csv(derived)
        edited.loc[0, "D1"] = 5.0
        edited.loc[0, "total"] = np.nan
        other = tmp_path / DERIVED_NAME
        edited.to_csv(other, index=False)
        release34.import_release34(other, origin="test", raw_dir=raw)


def test_an_imported_release_joins_the_34_panel_build_and_may_not_overlap_the_recast(derived, tmp_path):
    from papi_analysis.data import panel as data_panel

    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    release34.import_release34(derived, origin="test: derived from the 2024 recast, not a PAPI release", raw_dir=raw)
    data_panel.verify_raw_checksums(raw)  # the new files are pinned
    with pytest.raises(data_panel.PanelValidationError, match=r"\[2024\] overlap the recast years"):
        data_panel.build_panel_34(load_scores(), raw)
