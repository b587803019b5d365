"""Targets as data: reading, validating and selecting provincial PAPI targets (schema in data/raw/targets/README.md)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from ... import config
from ...data import provinces, schema
from ...data.plan_reader.schema import (
    GROUP_NAMES,
    KINDS,
    LAST_PUBLISHED_YEAR,
    MAX_ID_LENGTH,
    MAX_TARGETS,
    REFORM_YEAR,
    RULES,
    TARGET_COLUMNS,
    TargetFileError,
    shown,
)
from ...data.plan_reader.tabular import SUFFIXES, RawTable, read_table
from .. import ranking

GROUP_ORDER: dict[str, int] = {g: i for i, g in enumerate(ranking.GROUPS)}  # 0 = highest
TARGETS_DIR: Path = config.DATA_RAW / "targets"


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Targets from a CSV, YAML or Excel file (default: every file in ``data/raw/targets/``), validated.

    Adds ``province_code``. Raises :class:`TargetFileError` naming the file, line (or sheet and row) and column of
    the first problem found. The file is read by :func:`papi_analysis.data.plan_reader.tabular.read_table` (encodings,
    YAML aliases, sizes); ids are kept as text (a ``/`` as in "45/KH-UBND" is fine: ids never name files).
    """
    if path is None:
        from ...data.raw_files import verify_raw_checksums

        verify_raw_checksums()  # the seed targets are pinned with the rest of data/raw/
    paths = (
        [Path(path)]
        if path is not None
        else sorted(p for p in TARGETS_DIR.glob("*") if p.suffix in {".csv", ".yaml", ".yml"})
    )
    if not paths:
        raise TargetFileError(f"No targets file found in {TARGETS_DIR}.")
    frames = [_read_target_file(p) for p in paths]
    targets = pd.concat(frames, ignore_index=True)
    dup = targets[targets.duplicated(["plan_id", "target_id"], keep=False)]
    if not dup.empty:
        raise TargetFileError(
            f"target_id {shown(dup.iloc[0]['target_id'])} appears twice in plan {shown(dup.iloc[0]['plan_id'])}."
        )
    return targets


def _read_target_file(path: Path) -> pd.DataFrame:
    table = read_table(path)
    raw = table.frame
    for column in TARGET_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    rows, codes = [], []
    for i, row in enumerate(raw[TARGET_COLUMNS].astype(str).to_dict("records")):
        row = pd.Series({k: str(v).strip() for k, v in row.items()})
        where = table.where(i)
        _check_ids(row, table, i)
        if not row["target_id"]:
            row["target_id"] = f"{row['indicator']}-{row['kind']}"
        defaulted = not str(row["geography"]).strip()
        for expanded in _expand_row(row, where, table, i):
            code = _validate_target_row(expanded, where, mapped_ok=defaulted, table=table, i=i)
            expanded["geography_as_written"], expanded["province_code_as_written"] = expanded["geography"], str(code)
            if expanded["geography"] == "34" and defaulted and not _resolves(expanded["province"], "34"):
                expanded["note"] = "; ".join(
                    filter(
                        None,
                        [
                            str(expanded["note"]),
                            (
                                f"target year {expanded['target_year']} is after 1 July 2025: read on the 34 provinces, for "
                                f"{provinces.name(code, geography='34')}, which {expanded['province']} is part of"
                            ),
                        ],
                    )
                )
                # the name (and any number the plan states about it) is of the old province
                expanded["geography_as_written"] = "63"
                expanded["province_code_as_written"] = str(provinces.resolve(expanded["province"], geography="63"))
            codes.append(code)
            rows.append(expanded)
        if len(rows) > MAX_TARGETS:
            raise TargetFileError(
                f"{table.name} has more than {MAX_TARGETS} targets once 'and following years' rows are read as one "
                f"target per year; a targets file holds at most {MAX_TARGETS}. Split it by province or plan."
            )
    out = pd.DataFrame(
        rows, columns=TARGET_COLUMNS + list(EXPANSION_COLUMNS) + ["geography_as_written", "province_code_as_written"]
    )
    out.insert(3, "province_code", codes)
    out["baseline_year"] = out["baseline_year"].astype(int)
    out["target_year"] = out["target_year"].astype(int)
    out["province_code_as_written"] = out["province_code_as_written"].astype(int)
    out["source"] = path.name
    return out


