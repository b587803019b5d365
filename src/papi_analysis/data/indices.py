"""Index-agnostic data model: PAR INDEX, SIPAS and PAPI as components with maximum points.

An *index* is a tree of components: a total, its fields (PAR INDEX) or dimensions
(PAPI), and optional sub-parts (PAR INDEX's "Điểm thực hiện" / "Điều tra XHH").
Each component has a maximum; a parent's score is the sum of its parts' scores.

National tables (PAR INDEX, SIPAS, or PAPI itself) are read from one CSV layout,
one row per (year, province, component)::

    year,province,component,score,max,rank[,se]
    2022,Cao Bằng,total,77.55,100,62
    2022,Cao Bằng,F1,7.97,9.5,53
    2022,Cao Bằng,F2,9.11,10,40
    2022,Cao Bằng,F2.implementation,6,6,
    ...

``score`` and ``rank`` may be empty (missing stays missing); ``max`` is required
(maxima change between years, so each row carries its own). ``province`` is any
name or alias the province registry resolves, or a GSO code. :func:`read_index_table`
validates the file (known components, score between 0 and max, one row per key;
parts' maxima not above their parent's, and where they equal it, i.e. all parts are
listed, parts' scores summing to the parent's) and names file and line of
the first problem. :func:`to_panel` turns a table into the tidy panel shape the
target engine consumes (``dimension`` = component); :func:`from_panel` goes back.

Units: points on each component's own scale (PAR INDEX out of 100 in total;
SIPAS out of 10 or in percent, as the table states through ``max``; PAPI
dimensions 1-10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import provinces, schema

TABLE_COLUMNS: list[str] = ["year", "province", "component", "score", "max", "rank", "se"]
REQUIRED_TABLE_COLUMNS: list[str] = ["year", "province", "component", "score", "max"]
#: Columns of the tidy panel shape (the PAPI panel's own)
PANEL_COLUMNS: list[str] = schema.PANEL_COLUMNS


class IndexTableError(ValueError):
    """A national index table that cannot be used as written (the message names file and line)."""


@dataclass(frozen=True)
class Component:
    """One scored part of an index. ``max_points`` is the usual maximum (None when it varies by year);
    a table row's own ``max`` always wins."""

    code: str
    name_vi: str
    name_en: str
    max_points: float | None = None
    parent: str | None = None

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en


@dataclass(frozen=True)
class IndexSpec:
    """An index: its components (first the total), how its name reads and how close parts must sum."""

    code: str
    name_vi: str
    name_en: str
    components: tuple[Component, ...]
    #: points; how far the sum of parts may be from their parent (rounding of published figures)
    sum_tolerance: float = 0.011

    @property
    def total(self) -> str:
        return self.components[0].code

    def component(self, code: str) -> Component:
        for c in self.components:
            if c.code == code:
                return c
        raise KeyError(code)

    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.components)

    def parts_of(self, code: str) -> tuple[str, ...]:
        return tuple(c.code for c in self.components if c.parent == code)

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def methodology_period(self, year: int) -> str:
        """Label of the methodology period of ``year`` (PAPI's from data/schema.py; others unknown: '')."""
        if self.code == "papi":
            return schema.period_of(int(year)).label
        return ""


def _field(n: int, vi: str, en: str, max_points: float) -> Component:
    return Component(f"F{n}", vi, en, max_points, parent="total")


def _parts(n: int, implementation: float, survey: float) -> tuple[Component, Component]:
    return (
        Component(f"F{n}.implementation", "Điểm thực hiện", "Implementation score", implementation, f"F{n}"),
        Component(f"F{n}.survey", "Điều tra XHH", "Sociological survey", survey, f"F{n}"),
    )


