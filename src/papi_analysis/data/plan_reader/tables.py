"""Tables of a plan: one row per dimension (PAPI) or field and part (PAR INDEX), with the baseline rank and score,
the maximum, the planned change and the target, read by the words of the header (phrase table, ``column``).

Where the header's cells line up with the rows' (Word tables, tab-separated text) each column's role comes from its
own header; where they do not (a PDF's text), the numbers of a row are assigned by their signs ("53/63" is a rank,
"≥ 5,30" a target) and, for the rest, by the order that makes every row consistent (score ≤ maximum; score + change =
target on most rows). A row whose numbers cannot be assigned that way is not read: it is listed with the reason.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from . import phrases
from .candidates import Candidate, NotRead
from .outline import Row, Table, numeric
from .phrases import for_matching, number_text

ROLE_ORDER = ("rank", "score", "maximum", "change", "target")
_ROLE_OF_COLUMN = {"rank": "rank", "score": "score", "max": "maximum", "change": "change", "target": "target"}
_PRIORITY = ("number", "target", "change", "max", "rank", "score")
_RANK = re.compile(r"^\d{1,2}/\d{1,2}$")
_TARGET_SIGN = re.compile(r"^[≥>]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: PAR INDEX parts by the words of their row, and the component they are of field n
PART_CODES = {
    "implementation": "implementation",
    "survey": "survey",
    "sipas": "sipas",
    "socioeconomic": "socioeconomic",
}


def column_role(text: str) -> str:
    """The role of a header's words: number, target, change, max, rank, score, or '' (a name or an unknown)."""
    found = {m.phrase.meaning for m in phrases.find(text, "column")}
    for role in _PRIORITY:
        if role in found:
            return role
    return ""


def _aligned(table: Table) -> bool:
    widths = [len(r.cells) for r in table.rows]
    return (
        table.positional
        and bool(table.header)
        and bool(widths)
        and len(table.header[0]) >= max(widths)
        and len(table.header[0]) >= 4
    )


def _columns(table: Table) -> list[tuple[str, int | None]]:
    """(role, year) of each column of an aligned table; a header cell spanning columns (left empty below it) gives
    its words to the columns under it."""
    width = max(len(h) for h in table.header)
    out = []
    for c in range(width):
        parts = []
        for r, header in enumerate(table.header):
            cell = header[c].strip() if c < len(header) else ""
            if not cell and r == 0 and any(c < len(h) and h[c].strip() for h in table.header[1:]):
                left = next((header[k] for k in range(c, -1, -1) if k < len(header) and header[k].strip()), "")
                cell = left.strip()
            parts.append(cell)
        words = " ".join(p for p in parts if p)
        year = _YEAR.search(words)
        out.append((column_role(words), int(year.group(1)) if year else None))
    return out


