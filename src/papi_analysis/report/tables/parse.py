"""Numbers a text module already wrote into a cell ("7% (1–17%)", "26 (11–45) / 61", "0,324 điểm") read back as
numbers, each with the display format it was shown with, so that a workbook holds numbers, not text."""

from __future__ import annotations

import math
import re
from typing import Any

from .. import numbers
from .cells import _missing

#: the words of an interval's two bounds in a column's header
INTERVAL_WORDS = {"vi": ("cận dưới", "cận trên"), "en": ("low", "high")}


def _plain_number(value: Any) -> float | None:
    """``value`` as a number, None when it is missing or is not one."""
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


#: a number as :mod:`.numbers` writes it in each language (Vietnamese 1.234,56; English 1,234.56), with its sign
_NUMBER = {
    "vi": r"[+\-−]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?",
    "en": r"[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?",
}
#: shapes of text cells a report's text module formatted from numbers ("#" a number), and the columns they become:
#: "value" keeps the header; "low"/"high" are an interval's bounds; "of" is the count a rank is out of;
#: "before"/"after" are the two sides of an arrow in the header ("Dự báo → thực tế")
_SHAPES: dict[str, tuple[str, ...]] = {
    "#": ("value",),
    "#%": ("value",),
    "#/#": ("value", "of"),
    "# / #": ("value", "of"),
    "# (#–#)": ("value", "low", "high"),
    "# (# – #)": ("value", "low", "high"),
    "#% (#–#%)": ("value", "low", "high"),
    "#% (#–#)": ("value", "low", "high"),
    "#% → #% (#–#%)": ("before", "after", "low", "high"),
    "# (# đến #)": ("value", "low", "high"),
    "# (# to #)": ("value", "low", "high"),
    "#% (#% đến #%)": ("value", "low", "high"),
    "#% (#% to #%)": ("value", "low", "high"),
    "# (#/#)": ("value", "rank", "of"),
    "# (#–#) / #": ("value", "low", "high", "of"),
    "# (khoảng tin cậy #%: #–#) / #": ("value", "skip", "low", "high", "of"),
    "# (KTC #%: #–#) / #": ("value", "skip", "low", "high", "of"),  # reports made before the words were spelled out
    "# (#% CI: #–#) / #": ("value", "skip", "low", "high", "of"),
    "# (#% CI #–#) / #": ("value", "skip", "low", "high", "of"),
    "# (mô hình đúng: ≤ #)": ("value", "bound"),
    "# (a correct model: ≤ #)": ("value", "bound"),
    "# → # (#–#)": ("before", "after", "low", "high"),
    "#% / #% / #%": ("part", "part", "part"),
}
#: shapes a cell of a key-value table's column of values can have besides :data:`_SHAPES` (one row a rank with its
#: interval, the next a standard error in points, a range, a change from one rank to another: see
#: :func:`_key_value_columns`); "@" is a unit word of :data:`UNIT_WORDS`, "*" words without a digit
_CELL_SHAPES: dict[str, tuple[str, ...]] = {
    "# @": ("value",),
    "#–#": ("low", "high"),
    "# … #": ("low", "high"),
    "# (# → #)": ("value", "from", "to"),
    "*: #": ("text", "value"),
}
UNIT_WORDS = {"vi": ("điểm",), "en": ("points",)}
FROM_TO_WORDS = {"vi": ("từ", "đến"), "en": ("from", "to")}
#: the header of the column that keeps a key-value column's words ("không", a sentence) beside its numbers
WORDS_WORD = {"vi": "dạng chữ", "en": "in words"}
RANK_OF_WORDS = {"vi": "trên tổng số tỉnh", "en": "out of"}
RANK_WORDS = {"vi": "thứ hạng", "en": "rank"}
BOUND_WORDS = {"vi": "mức tối đa của một mô hình đúng", "en": "most a correct model gives"}


def _parse_number(text: str, lang: str) -> tuple[float, int]:
    """(value, decimals shown) of a number written in ``lang``'s marks."""
    text = text.replace("−", "-")
    thousands, decimal = numbers.marks(lang)
    text = text.replace(thousands, "").replace(decimal, ".")
    return float(text), len(text.split(".")[1]) if "." in text else 0