#: PAR INDEX (Chỉ số CCHC, Ministry of Home Affairs) with the 8 fields and maxima of the 2022 criteria
#: as the Cao Bằng 2023 plan states them (column "Điểm theo Bộ tiêu chí"; they sum to 100).
PAR_INDEX = IndexSpec(
    "par_index",
    "Chỉ số cải cách hành chính (PAR INDEX)",
    "Public Administration Reform Index (PAR INDEX)",
    (
        Component("total", "Chỉ số PAR INDEX", "PAR INDEX", 100.0),
        _field(1, "Công tác chỉ đạo, điều hành CCHC", "Direction and management of reform", 9.5),
        _field(2, "Cải cách thể chế", "Institutional reform", 10.0),
        *_parts(2, 6.0, 4.0),
        _field(3, "Cải cách TTHC", "Administrative procedure reform", 13.0),
        _field(4, "Cải cách tổ chức bộ máy hành chính", "Reform of the administrative apparatus", 10.5),
        *_parts(4, 6.5, 4.0),
        _field(5, "Cải cách chế độ công vụ", "Civil service reform", 15.0),
        *_parts(5, 6.0, 9.0),
        _field(6, "Cải cách tài chính công", "Public finance reform", 12.0),
        *_parts(6, 8.0, 4.0),
        _field(
            7, "Xây dựng, phát triển chính quyền điện tử, chính quyền số", "E-government and digital government", 13.5
        ),
        *_parts(7, 12.5, 1.0),
        _field(
            8,
            "Tác động của CCHC đến sự hài lòng của người dân, tổ chức và phát triển kinh tế - xã hội",
            "Impact of reform on satisfaction and socio-economic development",
            16.5,
        ),
        Component("F8.sipas", "Chỉ số SIPAS", "SIPAS (satisfaction index)", 10.0, "F8"),
        Component(
            "F8.socioeconomic",
            "Tác động đến phát triển kinh tế - xã hội",
            "Impact on socio-economic development",
            6.5,
            "F8",
        ),
    ),
)

#: SIPAS (Chỉ số hài lòng về sự phục vụ hành chính): one score, out of 10 or in percent (the row's max says which).
SIPAS = IndexSpec(
    "sipas",
    "Chỉ số hài lòng của người dân, tổ chức (SIPAS)",
    "Satisfaction Index of Public Administrative Services (SIPAS)",
    (Component("total", "Chỉ số SIPAS", "SIPAS", None),),
)

#: PAPI as one more instance: dimensions 1-10 summing to the unweighted total (6 or 8 dimensions by year).
PAPI = IndexSpec(
    "papi",
    "Chỉ số PAPI",
    "PAPI",
    (Component(schema.TOTAL, schema.DIMENSION_NAMES[schema.TOTAL]["vi"], schema.DIMENSION_NAMES[schema.TOTAL]["en"]),)
    + tuple(
        Component(
            d,
            schema.DIMENSION_NAMES[d]["vi"],
            schema.DIMENSION_NAMES[d]["en"],
            schema.DIMENSION_SCORE_RANGE[1],
            schema.TOTAL,
        )
        for d in schema.DIMENSIONS
    ),
    sum_tolerance=1e-3,  # the PAPI sources store float32 values (as data/panel.py)
)

INDICES: dict[str, IndexSpec] = {spec.code: spec for spec in (PAR_INDEX, SIPAS, PAPI)}


def get_index(index: str | IndexSpec) -> IndexSpec:
    """An index by code (``par_index``, ``sipas``, ``papi``) or the spec itself."""
    if isinstance(index, IndexSpec):
        return index
    if index not in INDICES:
        raise ValueError(f"Unknown index {index!r}; choose from {', '.join(INDICES)}.")
    return INDICES[index]


def parse_number(text: object, where: str, column: str, allow_empty: bool = True) -> float:
    """A number as plans and tables write it ('7,43', '+ 0,39', '≥ 8,97'); NaN for an empty cell."""
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    cleaned = raw.strip().replace(",", ".").replace(" ", "").lstrip("≥+")
    if not cleaned:
        if allow_empty:
            return math.nan
        raise IndexTableError(f"{where}: {column} is required.")
    try:
        return float(cleaned)
    except ValueError:
        raise IndexTableError(f"{where}: {column} must be a number, got {raw!r}.") from None


# --------------------------------------------------------------------------- national tables


