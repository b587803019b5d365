"""Validate and harmonise the raw records into one tidy province-year panel.

The panel (``data/processed/papi_panel.csv``, :func:`papi_analysis.load_scores`)
has one row per (year, province, dimension) with columns:

``year`` (int), ``province_code`` (GSO, int), ``province`` (Vietnamese name),
``dimension`` (``D1``..``D8``, ``total``), ``score`` (points: 1-10 for a
dimension; the total is the unweighted sum, 6-60 until 2017 and 8-80 since
2018; NaN where PAPI published no figure), ``se`` (standard error, points),
``ci_low`` / ``ci_high`` (published 90% CI = score ± 1.645 SE, points), ``n_respondents``,
``uncertainty_source``, ``score_source``, ``missing_reason``,
``methodology_period`` and ``n_dimensions``.

Every year has all 63 provinces for every dimension PAPI scored that year;
D7 and D8 rows exist only from 2018, when they were introduced.

The 34-province panel (``data/processed/papi_panel_34.csv``,
``load_scores(geography="34")``) has the same columns plus those of
:data:`papi_analysis.data.geography.EXTRA_COLUMNS`; its 2011-2024 scores of
merged provinces are recast by :mod:`papi_analysis.data.geography`
(``score_source == "recast"``: this project's estimates), later years come from
34-province releases imported by :mod:`papi_analysis.data.release34`. It is
validated by the same rules with 34 units per year.

data/processed/ is never trusted as found: ``build_info.json`` records the raw inputs' sha256, the code's hash and
each processed file's sha256, and every load (:func:`read_panel`, :func:`read_subdimensions`, the runner's check)
rebuilds a file that no longer matches them, or refuses with a sentence when it cannot (:func:`ensure_processed`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from . import provinces, raw_files, readers, schema
from .raw_files import RawChecksumError, verify_raw_checksums  # noqa: F401  (part of this module's API)
from .schema import PANEL_COLUMNS, SUBDIMENSION_COLUMNS  # noqa: F401

N_PROVINCES = 63
N_UNITS: dict[str, int] = {"63": 63, "34": 34}
PROCESSED_PANEL_34 = "papi_panel_34.csv"
TOTAL_TOLERANCE = 1e-3  # points; the sources store float32 values


class PanelValidationError(ValueError):
    """The scores break a rule every PAPI year must follow.

    ``key`` (year, province_code, indicator), when set, lets :func:`build_data` name the raw file's line.
    """

    def __init__(self, message: str, key: tuple | None = None):
        super().__init__(message)
        self.key = key


# --------------------------------------------------------------------------- panel


def build_panel(records: pd.DataFrame) -> pd.DataFrame:
    """Tidy panel from raw score records (see :mod:`papi_analysis.data.readers`); validates before returning."""
    _check_record_keys(records)
    wanted = records[records["indicator"].isin(schema.DIMENSIONS + ("total_unweighted",))]
    keys = ["year", "province_code", "indicator"]
    stats = wanted.set_index(keys + ["statistic"])["value"].unstack("statistic")
    for column in ("score", "se", "ci_low", "ci_high", "variance"):
        if column not in stats.columns:
            stats[column] = np.nan
    reasons = wanted[wanted["statistic"] == "score"].set_index(keys)["missing_reason"]
    stats["missing_reason"] = reasons.reindex(stats.index).fillna("")
    stats = stats.reset_index()

    dims = stats[stats["indicator"] != "total_unweighted"].rename(columns={"indicator": "dimension"})
    dims["score_source"] = np.where(dims["score"].notna(), "published", "")
    published_total = stats[stats["indicator"] == "total_unweighted"].set_index(["year", "province_code"])
    totals = _totals(dims, published_total)
    panel = pd.concat([dims, totals], ignore_index=True)

    se_from_variance = panel["se"].isna() & panel["variance"].notna()
    panel.loc[se_from_variance, "se"] = np.sqrt(panel.loc[se_from_variance, "variance"])
    panel["uncertainty_source"] = ""
    panel.loc[panel["ci_low"].notna() | panel["ci_high"].notna(), "uncertainty_source"] = "published CI and SE"
    panel.loc[se_from_variance, "uncertainty_source"] = "SE = square root of published variance"

    respondents = records[(records["indicator"] == "respondents") & (records["statistic"] == "n")]
    n_map = respondents.set_index(["year", "province_code"])["value"]
    panel["n_respondents"] = pd.Series(
        n_map.reindex(pd.MultiIndex.from_frame(panel[["year", "province_code"]])).to_numpy(), index=panel.index
    ).astype("Int64")

    registry = provinces.registry()
    unknown = sorted(set(panel["province_code"]) - set(registry.index))
    if unknown:
        raise PanelValidationError(
            f"Unknown GSO province code(s) {unknown}: not among the 63 provinces of data/raw/reference/provinces.csv."
        )
    panel["province"] = panel["province_code"].map(registry["name_vi"])
    panel["methodology_period"] = panel["year"].map(lambda y: schema.period_of(int(y)).label)
    panel["n_dimensions"] = panel["year"].map(lambda y: len(schema.dimensions_in(int(y))))
    order = {d: i for i, d in enumerate(schema.INDICATORS)}
    panel = panel.assign(_order=panel["dimension"].map(order)).sort_values(["year", "province_code", "_order"])
    panel = panel[PANEL_COLUMNS].reset_index(drop=True)
    panel["score_source"] = panel["score_source"].astype("str")
    validate_panel(panel)
    return panel


def _check_record_keys(records: pd.DataFrame) -> None:
    dup = records[records.duplicated(["year", "province_code", "indicator", "statistic"], keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        raise PanelValidationError(
            f"Duplicate rows for year {first['year']}, province {first['province_code']}, "
            f"{first['indicator']} {first['statistic']} ({len(dup)} rows; first from {first['source_file']} "
            f"{first['source_sheet']} {first['source_cell']}). Each published number must appear once."
        )


def _totals(dims: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Total rows: the published unweighted total, checked against the sum of dimensions.

    Where PAPI did not publish a total (2017) it is the sum of the published
    dimensions; where any dimension is missing, the total is missing.
    """
    grouped = dims.groupby(["year", "province_code"])
    summed = grouped["score"].sum(min_count=1)
    complete = grouped["score"].apply(lambda s: s.notna().all())
    index = summed.index
    pub = published.reindex(index)
    total = pd.DataFrame(index=index)
    total["dimension"] = schema.TOTAL
    has_pub = pub["score"].notna()
    mismatch = has_pub & complete & ((pub["score"] - summed).abs() > TOTAL_TOLERANCE)
    if mismatch.any():
        (year, code) = mismatch[mismatch].index[0]
        raise PanelValidationError(
            f"{year}, province {code}: the published total {pub.loc[(year, code), 'score']:.4f} does not equal "
            f"the sum of its dimensions {summed.loc[(year, code)]:.4f} ({int(mismatch.sum())} such rows).",
            key=(year, code, "total_unweighted"),
        )
    orphan = has_pub & ~complete
    if orphan.any():
        (year, code) = orphan[orphan].index[0]
        raise PanelValidationError(
            f"{year}, province {code}: a total is published but some dimensions are missing; "
            "the total cannot be checked against its dimensions."
        )
    total["score"] = np.where(complete, np.where(has_pub, pub["score"], summed), np.nan)
    total["score_source"] = np.where(~complete, "", np.where(has_pub, "published", "sum of published dimensions"))
    for column in ("se", "ci_low", "ci_high", "variance"):
        total[column] = pub[column] if column in pub.columns else np.nan
    missing_dims = dims[dims["score"].isna()].groupby(["year", "province_code"])["dimension"].agg(", ".join)
    total["missing_reason"] = np.where(
        complete, "", "dimension(s) missing: " + missing_dims.reindex(index).fillna("").astype(str)
    )
    return total.reset_index()


