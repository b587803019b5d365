"""Data that cannot be half-trusted (issue 29): damaged processed files are never used, a refused import writes
nothing, an import never writes through a symbolic link and can be undone exactly, every refusal is a sentence.

Every test works on copies (data/raw/ and data/processed/ in a temporary folder); the release files are this
project's 2024 recast relabelled as 2025 (and the 2023 recast as 2026), named DERIVED: none is a PAPI release.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from papi_analysis import config, load_scores
from papi_analysis.data import panel as data_panel
from papi_analysis.data import raw_files, release34
from papi_analysis.run import cli, runner


def _tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file below ``folder`` (links as 'link -> target', folders as 'folder')."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = f"link -> {p.readlink()}"
        elif p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[str(p.relative_to(folder))] = "folder"
    return out


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("releases")
    panel34 = load_scores(geography="34")
    first = release34.write_release34(panel34, 2024, folder / "papi34_2025_DERIVED_from_2024_recast.csv", as_year=2025)
    frame = pd.read_csv(first)
    frame.loc[0, ["D1", "total"]] = [frame.loc[0, "D1"] + 0.5, frame.loc[0, "total"] + 0.5]
    second = folder / "papi34_2025_DERIVED_second_file.csv"
    frame.to_csv(second, index=False)
    workbook = release34.write_official_workbook(
        panel34, 2023, folder / "papi34_2026_DERIVED_from_2023_recast.xlsx", as_year=2026
    )
    return {"first": first, "second": second, "2026": workbook, "folder": folder}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository-shaped temporary folder with a copy of data/raw/, the config pointed at it."""
    raw = tmp_path / "repo" / "data" / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    monkeypatch.setattr(config, "DATA_RAW", raw)
    monkeypatch.setattr(config, "RAW_CHECKSUMS", raw / "SHA256SUMS")
    return tmp_path / "repo"


def _cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- import: refused means nothing written


def _bad_copies(releases, folder: Path) -> dict[str, Path]:
    frame = pd.read_csv(releases["first"])
    out = {}
    for name, edit in {
        "year-9999": lambda f: f.assign(year=9999),
        "year-2019": lambda f: f.assign(year=2019),
        "respondents-1.5": lambda f: f.assign(n_respondents=[1.5] + [200] * (len(f) - 1)),
        "ci-swapped": lambda f: f.assign(total_ci_low=f["total"] + 0.3, total_ci_high=f["total"] - 0.3),
    }.items():
        path = folder / f"papi34_DERIVED_{name}.csv"
        edit(frame.copy()).to_csv(path, index=False)
        out[name] = path
    return out


@pytest.mark.parametrize(
    "case, message",
    [
        ("year-9999", r"row 2, column year: 9999 is after \d{4}, the survey year now under way"),
        ("year-2019", r"row 2, column year: 2019 is published on the 63 provinces"),
        ("respondents-1.5", r"row 2, column n_respondents: 1.5 respondents is not a whole number of people"),
        ("ci-swapped", r"row 2, column total_ci_low: the CI low bound .* the bounds are swapped"),
    ],
)
def test_a_refused_import_writes_nothing_and_says_why_in_one_sentence(releases, repo, tmp_path, capsys, case, message):
    path = _bad_copies(releases, tmp_path)[case]
    before = _tree(repo / "data")
    code, out, err = _cli(capsys, "import-release34", path, "--origin", "test")
    assert code == 2 and out == ""
    assert re.search(message, err), err
    assert "Traceback" not in err and "nothing was written" in err
    assert _tree(repo / "data") == before  # data/raw/ untouched, no undo record