def read_table(table: Table, index: str | None, order: int) -> tuple[list[Candidate], list[NotRead]]:
    """The targets (and stated baselines) of a table. ``index`` is the one its heading names (None: from its
    header: "Chỉ số nội dung" is PAPI, "Lĩnh vực" PAR INDEX)."""
    header_text = " ".join(" ".join(h) for h in table.header)
    if index is None:
        low = header_text.lower()
        index = "papi" if "chỉ số nội dung" in low or "dimension" in low else "par_index" if "lĩnh vực" in low else None
    if index not in ("papi", "par_index", "sipas"):
        return [], [
            NotRead(_row_quote(r, None), r.where, "a table row of no index the plan schema knows", order)
            for r in table.rows
            if _numbers(r)
        ]
    years = sorted({int(y) for y in _YEAR.findall(header_text)})
    columns = _columns(table) if _aligned(table) else None
    if columns is not None and any(y for _, y in columns):
        baseline_year = next((y for role, y in columns if role in ("rank", "score") and y), None)
        target_year = next((y for role, y in columns if role in ("target", "change") and y), None)
    else:
        baseline_year, target_year = (years[0], years[-1]) if len(years) >= 2 else (None, years[0] if years else None)
    order_of_plain = None if columns is not None else _plain_order(table)
    out: list[Candidate] = []
    not_read: list[NotRead] = []
    field_row: Row | None = None
    field_code = ""
    for k, row in enumerate(table.rows):
        number, name, values = _split(row, columns, order_of_plain)
        is_field = bool(number) or "rank" in (values or {})
        if is_field:
            field_row, field_code = row, ""
        quote = _row_quote(row, None if is_field else field_row)
        if values is None:
            not_read.append(
                NotRead(
                    quote,
                    row.where,
                    "the numbers of this row cannot be told apart (rank, score, "
                    "maximum, change, target): check it by hand",
                    order + k,
                )
            )
            continue
        code, doubt = _component(index, name, number, is_field, field_code)
        if is_field and code:
            field_code = code
        if not code:
            not_read.append(
                NotRead(
                    quote,
                    row.where,
                    f"the row names no {'dimension' if index == 'papi' else 'field'} the plan reader knows",
                    order + k,
                )
            )
            continue
        c = Candidate(
            index,
            code,
            "",
            quote,
            row.where,
            order + k,
            value=values.get("target", ""),
            maximum=values.get("maximum", ""),
            change=values.get("change", ""),
            baseline=values.get("score", ""),
            rank=values.get("rank", ""),
            target_year=target_year,
            baseline_year=baseline_year,
            from_table=True,
        )
        if doubt:
            c.doubt("medium", doubt, "indicator")
        if c.value:
            c.kind = "score_at_least"
        elif c.change:
            c.kind = "planned_change" if index != "papi" else "change_at_least"
            if index == "papi":
                c.value, c.change = c.change, ""
                c.doubt("medium", "the row gives a planned change and no target: read as a change target", "kind")
        else:
            c.kind = "stated_baseline"
            c.result = True
        if target_year is None and not c.result:
            c.doubt("medium", "the table's header names no target year: taken from the plan", "target_year")
        if c.baseline and c.change and c.value:
            total = float(c.baseline) + float(c.change)
            if abs(total - float(c.value)) > 0.011:
                c.doubt(
                    "medium",
                    f"the row's numbers do not add up: {c.baseline} + {c.change} = {total:.2f}, not {c.value} (kept as "
                    "written; the plan checks list it)",
                    "target_value",
                )
        out.append(c)
    return out, not_read


def _numbers(row: Row) -> list[str]:
    return [c for c in row.cells if c and numeric(c)]


def _split(row: Row, columns, plain_order) -> tuple[str, str, dict | None]:
    """(row number, name, {role: number as the schema keeps it}) of a row; None for the values when its numbers
    cannot be assigned."""
    cells = [c.strip() for c in row.cells]
    number = ""
    if columns is not None:
        values, names = {}, []
        for cell, (role, _) in zip(cells, columns):
            if not cell:
                continue
            if role == "number" and re.fullmatch(r"\d{1,2}", cell):
                number = cell
            elif role in _ROLE_OF_COLUMN and numeric(cell):
                values[_ROLE_OF_COLUMN[role]] = _number(cell)
            elif not numeric(cell):
                names.append(cell)
        return number, " ".join(names + row.wrapped), values
    if len(cells) > 2 and re.fullmatch(r"\d{1,2}", cells[0]) and not numeric(cells[1]):
        number, cells = cells[0], cells[1:]
    names = [c for c in cells if c and not numeric(c)]
    nums = [c for c in cells if c and numeric(c)]
    values = {}
    plain = []
    for cell in nums:
        if _RANK.match(cell):
            values["rank"] = cell
        elif _TARGET_SIGN.match(cell):
            values["target"] = _number(cell)
        else:
            plain.append(cell)
    roles = [r for r in (plain_order or ROLE_ORDER[1:4]) if not (r == "target" and "target" in values)]
    if "target" not in values and len(plain) == len(roles) + 1:
        roles.append("target")
    if len(plain) != len(roles):
        return number, " ".join(names + row.wrapped), None
    values.update({role: _number(cell) for role, cell in zip(roles, plain)})
    return number, " ".join(names + row.wrapped), values


def _plain_numbers(row: Row) -> tuple[list[float], list[float]]:
    """A row's numbers without a sign (after its row number) and its targets ("≥ 5,30")."""
    cells = [c.strip() for c in row.cells if c and c.strip()]
    if len(cells) > 2 and re.fullmatch(r"\d{1,2}", cells[0]) and not numeric(cells[1]):
        cells = cells[1:]
    plain = [float(_number(c)) for c in cells if numeric(c) and not _RANK.match(c) and not _TARGET_SIGN.match(c)]
    return plain, [float(_number(c)) for c in cells if _TARGET_SIGN.match(c)]