def validate_panel(panel: pd.DataFrame, geography: str = "63") -> None:
    """Raise :class:`PanelValidationError` if the panel breaks a PAPI rule.

    Rules: known provinces (of ``geography``); one row per (year, province, dimension); all 63
    (or 34) provinces in every year and dimension; only the dimensions PAPI scored that
    year; dimension scores in 1-10 and totals in their period's range; every
    total equal to the sum of its dimensions.
    """
    problems: list[str] = []
    geography = provinces.check_geography(geography)
    n_units = N_UNITS[geography]
    registry = provinces.registry(geography=geography)
    unknown = sorted(set(panel["province_code"]) - set(registry.index))
    if unknown:
        problems.append(f"unknown GSO province code(s) {unknown} (geography {geography})")
    dup = panel[panel.duplicated(["year", "province_code", "dimension"], keep=False)]
    if not dup.empty:
        r = dup.iloc[0]
        problems.append(
            f"duplicate rows for ({r['year']}, {r['province_code']}, {r['dimension']}): {len(dup)} rows share a key"
        )
    for (year, dim), part in panel.groupby(["year", "dimension"]):
        if part["province_code"].nunique() != n_units:
            problems.append(f"{year} {dim}: {part['province_code'].nunique()} provinces, expected {n_units}")
    for year, part in panel.groupby("year"):
        expected = set(schema.dimensions_in(int(year))) | {schema.TOTAL}
        got = set(part["dimension"])
        if got != expected:
            problems.append(f"{year}: dimensions {sorted(got)}, expected {sorted(expected)}")
    lo, hi = schema.DIMENSION_SCORE_RANGE
    dims = panel[panel["dimension"] != schema.TOTAL]
    bad = dims[(dims["score"] < lo) | (dims["score"] > hi)]
    for r in bad.head(5).itertuples():
        problems.append(f"{r.year}, province {r.province_code}, {r.dimension}: score {r.score} outside 1-10")
    totals = panel[panel["dimension"] == schema.TOTAL]
    for r in totals.itertuples():
        if pd.isna(r.score):
            continue
        t_lo, t_hi = schema.period_of(int(r.year)).total_range
        if not t_lo <= r.score <= t_hi:
            problems.append(f"{r.year}, province {r.province_code}: total {r.score} outside {t_lo:g}-{t_hi:g}")
    sums = dims.groupby(["year", "province_code"])["score"].sum(min_count=1)
    complete = dims.groupby(["year", "province_code"])["score"].apply(lambda s: s.notna().all())
    t = totals.set_index(["year", "province_code"])["score"]
    check = pd.DataFrame({"total": t, "sum": sums, "complete": complete}).dropna(subset=["total"])
    off = check[~check["complete"] | ((check["total"] - check["sum"]).abs() > TOTAL_TOLERANCE)]
    for (year, code), r in off.head(5).iterrows():
        problems.append(
            f"{year}, province {code}: total {r['total']:.4f} is not the sum of its dimensions ({r['sum']:.4f})"
        )
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        which = "PAPI panel" if geography == "63" else "34-province PAPI panel"
        raise PanelValidationError(f"The {which} failed validation: " + "; ".join(problems[:10]) + more)