def _check_ids(row: pd.Series, table: RawTable, i: int) -> None:
    """Ids and names are text of a sensible length without control characters ("45/KH-UBND" is a fine plan id)."""
    for column in ("plan_id", "target_id", "province"):
        value = str(row[column])
        if len(value) > MAX_ID_LENGTH:
            raise TargetFileError(
                f"{table.where(i, column)}: {column} is {len(value):,} characters long; at most {MAX_ID_LENGTH} "
                f"(e.g. 'quang-nam-2021' or '45/KH-UBND'). Got {shown(value)}."
            )
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise TargetFileError(f"{table.where(i, column)}: {column} has a line break or control character.")
    if not str(row["plan_id"]):
        raise TargetFileError(f"{table.where(i, 'plan_id')}: plan_id is empty; give the plan a short id.")


#: columns :func:`_expand_row` adds: the target year as written (``2023+``), the ``target_id`` a row was expanded
#: from (empty when the row is as written) and the province as written when it was read for its 34-province unit
EXPANSION_COLUMNS: tuple[str, ...] = ("target_year_as_written", "expanded_from", "province_as_written")


def parse_target_year(text: str, where: str = "") -> tuple[int, bool]:
    """``(year, and_following)`` from a ``target_year`` cell: ``2023`` or ``2023+`` ("năm 2023 và các năm tiếp
    theo": 2023 and every following year)."""
    value = str(text).strip().replace(" ", "")
    match = re.fullmatch(r"(\d{4})(?:\.0)?(\+?)", value)
    if not match:
        raise TargetFileError(
            f"{where + ': ' if where else ''}target_year must be a year (2024) or a year followed by + for "
            f'"and following years" (2023+, as in "năm 2023 và các năm tiếp theo"), got {shown(text)}. '
            "For a period such as 2021-2025 write one row per year, or the first year with +."
        )
    return int(match.group(1)), bool(match.group(2))


def last_published_year(geography: str = "63") -> int:
    """The last PAPI year published for ``geography``: 2024 for the 63 provinces (their last survey year); for the
    34 provinces, the latest release imported into ``data/raw/papi34/`` (2024, recast, until the first one)."""
    geography = provinces.check_geography(geography)
    if geography == "63":
        return LAST_PUBLISHED_YEAR
    imported = [
        int(m.group(1))
        for p in (config.DATA_RAW / "papi34").glob("scores_*.csv")
        if (m := re.fullmatch(r"scores_(\d{4})", p.stem))
    ]
    return max([LAST_PUBLISHED_YEAR] + imported)


