"""Validation of notebook and command-line parameters, with messages that say what to do.

papermill only warns about a misspelled parameter and runs with the defaults;
these checks run in the cell after the ``parameters`` cell and stop the
notebook on bad input.
"""

from __future__ import annotations

from .data import provinces

FIRST_YEAR = 2011
LAST_YEAR = 2024
LANGUAGES = ("vi", "en")


class ParameterError(ValueError):
    """A notebook or CLI parameter that cannot be used."""


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be 'vi' (Vietnamese) or 'en' (English), not {lang!r}.")
    return lang


def check_years(start_year: int, end_year: int) -> tuple[int, int]:
    """Validated (start, end) survey years within the published range."""
    for label, value in (("start_year", start_year), ("end_year", end_year)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"{label} must be a whole year such as 2018, not {value!r}.")
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise ParameterError(f"{label}={value} is outside the published PAPI years {FIRST_YEAR}-{LAST_YEAR}.")
    if start_year > end_year:
        raise ParameterError(f"start_year ({start_year}) is after end_year ({end_year}); swap them.")
    return start_year, end_year


def check_province(province: str | int) -> provinces.Province:
    """The province record; an unknown name stops with the resolver's closest matches."""
    try:
        return provinces.get(province)
    except provinces.UnknownProvinceError as err:
        raise ParameterError(str(err)) from None


def check_choice(label: str, value: str, choices: tuple[str, ...] | list[str]) -> str:
    if value not in choices:
        raise ParameterError(f"{label} must be one of {', '.join(map(str, choices))}; got {value!r}.")
    return value