def build_subdimensions(records: pd.DataFrame) -> pd.DataFrame:
    """Tidy sub-dimension scores (points as published; scales differ between dimensions and years)."""
    sub = records[records["indicator"].str.contains(".", regex=False) & (records["statistic"] == "score")].copy()
    sub["dimension"] = sub["indicator"].str.split(".").str[0]
    sub["subdimension"] = sub["indicator"]
    sub["score"] = sub["value"]
    sub["province"] = sub["province_code"].map(provinces.registry()["name_vi"])
    sub["methodology_period"] = sub["year"].map(lambda y: schema.period_of(int(y)).label)
    sub = sub.sort_values(["year", "province_code", "subdimension"], kind="stable")
    return sub[SUBDIMENSION_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- processed files


def _to_csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


BUILD_INFO = "build_info.json"
PROCESSED_FILES = (config.PROCESSED_PANEL.name, PROCESSED_PANEL_34, config.PROCESSED_SUBDIMENSIONS.name)


class ProcessedDataError(RuntimeError):
    """data/processed/ does not match what was recorded when it was built, and cannot be rebuilt."""


def build_data(raw_dir: Path | None = None, processed_dir: Path | None = None) -> dict[str, Path]:
    """Rebuild data/processed/ from data/raw/ (checksums verified first). Same input, same bytes.

    ``build_info.json`` (written last) records what the files were made from and what they are: ``built_from``
    (the sha256 of every raw input, as pinned in SHA256SUMS), ``code`` (hash of the modules that build them) and
    ``files`` (sha256 and size of each processed file); every load checks them (:func:`processed_status`).
    """
    raw_dir = Path(raw_dir or config.DATA_RAW)
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    sums = verify_raw_checksums(raw_dir)
    scores = readers.read_raw_records(raw_dir / "papi" / "scores.csv")
    subs = readers.read_raw_records(raw_dir / "papi" / "subdimensions.csv")
    try:
        panel = build_panel(scores)
    except PanelValidationError as err:
        raise PanelValidationError(_located(err, scores, raw_dir / "papi" / "scores.csv"), err.key) from None
    subdimensions = build_subdimensions(subs)
    panel_34 = build_panel_34(panel, raw_dir)
    contents = {
        "panel": (config.PROCESSED_PANEL.name, _to_csv_bytes(panel)),
        "panel_34": (PROCESSED_PANEL_34, _to_csv_bytes(panel_34)),
        "subdimensions": (config.PROCESSED_SUBDIMENSIONS.name, _to_csv_bytes(subdimensions)),
    }
    info = {
        "built_from": sums,
        "code": _code_fingerprint(),
        "rows": {"panel": len(panel), "panel_34": len(panel_34), "subdimensions": len(subdimensions)},
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in contents.values()
        },
    }
    written = {key: processed_dir / name for key, (name, _) in contents.items()}
    written["build_info"] = processed_dir / BUILD_INFO
    try:
        processed_dir.mkdir(parents=True, exist_ok=True)
        # atomic replace, the record last: a reader sees either the old set or files that match the new record
        for key, (_, data) in contents.items():
            _write_atomic(written[key], data)
        _write_atomic(written["build_info"], (json.dumps(info, indent=2, sort_keys=True) + "\n").encode())
    except OSError as err:
        raise ProcessedDataError(
            f"cannot write {processed_dir} ({err.strerror}); run 'papi-analysis build-data' where data/processed/ "
            "is writable."
        ) from None
    return written