def _expand_row(row: pd.Series, where: str, table: RawTable | None = None, i: int = 0) -> list[pd.Series]:
    """One row per target year, each with its geography.

    ``target_year`` ``2023+`` becomes one row per year from 2023 to the last published year, plus one row for the
    first year not yet published (a forecast, ``target_year - baseline_year`` years ahead); each keeps the quote and
    names the row it came from (``target_id`` ``<id>-<year>``, ``expanded_from``, a note). Every year is compared
    with the plan's ``baseline_year``, as written. Geography: as written; when empty, 63 for target years up to 2024
    and 34 from 2025 (PAPI publishes the provinces since 1 July 2025). Written 63, the years end with 2024.
    """
    at = _locator(where, table, i)
    first, following = parse_target_year(row["target_year"], at("target_year"))
    written = str(row["geography"]).strip()
    if written and written not in provinces.GEOGRAPHIES:
        raise TargetFileError(
            f"{at('geography')}: geography is 63 (the provinces before 1 July 2025) or 34 (since then), "
            f"got {shown(written)}."
        )
    if written == "63" and first >= REFORM_YEAR:
        raise TargetFileError(
            f"{at('geography')}: geography 63 with target year {first}: the 63 provinces were last surveyed in "
            f"{LAST_PUBLISHED_YEAR}, and from {REFORM_YEAR} PAPI covers the 34 provinces of 1 July 2025. Write "
            "geography 34 (or leave it empty: a target year from 2025 is read on the 34 provinces, an old province "
            "as the unit it became part of)."
        )
    if following:
        last = LAST_PUBLISHED_YEAR if written == "63" else last_published_year(written or "34")
        years = list(range(first, last + 1)) + ([] if written == "63" else [max(first, last + 1)])
        years = list(dict.fromkeys(years))
    else:
        years = [first]
    out = []
    for year in years:
        new = row.copy()
        new["target_year"] = str(year)
        new["geography"] = written or ("34" if year >= REFORM_YEAR else "63")
        new["target_year_as_written"] = str(row["target_year"]).strip()
        new["expanded_from"] = row["target_id"] if following else ""
        new["province_as_written"] = str(row["province"])
        if following:
            new["target_id"] = f"{row['target_id']}-{year}"
            published = year <= (LAST_PUBLISHED_YEAR if new["geography"] == "63" else last_published_year("34"))
            horizon = year - int(row["baseline_year"]) if str(row["baseline_year"]).strip().isdigit() else None
            said = (
                f"{year} of {first}+ ('{first} and following years'), compared with the {row['baseline_year']} "
                "baseline" + ("" if published else f"; not yet published: a forecast {horizon} years ahead")
            )
            new["note"] = "; ".join(filter(None, [str(row["note"]), said]))
        out.append(new)
    return out


def _locator(where: str, table: RawTable | None, i: int):
    """``at(column)``: where a cell is ("plan.csv, line 3, column 11 (target_value)"); the row alone without one."""
    if table is None:
        return lambda column=None: where
    return lambda column=None: table.where(i, column)


def _resolves(name: str, geography: str) -> bool:
    try:
        provinces.resolve(name, geography=geography)
        return True
    except provinces.UnknownProvinceError:
        return False