def read_index_table(path: str | Path, index: str | IndexSpec) -> pd.DataFrame:
    """A national table in the documented layout, validated; adds ``province_code`` and ``line``.

    Raises :class:`IndexTableError` naming the file and line of the first problem.
    """
    spec = get_index(index)
    path = Path(path)
    if not path.exists():
        raise IndexTableError(f"{path} does not exist.")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED_TABLE_COLUMNS if c not in raw.columns]
    if missing:
        raise IndexTableError(
            f"{path.name}: missing column(s) {missing}; the layout is "
            f"{', '.join(TABLE_COLUMNS)} (rank and se optional). See data/raw/targets/INDEX_TARGETS.md."
        )
    unknown_columns = [c for c in raw.columns if c not in TABLE_COLUMNS]
    if unknown_columns:
        raise IndexTableError(
            f"{path.name}: unknown column(s) {unknown_columns}; the layout is {', '.join(TABLE_COLUMNS)}."
        )
    rows = []
    for i, row in raw.iterrows():
        where = f"{path.name}, line {i + 2}"
        rows.append(_table_row(row, where, spec, line=i + 2))
    table = pd.DataFrame(
        rows, columns=["year", "province_code", "province", "component", "score", "max", "rank", "se", "line"]
    )
    table["rank"] = table["rank"].astype("Int64")
    validate_index_table(table, spec, source=path.name)
    return table


def _table_row(row: pd.Series, where: str, spec: IndexSpec, line: int) -> dict:
    try:
        year = int(str(row["year"]).strip())
    except ValueError:
        raise IndexTableError(f"{where}: year must be a whole number, got {row['year']!r}.") from None
    label = str(row["province"]).strip()
    try:
        code = provinces.resolve(int(label) if label.isdigit() else label)
    except provinces.UnknownProvinceError as err:
        raise IndexTableError(f"{where}: {err}") from None
    component = str(row["component"]).strip()
    if component not in spec.codes():
        raise IndexTableError(
            f"{where}: component {component!r} is not part of {spec.code}; choose from {', '.join(spec.codes())}."
        )
    score = parse_number(row["score"], where, "score")
    maximum = parse_number(row["max"], where, "max", allow_empty=False)
    if maximum <= 0:
        raise IndexTableError(f"{where}: max must be positive, got {row['max']!r}.")
    if not math.isnan(score) and not 0 <= score <= maximum + 1e-9:
        raise IndexTableError(f"{where}: score {score:g} is outside 0-{maximum:g} (its max).")
    rank_text = str(row.get("rank", "")).strip()
    rank = pd.NA
    if rank_text:
        rank_value = parse_number(rank_text.split("/")[0], where, "rank")
        if rank_value != int(rank_value) or rank_value < 1:
            raise IndexTableError(f"{where}: rank must be a whole number from 1, got {rank_text!r}.")
        rank = int(rank_value)
    se = parse_number(row.get("se", ""), where, "se")
    if not math.isnan(se) and se < 0:
        raise IndexTableError(f"{where}: se must not be negative, got {se:g}.")
    return dict(
        year=year,
        province_code=code,
        province=provinces.name(code),
        component=component,
        score=score,
        max=maximum,
        rank=rank,
        se=se,
        line=line,
    )


