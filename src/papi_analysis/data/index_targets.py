"""Plans' PAR INDEX and SIPAS targets as data (``data/raw/targets/indices/*.csv``, schema in
``data/raw/targets/INDEX_TARGETS.md``), read and validated.

Numbers are kept as the plan writes them (text with '.' decimals, e.g. ``"0.40"``) so that checks
can respect the plan's rounding; :func:`load_index_targets` adds ``province_code``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from . import indices, provinces

INDEX_TARGETS_DIR: Path = config.DATA_RAW / "targets" / "indices"
KINDS: tuple[str, ...] = (
    "score_at_least",
    "percent_at_least",
    "improve_score_and_rank",
    "planned_change",
    "stated_baseline",
)
COLUMNS: list[str] = [
    "plan_id",
    "target_id",
    "province",
    "plan_document",
    "plan_date",
    "source_file",
    "index",
    "component",
    "baseline_year",
    "target_year",
    "kind",
    "target_value",
    "baseline_stated",
    "baseline_rank_stated",
    "max_stated",
    "planned_change_stated",
    "same_as",
    "quote",
    "note",
]
REQUIRED: list[str] = [
    "plan_id",
    "target_id",
    "province",
    "index",
    "component",
    "baseline_year",
    "target_year",
    "kind",
    "quote",
]


class IndexTargetFileError(ValueError):
    """An index-targets file that cannot be used as written (the message names file and line)."""


def load_index_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Index targets from one CSV, or every CSV in ``data/raw/targets/indices/`` (checksums verified)."""
    if path is None:
        from .raw_files import verify_raw_checksums

        verify_raw_checksums()
    paths = [Path(path)] if path is not None else sorted(INDEX_TARGETS_DIR.glob("*.csv"))
    if not paths:
        raise IndexTargetFileError(f"No index targets file in {INDEX_TARGETS_DIR}.")
    frames = [_read(p) for p in paths]
    out = pd.concat(frames, ignore_index=True)
    dup = out[out.duplicated(["plan_id", "target_id"], keep=False)]
    if not dup.empty:
        raise IndexTargetFileError(
            f"target_id {dup.iloc[0]['target_id']!r} appears twice in plan {dup.iloc[0]['plan_id']!r}."
        )
    for row in out[out["same_as"] != ""].itertuples():
        others = out[(out["plan_id"] == row.plan_id) & (out["target_id"] == row.same_as)]
        if others.empty:
            raise IndexTargetFileError(
                f"{row.source}: {row.target_id} names same_as {row.same_as!r}, "
                f"which is not a target_id of plan {row.plan_id}."
            )
    return out


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise IndexTargetFileError(f"{path} does not exist.")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise IndexTargetFileError(f"{path.name}: missing column(s) {missing}; see data/raw/targets/INDEX_TARGETS.md.")
    for column in COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    out = raw[COLUMNS].copy()
    codes = [_validate(row, f"{path.name}, line {i + 2}") for i, row in out.iterrows()]
    out.insert(3, "province_code", codes)
    out["baseline_year"] = out["baseline_year"].astype(int)
    out["target_year"] = out["target_year"].astype(int)
    out["source"] = path.name
    return out


def _validate(row: pd.Series, where: str) -> int:
    try:
        code = provinces.resolve(row["province"])
    except provinces.UnknownProvinceError as err:
        raise IndexTargetFileError(f"{where}: {err}") from None
    if row["index"] not in ("par_index", "sipas"):
        raise IndexTargetFileError(
            f"{where}: index must be par_index or sipas, got {row['index']!r} "
            "(PAPI targets belong in data/raw/targets/seed_plans.csv)."
        )
    spec = indices.get_index(row["index"])
    if row["component"] not in spec.codes():
        raise IndexTargetFileError(
            f"{where}: component {row['component']!r} is not part of {spec.code}; "
            f"choose from {', '.join(spec.codes())}."
        )
    try:
        baseline_year, target_year = int(row["baseline_year"]), int(row["target_year"])
    except ValueError:
        raise IndexTargetFileError(f"{where}: baseline_year and target_year must be years.") from None
    if not 2010 <= baseline_year < target_year <= 2035:
        raise IndexTargetFileError(f"{where}: need baseline_year < target_year, got {baseline_year}, {target_year}.")
    if row["kind"] not in KINDS:
        raise IndexTargetFileError(f"{where}: kind must be one of {', '.join(KINDS)}, got {row['kind']!r}.")
    if not row["quote"].strip():
        raise IndexTargetFileError(f"{where}: every target needs its verbatim quote from the plan.")
    numbers = {}
    for column in ("target_value", "baseline_stated", "max_stated", "planned_change_stated"):
        try:
            numbers[column] = indices.parse_number(row[column], where, column)
        except indices.IndexTableError as err:
            raise IndexTargetFileError(str(err)) from None
    needs_value = row["kind"] in ("score_at_least", "percent_at_least")
    if needs_value and pd.isna(numbers["target_value"]):
        raise IndexTargetFileError(f"{where}: a {row['kind']} target needs target_value.")
    if not needs_value and row["target_value"].strip():
        raise IndexTargetFileError(f"{where}: a {row['kind']} row takes no target_value, got {row['target_value']!r}.")
    if row["kind"] == "percent_at_least" and not 0 < numbers["target_value"] <= 100:
        raise IndexTargetFileError(f"{where}: a percentage target is in 0-100, got {row['target_value']!r}.")
    rank = row["baseline_rank_stated"].strip()
    if rank and not all(part.isdigit() for part in rank.split("/")):
        raise IndexTargetFileError(f"{where}: baseline_rank_stated is written like 62/63, got {rank!r}.")
    return code


def index_plan_ids(targets: pd.DataFrame | None = None) -> list[str]:
    targets = load_index_targets() if targets is None else targets
    return sorted(targets["plan_id"].unique())


def index_plan_for(code: int, targets: pd.DataFrame | None = None) -> str | None:
    """The most recent plan with PAR INDEX or SIPAS targets for a province (GSO code), if any."""
    targets = load_index_targets() if targets is None else targets
    mine = targets[targets["province_code"] == int(code)].sort_values("target_year")
    return None if mine.empty else str(mine["plan_id"].iloc[-1])