def _validate_target_row(
    row: pd.Series, where: str, mapped_ok: bool = False, table: RawTable | None = None, i: int = 0
) -> int:
    """The row's ``province_code`` in its geography, or :class:`TargetFileError` naming what is wrong and where
    (file, line or sheet and row, column). With ``mapped_ok`` (a geography taken from the target year, not
    written), a province of the 63 read on the 34 is the unit it became part of."""
    at = _locator(where, table, i)
    geography = str(row.get("geography", "") or "63").strip()
    if geography not in provinces.GEOGRAPHIES:
        raise TargetFileError(
            f"{at('geography')}: geography is 63 (the provinces before 1 July 2025) or 34 (since then), "
            f"got {shown(geography)}."
        )
    try:
        code = provinces.resolve(row["province"], geography=geography)
    except provinces.UnknownProvinceError as err:
        if not (mapped_ok and geography == "34" and _resolves(row["province"], "63")):
            raise TargetFileError(f"{at('province')}: {err}") from None
        code = provinces.successor(provinces.resolve(row["province"], geography="63"))
    years = {}
    for column in ("baseline_year", "target_year"):
        try:
            years[column] = int(str(row[column]).strip())
        except ValueError:
            raise TargetFileError(
                f"{at(column)}: {column} must be a year such as 2024, got {shown(row[column])}."
            ) from None
    baseline_year, target_year = years["baseline_year"], years["target_year"]
    if not 2011 <= baseline_year < target_year <= 2035:
        raise TargetFileError(
            f"{at('baseline_year')}: need 2011 <= baseline_year < target_year <= 2035, got {baseline_year} and "
            f"{target_year}."
        )
    indicator, kind, value = str(row["indicator"]).strip(), str(row["kind"]).strip(), str(row["target_value"]).strip()
    if kind not in KINDS:
        raise TargetFileError(f"{at('kind')}: kind must be one of {', '.join(KINDS)}, got {shown(kind)}.")
    _check_stated(row, at)
    if kind == "all_up":
        named = [] if indicator.lower() == "all" else [d.strip() for d in indicator.split(",")]
        scored = schema.dimensions_in(min(target_year, LAST_PUBLISHED_YEAR))
        if any(d not in scored for d in named) or (not named and indicator.lower() != "all"):
            raise TargetFileError(
                f"{at('indicator')}: an all_up target names 'all' or dimensions scored in {target_year} "
                f"separated by commas ({','.join(scored)}), got {shown(indicator)}."
            )
        if value:
            _number(value, at("target_value"), "target_value")
        return code
    if kind == "other_index":
        if not indicator:
            raise TargetFileError(
                f"{at('indicator')}: an other_index target names the index in indicator (e.g. PAR INDEX)."
            )
        return code
    if indicator.startswith("rule:"):
        if indicator[5:] not in RULES:
            raise TargetFileError(
                f"{at('indicator')}: a rule is one of {', '.join('rule:' + r for r in RULES)}, got {shown(indicator)}."
            )
        if kind not in (
            "score_at_least",
            "change_at_least",
            "group_at_least",
            "not_in_group",
            "rank_at_most",
            "rank_gain_at_least",
            "improve_score_and_rank",
        ):
            raise TargetFileError(f"{at('kind')}: a rule picks dimensions for a per-dimension kind, not {shown(kind)}.")
    elif indicator not in schema.INDICATORS:
        raise TargetFileError(
            f"{at('indicator')}: indicator must be one of {', '.join(schema.INDICATORS)}, got {shown(indicator)}."
        )
    elif indicator not in schema.dimensions_in(min(target_year, LAST_PUBLISHED_YEAR)) + (schema.TOTAL,):
        raise TargetFileError(f"{at('indicator')}: {indicator} is not scored in {target_year}.")
    n_units = int(geography)  # ranks run 1-63 or 1-34
    where_value = at("target_value")
    if kind in ("score_at_least", "change_at_least"):
        number = _number(value, where_value, "target_value")
        if kind == "score_at_least":
            lo, hi = _score_range(indicator, target_year)
            if not lo <= number <= hi:
                raise TargetFileError(
                    f"{where_value}: target {number:g} is outside the {indicator} range {lo:g}-{hi:g}."
                )
        elif abs(number) > _score_range(indicator, target_year)[1]:
            raise TargetFileError(f"{where_value}: a change of {number:g} points is larger than the {indicator} scale.")
    elif kind == "group_at_least" and value not in ranking.GROUPS:
        raise TargetFileError(f"{where_value}: a group target is one of {GROUP_NAMES}, got {shown(value)}.")
    elif kind == "rank_at_most":
        number = _number(value, where_value, "target_value")
        if number != int(number) or not 1 <= number <= n_units:
            raise TargetFileError(
                f"{where_value}: a rank target on the {geography} provinces is a whole number 1-{n_units} "
                f'("top 10" is 10), got {shown(value)}.'
            )
    elif kind == "rank_gain_at_least" and value:
        number = _number(value, where_value, "target_value")
        if number != int(number) or not 1 <= number <= n_units - 1:
            raise TargetFileError(
                f"{where_value}: a rank gain is a whole number of places 1-{n_units - 1} (empty = 1), got {shown(value)}."
            )
    elif kind == "not_in_group" and value not in ranking.GROUPS:
        raise TargetFileError(f"{where_value}: not_in_group names one of {GROUP_NAMES}, got {shown(value)}.")
    elif kind == "improve_score_and_rank" and value:
        raise TargetFileError(f"{where_value}: improve_score_and_rank takes no target_value, got {shown(value)}.")
    return code