def validate_index_table(table: pd.DataFrame, index: str | IndexSpec, source: str = "table") -> None:
    """Raise :class:`IndexTableError` if keys repeat or parts do not add up to their parent (scores and maxima)."""
    spec = get_index(index)
    line = table["line"] if "line" in table.columns else pd.Series(np.arange(len(table)) + 2, index=table.index)
    dup = table[table.duplicated(["year", "province_code", "component"], keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        lines = line[dup.index][
            (dup["year"] == first["year"])
            & (dup["province_code"] == first["province_code"])
            & (dup["component"] == first["component"])
        ].tolist()
        raise IndexTableError(
            f"{source}, lines {', '.join(map(str, lines))}: {first['year']} {first['province']} "
            f"{first['component']} appears more than once."
        )
    keyed = table.assign(_line=line).set_index(["year", "province_code", "component"])
    for parent in spec.codes():
        parts = spec.parts_of(parent)
        if not parts:
            continue
        for (year, _code), group in keyed.groupby(level=[0, 1]):
            group = group.droplevel([0, 1])
            if parent not in group.index:
                continue
            present = [p for p in parts if p in group.index]
            if not present:
                continue
            head = group.loc[parent]
            where = f"{source}, line {int(head['_line'])}"
            max_sum = float(group.loc[present, "max"].sum())
            tolerance = spec.sum_tolerance * len(present)
            if max_sum > float(head["max"]) + tolerance:
                raise IndexTableError(
                    f"{where}: {year} {head['province']} {parent} has max {head['max']:g} but its "
                    f"parts {', '.join(present)} have maxima summing to {max_sum:g}."
                )
            if max_sum < float(head["max"]) - tolerance:
                continue  # the maxima show that some parts are not in the table: their scores cannot be summed
            scores = group.loc[present, "score"]
            if pd.isna(head["score"]) or scores.isna().any():
                continue  # missing stays missing: no sum to check
            total = float(scores.sum())
            if abs(total - float(head["score"])) > spec.sum_tolerance * len(present):
                raise IndexTableError(
                    f"{where}: {year} {head['province']} {parent} = {head['score']:g}, but its parts "
                    f"{', '.join(present)} sum to {total:.4f}."
                )


def write_index_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table in the documented layout (province as its Vietnamese name; missing as empty cells)."""
    path = Path(path)
    out = table.copy()
    out["province"] = out["province_code"].map(lambda c: provinces.name(int(c)))
    out = out[[c for c in TABLE_COLUMNS if c in out.columns]]
    out.to_csv(path, index=False, float_format=None)
    return path


# --------------------------------------------------------------------------- panel shape


def to_panel(table: pd.DataFrame, index: str | IndexSpec) -> pd.DataFrame:
    """The tidy panel shape the target engine consumes: one row per (year, province_code, dimension),
    ``dimension`` = component code, scores in the table's points, sorted in the index's component order
    (parts after the total for PAPI, as data/panel.py orders it)."""
    spec = get_index(index)
    order = {c: i for i, c in enumerate(_panel_order(spec))}
    out = pd.DataFrame(
        {
            "year": table["year"].astype("int64"),
            "province_code": table["province_code"].astype("int64"),
            "province": table["province_code"].map(lambda c: provinces.name(int(c))).astype("str"),
            "dimension": table["component"].astype("str"),
            "score": table["score"].astype("float64"),
            "se": table["se"].astype("float64") if "se" in table.columns else np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n_respondents": pd.array([pd.NA] * len(table), dtype="Int64"),
        }
    )
    out["uncertainty_source"] = np.where(out["se"].notna(), "se from the index table", "")
    out["score_source"] = np.where(out["score"].notna(), f"{spec.code} table", "")
    out["missing_reason"] = np.where(out["score"].isna(), "missing in the index table", "")
    out["methodology_period"] = out["year"].map(spec.methodology_period).astype("str")
    top = [c.code for c in spec.components if c.parent == spec.total]
    counts = out[out["dimension"].isin(top)].groupby("year")["dimension"].nunique()
    out["n_dimensions"] = out["year"].map(counts).fillna(0).astype("int64")
    for column in ("uncertainty_source", "score_source", "missing_reason"):
        out[column] = out[column].astype("str")
    out = out.assign(_order=out["dimension"].map(order)).sort_values(["year", "province_code", "_order"], kind="stable")
    return out[PANEL_COLUMNS].reset_index(drop=True)


def _panel_order(spec: IndexSpec) -> list[str]:
    if spec.code == "papi":
        return list(schema.INDICATORS)  # dimensions first, then the total, as the PAPI panel
    return list(spec.codes())


def from_panel(panel: pd.DataFrame, index: str | IndexSpec) -> pd.DataFrame:
    """A panel (e.g. the PAPI panel) as an index table: rank computed within (year, component) among
    provinces with data (1 = best, ties share the best rank); max from the spec or, for a total
    without a fixed maximum, the sum of its parts' maxima that year."""
    spec = get_index(index)
    table = panel[["year", "province_code", "dimension", "score", "se"]].rename(columns={"dimension": "component"})
    unknown = sorted(set(table["component"]) - set(spec.codes()))
    if unknown:
        raise IndexTableError(f"panel has component(s) {unknown} that are not part of {spec.code}.")
    table = table.copy()
    table["province"] = table["province_code"].map(lambda c: provinces.name(int(c)))
    fixed = {c.code: c.max_points for c in spec.components}
    table["max"] = table["component"].map(fixed).astype("float64")
    for parent in spec.codes():
        parts = spec.parts_of(parent)
        if fixed[parent] is None and parts:
            per_year = table[table["component"].isin(parts)].groupby(["year", "province_code"])["max"].sum()
            mask = table["component"] == parent
            keys = pd.MultiIndex.from_frame(table.loc[mask, ["year", "province_code"]])
            table.loc[mask, "max"] = per_year.reindex(keys).to_numpy()
    table["rank"] = table.groupby(["year", "component"])["score"].rank(ascending=False, method="min").astype("Int64")
    return table[["year", "province_code", "province", "component", "score", "max", "rank", "se"]].reset_index(
        drop=True
    )