def test_a_refused_reimport_is_a_sentence_not_a_traceback(releases, repo, capsys):
    code, out, _ = _cli(capsys, "import-release34", releases["first"], "--origin", "test: derived, not a PAPI release")
    assert code == 0 and "wrote data/raw/papi34/scores_2025.csv" in out
    before = _tree(repo / "data" / "raw")
    code, out, err = _cli(capsys, "import-release34", releases["second"], "--origin", "test")
    assert code == 2 and "Traceback" not in err
    assert "2025 is already imported" in err and "--force" in err and "papi34_2025_DERIVED_from_2024_recast.csv" in err
    assert _tree(repo / "data" / "raw") == before
    code, out, _ = _cli(capsys, "import-release34", releases["first"], "--origin", "test: derived, not a PAPI release")
    assert code == 0 and "already imported from this very file; nothing changed" in out


# --------------------------------------------------------------------------- import: never through a link


@pytest.mark.parametrize("content", ["other", "the imported bytes"])
def test_force_never_writes_through_a_symlink_in_papi34(releases, repo, tmp_path, capsys, content):
    """A link planted in data/raw/papi34/ pointing outside the repository (to a file that even matches the pin)."""
    release34.import_release34(releases["first"], origin="test")
    target = repo / "data" / "raw" / "papi34" / "scores_2025.csv"
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_bytes(target.read_bytes() if content == "the imported bytes" else b"not the project's file\n")
    kept = victim.read_bytes()
    target.unlink()
    target.symlink_to(victim)
    before = _tree(repo / "data")
    code, _, err = _cli(capsys, "import-release34", releases["second"], "--origin", "test", "--force")
    assert code == 2 and "is a symbolic link" in err and "Traceback" not in err
    assert victim.read_bytes() == kept
    assert _tree(repo / "data") == before  # the link is left for the maintainer to see; nothing else written


@pytest.mark.parametrize("where", ["file", "folder"])
def test_the_raw_writer_refuses_links_and_leaves_no_temporary_file(tmp_path, where):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    if where == "file":
        (outside / "x.csv").write_text("outside\n")
        (raw / "papi34").mkdir()
        (raw / "papi34" / "scores_2025.csv").symlink_to(outside / "x.csv")
    else:
        (raw / "papi34").symlink_to(outside, target_is_directory=True)
    with pytest.raises(raw_files.UnsafeRawPathError, match="symbolic link"):
        raw_files.write_raw_files(raw, {"papi34/new.csv": b"new\n", "papi34/scores_2025.csv": b"new\n"})
    assert _tree(outside) == ({"x.csv": hashlib.sha256(b"outside\n").hexdigest()} if where == "file" else {})
    assert not list(raw.rglob("*.tmp")) and not (raw / "papi34" / "new.csv").exists()


@pytest.mark.parametrize("what", ["papi34 folder", "SHA256SUMS"])
def test_a_linked_folder_or_checksum_file_is_refused(releases, repo, tmp_path, what):
    outside = tmp_path / "outside"
    outside.mkdir()
    raw = repo / "data" / "raw"
    if what == "papi34 folder":
        (raw / "papi34").symlink_to(outside, target_is_directory=True)
    else:
        shutil.copy(raw / "SHA256SUMS", outside / "SHA256SUMS")
        (raw / "SHA256SUMS").unlink()
        (raw / "SHA256SUMS").symlink_to(outside / "SHA256SUMS")
    before_outside = _tree(outside)
    with pytest.raises(raw_files.UnsafeRawPathError, match="symbolic link"):
        release34.import_release34(releases["first"], origin="test", force=True)
    assert _tree(outside) == before_outside
    assert not list(raw.rglob(".*.tmp"))


# --------------------------------------------------------------------------- undo


def test_undo_restores_data_raw_and_sha256sums_exactly(releases, repo, capsys):
    raw = repo / "data" / "raw"
    original = _tree(raw)
    release34.import_release34(releases["first"], origin="test: first")
    after_first = _tree(raw)
    release34.import_release34(releases["second"], origin="test: second", force=True)
    assert _tree(raw) != after_first
    code, out, err = _cli(capsys, "import-release34", "--undo", 2025)
    assert code == 0, err
    assert _tree(raw) == after_first  # the first import's bytes, SHA256SUMS included
    code, out, err = _cli(capsys, "import-release34", "--undo", 2025)
    assert code == 0, err
    assert _tree(raw) == original  # files, folders (no empty papi34/ left) and SHA256SUMS
    assert not (repo / "data" / release34.store.UNDO_DIR / "release34" / "2025").exists()
    code, out, err = _cli(capsys, "import-release34", "--undo", 2025)
    assert code == 2 and "2025 was never imported" in err and "Traceback" not in err


