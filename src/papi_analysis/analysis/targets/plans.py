"""Targets as data: reading, validating and selecting provincial PAPI targets (schema in data/raw/targets/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ... import config
from ...data import provinces, schema
from .. import ranking

#: rules that pick dimensions from the published baseline: in the lowest or low-average group; fell last year
RULES: tuple[str, ...] = ("low_groups", "fell_last_year")
KINDS: tuple[str, ...] = (
    "score_at_least",
    "change_at_least",
    "group_at_least",
    "rank_at_most",
    "improve_score_and_rank",
    "rank_gain_at_least",
    "not_in_group",
    "all_up",
    "other_index",
)
TARGET_COLUMNS: list[str] = [
    "plan_id",
    "target_id",
    "province",
    "plan_document",
    "plan_date",
    "source_file",
    "baseline_year",
    "target_year",
    "indicator",
    "kind",
    "target_value",
    "baseline_stated",
    "baseline_rank_stated",
    "planned_change_stated",
    "quote",
    "note",
    "geography",
]
REQUIRED_COLUMNS: list[str] = ["plan_id", "province", "baseline_year", "target_year", "indicator", "kind"]
GROUP_ORDER: dict[str, int] = {g: i for i, g in enumerate(ranking.GROUPS)}  # 0 = highest
TARGETS_DIR: Path = config.DATA_RAW / "targets"
#: the last year PAPI surveyed the 63 provinces; from REFORM_YEAR on it covers the 34 provinces of 1 July 2025
LAST_PUBLISHED_YEAR = 2024
REFORM_YEAR = 2025


#: how a group is written, with the plans' Vietnamese words (for error messages)
_GROUP_NAMES = (
    "highest (nhóm cao nhất), high_average (nhóm trung bình cao), low_average (nhóm trung bình thấp), "
    "lowest (nhóm thấp nhất)"
)


class TargetFileError(ValueError):
    """A targets file that cannot be used as written."""


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Targets from a CSV or YAML file (default: every file in ``data/raw/targets/``), validated.

    Adds ``province_code``. Raises :class:`TargetFileError` naming the file and
    row of the first problem found.
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
            f"target_id {dup.iloc[0]['target_id']!r} appears twice in plan {dup.iloc[0]['plan_id']!r}."
        )
    return targets


def _read_target_file(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise TargetFileError(f"{path} does not exist.")
    if path.suffix == ".csv":
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            raise TargetFileError(
                f"{path}: the file is empty; a targets CSV needs a header row and one row "
                "per target (see data/raw/targets/README.md)."
            ) from None
        except pd.errors.ParserError as err:
            raise TargetFileError(f"{path}: not a readable CSV file ({err}).") from None
        first_line = 2
    elif path.suffix in {".yaml", ".yml"}:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(err, "problem", None) or str(err)
            raise TargetFileError(f"{path}{where}: not valid YAML ({problem}).") from None
        rows = data.get("targets") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise TargetFileError(f"{path}: expected a list of targets (or a mapping with a 'targets' list).")
        defaults = {k: v for k, v in data.items() if k != "targets"} if isinstance(data, dict) else {}
        raw = pd.DataFrame([{**defaults, **r} for r in rows]).astype(str).replace({"None": "", "nan": ""})
        first_line = 1
    else:
        raise TargetFileError(f"{path}: targets files are .csv or .yaml.")
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise TargetFileError(f"{path}: missing column(s) {missing}. See data/raw/targets/README.md for the schema.")
    for column in TARGET_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    rows, codes = [], []
    for i, row in raw[TARGET_COLUMNS].iterrows():
        where = f"{path.name}, {'line' if path.suffix == '.csv' else 'target'} {i + first_line}"
        if not row["target_id"]:
            row["target_id"] = f"{row['indicator']}-{row['kind']}"
        defaulted = not str(row["geography"]).strip()
        for expanded in _expand_row(row, where):
            code = _validate_target_row(expanded, where, mapped_ok=defaulted)
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
    out = pd.DataFrame(
        rows, columns=TARGET_COLUMNS + list(EXPANSION_COLUMNS) + ["geography_as_written", "province_code_as_written"]
    )
    out.insert(3, "province_code", codes)
    out["baseline_year"] = out["baseline_year"].astype(int)
    out["target_year"] = out["target_year"].astype(int)
    out["province_code_as_written"] = out["province_code_as_written"].astype(int)
    out["source"] = path.name
    return out


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
            f'"and following years" (2023+, as in "năm 2023 và các năm tiếp theo"), got {text!r}. '
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


def _expand_row(row: pd.Series, where: str) -> list[pd.Series]:
    """One row per target year, each with its geography.

    ``target_year`` ``2023+`` becomes one row per year from 2023 to the last published year, plus one row for the
    first year not yet published (a forecast, ``target_year - baseline_year`` years ahead); each keeps the quote and
    names the row it came from (``target_id`` ``<id>-<year>``, ``expanded_from``, a note). Every year is compared
    with the plan's ``baseline_year``, as written. Geography: as written; when empty, 63 for target years up to 2024
    and 34 from 2025 (PAPI publishes the provinces since 1 July 2025). Written 63, the years end with 2024.
    """
    first, following = parse_target_year(row["target_year"], where)
    written = str(row["geography"]).strip()
    if written and written not in provinces.GEOGRAPHIES:
        raise TargetFileError(
            f"{where}: geography is 63 (the provinces before 1 July 2025) or 34 (since then), got {written!r}."
        )
    if written == "63" and first >= REFORM_YEAR:
        raise TargetFileError(
            f"{where}: geography 63 with target year {first}: the 63 provinces were last surveyed in "
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


def _resolves(name: str, geography: str) -> bool:
    try:
        provinces.resolve(name, geography=geography)
        return True
    except provinces.UnknownProvinceError:
        return False


def _validate_target_row(row: pd.Series, where: str, mapped_ok: bool = False) -> int:
    """The row's ``province_code`` in its geography, or :class:`TargetFileError` naming what is wrong. With
    ``mapped_ok`` (a geography taken from the target year, not written), a province of the 63 read on the 34 is
    the unit it became part of."""
    geography = str(row.get("geography", "") or "63").strip()
    if geography not in provinces.GEOGRAPHIES:
        raise TargetFileError(
            f"{where}: geography is 63 (the provinces before 1 July 2025) or 34 (since then), got {geography!r}."
        )
    try:
        code = provinces.resolve(row["province"], geography=geography)
    except provinces.UnknownProvinceError as err:
        if not (mapped_ok and geography == "34" and _resolves(row["province"], "63")):
            raise TargetFileError(f"{where}: {err}") from None
        code = provinces.successor(provinces.resolve(row["province"], geography="63"))
    try:
        baseline_year, target_year = int(row["baseline_year"]), int(row["target_year"])
    except ValueError:
        raise TargetFileError(
            f"{where}: baseline_year and target_year must be years, got "
            f"{row['baseline_year']!r} and {row['target_year']!r}."
        ) from None
    if not 2011 <= baseline_year < target_year <= 2035:
        raise TargetFileError(
            f"{where}: need 2011 <= baseline_year < target_year, got {baseline_year} and {target_year}."
        )
    if row["kind"] == "all_up":
        named = (
            []
            if str(row["indicator"]).strip().lower() == "all"
            else [d.strip() for d in str(row["indicator"]).split(",")]
        )
        scored = schema.dimensions_in(min(target_year, LAST_PUBLISHED_YEAR))
        if any(d not in scored for d in named) or (not named and str(row["indicator"]).strip().lower() != "all"):
            raise TargetFileError(
                f"{where}: an all_up target names 'all' or dimensions scored in {target_year} "
                f"separated by commas ({','.join(scored)}), got {row['indicator']!r}."
            )
        if str(row["target_value"]).strip():
            _number(row["target_value"], where, "target_value")
        return code
    if row["kind"] == "other_index":
        if not str(row["indicator"]).strip():
            raise TargetFileError(f"{where}: an other_index target names the index in indicator (e.g. PAR INDEX).")
        return code
    if str(row["indicator"]).startswith("rule:"):
        if row["indicator"][5:] not in RULES:
            raise TargetFileError(
                f"{where}: a rule is one of {', '.join('rule:' + r for r in RULES)}, got {row['indicator']!r}."
            )
        if row["kind"] not in (
            "score_at_least",
            "change_at_least",
            "group_at_least",
            "not_in_group",
            "rank_at_most",
            "rank_gain_at_least",
            "improve_score_and_rank",
        ):
            raise TargetFileError(f"{where}: a rule picks dimensions for a per-dimension kind, not {row['kind']!r}.")
    elif row["indicator"] not in schema.INDICATORS:
        raise TargetFileError(
            f"{where}: indicator must be one of {', '.join(schema.INDICATORS)}, got {row['indicator']!r}."
        )
    elif row["indicator"] not in schema.dimensions_in(min(target_year, LAST_PUBLISHED_YEAR)) + (schema.TOTAL,):
        raise TargetFileError(f"{where}: {row['indicator']} is not scored in {target_year}.")
    kind, value = row["kind"], str(row["target_value"]).strip()
    n_units = int(geography)  # ranks run 1-63 or 1-34
    if kind not in KINDS:
        raise TargetFileError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}.")
    if kind in ("score_at_least", "change_at_least"):
        number = _number(value, where, "target_value")
        if kind == "score_at_least":
            lo, hi = _score_range(row["indicator"], target_year)
            if not lo <= number <= hi:
                raise TargetFileError(
                    f"{where}: target {number} is outside the {row['indicator']} range {lo:g}-{hi:g}."
                )
    elif kind == "group_at_least" and value not in ranking.GROUPS:
        raise TargetFileError(f"{where}: a group target is one of {_GROUP_NAMES}, got {value!r}.")
    elif kind == "rank_at_most":
        number = _number(value, where, "target_value")
        if number != int(number) or not 1 <= number <= n_units:
            raise TargetFileError(
                f"{where}: a rank target on the {geography} provinces is a whole number 1-{n_units} "
                f'("top 10" is 10), got {value!r}.'
            )
    elif kind == "rank_gain_at_least" and value:
        number = _number(value, where, "target_value")
        if number != int(number) or not 1 <= number <= n_units - 1:
            raise TargetFileError(
                f"{where}: a rank gain is a whole number of places 1-{n_units - 1} (empty = 1), got {value!r}."
            )
    elif kind == "not_in_group" and value not in ranking.GROUPS:
        raise TargetFileError(f"{where}: not_in_group names one of {_GROUP_NAMES}, got {value!r}.")
    elif kind == "improve_score_and_rank" and value:
        raise TargetFileError(f"{where}: improve_score_and_rank takes no target_value, got {value!r}.")
    for column in ("baseline_stated", "planned_change_stated"):
        if str(row[column]).strip():
            _number(row[column], where, column)
    return code


def _number(text: str, where: str, column: str) -> float:
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        raise TargetFileError(f"{where}: {column} must be a number, got {text!r}.") from None


def _score_range(indicator: str, year: int) -> tuple[float, float]:
    if indicator == schema.TOTAL:
        return schema.period_of(min(year, LAST_PUBLISHED_YEAR)).total_range
    return schema.DIMENSION_SCORE_RANGE


def plan_ids(targets: pd.DataFrame | None = None) -> list[str]:
    targets = load_targets() if targets is None else targets
    return sorted(targets["plan_id"].unique())


def select_plan(plan: str) -> pd.DataFrame:
    """The targets of one seed plan (by ``plan_id``) or of a user's targets file (by path)."""
    candidate = Path(plan)
    if candidate.suffix in {".csv", ".yaml", ".yml"}:
        return load_targets(candidate)
    targets = load_targets()
    chosen = targets[targets["plan_id"] == plan]
    if chosen.empty:
        raise TargetFileError(
            f"No plan {plan!r}. Known plans: {', '.join(plan_ids(targets))}; "
            "or pass the path of a targets .csv/.yaml file."
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


def latest_plan_for(code: int, geography: str = "63", targets: pd.DataFrame | None = None) -> str | None:
    """The ``plan_id`` with the latest target year for a province (``code`` in ``geography``), or None.

    ``province_code`` is a code within each row's own geography (a 2025 row of a 63-province plan carries the
    34-province code of the unit it is read for, and codes overlap: 48 is Đà Nẵng in both), so rows are compared
    on ``geography`` first. On the 34, a plan of any of the unit's old provinces counts."""
    geography = provinces.check_geography(geography)
    targets = load_targets() if targets is None else targets
    if geography == "34":
        mine = targets.loc[[int(c) == int(code) for c in in_geography(targets, "34")["province_code"]]]
    else:
        written = written_geography(targets)
        mine = targets[(written == "63") & (targets["province_code"].astype(int) == int(code))]
    return None if mine.empty else str(mine.sort_values("target_year", kind="stable")["plan_id"].iloc[-1])


def describe_plans(chosen: pd.DataFrame) -> list[str]:
    """One line per plan and province: id, province, number of targets, target years, document."""
    lines = []
    for (plan_id, name), group in chosen.groupby(["plan_id", "province"]):
        years = ", ".join(str(int(y)) for y in sorted(group["target_year"].unique()))
        lines.append(f"{plan_id}: {name}, {len(group)} targets, target year(s) {years}")
        if group["plan_document"].iloc[0]:
            lines.append(f"  {group['plan_document'].iloc[0]}")
    return lines