def _check_stated(row: pd.Series, at) -> None:
    """What the plan states about its baseline: finite numbers, and a rank written 53 or 53/63."""
    for column in ("baseline_stated", "planned_change_stated"):
        if str(row[column]).strip():
            _number(row[column], at(column), column)
    rank = str(row["baseline_rank_stated"]).strip()
    if rank and not re.fullmatch(r"\d{1,2}(/\d{1,2})?", rank):
        raise TargetFileError(
            f"{at('baseline_rank_stated')}: baseline_rank_stated is a rank as the plan writes it, 53 or 53/63, "
            f"got {shown(rank)}."
        )


def _number(text: str, where: str, column: str) -> float:
    """A finite number ("45.6" or "45,6"); ``nan``, ``inf`` and text are refused where they are."""
    try:
        number = float(str(text).strip().replace(",", "."))
    except ValueError:
        raise TargetFileError(f"{where}: {column} must be a number, got {shown(text)}.") from None
    if not math.isfinite(number):
        raise TargetFileError(f"{where}: {column} must be a finite number, got {shown(text)}.")
    return number


def _score_range(indicator: str, year: int) -> tuple[float, float]:
    if indicator == schema.TOTAL:
        return schema.period_of(min(year, LAST_PUBLISHED_YEAR)).total_range
    return schema.DIMENSION_SCORE_RANGE


def plan_ids(targets: pd.DataFrame | None = None) -> list[str]:
    targets = load_targets() if targets is None else targets
    return sorted(targets["plan_id"].unique())


def select_plan(plan: str) -> pd.DataFrame:
    """The targets of one seed plan (by ``plan_id``) or of a user's targets file (by path: .csv, .yaml/.yml, .xlsx,
    the suffix in any case, so an existing ``Good.CSV`` is a file, never a plan id)."""
    candidate = Path(plan)
    if candidate.suffix.lower() in SUFFIXES:
        return load_targets(candidate)
    if candidate.suffix.lower() in (".docx", ".pdf", ".txt") and candidate.is_file():
        raise TargetFileError(
            f"{candidate.name} is a plan document, not a targets file: read it first with "
            f"'papi-analysis read-plan {candidate.name} --out plan.xlsx', check the rows, then pass plan.xlsx."
        )
    targets = load_targets()
    chosen = targets[targets["plan_id"] == plan]
    if chosen.empty:
        raise TargetFileError(
            f"No plan {shown(plan)}. Known plans: {', '.join(plan_ids(targets))}; "
            "or pass the path of a targets .csv, .yaml or .xlsx file."
        )
    return chosen.reset_index(drop=True)


def written_geography(targets: pd.DataFrame) -> pd.Series:
    """Each target's geography as its plan states it ("63" when the plan says nothing)."""
    if "geography" not in targets.columns:
        return pd.Series("63", index=targets.index)
    return targets["geography"].astype(str).replace("", "63")


def in_geography(chosen: pd.DataFrame, geography: str = "63") -> pd.DataFrame:
    """A plan's targets with ``province_code`` in ``geography``.

    On the 34 geography, targets written for one of the 63 provinces are read as targets for the province it
    became part of on 1 July 2025 (``province`` becomes that name; the name as written stays in
    ``province_as_written``). On the 63 geography, targets for 2025 or later (on the 34 provinces, see
    :func:`load_targets`) are set aside: their count and years are in ``attrs["set_aside_34"]`` (the report says
    so); a plan with nothing else, or with a target written on the 34 provinces for an earlier year, is refused
    (a merged unit has no 63-province counterpart).
    """
    geography = provinces.check_geography(geography)
    out = chosen.copy()
    written = written_geography(out)
    if "geography_as_written" not in out.columns:  # what the plan's stated numbers are about (see check_targets)
        out["geography_as_written"] = written
        out["province_code_as_written"] = out["province_code"]
    if "province_as_written" not in out.columns:
        out["province_as_written"] = out["province"]
    out["province_as_written"] = out["province_as_written"].where(
        out["province_as_written"].astype(str) != "", out["province"]
    )
    set_aside: list[int] = []
    if geography == "63" and (written == "34").any():
        later = (written == "34") & (out["target_year"].astype(int) >= REFORM_YEAR)
        if later.all() or ((written == "34") & ~later).any():
            years = sorted({int(y) for y in out.loc[written == "34", "target_year"]})
            raise TargetFileError(
                f"The plan's targets for {', '.join(map(str, years))} are on the 34 provinces (geography 34: written "
                "so, or a target year from 2025): evaluate it with geography 34 (--geography 34)."
            )
        set_aside = sorted(int(y) for y in out.loc[later, "target_year"])
        out = out[~later].reset_index(drop=True)
        written = written[~later.to_numpy()].reset_index(drop=True)
    if geography == "34":
        old = (written == "63").to_numpy()
        if old.any():
            out.loc[old, "province_code"] = [provinces.successor(int(c)) for c in out.loc[old, "province_code"]]
        out["province"] = [provinces.name(int(c), "vi", geography="34") for c in out["province_code"]]
    out["geography"] = geography
    out.attrs["set_aside_34"] = set_aside
    return out