def test_undo_keeps_what_was_imported_after_and_works_without_a_record(releases, repo):
    raw = repo / "data" / "raw"
    original = _tree(raw)
    release34.import_release34(releases["first"], origin="test: 2025")
    release34.import_release34(releases["2026"], origin="test: 2026")
    with_2026 = _tree(raw)
    release34.undo_import(2025)
    assert set(_tree(raw)) == set(with_2026) - {"papi34/scores_2025.csv", "papi34/scores_2025.provenance.json"}
    assert _tree(raw)["papi34/scores_2026.csv"] == with_2026["papi34/scores_2026.csv"]
    raw_files.verify_raw_checksums(raw)  # SHA256SUMS lists exactly what is there
    assert "papi34/scores_2025.csv" not in (raw / "SHA256SUMS").read_text()
    shutil.rmtree(repo / "data" / release34.store.UNDO_DIR)  # e.g. a fresh clone: no undo record
    release34.undo_import(2026)
    assert _tree(raw) == original


def test_undo_refuses_a_file_changed_since_the_import(releases, repo):
    release34.import_release34(releases["first"], origin="test")
    target = repo / "data" / "raw" / "papi34" / "scores_2025.csv"
    target.write_bytes(target.read_bytes() + b"\n")
    with pytest.raises(release34.ReleaseImportError, match="changed after the import of 2025"):
        release34.undo_import(2025)
    assert target.read_bytes().endswith(b"\n\n")


# --------------------------------------------------------------------------- hand-edited releases in data/raw/


def _hand_edit(raw: Path, name: str, edit) -> None:
    """Edit an imported release file and re-pin it, as someone bypassing the importer would."""
    path = raw / "papi34" / name
    records = pd.read_csv(path, keep_default_na=False, dtype=str)
    edit(records).to_csv(raw / "papi34" / name, index=False, lineterminator="\n")
    pins = raw_files.read_pins(raw)
    pins[f"papi34/{name}"] = hashlib.sha256((raw / "papi34" / name).read_bytes()).hexdigest()
    (raw / "SHA256SUMS").write_text(raw_files.pins_text(pins))


def _respondents_fraction(records: pd.DataFrame) -> pd.DataFrame:
    rows = records.index[records["indicator"] == "respondents"]
    records.loc[rows[0], "value"] = "1.5"
    return records


def test_a_hand_edited_release_is_refused_by_build_data_with_its_line(releases, repo, tmp_path, capsys, monkeypatch):
    raw = repo / "data" / "raw"
    monkeypatch.setattr(config, "DATA_PROCESSED", tmp_path / "processed")
    release34.import_release34(releases["2026"], origin="test")
    _hand_edit(raw, "scores_2026.csv", _respondents_fraction)
    code, out, err = _cli(capsys, "build-data")
    assert code == 2 and "Traceback" not in err
    assert (
        "data/raw/papi34/scores_2026.csv, line" in err and "column value: 1.5 respondents is not a whole number" in err
    )
    assert not (tmp_path / "processed" / "papi_panel_34.csv").exists()