def _numbers_in_text(title: str, texts: list, lang: str) -> list[tuple[str, str, list]]:
    """A text column as workbook columns: when every value is a number a text module already formatted ("45,60",
    "7%", "48/61", "30% (20–41%)", "54% → 60% (53–70%)"), its numbers in columns of their own (see :data:`_SHAPES`);
    otherwise the text, with each cell that is a lone number or percentage stored as that number."""
    number = re.compile(_NUMBER[lang])
    dashes = {"", "—", "–", "-"}  # how a text module writes a missing figure: an empty cell in a column of numbers
    # an interval whose bounds round to one number is written "(50%)": the same as "(50–50%)"
    texts = [
        re.sub(rf"\(({_NUMBER[lang]})(%?)\)$", "(\\1–\\1\\2)", t.strip()) if isinstance(t, str) else t for t in texts
    ]
    # a range written with a hyphen ("37-61") is a range, not a number and a negative one
    texts = [re.sub(r"(?<=\d)-(?=\d)", "–", t) if isinstance(t, str) else t for t in texts]
    present = [t for t in texts if t is not None and str(t).strip() not in dashes]
    shapes = {number.sub("#", str(t).strip()) for t in present}
    if present and len(shapes) == 1 and next(iter(shapes)) in _SHAPES:
        shape = next(iter(shapes))
        roles = _SHAPES[shape]
        parsed = [
            None if t is None or str(t).strip() in dashes else [_parse_number(n, lang) for n in number.findall(str(t))]
            for t in texts
        ]
        share = shape.startswith("#%")
        decimals = max(d for row in parsed if row for _, d in row)
        sides = [part.strip() for part in title.split("→")] if "→" in title else [title, title]
        sides = [side[:1].upper() + side[1:] for side in sides]
        columns: list[tuple[str, str, list]] = []
        for index, role in enumerate(roles):
            values = [None if row is None else row[index][0] for row in parsed]
            if role == "skip":  # the level of an interval written in each cell ("KTC 95%")
                continue
            if role == "part":  # "2% / 10% / 43%" under "Năm kém / bình thường / tốt của cả nước"
                columns.append(
                    (
                        _part_headers(title, roles.count("part"))[index],
                        "share" if share else "points",
                        [None if v is None else (round(v / 100, decimals + 2) if share else v) for v in values],
                    )
                )
                continue
            if role in ("rank", "of"):
                word = RANK_WORDS[lang] if role == "rank" else RANK_OF_WORDS[lang]
                columns.append((f"{title}: {word}", "int", [None if v is None else int(v) for v in values]))
                continue
            if role == "of":
                columns.append(
                    (f"{title}: {RANK_OF_WORDS[lang]}", "int", [None if v is None else int(v) for v in values])
                )
                continue
            header = {
                "value": title,
                "before": sides[0],
                "after": sides[-1],
                "low": f"{title}: {INTERVAL_WORDS[lang][0]}",
                "high": f"{title}: {INTERVAL_WORDS[lang][1]}",
                "bound": f"{title}: {BOUND_WORDS[lang]}",
            }[role]
            if share:
                kind = "share" if decimals == 0 else "share1"
                values = [None if v is None else round(v / 100, decimals + 2) for v in values]
            elif decimals == 0 and all(v is None or 1990 <= v <= 2100 for v in values) and role == "value":
                kind = "year"
            elif decimals == 0:
                kind = "rank" if "/" in shape else "int"
            else:
                kind = "change" if any(str(t).strip().startswith(("+", "−", "-")) for t in present) else "points"
                kind = "p" if decimals >= 3 and kind == "points" else kind
                kind = f"change{min(decimals, 4)}" if decimals >= 3 and kind == "change" else kind
            if kind in ("year", "int", "rank"):
                values = [None if v is None else int(v) for v in values]
            columns.append((header, kind, values))
        return columns
    named = re.compile(rf"^({_NUMBER[lang]}) \(([^\d()]+)\)$")  # "5,95 (Bắc Giang)": a number and whose it is
    matches = [named.match(str(t)) for t in present]
    if present and all(matches):
        head = re.match(r"^(.*\S)\s*\(([^()]+)\)$", title)
        number_title, text_title = (
            (head.group(1), head.group(2)[:1].upper() + head.group(2)[1:]) if head else (title, title)
        )
        found = {str(t): m for t, m in zip(present, matches, strict=True) if m is not None}
        parsed_named = [_parse_number(found[str(t)].group(1), lang) if str(t) in found else None for t in texts]
        kind = "int" if max(v[1] for v in parsed_named if v) == 0 else "points"
        return [
            (number_title, kind, [None if v is None else (int(v[0]) if kind == "int" else v[0]) for v in parsed_named]),
            (text_title, "text", [found[str(t)].group(2) if str(t) in found else None for t in texts]),
        ]
    mixed = _key_value_columns(title, texts, lang)
    if mixed is not None:
        return mixed
    return [(title, "text", texts)]


def _part_headers(title: str, count: int) -> list[str]:
    """Headers of the parts of "a / b / c" cells: the title with the word of each part ("Năm kém / bình thường / tốt
    của cả nước" -> "…: kém", "…: bình thường", "…: tốt"), else with the part's number."""
    pieces = [p.strip() for p in title.split(" / ")]
    if len(pieces) != count or count < 2:
        return [f"{title}: {i}" for i in range(1, count + 1)]
    words = [pieces[0].split(" ")[-1], *pieces[1:-1], pieces[-1].split(" ")[0]]
    return [f"{title}: {w}" for w in words]