def processed_status(processed_dir: Path | None = None, raw_dir: Path | None = None) -> str:
    """Why data/processed/ cannot be used as it is ("" when it can): not built, built from other raw files or by
    other code, or a file that no longer matches the sha256 recorded when it was built (truncated, edited)."""
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    info = _build_info(processed_dir)
    if info is None:
        return "it was not built yet" if not (processed_dir / BUILD_INFO).exists() else f"its {BUILD_INFO} is damaged"
    if info.get("code") != _code_fingerprint():
        return "the code that builds it changed"
    built_from = info.get("built_from", {})
    listed = raw_files.read_pins(raw_dir)
    changed = sorted(rel for rel in set(listed) | set(built_from) if listed.get(rel) != built_from.get(rel))
    if changed:
        shown = ", ".join(f"data/raw/{rel}" for rel in changed[:5])
        return f"{shown}{f' and {len(changed) - 5} more' if len(changed) > 5 else ''} changed since it was built"
    files = info.get("files")
    if not isinstance(files, dict) or set(files) != set(PROCESSED_FILES):
        return f"its {BUILD_INFO} lists no hash of its files (built by an older version)"
    for name, meta in sorted(files.items()):
        path = processed_dir / name
        if not path.is_file():
            return f"data/processed/{name} is missing"
        if hashlib.sha256(path.read_bytes()).hexdigest() != meta.get("sha256"):
            return f"data/processed/{name} does not match the hash recorded when it was built (truncated or edited)"
    return ""


