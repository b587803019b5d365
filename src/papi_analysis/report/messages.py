"""Sentences as templates with named numbers, one table per report, in Vietnamese and English.

It sits beside :mod:`papi_analysis.report.numbers`, below both ``report.texts`` (the sentence modules) and
``report.figures`` (the figures' words), since the texts modules import figure labels and so the figures cannot
import from ``report.texts``. Texts modules import it as ``.messages`` (``report/texts/messages.py`` re-exports it).

A report's texts module keeps its wording in one :class:`Messages` table::

    SAY = Messages({
        "latest": {"vi": "Năm {year}, {province} đạt {score:pts} điểm ({change:pts+} so với {prev}).",
                   "en": "In {year}, {province} scored {score:pts} points ({change:pts+} on {prev})."},
    })
    SAY("latest", lang, year=2024, province=name, score=45.6, change=1.2, prev=2023)

The format spec after a field's name says how the number is written, always in the reader's marks
(:mod:`papi_analysis.report.numbers`): ``pts`` 2 decimals, ``pts+`` with its sign, ``pts1``/``pts1+`` one decimal,
``pct`` a share (0-1) as a whole percentage, ``pct1`` with one decimal, ``pct+`` signed, ``int`` a count with
thousands separators, ``num`` as few decimals as the value needs (a maximum as the criteria write it: "100",
"16,5"), ``year`` a year as it is; no spec: the value as text. A Vietnamese editor changes a sentence
in its table and nowhere else; ``tests/test_messages.py`` checks that every table has both languages for every
message, with the same named numbers.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from ..params import LANGUAGES, check_lang
from . import numbers

_SPECS: dict[str, dict[str, Any]] = {
    "pts": dict(decimals=2),
    "pts+": dict(decimals=2, sign=True),
    "pts1": dict(decimals=1),
    "pts1+": dict(decimals=1, sign=True),
    "pts3": dict(decimals=3),
    "int": dict(decimals=0),
    "int+": dict(decimals=0, sign=True),
}
_PERCENT_SPECS: dict[str, dict[str, Any]] = {
    "pct": dict(decimals=0),
    "pct1": dict(decimals=1),
    "pct+": dict(decimals=0, sign=True),
}


class _LocaleFormatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if format_spec in _SPECS:
            return numbers.number(value, self.lang, grouping=True, **_SPECS[format_spec])
        if format_spec in _PERCENT_SPECS:
            return numbers.percent(value, self.lang, **_PERCENT_SPECS[format_spec])
        if format_spec == "num":
            return numbers.short_number(value, self.lang)
        if format_spec == "year":
            return numbers.year(value)
        if format_spec:
            raise ValueError(f"unknown number format {format_spec!r} (use pts, pts+, pts1, pct, pct1, int, num, year)")
        return str(value)


_FORMATTERS = {lang: _LocaleFormatter(lang) for lang in LANGUAGES}


def fields(template: str) -> set[tuple[str, str]]:
    """The named fields of a template with their specs: {("score", "pts"), ...}."""
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name}


class Messages(Mapping):
    """A report's sentences: message key -> {"vi": template, "en": template}. Calling it writes one sentence."""

    def __init__(self, table: Mapping[str, Mapping[str, str]]):
        self._table = {key: dict(texts) for key, texts in table.items()}

    @classmethod
    def from_languages(cls, by_language: Mapping[str, Mapping[str, str]]) -> Messages:
        """The same table written language first: {"vi": {key: template}, "en": {key: template}} (the languages
        must have the same keys: :meth:`problems` says which are missing)."""
        keys = dict.fromkeys(k for texts in by_language.values() for k in texts)
        return cls({k: {lang: texts.get(k, "") for lang, texts in by_language.items()} for k in keys})

    def bind(self, lang: str) -> Bound:
        """The table for one language: ``t = SAY.bind(lang); t["title"]``, ``t("rank", year=2024)``."""
        return Bound(self, check_lang(lang))

    def __getitem__(self, key: str) -> dict[str, str]:
        return self._table[key]

    def __iter__(self):
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __call__(self, key: str, lang: str, /, **values) -> str:
        """The message ``key`` in ``lang`` with ``values`` written in, numbers in the reader's marks."""
        template = self._table[key][check_lang(lang)]
        return _FORMATTERS[lang].format(template, **values)

    def problems(self) -> list[str]:
        """What is wrong with the table: a language missing, or the two languages naming different numbers."""
        found = []
        for key, texts in self._table.items():
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                found.append(f"{key}: no {', '.join(missing)} text")
                continue
            names = {lang: {name for name, _ in fields(texts[lang])} for lang in LANGUAGES}
            if len({frozenset(n) for n in names.values()}) > 1:
                found.append(f"{key}: the languages name different values {names}")
            if re.search(r"\d\.\d", texts["vi"]):
                found.append(f"{key}: a decimal point in the Vietnamese text")
        return found


class Bound:
    """A :class:`Messages` table for one language: ``t[key]`` is a message without values, ``t(key, **values)``
    one with values."""

    def __init__(self, messages: Messages, lang: str):
        self.messages, self.lang = messages, lang

    def __getitem__(self, key: str) -> str:
        return self.messages(key, self.lang)

    def __call__(self, key: str, /, **values) -> str:
        return self.messages(key, self.lang, **values)
