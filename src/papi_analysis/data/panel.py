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
from . import provinces, readers, schema
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


def build_data(raw_dir: Path | None = None, processed_dir: Path | None = None) -> dict[str, Path]:
    """Rebuild data/processed/ from data/raw/ (checksums verified first). Same input, same bytes."""
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
    processed_dir.mkdir(parents=True, exist_ok=True)
    written = {
        "panel": processed_dir / config.PROCESSED_PANEL.name,
        "panel_34": processed_dir / PROCESSED_PANEL_34,
        "subdimensions": processed_dir / config.PROCESSED_SUBDIMENSIONS.name,
        "build_info": processed_dir / "build_info.json",
    }
    info = {
        "built_from": sums,
        "code": _code_fingerprint(),
        "rows": {"panel": len(panel), "panel_34": len(panel_34), "subdimensions": len(subdimensions)},
    }
    # atomic replace: parallel report runs may read while one of them rebuilds
    _write_atomic(written["panel"], _to_csv_bytes(panel))
    _write_atomic(written["panel_34"], _to_csv_bytes(panel_34))
    _write_atomic(written["subdimensions"], _to_csv_bytes(subdimensions))
    _write_atomic(written["build_info"], (json.dumps(info, indent=2, sort_keys=True) + "\n").encode())
    return written


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


def _code_fingerprint() -> str:
    """Hash of the modules that shape the processed files, so a code change triggers a rebuild."""
    digest = hashlib.sha256()
    for module in ("panel.py", "readers.py", "schema.py", "provinces.py", "geography.py", "release34.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def _processed_is_current(processed_dir: Path, raw_dir: Path) -> bool:
    info_path = processed_dir / "build_info.json"
    if not (info_path.exists() and (processed_dir / config.PROCESSED_PANEL.name).exists()):
        return False
    info = json.loads(info_path.read_text())
    if info.get("code") != _code_fingerprint():
        return False
    built_from = info.get("built_from", {})
    sums_path = raw_dir / "SHA256SUMS"
    listed = dict(reversed(line.split(maxsplit=1)) for line in sums_path.read_text().splitlines() if line.strip())
    return {k.strip(): v for k, v in listed.items()} == built_from


def read_panel(processed_dir: Path | None = None, raw_dir: Path | None = None, geography: str = "63") -> pd.DataFrame:
    """The tidy panel of ``geography`` ("63" or "34"), rebuilt first if data/processed/ is older than data/raw/."""
    geography = provinces.check_geography(geography)
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    if not _processed_is_current(processed_dir, raw_dir) or not (processed_dir / PROCESSED_PANEL_34).exists():
        build_data(raw_dir, processed_dir)
    dtypes = dict(_PANEL_DTYPES)
    name = config.PROCESSED_PANEL.name
    if geography == "34":
        dtypes.update(_PANEL_34_EXTRA_DTYPES)
        name = PROCESSED_PANEL_34
    text_columns = [c for c, t in dtypes.items() if t == "str"]
    panel = pd.read_csv(
        processed_dir / name,
        dtype=dtypes,
        keep_default_na=False,
        na_values={c: [""] for c in dtypes if c not in text_columns},
    )
    return panel


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
    """Tidy sub-dimension scores, rebuilt first if needed; ``geography="34"`` recasts them on the fly
    (:func:`papi_analysis.data.geography.recast_subdimensions`, this project's estimates)."""
    geography = provinces.check_geography(geography)
    processed_dir = Path(processed_dir or config.DATA_PROCESSED)
    raw_dir = Path(raw_dir or config.DATA_RAW)
    if not _processed_is_current(processed_dir, raw_dir):
        build_data(raw_dir, processed_dir)
    subs = pd.read_csv(
        processed_dir / config.PROCESSED_SUBDIMENSIONS.name,
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
