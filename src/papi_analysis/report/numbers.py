"""Every number a reader sees, written in the reader's language by one locale library (Babel).

Vietnamese uses a decimal comma and a thousands point ("45,60", "5.613"), English the reverse ("45.60",
"5,613"). Tables, sentences, figure labels, tick labels and workbook display formats all go through this module, so
one function decides every mark. Digits are rounded as Python's ``format`` rounds the float (the same digits as the
reports showed before), then written by Babel in the language's pattern.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from ..params import check_lang

#: Babel locale of each report language
LOCALES: dict[str, str] = {"vi": "vi_VN", "en": "en_US"}
#: an en dash between the ends of an interval, as in "20–41%"
RANGE_DASH = "–"


def _missing(value: object) -> bool:
    try:
        return value is None or (isinstance(value, float) and math.isnan(value)) or bool(value != value)
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=64)
def _pattern(decimals: int, sign: bool, grouping: bool) -> str:
    body = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{body};-{body}" if sign else body


def number(value: float, lang: str, decimals: int = 2, sign: bool = False, grouping: bool = True) -> str:
    """``value`` with ``decimals`` decimals in ``lang`` ("45,60" / "45.60"); ``sign`` adds "+" to positive values.

    Never "-0,00": a value that rounds to zero has no sign. ``grouping`` writes thousands separators ("5.613")."""
    lang = check_lang(lang)
    if _missing(value):
        raise ValueError("number() needs a value; show a missing one as tables.MISSING")
    if math.isinf(float(value)):
        return ("−" if float(value) < 0 else "") + "∞"
    text = f"{float(value):.{decimals}f}"
    rounded = Decimal(text)
    if rounded == 0:
        rounded = abs(rounded)
        sign = False
    return format_decimal(
        rounded, format=_pattern(decimals, sign, grouping), locale=LOCALES[lang], decimal_quantization=True
    )


def marks(lang: str) -> tuple[str, str]:
    """(thousands separator, decimal mark) of ``lang``, as :func:`number` writes them (vi: "." and ",")."""
    return get_group_symbol(LOCALES[lang]), get_decimal_symbol(LOCALES[lang])


def short_number(value: float, lang: str, max_decimals: int = 3) -> str:
    """As few decimals as ``value`` needs, at most ``max_decimals``: a maximum as the criteria write it ("100",
    "16,5" / "16.5")."""
    text = number(value, lang, decimals=max_decimals)
    mark = "," if check_lang(lang) == "vi" else "."
    return text.rstrip("0").rstrip(mark) if mark in text else text


def integer(value: float, lang: str, sign: bool = False) -> str:
    """A count or a whole number with the language's thousands separator ("5.613" / "5,613")."""
    return number(value, lang, decimals=0, sign=sign)


def year(value: float) -> str:
    """A year is never grouped: "2024" in both languages."""
    return str(int(value))


def percent(share: float, lang: str, decimals: int = 0, sign: bool = False) -> str:
    """A share (0-1) as a percentage: 0.305 -> "31%" (``decimals`` places: "30,5%" / "30.5%")."""
    return number(float(share) * 100, lang, decimals=decimals, sign=sign) + "%"


def percent_interval(share: float, low: float, high: float, lang: str, decimals: int = 0) -> str:
    """ "30% (20–41%)": a share and its interval."""
    return (
        f"{percent(share, lang, decimals)} ({number(float(low) * 100, lang, decimals)}{RANGE_DASH}"
        f"{percent(high, lang, decimals)})"
    )


def interval(low: float, high: float, lang: str, decimals: int = 2) -> str:
    """ "4,10–4,55": the two ends of an interval in the language's marks."""
    return f"{number(low, lang, decimals)}{RANGE_DASH}{number(high, lang, decimals)}"


def join(items: list[str], lang: str) -> str:
    """ "a, b và c" / "a, b and c"."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    word = {"vi": "và", "en": "and"}[check_lang(lang)]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


# --------------------------------------------------------------------------- figures


def tick_formatter(lang: str, decimals: int | None = None):
    """A matplotlib tick formatter writing ticks in ``lang``'s marks.

    With ``decimals`` None, as few decimals as the ticks on the axis need to differ (0 for 1, 2, 3; 1 for 4.5, 5.0).
    Negative ticks keep matplotlib's typographic minus ("−0,5") when ``axes.unicode_minus`` is on, as before."""
    import matplotlib as mpl
    from matplotlib.ticker import Formatter

    lang = check_lang(lang)

    class LocaleFormatter(Formatter):
        tick_values: list[float] = []

        def set_locs(self, locs):
            self.tick_values = [float(v) for v in locs]

        def __call__(self, x, pos=None):
            places = decimals if decimals is not None else self._places()
            text = number(x, lang, places, grouping=abs(x) >= 10000)
            return "\u2212" + text[1:] if text.startswith("-") and mpl.rcParams["axes.unicode_minus"] else text

        def _places(self) -> int:
            for places in range(0, 4):
                if all(abs(round(v, places) - v) < 1e-9 for v in self.tick_values if not _missing(v)):
                    return places
            return 4

    return LocaleFormatter()


def localize_axes(fig, lang: str) -> None:
    """Give every axis of ``fig`` that shows plain numbers (matplotlib's default formatter) the locale formatter.

    Colorbars are axes of the figure too, so their ticks are covered. Axes whose ticks are text (categories,
    provinces, years set as labels) keep theirs, and so does an axis already in a language. Values of 10,000 and
    more are grouped, so years stay "2024". Idempotent: the save path calls it again for what was added later."""
    from matplotlib.ticker import ScalarFormatter

    lang = check_lang(lang)
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(tick_formatter(lang))
