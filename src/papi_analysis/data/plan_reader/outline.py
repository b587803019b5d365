"""A document's lines as an outline: paragraphs under their headings, tables, sentences and clauses.

Plans are administrative documents with numbered headings ("I.", "1.", "2.1.", "a)", "-"): a paragraph inherits the
meaning of the headings above it (a section of targets, the group a heading names for the dimensions listed under
it, the index a table is about). Lines broken by a page or a PDF's line width are joined back into paragraphs; a
table is kept as rows of cells with the lines that continue a row's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import Document, Line
from .phrases import NUMBER, UPPER

#: a heading marker and its level: "I." 1, "1." 2, "2.1." 3, "a)" 4, "-" 5; plain paragraphs are level 6
_MARKERS: tuple[tuple[int, re.Pattern], ...] = (
    (1, re.compile(r"^(?:[IVX]{1,4})\.\s+")),
    (3, re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+")),
    (2, re.compile(r"^\d{1,2}[.)]\s+")),
    (4, re.compile(r"^[a-zđ]\)\s+")),
    (5, re.compile(r"^[-–•+]\s+")),
)
_FOOTNOTE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹*]")
_END = re.compile(r"[.;:!?…)\]”\"]\s*$")
_NUMERIC_CELL = re.compile(rf"^(?:[≥≤]\s*)?{NUMBER}%?$|^\d{{1,2}}/\d{{1,2}}$")


@dataclass
class Paragraph:
    text: str
    where: str
    level: int
    marker: str = ""
    footnote: bool = False
    parent: Paragraph | None = None
    children: list = field(default_factory=list)

    def ancestors(self) -> list[Paragraph]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


@dataclass
class Row:
    cells: list[str]
    where: str
    wrapped: list[str] = field(default_factory=list)  # lines of the name cell wrapped under it (PDF)
    continuation: list[str] = field(default_factory=list)  # the name going on in a later row or page

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


@dataclass
class Table:
    header: list[list[str]]
    rows: list[Row]
    where: str
    parent: Paragraph | None = None  # the heading the table sits under
    positional: bool = True  # cells keep their columns (Word, tab-separated text); False: a PDF's text


@dataclass
class Outline:
    paragraphs: list[Paragraph]
    tables: list[Table]
    blocks: list  # paragraphs and tables in document order


def numeric(cell: str) -> bool:
    return bool(_NUMERIC_CELL.match(cell.strip()))


def _is_data_row(cells: list[str]) -> bool:
    return sum(numeric(c) for c in cells if c) >= 2


def _marker(text: str) -> tuple[int, str]:
    for level, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return level, m.group(0)
    return 6, ""


def outline(document: Document) -> Outline:
    """Paragraphs (joined across line and page breaks) with their heading parents, and tables, in order."""
    lines = document.lines
    pdf = document.kind == "pdf"
    widths = sorted(len(line.text) for line in lines if line.text and line.cells is None)
    typical = widths[int(0.9 * (len(widths) - 1))] if widths else 80
    blocks: list = []
    i = 0
    current: Paragraph | None = None
    while i < len(lines):
        line = lines[i]
        if _starts_table(lines, i, pdf):
            table, i = _table(lines, i, pdf)
            blocks.append(table)
            current = None
            continue
        if not line.text:
            if current is not None and not pdf and _continues_after_gap(current, lines, i):
                i += 1
                continue
            if current is not None and pdf and _continues_after_gap(current, lines, i, pdf=True):
                i += 1
                continue
            current = None
            i += 1
            continue
        if current is not None and _joins(current, line, pdf, typical):
            current.text = f"{current.text} {line.text}"
        else:
            level, marker = _marker(line.text)
            current = Paragraph(line.text, line.where, level, marker, footnote=bool(_FOOTNOTE.match(line.text)))
            blocks.append(current)
        if pdf and len(line.text) < 0.6 * typical:
            current = None  # a short line ends its paragraph: a wrapped paragraph fills its lines to the width
        i += 1
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    stack: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Table):
            block.parent = stack[-1] if stack else None
            continue
        if block.footnote:
            block.parent = stack[-1] if stack else None
            continue
        while stack and stack[-1].level >= block.level:
            stack.pop()
        block.parent = stack[-1] if stack else None
        if block.parent is not None:
            block.parent.children.append(block)
        if block.level < 6:
            stack.append(block)
    return Outline(paragraphs, [b for b in blocks if isinstance(b, Table)], blocks)


def _joins(current: Paragraph, line: Line, pdf: bool, typical: int) -> bool:
    """Whether ``line`` continues the paragraph (a sentence broken by the page width or a page break)."""
    if _END.search(current.text) and not (line.text[:1].islower() and not current.text.endswith((".", "!", "?"))):
        return False
    if _marker(line.text)[0] < 6 or _FOOTNOTE.match(line.text):
        return False
    if pdf:
        return True
    return line.text[:1].islower()


def _continues_after_gap(current: Paragraph, lines: list[Line], i: int, pdf: bool = False) -> bool:
    """A paragraph cut by a blank line (a page break in the source) goes on when the next text starts in lower case
    (or, in a PDF, when the paragraph had not ended a sentence) and is not a heading."""
    j = i
    while j < len(lines) and not lines[j].text and j - i < 3:
        j += 1
    if j >= len(lines) or not lines[j].text or lines[j].cells is not None:
        return False
    nxt = lines[j].text
    if _END.search(current.text) or _marker(nxt)[0] < 6 or _FOOTNOTE.match(nxt):
        return False
    return nxt[:1].islower() or (pdf and not _END.search(current.text) and len(current.text) > 40)


# --------------------------------------------------------------------------- tables


def _header_like(cells: list[str]) -> bool:
    text = " ".join(cells).lower()
    return not _is_data_row(cells) and any(w in text for w in ("stt", "xếp hạng", "điểm", "mục tiêu", "score"))


def _starts_table(lines: list[Line], i: int, pdf: bool) -> bool:
    cells = lines[i].cells
    if cells is None:
        return False
    if not pdf:
        return True
    return _is_data_row(cells) or _header_like(cells)


def _table(lines: list[Line], i: int, pdf: bool) -> tuple[Table, int]:
    """The table starting at line ``i``: header rows until the first data row, then rows. A header repeated on a
    new page is skipped; lines that continue a row's name (a name cell wrapped onto the next line or page) are kept
    with the row."""
    table = Table([], [], lines[i].where, positional=not pdf)
    first_header: set[str] = set()
    in_header = True
    while i < len(lines):
        line = lines[i]
        if not line.text:
            j = i
            while j < len(lines) and not lines[j].text:
                j += 1
            if j < len(lines) and lines[j].cells is not None and (not pdf or _starts_table(lines, j, pdf)):
                i = j
                continue
            if pdf and j < len(lines) and table.rows and _wrapped_name(lines[j]) and _table_resumes(lines, j, pdf):
                i = j
                continue
            i = j
            break
        cells = line.cells
        if cells is None and (not pdf or _marker(line.text)[0] < 6):
            break
        if cells is not None and _is_data_row(cells):
            table.rows.append(Row(cells, line.where))
            in_header = False
        elif cells is not None and not pdf and table.rows and not cells[0].strip() and not _header_like(cells):
            table.rows[-1].continuation.append(" ".join(c for c in cells if c))  # a name going on in the next row
        elif cells is not None and _header_like(cells):
            in_header = True
            if not table.rows:
                table.header.append(cells)
                first_header.add(_key(line.text))
        elif not table.rows:  # words of a header wrapped onto more lines
            table.header.append(cells if cells is not None else [line.text])
            first_header.add(_key(line.text))
        elif in_header and _key(line.text) in first_header:
            pass  # the header again, on a new page
        elif in_header or table.rows[-1].continuation:
            table.rows[-1].continuation.append(line.text)  # after a page break: the name goes on
        else:
            table.rows[-1].wrapped.append(line.text)  # the name cell wrapped onto the next line
        i += 1
    return table, i


def _key(text: str) -> str:
    return " ".join(text.split())


def _wrapped_name(line: Line) -> bool:
    return line.cells is None and bool(line.text) and _marker(line.text)[0] == 6 and not _END.search(line.text)


def _table_resumes(lines: list[Line], j: int, pdf: bool) -> bool:
    """After a gap, lines of text followed by a table row: the name of a row wrapped onto the next page."""
    k = j
    while k < len(lines) and k - j < 6 and lines[k].cells is None and lines[k].text:
        k += 1
    return k < len(lines) and lines[k].cells is not None and _starts_table(lines, k, pdf)


# --------------------------------------------------------------------------- sentences and clauses

_SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=[{UPPER}“\"(\d])")
_ABBREVIATION = re.compile(r"(?:\b(?:TP|Tp|Số|số|TT|ThS|TS|PGS|GS|Ô|Bà)\.|\b[A-Z]\.)$")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (not after "TP." or a list marker), then at semicolons; each piece keeps its
    words exactly (a quote is a piece of the document, not a paraphrase)."""
    level, marker = _marker(text)
    body = text[len(marker) :] if marker else text
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(body):
        if _ABBREVIATION.search(body[: m.start()]):
            continue
        pieces.append(body[start : m.start()])
        start = m.end()
    pieces.append(body[start:])
    out: list[str] = []
    for piece in pieces:
        out.extend(p.strip() for p in re.split(r";\s+", piece) if p.strip())
    if out and marker:
        out[0] = marker + out[0]
    return out
