"""A target as read from a sentence or a table row, before it becomes a row of the plan schema.

Every doubt is recorded where it arises (:meth:`Candidate.doubt`): the reason in words, the fields it touches (the
review workbook highlights them) and a confidence that only goes down. A wrong number is worse than a missed row, so
a doubt about a number never guesses: it lowers the confidence and says why, or the statement is listed as not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("high", "medium", "low")


@dataclass
class Candidate:
    index: str  # papi, par_index, sipas
    indicator: str  # D1-D8 or total (PAPI); total, F1-F8, F2.implementation ... (PAR INDEX); total (SIPAS)
    kind: str
    quote: str
    where: str
    order: int  # position in the document (sorts rows as the document has them)
    value: str = ""
    maximum: str = ""
    change: str = ""
    baseline: str = ""
    rank: str = ""
    target_year: int | None = None
    following: bool = False
    baseline_year: int | None = None
    confidence: str = "high"
    readings: list[str] = field(default_factory=list)
    other_reading: str = ""
    uncertain: set[str] = field(default_factory=set)
    result: bool = False  # a published figure the plan quotes (a baseline), not a target
    vague: bool = False  # a general aim ("nâng cao Chỉ số PAPI") read as a change of at least 0
    second: bool = False  # the second reading of a sentence that allows two
    from_table: bool = False
    same_as: Candidate | str = ""  # the candidate this row repeats (a SIPAS row read twice), or ""

    def doubt(self, level: str, reason: str, *fields: str) -> Candidate:
        """Lower the confidence to ``level`` (never raise it), say why, mark the fields to check."""
        if LEVELS.index(level) > LEVELS.index(self.confidence):
            self.confidence = level
        if reason and reason not in self.readings:
            self.readings.append(reason)
        self.uncertain.update(fields)
        return self

    @property
    def years(self) -> tuple[int | None, bool]:
        return self.target_year, self.following


@dataclass
class NotRead:
    """A sentence that looks like a target but became no row, and why."""

    quote: str
    where: str
    reason: str
    order: int