def set_aside_sentence(chosen: pd.DataFrame, lang: str = "en") -> str:
    """What :func:`in_geography` set aside on the 63 provinces, as one sentence ('' when nothing was)."""
    years = sorted(set(chosen.attrs.get("set_aside_34", [])))
    n = len(chosen.attrs.get("set_aside_34", []))
    if not n:
        return ""
    listed = ", ".join(map(str, years))
    if lang == "en":
        return (
            f"{n} target{'s' if n > 1 else ''} for {listed} {'are' if n > 1 else 'is'} not evaluated here: "
            f"from {REFORM_YEAR} PAPI covers the 34 provinces of 1 July 2025, so {'they are' if n > 1 else 'it is'}"
            " read on that geography (geography 34)."
        )
    return (
        f"{n} mục tiêu cho năm {listed} không được đánh giá ở đây: từ năm {REFORM_YEAR} PAPI khảo sát 34 tỉnh, "
        "thành phố sau ngày 1/7/2025, nên các mục tiêu này được đọc trên địa giới đó (địa giới 34)."
    )


def filter_targets(
    chosen: pd.DataFrame, province: str = "", target_year: int = 0, geography: str = "63"
) -> pd.DataFrame:
    """Narrow a plan's targets (``province_code`` in ``geography``, see :func:`in_geography`) to one province
    and/or target year (empty / 0 = keep all)."""
    from ...params import ParameterError

    out = chosen
    if province:
        try:
            code = provinces.resolve(province, geography=geography)
        except provinces.UnknownProvinceError as err:
            raise ParameterError(str(err)) from None
        out = out[out["province_code"] == code]
        if out.empty:
            raise ParameterError(
                f"The plan has no targets for {provinces.name(code, geography=geography)}; it covers "
                f"{', '.join(sorted(set(chosen['province'])))}."
            )
    if target_year:
        out = out[out["target_year"] == int(target_year)]
        if out.empty and int(target_year) in chosen.attrs.get("set_aside_34", []):
            raise ParameterError(
                f"The plan's targets for {target_year} are on the 34 provinces (PAPI covers them "
                f"from {REFORM_YEAR}): use geography 34."
            )
        if out.empty:
            raise ParameterError(
                f"The plan has no targets for {target_year}; its target years are {sorted(set(chosen['target_year']))}."
            )
    return out.reset_index(drop=True)


