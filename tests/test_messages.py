"""One number formatter for every mark, and sentence tables complete in both languages."""

from __future__ import annotations

import importlib
import pkgutil

import matplotlib.pyplot as plt
import pytest

from papi_analysis.report import numbers, texts
from papi_analysis.report.texts.messages import Messages


def test_numbers_in_each_language():
    assert numbers.number(45.6, "vi") == "45,60" and numbers.number(45.6, "en") == "45.60"
    assert numbers.integer(5613, "vi") == "5.613" and numbers.integer(5613, "en") == "5,613"
    assert numbers.number(1.2, "vi", sign=True) == "+1,20" and numbers.number(-1.2, "en", sign=True) == "-1.20"
    assert numbers.number(-0.001, "vi", sign=True) == "0,00"  # never "-0,00" nor "+0,00"
    assert numbers.percent(0.305, "vi", 1) == "30,5%" and numbers.percent(0.3, "en") == "30%"
    assert numbers.percent_interval(0.3, 0.2, 0.41, "vi") == "30% (20–41%)"
    assert numbers.year(2024) == "2024"
    assert numbers.join(["a", "b", "c"], "vi") == "a, b và c"


def test_numbers_round_as_the_reports_did():
    """The digits are those of Python's own formatting of the float (half-way cases included)."""
    for value in (45.635, 0.125, 2.675, 43.2623, 1e-9, 99.995):
        assert numbers.number(value, "en", grouping=False) == f"{value:.2f}"


def test_tick_labels_in_vietnamese_have_decimal_commas():
    fig, ax = plt.subplots()
    ax.plot([2011, 2024], [4.2, 5.6])
    numbers.localize_axes(fig, "vi")
    fig.canvas.draw()
    y = [t.get_text() for t in ax.get_yticklabels()]
    x = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
    assert any("," in t for t in y) and not any("." in t for t in y)
    assert "2024" in x  # a year is never written "2.024"


def test_message_fields_are_written_in_the_readers_marks():
    say = Messages(
        {
            "m": {
                "vi": "{p} đạt {s:pts} điểm ({c:pts+}), {q:pct} tỉnh, {n:int} người, năm {y:year}",
                "en": "{p} scored {s:pts} ({c:pts+}), {q:pct} of provinces, {n:int} people, in {y:year}",
            }
        }
    )
    values = dict(p="Huế", s=45.6, c=1.234, q=0.25, n=5613, y=2024)
    assert say("m", "vi", **values) == "Huế đạt 45,60 điểm (+1,23), 25% tỉnh, 5.613 người, năm 2024"
    assert say("m", "en", **values) == "Huế scored 45.60 (+1.23), 25% of provinces, 5,613 people, in 2024"


def test_problems_finds_a_missing_language_and_different_numbers():
    bad = Messages(
        {
            "one": {"vi": "{a:pts}", "en": ""},
            "two": {"vi": "{a:pts}", "en": "{b:pts}"},
            "three": {"vi": "đạt 4.5 điểm", "en": "4.5 points"},
        }
    )
    problems = bad.problems()
    assert any(p.startswith("one: no en") for p in problems)
    assert any(p.startswith("two: the languages name different values") for p in problems)
    assert any(p.startswith("three: a decimal point") for p in problems)


def _tables():
    for info in pkgutil.iter_modules(texts.__path__, texts.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Messages):
                yield f"{info.name}.{name}", value


@pytest.mark.parametrize("name,table", list(_tables()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_sentence_table_is_complete_in_both_languages(name, table):
    assert table.problems() == [], name