def _plain_order(table: Table) -> tuple[str, ...]:
    """For a table whose header does not line up (PDF text): the roles of the unsigned numbers of a row, in order.

    The roles are those the header's words name (score, maximum, change, target), completed by score, maximum and
    change when the rows hold more numbers than the header names (a header's words broken across lines); of their
    orders, the one that fits the rows best (score ≤ maximum, score ≤ target, score + change = target), the header's
    own roles first on a tie."""
    header = " ".join(" ".join(h) for h in table.header)
    named = {m.phrase.meaning for m in phrases.find(header, "column")}
    detected = [r for r in ("score", "maximum", "change", "target") if (r if r != "maximum" else "max") in named]
    rows = [_plain_numbers(row) for row in table.rows]
    sizes = Counter(len(plain) for plain, _ in rows if plain)
    if not sizes:
        return ROLE_ORDER[1:4]
    size = sizes.most_common(1)[0][0]
    pool = list(dict.fromkeys(detected + ["score", "maximum", "change"]))
    best: tuple[str, ...] = ROLE_ORDER[1:4]
    best_key = None
    for roles in itertools.permutations(pool, size):
        if "score" not in roles:
            continue
        fit = 0
        for plain, signed in rows:
            if len(plain) != size:
                continue
            v = dict(zip(roles, plain))
            if signed and "target" in v:
                fit -= 1  # a row with a "≥" target has no second target
                continue
            target = v.get("target", signed[0] if signed else None)
            fit += "maximum" in v and v["score"] <= v["maximum"]
            fit += target is not None and v["score"] <= target
            fit += 2 * (target is not None and "change" in v and abs(v["score"] + v["change"] - target) < 0.011)
            fit += "change" in v and v["score"] > abs(v["change"])  # a planned change is smaller than the score
        inversions = sum(ROLE_ORDER.index(a) > ROLE_ORDER.index(b) for a, b in itertools.combinations(roles, 2))
        key = (fit, sum(r in detected for r in roles), -inversions)
        if best_key is None or key > best_key:
            best, best_key = roles, key
    return tuple(best)


def _number(cell: str) -> str:
    return number_text(cell.strip().lstrip("≥>").strip())


def _component(index: str, name: str, number: str, is_field: bool, field_code: str) -> tuple[str, str]:
    """The indicator (PAPI) or component (PAR INDEX) a row is about, and a doubt ('' when its name and number agree)."""
    key = for_matching(" ".join(name.split()))
    if index == "papi":
        found = phrases.find(key, "dimension")
        code = found[0].phrase.meaning if found else ""
        if not code and (phrases.find(key, "index") or re.search(r"(?i)tổng|total", key)):
            return "total", ""
        by_number = f"D{number}" if number and 1 <= int(number) <= 8 else ""
        if code and by_number and code != by_number:
            return code, f"row {number} names {code}: read by its name"
        if not code and by_number:
            return (
                by_number,
                f"the row's name is not a dimension name the reader knows: read as {by_number} by its number",
            )
        return code, ""
    if index == "sipas":
        return "total", ""
    found = [m for m in phrases.find(key, "part") if m.phrase.meaning.startswith("F") == is_field]
    if is_field:
        code = found[0].phrase.meaning if found else _by_beginning(key)
        by_number = f"F{number}" if number and 1 <= int(number) <= 8 else ""
        if code and by_number and code != by_number:
            return code, f"row {number} names {code}: read by its name"
        if not code and by_number:
            return by_number, f"the row's name is not a field name the reader knows: read as {by_number} by its number"
        return code, ""
    if not found or not field_code:
        return "", ""
    return f"{field_code}.{PART_CODES[found[0].phrase.meaning]}", ""


def _by_beginning(name: str) -> str:
    """The field whose name begins with a cut-off name ("Tác động của", the rest of the cell on the next page), when
    exactly one does and the name has at least two words."""
    words = name.lower().split()
    if len(words) < 2:
        return ""
    codes = {
        p.meaning
        for p in phrases.PHRASES
        if p.category == "part"
        and p.meaning.startswith("F")
        and for_matching(p.wording).lower().split()[: len(words)] == words
    }
    return codes.pop() if len(codes) == 1 else ""


def _row_quote(row: Row, parent: Row | None) -> str:
    """The row as the document writes it (cells joined by spaces, a wrapped name put back in its cell); rows it
    continues or belongs to joined with " … "."""
    cells = [c for c in row.cells if c]
    if row.wrapped:
        names = [k for k, c in enumerate(cells) if not numeric(c) and not re.fullmatch(r"\d{1,2}", c)]
        if names:
            cells[names[-1]] = " ".join([cells[names[-1]]] + row.wrapped)
    text = " ".join(cells)
    if row.continuation:
        text += " … " + " ".join(row.continuation)
    if parent is not None:
        text = _row_quote(parent, None).split(" … ")[0] + " … " + text
    return text
