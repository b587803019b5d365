"""A validated release into ``data/raw/papi34/`` and back: import (atomic, never through a link), undo, read.

``import_release34`` reads and checks the whole file before anything is written; then, holding a lock, it records
what it is about to replace (``data/import_undo/release34/<year>/<n>/``, outside ``data/raw/`` and not committed),
writes ``papi34/scores_<year>.csv``, its provenance sidecar and the re-pinned ``SHA256SUMS`` through
:func:`papi_analysis.data.raw_files.write_raw_files`. ``undo_import`` puts back the exact bytes the last import of a
year replaced (``SHA256SUMS`` included); without a record (e.g. in a fresh clone) it removes the year's files and
their pins, the state before any import of that year.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ... import config
from .. import provinces, raw_files, readers, schema
from . import rows as rows_layout
from . import validate, workbook
from .layout import (
    COLUMN_MEANING,
    RAW_DIR,
    RECORD_COLUMNS,
    Problems,
    ReleaseFormatError,
    accepted_years,
    echo,
)

UNDO_DIR = "import_undo"  # beside data/raw/: data/import_undo/release34/<year>/<n>/
_SUMS = "SHA256SUMS"


class ReleaseImportError(ValueError):
    """An import or undo that was refused (nothing was written)."""


@dataclass
class ImportResult:
    """What an import did: ``written`` (files of data/raw/ replaced or created, SHA256SUMS last)."""

    year: int
    written: list[Path] = field(default_factory=list)
    replaced: bool = False  # an earlier import of the year was replaced (--force)
    unchanged: bool = False  # this very file was already imported: nothing written


def _is_workbook(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"  # xlsx/xlsm are zip files


def read_release_records(
    path: str | Path, year: int | None = None, raw_dir: Path | None = None, today: dt.date | None = None
) -> tuple[list[dict], int, str]:
    """(records, year, layout) of a release file in any accepted layout, the whole file checked.

    Refuses with :class:`ReleaseFormatError` listing every problem (file, row, column each).
    """
    path = Path(path)
    if not path.is_file():
        raise ReleaseFormatError(f"{path} does not exist or is not a file.")
    problems = Problems(path.name)
    accepted = accepted_years(raw_dir, today)
    if _is_workbook(path):
        records, found_year = workbook.read_workbook(path, problems, accepted, year)
        sheets = sorted({r["source_sheet"] for r in records})
        layout = f"official provincial-indicators workbook, sheet {', '.join(map(repr, sheets))}"
        if records and all(r["source_cell"].startswith("row ") for r in records):
            layout = f"row-per-province table, sheet {', '.join(map(repr, sheets))}"
    else:
        text_rows = rows_layout.read_csv_rows(path, problems)
        records, found_year = (
            rows_layout.parse_rows(path, text_rows or [], problems, accepted) if text_rows else ([], None)
        )
        if year is not None and found_year is not None and found_year != year:
            problems.add(f"{path.name}, row 2, column year", f"{found_year}, not {year} (--year).")
        layout = "row-per-province CSV"
    if found_year is not None and records:
        validate.check_release(records, found_year, problems)
    elif not problems.found:
        problems.add(path.name, "no figures found.")
    problems.raise_if_any()
    if found_year is None:  # unreachable: a file without a year or figures was refused just above
        raise ReleaseImportError(f"{path.name}: no year found. Nothing was written.")
    return records, int(found_year), layout


def read_release34(path: str | Path, year: int | None = None, raw_dir: Path | None = None, today=None) -> pd.DataFrame:
    """A checked release as one row per province: ``year``, ``province_code``, ``province``, ``D1``..``D8``,
    ``total`` (points) and, where published, ``total_se``, ``total_ci_low``, ``total_ci_high``, ``n_respondents``
    and ``<indicator>_<statistic>`` for other figures (``total_weighted_score``, ``D3_se``...)."""
    records, year, _ = read_release_records(path, year, raw_dir, today)
    names = {meaning: column for column, meaning in COLUMN_MEANING.items()}
    frame = pd.DataFrame(records)
    frame["column"] = [names.get((i, s), f"{i}_{s}") for i, s in zip(frame["indicator"], frame["statistic"])]
    wide = frame.pivot_table(index="province_code", columns="column", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(
        columns=[c for c in [*COLUMN_MEANING, *sorted(set(wide.columns) - set(COLUMN_MEANING))] if c in wide.columns]
    )
    wide.columns.name = None
    first_names = frame.drop_duplicates("province_code").set_index("province_code")["source_province"]
    wide.insert(0, "province", first_names.reindex(wide.index))
    wide = wide.reset_index()
    wide.insert(0, "year", year)
    if "n_respondents" in wide.columns:
        wide["n_respondents"] = wide["n_respondents"].round().astype("Int64")
    return wide.sort_values("province_code", ignore_index=True)


def to_records(records: list[dict]) -> pd.DataFrame:
    """The release in the long format of ``data/raw/papi/scores.csv`` (one row per published number)."""
    return pd.DataFrame(records, columns=RECORD_COLUMNS)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- import and undo


def _year_files(year: int) -> tuple[str, str]:
    return f"{RAW_DIR}/scores_{year}.csv", f"{RAW_DIR}/scores_{year}.provenance.json"


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


@contextmanager
def _locked(undo_root: Path) -> Iterator[None]:
    """One import or undo at a time (two maintainers' commands, or two terminals)."""
    try:
        undo_root.mkdir(parents=True, exist_ok=True)
        handle = os.open(undo_root / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as err:
        raise ReleaseImportError(
            f"cannot keep the undo record in {undo_root} ({err.strerror}); nothing was written."
        ) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def import_release34(
    path: str | Path,
    origin: str,
    raw_dir: Path | None = None,
    force: bool = False,
    year: int | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check a release on the 34 provinces as a whole and write it into ``data/raw/papi34/``; re-pin SHA256SUMS.

    A year already imported from other content is replaced only with ``force`` (undo with :func:`undo_import`).
    Nothing is written when anything is refused; every refusal is a sentence (:class:`ReleaseFormatError`,
    :class:`ReleaseImportError`, :class:`papi_analysis.data.raw_files.UnsafeRawPathError`).
    """
    path = Path(path)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    origin = " ".join(origin.split())
    if not origin:
        raise ReleaseImportError(
            'say where the release comes from: --origin "PAPI 2025 report, provincial indicators table, papi.org.vn".'
        )
    if len(origin) > 500:
        raise ReleaseImportError(
            f"--origin is {len(origin)} characters; say where the release comes from in 500 or fewer."
        )
    raw_files.verify_raw_checksums(raw_dir)  # never re-pin over raw data that is already damaged
    records, year, layout = read_release_records(path, year, raw_dir, today)
    data = _csv_bytes(to_records(records))
    source = path.read_bytes()
    meta = {
        "year": year,
        "file": path.name,
        "sha256": hashlib.sha256(source).hexdigest(),
        "bytes": len(source),
        "origin": origin,
        "layout": layout,
        "reader": "papi_analysis.data.release34.read_release_records",
        "geography": "34",
    }
    meta_bytes = (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode()
    target, sidecar = _year_files(year)
    undo_root = raw_dir.parent / UNDO_DIR
    with _locked(undo_root):
        before: dict[str, bytes | None] = {
            rel: raw_files.read_raw_file(raw_dir, rel) for rel in (target, sidecar, _SUMS)
        }
        if before[target] == data and before[sidecar] == meta_bytes:
            return ImportResult(year, unchanged=True)
        replaced = before[target] is not None or before[sidecar] is not None
        if replaced and not force:
            earlier = _earlier_origin(before[sidecar])
            raise ReleaseImportError(
                f"{year} is already imported (data/raw/{target}{earlier}); a second file for the same year replaces "
                f"it only with --force, and 'papi-analysis import-release34 --undo {year}' brings back what --force "
                "replaced. Nothing was written."
            )
        pins = raw_files.read_pins(raw_dir)
        pins[target], pins[sidecar] = hashlib.sha256(data).hexdigest(), hashlib.sha256(meta_bytes).hexdigest()
        sums = raw_files.pins_text(pins).encode()
        entry = _write_undo_record(undo_root, year, before, {target: data, sidecar: meta_bytes, _SUMS: sums}, meta)
        try:
            raw_files.write_raw_files(raw_dir, {target: data, sidecar: meta_bytes, _SUMS: sums})
        except BaseException:
            _remove_entry(undo_root, entry)
            raise
    return ImportResult(year, [raw_dir / target, raw_dir / sidecar, raw_dir / _SUMS], replaced=replaced)


def _earlier_origin(sidecar: bytes | None) -> str:
    try:
        meta = json.loads(sidecar or b"")
    except ValueError:
        return ""
    return f", from {echo(meta.get('file'))}, origin {echo(meta.get('origin'))}"


def _entries(undo_root: Path, year: int) -> list[Path]:
    folder = undo_root / "release34" / str(year)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def _write_undo_record(undo_root: Path, year: int, before: dict, after: dict, meta: dict) -> str:
    existing = _entries(undo_root, year)
    number = int(existing[-1].name) + 1 if existing else 1
    entry = f"release34/{year}/{number:03d}"
    manifest = {
        "year": year,
        "imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "file": meta["file"],
        "origin": meta["origin"],
        "files": {rel: {"before": _sha(before[rel]), "after": _sha(after[rel])} for rel in after},
    }
    outputs: dict[str, bytes | None] = {
        f"{entry}/before/{rel.replace('/', '__')}": content for rel, content in before.items() if content is not None
    }
    outputs[f"{entry}/manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    raw_files.write_raw_files(undo_root, outputs)
    return entry


def _remove_entry(undo_root: Path, entry: str) -> None:
    folder = undo_root / entry
    for p in sorted(folder.rglob("*"), reverse=True):
        p.unlink() if p.is_file() or p.is_symlink() else p.rmdir()
    folder.rmdir()
    _remove_if_empty(folder.parent)  # the year's folder, once its last record is gone


def _remove_if_empty(folder: Path) -> None:
    """The folder an import created, once empty again (git keeps no empty folder: data/raw/ as it was)."""
    if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()


def undo_import(year: int, raw_dir: Path | None = None) -> list[str]:
    """Undo the last import of ``year``: data/raw/ and SHA256SUMS get back the exact bytes it replaced.

    Returns one sentence per file restored or removed. Refused (nothing written) when a file changed since that
    import or when the year was never imported.
    """
    raw_dir = Path(raw_dir or config.DATA_RAW)
    undo_root = raw_dir.parent / UNDO_DIR
    target, sidecar = _year_files(year)
    with _locked(undo_root):
        entries = _entries(undo_root, year)
        current = {rel: raw_files.read_raw_file(raw_dir, rel) for rel in (target, sidecar, _SUMS)}
        if not entries:
            return _remove_year(raw_dir, year, current)
        entry = entries[-1]
        manifest = json.loads((entry / "manifest.json").read_text())
        for rel in (target, sidecar):
            if _sha(current[rel]) != manifest["files"][rel]["after"]:
                raise ReleaseImportError(
                    f"data/raw/{rel} changed after the import of {year} on {manifest['imported']}; undo restores only "
                    "what that import wrote. Restore the file with 'git checkout -- data/raw' first. Nothing was "
                    "written."
                )
        outputs: dict[str, bytes | None] = {}
        for rel in (target, sidecar):
            outputs[rel] = _saved(entry, rel) if manifest["files"][rel]["before"] else None
        if _sha(current[_SUMS]) == manifest["files"][_SUMS]["after"]:
            outputs[_SUMS] = _saved(entry, _SUMS)  # nothing else re-pinned since: the exact earlier bytes
        else:
            pins = raw_files.read_pins(raw_dir)
            for rel in (target, sidecar):
                if manifest["files"][rel]["before"]:
                    pins[rel] = manifest["files"][rel]["before"]
                else:
                    pins.pop(rel, None)
            outputs[_SUMS] = raw_files.pins_text(pins).encode()
        raw_files.write_raw_files(raw_dir, outputs)
        _remove_entry(undo_root, str(entry.relative_to(undo_root)))
        _remove_if_empty(raw_dir / RAW_DIR)
    done = [
        f"{'restored' if content is not None else 'removed'} data/raw/{rel}"
        for rel, content in outputs.items()
        if rel != _SUMS
    ]
    return [*done, f"restored data/raw/{_SUMS} as it was before the import of {manifest['imported']}"]


def _saved(entry: Path, rel: str) -> bytes:
    return (entry / "before" / rel.replace("/", "__")).read_bytes()


def _remove_year(raw_dir: Path, year: int, current: dict) -> list[str]:
    """No undo record (e.g. a fresh clone): remove the year's files and their pins, after checking them."""
    target, sidecar = _year_files(year)
    if current[target] is None and current[sidecar] is None:
        raise ReleaseImportError(f"{year} was never imported into data/raw/{RAW_DIR}/; nothing to undo.")
    pins = raw_files.read_pins(raw_dir)
    for rel in (target, sidecar):
        if current[rel] is not None and pins.get(rel) != _sha(current[rel]):
            raise ReleaseImportError(
                f"data/raw/{rel} does not match SHA256SUMS; restore it with 'git checkout -- data/raw' first. "
                "Nothing was written."
            )
        pins.pop(rel, None)
    outputs: dict[str, bytes | None] = {target: None, sidecar: None, _SUMS: raw_files.pins_text(pins).encode()}
    raw_files.write_raw_files(raw_dir, outputs)
    _remove_if_empty(raw_dir / RAW_DIR)
    return [
        f"removed data/raw/{target} and data/raw/{sidecar} and their lines in {_SUMS} (no undo record of an earlier "
        "version: 'git log -- data/raw/papi34' has the history)"
    ]


# --------------------------------------------------------------------------- reading imported releases back


def imported_files(raw_dir: Path | None = None) -> list[Path]:
    """The imported releases, ``data/raw/papi34/scores_<year>.csv``, by year."""
    return sorted((Path(raw_dir or config.DATA_RAW) / RAW_DIR).glob("scores_*.csv"))


def read_imported(raw_dir: Path | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Imported 34-province releases as rows of the 34-province panel (empty if none).

    Each file is checked again as a release (year, scales, intervals, respondents, totals), so a file edited and
    re-pinned by hand is refused with its line and column rather than breaking a later step.
    """
    from ..geography import EXTRA_COLUMNS, weight_year

    raw_dir = Path(raw_dir or config.DATA_RAW)
    columns = schema.PANEL_COLUMNS + EXTRA_COLUMNS
    files = imported_files(raw_dir)
    if not files:
        return pd.DataFrame(columns=columns)
    accepted = accepted_years(raw_dir, today)
    frames = []
    for f in files:
        rec = readers.read_raw_records(f)
        label = f"data/raw/{RAW_DIR}/{f.name}"
        problems = Problems(label)
        rec["where"] = [f"{label}, line {i + 2}, column value" for i in range(len(rec))]
        years = sorted(set(rec["year"]))
        if len(years) != 1 or f.name != f"scores_{years[0]}.csv" or years[0] not in accepted:
            raise ReleaseFormatError(
                f"{label}, column year: holds {years}, but a release file is named after its one year, "
                f"{accepted.start}-{accepted.stop - 1}; undo it with 'papi-analysis import-release34 --undo YEAR'."
            )
        validate.check_release(rec.to_dict("records"), years[0], problems)
        problems.raise_if_any()
        frames.append(_panel_rows(rec))
    panel = pd.concat(frames, ignore_index=True)
    registry = provinces.registry(geography="34")
    panel["province"] = panel["province_code"].map(registry["name_vi"])
    panel["methodology_period"] = panel["year"].map(lambda y: schema.period_of(int(y)).label)
    panel["n_dimensions"] = panel["year"].map(lambda y: len(schema.dimensions_in(int(y))))
    panel["geography"] = "34"
    panel["n_old_provinces"] = panel["province_code"].map(registry["n_old_provinces"]).astype("int64")
    # PAPI samples a new province as one unit: its effective size is 1 (one survey, not an average of several)
    panel["effective_size"] = 1.0
    panel["weight_year"] = panel["year"].map(weight_year)
    order = {d: i for i, d in enumerate(schema.INDICATORS)}
    panel = panel.assign(_order=panel["dimension"].map(order)).sort_values(["year", "province_code", "_order"])
    return panel[columns].reset_index(drop=True)


def _panel_rows(rec: pd.DataFrame) -> pd.DataFrame:
    wanted = rec[rec["indicator"].isin([*schema.DIMENSIONS, "total_unweighted"])]
    keys = ["year", "province_code", "indicator"]
    wide = wanted.pivot_table(index=keys, columns="statistic", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=["score", "se", "ci_low", "ci_high", "variance"]).reset_index()
    reasons = wanted[wanted["statistic"] == "score"].set_index(keys)["missing_reason"]
    wide["reason"] = reasons.reindex(pd.MultiIndex.from_frame(wide[keys])).fillna("").to_numpy()
    wide = wide.rename(columns={"indicator": "dimension"})
    wide["dimension"] = wide["dimension"].replace({"total_unweighted": schema.TOTAL})
    from_variance = wide["se"].isna() & wide["variance"].notna()
    wide.loc[from_variance, "se"] = np.sqrt(wide.loc[from_variance, "variance"])
    wide["uncertainty_source"] = ""
    wide.loc[wide["se"].notna(), "uncertainty_source"] = "published SE (34-province release)"
    wide.loc[wide["ci_low"].notna(), "uncertainty_source"] = "published CI and SE (34-province release)"
    wide.loc[from_variance, "uncertainty_source"] = "SE = square root of published variance (34-province release)"
    n = rec[(rec["indicator"] == "respondents") & (rec["statistic"] == "n")].set_index("province_code")["value"]
    wide["n_respondents"] = wide["province_code"].map(n).round().astype("Int64")
    published = wide["score"].notna()
    wide["score_source"] = np.where(published, "published", "")
    # as on the 63 provinces: where no total is published but every dimension is, the total is their sum
    dims = wide[wide["dimension"] != schema.TOTAL]
    complete = dims.groupby(["year", "province_code"])["score"].agg(lambda s: s.notna().all())
    summed = dims.groupby(["year", "province_code"])["score"].sum(min_count=1)
    totals = (wide["dimension"] == schema.TOTAL) & ~published
    index = pd.MultiIndex.from_frame(wide.loc[totals, ["year", "province_code"]])
    fill = complete.reindex(index).fillna(False).to_numpy(dtype=bool)
    rows = wide.index[totals][fill]
    wide.loc[rows, "score"] = summed.reindex(index).to_numpy()[fill]
    wide.loc[rows, "score_source"] = "sum of published dimensions"
    published = wide["score"].notna()
    wide["missing_reason"] = np.where(
        published,
        "",
        "not published in the 34-province release (" + wide["reason"].replace("", "blank in source") + ")",
    )
    return wide
