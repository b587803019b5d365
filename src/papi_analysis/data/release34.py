"""PAPI published on the 34 provinces (from PAPI 2025 on): the CSV layout, its reader and its import.

Layout (``RELEASE34_COLUMNS``): a UTF-8 CSV, one survey year per file, one row per
province (exactly 34 rows), a header row with these columns in any order:

==================  ==========================================================
``year``            survey year (int, the same on every row; 2025 or later
                    for a real release)
``province_code``   new GSO code of the province (34-province geography)
``province``        its name, any accepted spelling (must name the same
                    province as the code)
``D1`` .. ``D8``    dimension scores, points 1-10; empty = not published
``total``           unweighted total = sum of D1..D8, points 8-80; empty when
                    a dimension is empty
==================  ==========================================================

Optional columns: ``total_se`` (standard error of the total, points),
``total_ci_low`` / ``total_ci_high`` (CI as published, points; PAPI publishes 90% intervals), ``n_respondents``.
A transcription of PAPI's own table into this layout is what a maintainer
imports with ``papi-analysis import-release34 FILE --origin "..."``: the file is
validated (:func:`read_release34`; any problem is refused with the file and
row), its figures are written to ``data/raw/papi34/scores_<year>.csv`` in the
long format of ``data/raw/papi/scores.csv`` with a provenance sidecar, and
``SHA256SUMS`` is re-pinned. ``build-data`` then appends the year to the
34-province panel with ``score_source = "published"``.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from . import provinces, schema

RELEASE34_COLUMNS: list[str] = ["year", "province_code", "province", *schema.DIMENSIONS, "total"]
OPTIONAL_COLUMNS: list[str] = ["total_se", "total_ci_low", "total_ci_high", "n_respondents"]
TOTAL_TOLERANCE = 1e-3  # points: the same rule as the 63-province panel
RAW_DIR = "papi34"
RECORD_COLUMNS = [
    "year",
    "province_code",
    "source_province",
    "indicator",
    "label",
    "statistic",
    "value",
    "missing_reason",
    "source_file",
    "source_sheet",
    "source_cell",
]


class ReleaseFormatError(ValueError):
    """A 34-province release file that breaks the documented layout."""


def _number(text: str, where: str, column: str) -> float:
    text = text.strip()
    if text == "":
        return np.nan
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ReleaseFormatError(
            f"{where}: {column} {text!r} is not a number (use a decimal point; "
            "leave the cell empty where nothing was published)."
        ) from None
    if not np.isfinite(value):
        raise ReleaseFormatError(f"{where}: {column} {text!r} is not a finite number.")
    return value


def read_release34(path: str | Path, tolerance: float = TOTAL_TOLERANCE) -> pd.DataFrame:
    """Validated rows of a 34-province release (one row per province, columns as in the layout).

    Refuses, naming the file and row: missing columns, several years, unknown or mismatched
    province code and name, a province twice or missing, scores outside 1-10 (dimensions) or
    8-80 (total), a zero score, a total that is not the sum of its dimensions.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ReleaseFormatError(f"{path.name}: cannot read as UTF-8 CSV ({err}).") from None
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    absent = [c for c in RELEASE34_COLUMNS if c not in header]
    if absent:
        raise ReleaseFormatError(
            f"{path.name}, row 1 (header): missing column(s) {absent}; "
            f"the layout is {RELEASE34_COLUMNS} (+ optional {OPTIONAL_COLUMNS})."
        )
    unknown = [c for c in header if c not in RELEASE34_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise ReleaseFormatError(f"{path.name}, row 1 (header): unknown column(s) {unknown}.")
    rows, seen, years = [], {}, set()
    lo, hi = schema.DIMENSION_SCORE_RANGE
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"{path.name}, row {line}"
        if len(cells) != len(header):
            raise ReleaseFormatError(f"{where}: {len(cells)} cells, the header has {len(header)}.")
        raw = dict(zip(header, cells))
        try:
            year = int(raw["year"].strip())
        except ValueError:
            raise ReleaseFormatError(f"{where}: year {raw['year']!r} is not a year.") from None
        years.add(year)
        if len(years) > 1:
            raise ReleaseFormatError(
                f"{where}: year {year}, but earlier rows are {min(years - {year})}; one survey year per file."
            )
        try:
            code = int(raw["province_code"].strip())
            by_code = provinces.resolve(code, geography="34")
        except (ValueError, provinces.UnknownProvinceError) as err:
            raise ReleaseFormatError(
                f"{where}: province_code {raw['province_code']!r} is not one of the 34 provinces ({err})."
            ) from None
        try:
            by_name = provinces.resolve(raw["province"], geography="34")
        except provinces.UnknownProvinceError as err:
            raise ReleaseFormatError(f"{where}: {err}") from None
        if by_name != by_code:
            raise ReleaseFormatError(
                f"{where}: code {code} is {provinces.name(code, geography='34')}, "
                f"but the name {raw['province']!r} is {provinces.name(by_name, geography='34')}."
            )
        if code in seen:
            raise ReleaseFormatError(f"{where}: {provinces.name(code, geography='34')} is also in row {seen[code]}.")
        seen[code] = line
        row = {"year": year, "province_code": code, "province": raw["province"].strip(), "row": line}
        for column in (*schema.DIMENSIONS, "total", *[c for c in OPTIONAL_COLUMNS if c in header]):
            row[column] = _number(raw[column], where, column)
        for dim in schema.DIMENSIONS:
            v = row[dim]
            if v == 0:
                raise ReleaseFormatError(
                    f"{where}: {dim} is 0; PAPI never scores 0 — leave the cell empty if nothing was published."
                )
            if not np.isnan(v) and not lo <= v <= hi:
                raise ReleaseFormatError(f"{where}: {dim} {v:g} is outside {lo:g}-{hi:g}.")
        total_lo, total_hi = schema.period_of(year).total_range
        dims = [row[d] for d in schema.dimensions_in(year)]
        total = row["total"]
        if not np.isnan(total):
            if not total_lo <= total <= total_hi:
                raise ReleaseFormatError(f"{where}: total {total:g} is outside {total_lo:g}-{total_hi:g}.")
            if any(np.isnan(dims)):
                raise ReleaseFormatError(f"{where}: a total is given but some dimensions are empty.")
            if abs(total - sum(dims)) > tolerance:
                raise ReleaseFormatError(
                    f"{where}: total {total:g} is not the sum of the dimensions ({sum(dims):.4f})."
                )
        rows.append(row)
    if not rows:
        raise ReleaseFormatError(f"{path.name}: no province rows.")
    absent_units = sorted(set(provinces.registry(geography="34").index) - set(seen))
    if absent_units:
        names = ", ".join(provinces.name(c, geography="34") for c in absent_units)
        raise ReleaseFormatError(f"{path.name}: {len(seen)} provinces, expected 34; missing {names}.")
    return pd.DataFrame(rows)


def to_records(release: pd.DataFrame, source_file: str) -> pd.DataFrame:
    """The release in the long format of ``data/raw/papi/scores.csv`` (one row per published number)."""
    out = []
    for r in release.itertuples(index=False):
        row = r._asdict()
        for column, indicator, statistic in (
            *[(d, d, "score") for d in schema.dimensions_in(int(r.year))],
            ("total", "total_unweighted", "score"),
            ("total_se", "total_unweighted", "se"),
            ("total_ci_low", "total_unweighted", "ci_low"),
            ("total_ci_high", "total_unweighted", "ci_high"),
            ("n_respondents", "respondents", "n"),
        ):
            if column not in row:
                continue
            value = row[column]
            out.append(
                dict(
                    year=r.year,
                    province_code=r.province_code,
                    source_province=r.province,
                    indicator=indicator,
                    label=column,
                    statistic=statistic,
                    value=value,
                    missing_reason="blank in source" if pd.isna(value) else "",
                    source_file=source_file,
                    source_sheet="",
                    source_cell=f"row {r.row}, column {column}",
                )
            )
    return pd.DataFrame(out, columns=RECORD_COLUMNS)


def import_release34(path: str | Path, origin: str, raw_dir: Path | None = None, force: bool = False) -> list[Path]:
    """Validate a 34-province release and write it into ``data/raw/papi34/`` with provenance; re-pin SHA256SUMS.

    Refuses to change an existing year's file unless ``force``. Returns the files written.
    """
    path = Path(path)
    if not origin.strip():
        raise ValueError('Say where the release comes from: --origin "PAPI 2025 report, table ..., papi.org.vn".')
    raw_dir = Path(raw_dir or config.DATA_RAW)
    release = read_release34(path)
    year = int(release["year"].iloc[0])
    records = to_records(release, path.name)
    folder = raw_dir / RAW_DIR
    target = folder / f"scores_{year}.csv"
    sidecar = folder / f"scores_{year}.provenance.json"
    data = records.to_csv(index=False, lineterminator="\n").encode()
    meta = {
        "year": year,
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "bytes": path.stat().st_size,
        "origin": origin.strip(),
        "layout": "papi_analysis.data.release34",
        "reader": "papi_analysis.data.release34.read_release34",
        "geography": "34",
    }
    meta_bytes = (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode()
    for out, content in ((target, data), (sidecar, meta_bytes)):
        if out.exists() and out.read_bytes() != content and not force:
            raise FileExistsError(f"{out} exists with other content; re-import on purpose with --force.")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    sidecar.write_bytes(meta_bytes)
    _repin(raw_dir, [target, sidecar])
    return [target, sidecar]


def _repin(raw_dir: Path, paths: list[Path]) -> None:
    sums_path = raw_dir / "SHA256SUMS"
    listed: dict[str, str] = {}
    if sums_path.exists():
        for line in sums_path.read_text().splitlines():
            if line.strip():
                digest, rel = line.split(maxsplit=1)
                listed[rel.strip()] = digest
    for p in paths:
        listed[str(p.relative_to(raw_dir))] = hashlib.sha256(p.read_bytes()).hexdigest()
    sums_path.write_text("".join(f"{listed[rel]}  {rel}\n" for rel in sorted(listed)))


def read_imported(raw_dir: Path | None = None) -> pd.DataFrame:
    """Imported 34-province releases as rows of the 34-province panel (empty if none)."""
    from .geography import EXTRA_COLUMNS, weight_year

    raw_dir = Path(raw_dir or config.DATA_RAW)
    files = sorted((raw_dir / RAW_DIR).glob("scores_*.csv"))
    columns = schema.PANEL_COLUMNS + EXTRA_COLUMNS
    if not files:
        return pd.DataFrame(columns=columns)
    registry = provinces.registry(geography="34")
    frames = []
    for f in files:
        rec = pd.read_csv(f, keep_default_na=False, na_values={"value": [""]})
        wide = rec.pivot_table(
            index=["year", "province_code", "indicator"],
            columns="statistic",
            values="value",
            aggfunc="first",
            dropna=False,
        ).reset_index()
        scores = wide[wide["indicator"] != "respondents"].rename(columns={"indicator": "dimension"})
        scores["dimension"] = scores["dimension"].replace({"total_unweighted": schema.TOTAL})
        for c in ("se", "ci_low", "ci_high"):
            if c not in scores.columns:
                scores[c] = np.nan
        n = wide[wide["indicator"] == "respondents"].set_index("province_code").get("n", pd.Series(dtype=float))
        scores["n_respondents"] = scores["province_code"].map(n).astype("Int64")
        frames.append(scores)
    panel = pd.concat(frames, ignore_index=True)
    panel["province"] = panel["province_code"].map(registry["name_vi"])
    panel["score_source"] = np.where(panel["score"].notna(), "published", "")
    panel["missing_reason"] = np.where(panel["score"].isna(), "not published in the 34-province release", "")
    panel["uncertainty_source"] = np.where(panel["se"].notna(), "published SE (34-province release)", "")
    panel["methodology_period"] = panel["year"].map(lambda y: schema.period_of(int(y)).label)
    panel["n_dimensions"] = panel["year"].map(lambda y: len(schema.dimensions_in(int(y))))
    panel["geography"] = "34"
    panel["n_old_provinces"] = panel["province_code"].map(registry["n_old_provinces"]).astype("int64")
    # PAPI samples a new province as one unit: its effective size is 1 (one survey, not an average of several)
    panel["effective_size"] = 1.0
    panel["weight_year"] = panel["year"].map(weight_year)
    return panel[columns]


def write_release34(panel_34: pd.DataFrame, year: int, path: str | Path) -> Path:
    """Write one year of a 34-province panel in the release layout (for tests and worked examples).

    A file written from the recast history is this project's estimate, not a PAPI release:
    name it so (e.g. ``papi34_2024_DERIVED_recast_from_63_provinces.csv``).
    """
    year_rows = panel_34[panel_34["year"] == year]
    wide = year_rows.pivot(index=["province_code", "province"], columns="dimension", values="score")
    wide = wide.reindex(columns=[*schema.dimensions_in(year), schema.TOTAL]).reset_index()
    for d in schema.DIMENSIONS:
        if d not in wide.columns:
            wide[d] = np.nan
    wide.insert(0, "year", year)
    wide = wide[RELEASE34_COLUMNS].sort_values("province_code")
    path = Path(path)
    wide.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")
    return path
