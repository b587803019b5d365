"""Rows read from a plan document against rows written by hand, field by field: found, missed, wrong.

A hand-made row is *found* when a row read has the same indicator (component), kind and target year as written
("2023+"); several candidates are told apart by their value. Each field is then ``same``, ``missing`` (the reader
left it empty), ``extra`` (the reader filled what the hand-made row leaves empty) or ``wrong`` (both filled,
different). Numbers are compared as numbers ("5.3" = "5.30"), a rank as written, a date by its common part ("2022-07"
and "2022-07-27"), a quote by its parts: each part of the hand-made quote (parts are joined by " … ") must be inside
the quote read, markup and spacing aside. A hand-made row whose note says how it was read ("read as", "reading",
"literally", "any increase") is an ambiguity; it is *flagged* when its row read has a confidence below high and says
how it was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

NUMERIC = ("target_value", "baseline_stated", "planned_change_stated", "max_stated", "baseline_year")
PAPI_FIELDS = (
    "province",
    "baseline_year",
    "target_year",
    "indicator",
    "kind",
    "target_value",
    "baseline_stated",
    "baseline_rank_stated",
    "planned_change_stated",
    "plan_date",
    "source_file",
    "quote",
)
INDEX_FIELDS = (
    "province",
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
    "plan_date",
    "source_file",
    "quote",
)
NUMBER_FIELDS = set(NUMERIC) | {"target_year", "baseline_rank_stated"}
_AMBIGUOUS = re.compile(r"read as|reading|literally|any increase", re.IGNORECASE)


@dataclass
class Comparison:
    """One plan, one format: hand-made rows found and missed, fields wrong, rows read that no hand-made row has."""

    found: int = 0
    expected: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # (target_id, field, hand-made, read)
    missing: list[tuple[str, str]] = field(default_factory=list)
    extra_fields: list[tuple[str, str]] = field(default_factory=list)
    extra_rows: list[str] = field(default_factory=list)
    ambiguous: int = 0
    flagged: int = 0

    @property
    def wrong_numbers(self) -> int:
        return sum(1 for w in self.wrong if w[1] in NUMBER_FIELDS)

    def add(self, other: Comparison) -> Comparison:
        self.found += other.found
        self.expected += other.expected
        self.missed += other.missed
        self.wrong += other.wrong
        self.missing += other.missing
        self.extra_fields += other.extra_fields
        self.extra_rows += other.extra_rows
        self.ambiguous += other.ambiguous
        self.flagged += other.flagged
        return self


def normalise(text: str) -> str:
    return " ".join(re.sub(r"</?[a-zA-Z]{1,6}>|\*\*", " ", str(text)).split())


def _number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", ".").strip())
    except ValueError:
        return None


def _status(name: str, expected: str, read: str) -> str:
    expected, read = str(expected).strip(), str(read).strip()
    if not expected and not read:
        return "same"
    if not read:
        return "missing"
    if not expected:
        return "extra"
    if name == "quote":
        mine = normalise(read)
        return "same" if all(normalise(part) in mine for part in expected.split(" … ")) else "wrong"
    if name == "plan_date":
        return "same" if read.startswith(expected) or expected.startswith(read) else "wrong"
    a, b = _number(expected), _number(read)
    if name in NUMERIC and a is not None and b is not None:
        return "same" if abs(a - b) < 1e-9 else "wrong"
    return "same" if expected == read else "wrong"


def compare_rows(
    expected: pd.DataFrame, read: pd.DataFrame, key: tuple[str, ...], fields: tuple[str, ...]
) -> Comparison:
    """Hand-made rows (``expected``, as written) against rows read, matched on ``key`` then the value."""
    out = Comparison(expected=len(expected))
    used: set[int] = set()
    matched: dict[str, str] = {}  # hand-made target_id -> target_id read
    for _, row in expected.iterrows():
        candidates = [
            i
            for i, r in read.iterrows()
            if i not in used and all(str(r[k]).strip() == str(row[k]).strip() for k in key)
        ]
        same_value = [
            i for i in candidates if _status("target_value", row["target_value"], read.loc[i, "target_value"]) == "same"
        ]
        chosen = (same_value or candidates or [None])[0]
        tid = str(row["target_id"])
        if chosen is None:
            out.missed.append(tid)
            continue
        used.add(chosen)
        out.found += 1
        matched[tid] = str(read.loc[chosen, "target_id"])
    for _, row in expected.iterrows():
        tid = str(row["target_id"])
        if tid not in matched:
            continue
        mine = read.set_index("target_id").loc[matched[tid]]
        for name in fields:
            if name == "same_as" and str(row.get(name, "")).strip() in matched:
                row = row.copy()
                row[name] = matched[str(row[name]).strip()]  # the same row, under the id the reader gave it
            status = _status(name, row.get(name, ""), mine.get(name, ""))
            if status == "wrong":
                out.wrong.append((tid, name, str(row.get(name, "")), str(mine.get(name, ""))))
            elif status == "missing":
                out.missing.append((tid, name))
            elif status == "extra":
                out.extra_fields.append((tid, name))
        if _AMBIGUOUS.search(str(row.get("note", ""))):
            out.ambiguous += 1
            out.flagged += bool(mine.get("confidence", "high") != "high" and str(mine.get("reading", "")).strip())
    out.extra_rows = [str(read.loc[i, "target_id"]) for i in read.index if i not in used]
    return out


def compare_plan(reading, hand_made: pd.DataFrame, hand_made_index: pd.DataFrame) -> Comparison:
    """A :class:`~.reading.PlanReading` against the hand-made rows of the same plan (PAPI and PAR INDEX/SIPAS)."""
    papi = compare_rows(
        hand_made, reading.rows.reset_index(drop=True), ("indicator", "kind", "target_year"), PAPI_FIELDS
    )
    index = compare_rows(
        hand_made_index, reading.index_rows.reset_index(drop=True), ("index", "component", "kind"), INDEX_FIELDS
    )
    return papi.add(index)