def _build_info(processed_dir: Path) -> dict | None:
    try:
        info = json.loads((processed_dir / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def ensure_processed(processed_dir: Path | None = None, raw_dir: Path | None = None) -> str:
    """Check data/raw/ against SHA256SUMS and data/processed/ against its record; rebuild it if it cannot be used.

    Returns why it was rebuilt ("" if it was current). A raw file that does not match SHA256SUMS is refused
    (:class:`RawChecksumError`); a rebuild that cannot be written is :class:`ProcessedDataError`.
    """
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    verify_raw_checksums(raw_dir)
    reason = processed_status(processed_dir, raw_dir)
    if reason:
        try:
            build_data(raw_dir, processed_dir)
        except ProcessedDataError as err:
            raise ProcessedDataError(f"data/processed/ cannot be used ({reason}) and {err}") from None
    return reason


def _read_verified(processed_dir: Path, raw_dir: Path, name: str) -> bytes:
    """The bytes of a processed file, verified against build_info.json (rebuilt first when they do not match)."""
    ensure_processed(processed_dir, raw_dir)
    for attempt in range(2):
        info = _build_info(processed_dir) or {}
        try:
            data = (processed_dir / name).read_bytes()
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() == info.get("files", {}).get(name, {}).get("sha256"):
            return data
        if attempt == 0:  # another process may have been replacing the set at this moment: rebuild, read again
            build_data(raw_dir, processed_dir)
    raise ProcessedDataError(
        f"data/processed/{name} does not match the hash recorded in {BUILD_INFO} even after a rebuild; "
        "is another program writing data/processed/? Run 'papi-analysis build-data' and try again."
    )


def _located(err: PanelValidationError, records: pd.DataFrame, path: Path) -> str:
    """The error message prefixed with the raw file and, where known, the line and column of the value."""
    where = str(path)
    if err.key is not None:
        year, code, indicator = err.key
        hit = records.index[
            (records["year"] == year)
            & (records["province_code"] == code)
            & (records["indicator"] == indicator)
            & (records["statistic"] == "score")
        ]
        if len(hit):
            where += f", line {int(hit[0]) + 2}, column value"
    return f"{where}: {err}"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


_PANEL_DTYPES = {
    "year": "int64",
    "province_code": "int64",
    "province": "str",
    "dimension": "str",
    "score": "float64",
    "se": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "n_respondents": "Int64",
    "uncertainty_source": "str",
    "score_source": "str",
    "missing_reason": "str",
    "methodology_period": "str",
    "n_dimensions": "int64",
}


#: Modules whose code shapes the processed files (a change to any of them rebuilds data/processed/).
_BUILDING_MODULES = (
    "panel.py",
    "schema.py",
    "provinces.py",
    "geography.py",
    "context.py",
    "raw_files.py",
)


def _code_fingerprint() -> str:
    """Hash of the modules that shape the processed files, so a code change triggers a rebuild."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    packages = [*sorted((here / "readers").glob("*.py")), *sorted((here / "release34").glob("*.py"))]
    for path in [*(here / m for m in _BUILDING_MODULES), *packages]:
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_panel(processed_dir: Path | None = None, raw_dir: Path | None = None, geography: str = "63") -> pd.DataFrame:
    """The tidy panel of ``geography`` ("63" or "34"), verified against the hash recorded when data/processed/ was
    built; rebuilt first if data/raw/ or the code changed since, or if the file was truncated or edited."""
    geography = provinces.check_geography(geography)
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    dtypes = dict(_PANEL_DTYPES)
    name = config.PROCESSED_PANEL.name
    if geography == "34":
        dtypes.update(_PANEL_34_EXTRA_DTYPES)
        name = PROCESSED_PANEL_34
    text_columns = [c for c, t in dtypes.items() if t == "str"]
    return pd.read_csv(
        io.BytesIO(_read_verified(processed_dir, raw_dir, name)),
        dtype=dtypes,
        keep_default_na=False,
        na_values={c: [""] for c in dtypes if c not in text_columns},
    )


_PANEL_34_EXTRA_DTYPES = {
    "geography": "str",
    "n_old_provinces": "int64",
    "effective_size": "float64",
    "weight_year": "int64",
}


def build_panel_34(panel_63: pd.DataFrame, raw_dir: Path | None = None) -> pd.DataFrame:
    """The 34-province panel: 2011-2024 recast from ``panel_63``, then any imported 34-province releases.

    Validated like the 63-province panel (34 units in every year and dimension).
    """
    from . import context, geography, release34

    raw_dir = Path(raw_dir or config.DATA_RAW)
    population = context.load_context(["TotalPOP"], raw_dir=raw_dir)
    panel = geography.recast_panel(panel_63, geography.population_weights(population))
    released = release34.read_imported(raw_dir)
    if not released.empty:
        overlap = sorted(set(released["year"]) & set(panel["year"]))
        if overlap:
            raise PanelValidationError(
                f"34-province release(s) for {overlap} overlap the recast years; a year comes from one source only."
            )
        panel = pd.concat([panel, released[panel.columns]], ignore_index=True)
        panel["n_respondents"] = panel["n_respondents"].astype("Int64")
    validate_panel(panel, geography="34")
    return panel


def read_subdimensions(
    processed_dir: Path | None = None, raw_dir: Path | None = None, geography: str = "63"
) -> pd.DataFrame:
    """Tidy sub-dimension scores, verified like :func:`read_panel`; ``geography="34"`` recasts them on the fly
    (:func:`papi_analysis.data.geography.recast_subdimensions`, this project's estimates)."""
    geography = provinces.check_geography(geography)
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    subs = pd.read_csv(
        io.BytesIO(_read_verified(processed_dir, raw_dir, config.PROCESSED_SUBDIMENSIONS.name)),
        dtype={"year": "int64", "province_code": "int64", "score": "float64", "label": "str"},
        keep_default_na=False,
        na_values={"score": [""]},
    )
    if geography == "34":
        from . import context
        from . import geography as geo

        weights = geo.population_weights(context.load_context(["TotalPOP"], raw_dir=raw_dir))
        subs = geo.recast_subdimensions(subs, weights)
    return subs