def test_a_release_file_for_a_recast_year_is_refused_by_build_data(releases, repo, tmp_path):
    raw = repo / "data" / "raw"
    release34.import_release34(releases["first"], origin="test")
    for suffix in ("csv", "provenance.json"):
        (raw / "papi34" / f"scores_2025.{suffix}").rename(raw / "papi34" / f"scores_2024.{suffix}")
    _hand_edit(raw, "scores_2024.csv", lambda r: r.assign(year="2024"))
    pins = raw_files.read_pins(raw)
    pins.pop("papi34/scores_2025.csv")
    pins["papi34/scores_2024.provenance.json"] = pins.pop("papi34/scores_2025.provenance.json")
    (raw / "SHA256SUMS").write_text(raw_files.pins_text(pins))
    with pytest.raises(release34.ReleaseFormatError, match=r"scores_2024.csv, column year: holds \[2024\]"):
        data_panel.build_data(raw, tmp_path / "processed")


# --------------------------------------------------------------------------- processed files are verified on load


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    data_panel.build_data(config.DATA_RAW, folder)
    return folder


@pytest.fixture
def processed(built, tmp_path, monkeypatch):
    folder = tmp_path / "processed"
    shutil.copytree(built, folder)
    monkeypatch.setattr(config, "DATA_PROCESSED", folder)
    monkeypatch.setattr(config, "PROCESSED_PANEL", folder / config.PROCESSED_PANEL.name)
    monkeypatch.setattr(config, "PROCESSED_SUBDIMENSIONS", folder / config.PROCESSED_SUBDIMENSIONS.name)
    return folder


def _truncate_before(path: Path, year: int) -> None:
    """Cut a panel file at a line boundary before ``year``: a well-formed CSV that ends in an earlier year."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines[1:], start=1) if line.startswith(f"{year},"))
    path.write_text("".join(lines[:cut]), encoding="utf-8")


def test_a_truncated_panel_is_rebuilt_never_used(processed, capsys):
    good = (processed / "papi_panel.csv").read_bytes()
    _truncate_before(processed / "papi_panel.csv", 2020)
    assert pd.read_csv(processed / "papi_panel.csv")["year"].max() == 2019  # what advise used to answer from
    assert load_scores()["year"].max() == 2024
    assert (processed / "papi_panel.csv").read_bytes() == good  # rebuilt, byte for byte
    _truncate_before(processed / "papi_panel.csv", 2020)
    code, out, err = _cli(capsys, "advise", "--province", "Huế", "--lang", "en")
    assert code == 0, err
    assert "2025" in out.splitlines()[0] and "2019" not in out.splitlines()[0] and "2020" not in out.splitlines()[0]


@pytest.mark.parametrize("name", ["papi_panel_34.csv", "papi_subdimensions.csv", "build_info.json"])
def test_an_edited_processed_file_is_rebuilt_and_the_report_check_says_why(processed, name):
    path = processed / name
    good = path.read_bytes()
    if name == "build_info.json":
        path.write_bytes(good[: len(good) // 2])  # not JSON any more
    else:
        path.write_bytes(good.replace(b"4", b"5", 1))  # one digit: same size, another number
    said = runner.check_processed_data()
    assert "rebuilt" in said
    assert ("truncated or edited" in said) if name != "build_info.json" else ("damaged" in said)
    assert path.read_bytes() == good
    assert runner.check_processed_data() == ""  # now current: 'up to date' means it


def test_a_damaged_processed_file_that_cannot_be_rebuilt_is_refused_with_a_sentence(processed, monkeypatch, capsys):
    _truncate_before(processed / "papi_panel.csv", 2020)

    def read_only(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(data_panel, "_write_atomic", read_only)
    with pytest.raises(
        data_panel.ProcessedDataError, match=r"does not match the hash recorded when it was built .* cannot write"
    ):
        load_scores()
    code, out, err = _cli(capsys, "advise", "--province", "Huế")
    assert code == 2 and out == "" and "Traceback" not in err


def test_build_info_records_raw_inputs_code_and_every_file(built):
    info = json.loads((built / "build_info.json").read_text())
    assert info["built_from"] == raw_files.read_pins(config.DATA_RAW)
    assert info["code"] == data_panel._code_fingerprint()
    for name, meta in info["files"].items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == meta["sha256"]