def _as_written(targets: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's geography and province code as its plan wrote them (before any reading on the 34)."""
    geography = (
        targets["geography_as_written"].astype(str).replace("", "63")
        if "geography_as_written" in targets.columns
        else written_geography(targets)
    )
    codes = (
        targets["province_code_as_written"]
        if "province_code_as_written" in targets.columns
        else targets["province_code"]
    )
    return geography, codes.astype(int)


def plans_written_for(code: int, geography: str = "63", targets: pd.DataFrame | None = None) -> list[str]:
    """Ids of the plans that belong to the unit ``code`` of ``geography`` (issue 27: a plan belongs to the unit that
    wrote it).

    On the 63: plans with a target written for that province. On the 34: plans whose every target is on the 34
    provinces (a target year from 2025 or geography 34 written) for that unit, i.e. written for it; for a unit whose
    boundaries did not change, also its old province's plans (the same province under the same or a new name). A
    plan of an old province of a merged unit is not the new unit's: it is read for it only when asked for
    (:func:`borrowed_from`)."""
    geography = provinces.check_geography(geography)
    targets = load_targets() if targets is None else targets
    if targets.empty:
        return []
    if geography == "63":
        as_geography, as_code = _as_written(targets)
        mine = targets[(as_geography == "63") & (as_code == int(code)) & (written_geography(targets) == "63")]
        return list(dict.fromkeys(mine["plan_id"]))
    read = in_geography(targets, "34")
    on_34 = (written_geography(targets) == "34").groupby(targets["plan_id"]).transform("all")
    mine = read["province_code"].astype(int).to_numpy() == int(code)
    out = list(dict.fromkeys(targets.loc[mine & on_34.to_numpy(), "plan_id"]))
    unit = provinces.get(int(code), geography="34")
    if not unit.merged:  # the same province: its plans written on the 63 are its own
        out += [p for p in plans_written_for(unit.old_codes[0], "63", targets) if p not in out]
    return out


def latest_plan_for(code: int, geography: str = "63", targets: pd.DataFrame | None = None) -> str | None:
    """The ``plan_id`` with the latest target year among the plans that belong to the province (``code`` in
    ``geography``, :func:`plans_written_for`), or None. On the 34 a merged unit has only the plans written for it
    (from 2025): a plan of one of its old provinces is read for it only when asked for by id or file."""
    geography = provinces.check_geography(geography)
    targets = load_targets() if targets is None else targets
    ids = plans_written_for(code, geography, targets)
    if not ids:
        return None
    mine = targets[targets["plan_id"].isin(ids)]
    return str(mine.sort_values("target_year", kind="stable")["plan_id"].iloc[-1])


def old_province_plans(code: int, targets: pd.DataFrame | None = None) -> dict[str, int]:
    """For a merged unit of the 34: the plans of its old provinces, ``{plan_id: 63-province code}`` (what a user can
    ask for explicitly, e.g. ``--plan quang-nam-2021`` for Đà Nẵng); empty for an unmerged unit."""
    targets = load_targets() if targets is None else targets
    unit = provinces.get(int(code), geography="34")
    if not unit.merged or targets.empty:
        return {}
    as_geography, as_code = _as_written(targets)
    rows = targets[(as_geography == "63") & as_code.isin(unit.old_codes)]
    own = set(plans_written_for(code, "34", targets))
    return {str(p): int(c) for p, c in zip(rows["plan_id"], as_code[rows.index]) if p not in own}


def borrowed_from(chosen: pd.DataFrame, code: int) -> list[int]:
    """The old provinces (63-province codes) whose plan ``chosen`` (read on the 34, :func:`in_geography`) is read
    for the merged unit ``code``: its targets were written by them, before 1 July 2025 or on their names. Empty when
    the plan was written for the unit, or the unit's boundaries did not change. The report then says so in its
    title, and the outcomes are recast estimates, never "actual" (issue 27)."""
    unit = provinces.get(int(code), geography="34")
    if not unit.merged or chosen.empty:
        return []
    rows = chosen[chosen["province_code"].astype(int) == int(code)]
    as_geography, as_code = _as_written(rows)
    return sorted(set(int(c) for c in as_code[(as_geography == "63").to_numpy()] if int(c) in unit.old_codes))


def describe_plans(chosen: pd.DataFrame) -> list[str]:
    """One line per plan and province: id, province, number of targets, target years, document."""
    lines = []
    for (plan_id, name), group in chosen.groupby(["plan_id", "province"]):
        years = ", ".join(str(int(y)) for y in sorted(group["target_year"].unique()))
        lines.append(f"{plan_id}: {name}, {len(group)} targets, target year(s) {years}")
        if group["plan_document"].iloc[0]:
            lines.append(f"  {group['plan_document'].iloc[0]}")
    return lines
