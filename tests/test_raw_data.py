"""data/raw/ is pinned by checksums and every number in it comes out of a reader run on the official files."""

from __future__ import annotations

import shutil

import pytest

from papi_analysis import config
from papi_analysis.data import importer, raw_files
from papi_analysis.data import panel as data_panel


def test_raw_checksums_match():
    listed = data_panel.verify_raw_checksums()
    assert {"papi/scores.csv", "papi/subdimensions.csv", "reference/provinces.csv", "provenance.json"} <= set(listed)


def test_a_changed_raw_file_is_refused(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    scores = raw / "papi" / "scores.csv"
    scores.write_text(scores.read_text().replace("5.76248", "5.76249", 1))
    with pytest.raises(data_panel.RawChecksumError, match="scores.csv does not match its checksum"):
        data_panel.build_data(raw, tmp_path / "processed")


def test_reimporting_the_official_files_reproduces_data_raw_byte_for_byte(sources_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW / "targets", raw / "targets")  # hand-transcribed, not imported
    written = importer.import_raw(sources_dir, raw)
    for rel in written + ["SHA256SUMS"]:
        assert (raw / rel).read_bytes() == (config.DATA_RAW / rel).read_bytes(), rel


def test_importer_does_not_overwrite_raw_data_without_force(sources_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    target = raw / "papi" / "scores.csv"
    target.write_text(target.read_text() + "\n")
    with pytest.raises(importer.RawDataChangeError, match="scores.csv"):
        importer.import_raw(sources_dir, raw)
    assert target.read_text().endswith("\n\n")  # untouched
    importer.import_raw(sources_dir, raw, force=True)
    assert target.read_bytes() == (config.DATA_RAW / "papi" / "scores.csv").read_bytes()


def test_provenance_names_every_source_file_with_its_checksum(sources_dir):
    import json

    provenance = json.loads(config.RAW_PROVENANCE.read_text())
    files = {s["file"]: s for s in provenance["score_sources"]}
    assert set(files) == {
        "PAPI_2011-2016.xlsx",
        "PAPI-2015-2023-eng.xlsm",
        "agg_province_year_2020.csv",
        "agg_province_year_2021.csv",
        "agg_province_year_2024.csv",
    }
    release = sources_dir / "papi" / "sources" / "PAPI_2011-2016.xlsx"
    assert files["PAPI_2011-2016.xlsx"]["sha256"] == importer.sha256_of(release)
    assert "papi.org.vn" in provenance["citation"]


def test_import_raw_force_never_writes_through_a_symbolic_link(sources_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    outside = tmp_path / "outside.csv"
    outside.write_text("someone else's file\n")
    (raw / "papi" / "scores.csv").unlink()
    (raw / "papi" / "scores.csv").symlink_to(outside)
    with pytest.raises(raw_files.UnsafeRawPathError, match="scores.csv is a symbolic link"):
        importer.import_raw(sources_dir, raw, force=True)
    assert outside.read_text() == "someone else's file\n"
    assert (raw / "papi" / "scores.csv").is_symlink()
