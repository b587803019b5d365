"""What a 34-province release holds, which years it may be for, and how its problems are reported.

Every reader of :mod:`papi_analysis.data.release34` turns its file into *records* (the long format of
``data/raw/papi/scores.csv``: one row per published number) plus, for each record, ``where``: the file, row and
column the number came from, so that every problem is one sentence naming them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ... import config
from .. import readers, schema

#: Columns of the row-per-province layout (a CSV, or a sheet with this header row), in any order.
RELEASE34_COLUMNS: list[str] = ["year", "province_code", "province", *schema.DIMENSIONS, "total"]
#: Optional columns of the row-per-province layout: points, except ``n_respondents`` (people).
OPTIONAL_COLUMNS: list[str] = ["total_se", "total_ci_low", "total_ci_high", "n_respondents"]
#: (indicator, statistic) of each row-per-province column.
COLUMN_MEANING: dict[str, tuple[str, str]] = {
    **{d: (d, "score") for d in schema.DIMENSIONS},
    "total": ("total_unweighted", "score"),
    "total_se": ("total_unweighted", "se"),
    "total_ci_low": ("total_unweighted", "ci_low"),
    "total_ci_high": ("total_unweighted", "ci_high"),
    "n_respondents": ("respondents", "n"),
}
RECORD_COLUMNS: list[str] = list(readers.RAW_COLUMNS)
TOTAL_TOLERANCE = 1e-3  # points: the rule of the 63-province panel (sources store float32)
RAW_DIR = "papi34"
#: Problems listed in one error message (the rest are counted).
SHOWN_PROBLEMS = 20
#: Characters of a user's cell echoed back in a message.
ECHO = 80


class ReleaseFormatError(ValueError):
    """A release file that cannot be imported; ``problems`` holds one sentence per problem found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


def echo(value: object) -> str:
    """A cell's text for a message: repr, at most :data:`ECHO` characters."""
    text = repr(value)
    return text if len(text) <= ECHO else text[: ECHO - 3] + "..."


@dataclass
class Problems:
    """Problems found in one file; :meth:`raise_if_any` refuses the file listing them all (nothing is written)."""

    label: str
    found: list[str] = field(default_factory=list)

    def add(self, where: str, text: str) -> None:
        self.found.append(f"{where}: {text}")

    def raise_if_any(self) -> None:
        if not self.found:
            return
        shown = self.found[:SHOWN_PROBLEMS]
        more = len(self.found) - len(shown)
        head = (
            f"{self.label} was not imported ({len(self.found)} problem{'s' if len(self.found) > 1 else ''}; "
            "nothing was written):"
        )
        lines = [head, *(f"  - {p}" for p in shown)]
        if more:
            lines.append(f"  - ... and {more} more")
        raise ReleaseFormatError("\n".join(lines), list(self.found))


# --------------------------------------------------------------------------- which years


def last_published_year(raw_dir: Path | None = None) -> int:
    """The last survey year PAPI published on the 63 provinces (the newest year in ``data/raw/papi/scores.csv``)."""
    path = Path(raw_dir or config.DATA_RAW) / "papi" / "scores.csv"
    try:
        years = pd.read_csv(path, usecols=["year"])["year"]
    except (OSError, ValueError) as err:
        raise ReleaseFormatError(f"{path}: cannot read the published years ({err}).") from None
    return int(years.max())


def current_survey_year(today: dt.date | None = None) -> int:
    """The survey year under way: PAPI interviews in the year it names, so no release can be for a later year."""
    return (today or dt.date.today()).year


def accepted_years(raw_dir: Path | None = None, today: dt.date | None = None) -> range:
    """Years a 34-province release may be for: after the last 63-province year, up to the current survey year."""
    return range(last_published_year(raw_dir) + 1, current_survey_year(today) + 1)


def check_year(year: int, where: str, problems: Problems, accepted: range) -> None:
    """Add a problem unless ``year`` is in ``accepted`` (see :func:`accepted_years`)."""
    if year in accepted:
        return
    first, last = accepted.start, accepted.stop - 1
    if not accepted:
        problems.add(where, f"{year} cannot be imported: no survey year after {first - 1} has been fielded yet.")
        return
    if year < first:
        why = (
            f"{year} is published on the 63 provinces (2011-{first - 1} are in data/raw/papi/), so a release "
            f"on the 34 provinces can only be for {first}-{last}"
        )
    else:
        why = (
            f"{year} is after {last}, the survey year now under way, so PAPI cannot have published it; "
            f"a release on the 34 provinces can only be for {first}-{last}"
        )
    problems.add(where, why + ".")