def _number_format(token: str, lang: str, unit: str | None = None) -> tuple[float | int, str]:
    """(value, display format without its locale code) of one number as a text module wrote it: "94%" -> 0.94
    as "0%"; "0,324" -> 0.324 as "#,##0.000"; "+11" -> 11 as "+0;-0;0"; "2018" -> 2018 as "0"; ``unit`` ("điểm")
    is kept in the display format, the cell still a number."""
    share = token.endswith("%")
    value, decimals = _parse_number(token.rstrip("%"), lang)
    signed = token.lstrip().startswith(("+", "−", "-"))
    if share:
        fmt = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
        return round(value / 100, decimals + 2), fmt
    body = ("#,##0" if abs(value) >= 10000 else "0") if decimals == 0 else "#,##0." + "0" * decimals
    zero = body.replace("#,##", "")
    fmt = f"+{body};-{body};{zero}" if signed else body
    if unit:
        fmt = ";".join(f'{part}" {unit}"' for part in fmt.split(";"))
    return (int(value) if decimals == 0 else value), fmt


def _key_value_columns(title: str, texts: list, lang: str) -> list[tuple[str, str, list]] | None:
    """A column whose cells hold numbers of different shapes and words (the "Giá trị" column of a key-value table:
    "26 (11–45) / 61", "9–49", "0,324 điểm", "94%", "+11 (37 → 26)", "-22 … +25", "không") as columns of numbers
    and one of words: the value (each cell with its own display format, kind ``cells``: (value, format) pairs), its
    interval's low and high, the count a rank is out of, a change's from and to, and the words (with what follows
    " — " after a number). None when at most half the cells hold such numbers (a column of words with a number here
    and there stays text)."""
    number = re.compile(_NUMBER[lang] + "%?")
    units = UNIT_WORDS[lang]
    dashes = {"", "—", "–", "-"}
    rows: list[dict[str, Any]] = []
    parsed_cells = 0
    present = 0
    for text in texts:
        row: dict[str, Any] = {}
        rows.append(row)
        if text is None or str(text).strip() in dashes:
            continue
        present += 1
        cell = str(text).strip()
        head, _, tail = cell.partition(" — ")
        aside = re.match(r"^(.*\S) \(([^\d()]+)\)$", head)  # "2016–2024 (cả hai giai đoạn)": the words apart
        if aside and number.sub("#", aside.group(1)) in _CELL_SHAPES:
            head, tail = aside.group(1), aside.group(2)
        tokens = number.findall(head)
        shape = number.sub("#", head)
        unit = None
        for word in units:
            if shape == f"# {word}":
                shape, unit = "# @", word
        words = re.match(r"^([^\d:]+): #$", shape)
        if words:
            shape = "*: #"
            tokens = [words.group(1), *tokens]
        roles = _SHAPES.get(shape) or _CELL_SHAPES.get(shape)
        if not roles or "part" in roles or "bound" in roles or "rank" in roles or "before" in roles or not tokens:
            row["text"] = cell
            continue
        parsed_cells += 1
        if roles == ("low", "high") and all(re.fullmatch(r"(19|20)\d\d", t) for t in tokens):
            roles = ("from", "to")  # a period ("2016–2021"): from one year to another, not an interval's bounds
        if roles == ("low", "high") and tokens[-1].endswith("%"):  # "42–57%": both bounds are percentages
            tokens = [t if t.endswith("%") else t + "%" for t in tokens]
        for role, token in zip(roles, tokens, strict=True):
            if role == "skip":
                continue
            if role == "text":
                row["text"] = token.strip()
                continue
            row[role] = _number_format(token, lang, unit if role == "value" else None)
        if tail:
            row["text"] = tail.strip()
    roles_seen = {role for row in rows for role in row}
    if not parsed_cells or parsed_cells * 2 <= present:
        return None
    low_word, high_word = INTERVAL_WORDS[lang]
    from_word, to_word = FROM_TO_WORDS[lang]
    headers = {
        "value": title,
        "low": f"{title}: {low_word}",
        "high": f"{title}: {high_word}",
        "of": f"{title}: {RANK_OF_WORDS[lang]}",
        "from": f"{title}: {from_word}",
        "to": f"{title}: {to_word}",
        "text": f"{title}: {WORDS_WORD[lang]}",
    }
    order = ["value", "low", "high", "of", "from", "to", "text"]
    columns: list[tuple[str, str, list]] = []
    for role in [r for r in order if r in roles_seen]:
        if role == "text":
            columns.append((headers[role], "text", [row.get("text") for row in rows]))
        else:
            columns.append((headers[role], "cells", [row.get(role) for row in rows]))
    return columns
