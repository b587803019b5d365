"""The text of a plan document, line by line, each line knowing where it is in the document.

Word (.docx, with ``python-docx``: paragraphs and tables in document order, a table row as tab-separated cells),
PDF with a text layer (``pypdf``, layout mode: a table row keeps its columns apart by runs of spaces), plain text
(.txt, UTF-8 or UTF-16) and text given directly (standard input). A scanned PDF has no words to read: it is refused
with a sentence saying so, never guessed at. Text is NFC-normalised (Vietnamese written with combining marks reads
like precomposed text).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .schema import TargetFileError, shown
from .tabular import decode_text

SUFFIXES: tuple[str, ...] = (".docx", ".pdf", ".txt")
#: a PDF page with fewer visible characters than this is taken as an image (scanned) page
MIN_CHARACTERS_PER_PAGE = 40
MAX_DOCUMENT_BYTES = 50_000_000


class PlanDocumentError(TargetFileError):
    """A plan document that cannot be read (the message says why and what to do)."""


@dataclass
class Line:
    """One line of a document: its text, where it is, and its cells when it is a table row."""

    text: str
    where: str
    cells: list[str] | None = None
    page: int = 0


@dataclass
class Document:
    name: str
    kind: str  # "docx", "pdf", "txt" or "text"
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_document(path: str | Path | None = None, text: str | None = None, name: str = "standard input") -> Document:
    """The lines of a plan document (``path``), or of ``text`` given directly (e.g. read from standard input)."""
    if text is not None:
        return _from_text(text, name, "text")
    if path is None:
        raise PlanDocumentError("give a plan document (.docx, .pdf or .txt) or text on standard input.")
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise PlanDocumentError(f"{path} does not exist.")
    if path.is_dir():
        raise PlanDocumentError(f"{path} is a folder; give the plan document (.docx, .pdf or .txt).")
    if suffix not in SUFFIXES:
        hint = " Save it from Word as .docx (File > Save As)." if suffix in (".doc", ".odt", ".rtf") else ""
        raise PlanDocumentError(
            f"{path.name}: the plan reader reads Word (.docx), PDF with text, or plain text (.txt), not "
            f"{shown(suffix or 'a file without suffix')}.{hint}"
        )
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise PlanDocumentError(f"{path.name} is larger than {MAX_DOCUMENT_BYTES:,} bytes; a plan is far smaller.")
    if suffix == ".txt":
        return _from_text(decode_text(path.read_bytes(), path.name), path.name, "txt")
    if suffix == ".docx":
        return _from_docx(path)
    return _from_pdf(path)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\u200b", "")).rstrip()


def _from_text(text: str, name: str, kind: str) -> Document:
    doc = Document(name, kind)
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = _nfc(raw)
        cells = [c.strip() for c in line.split("\t")] if "\t" in line else None
        doc.lines.append(Line(line.strip() if cells is None else line, f"line {number}", cells))
    return doc


def _from_docx(path: Path) -> Document:
    try:
        import docx
        from docx.table import Table
    except ImportError:  # pragma: no cover - a dependency of the project
        raise PlanDocumentError("reading .docx needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises several kinds for a file that is not a .docx
        raise PlanDocumentError(
            f"{path.name} cannot be opened as a Word document ({type(err).__name__}); an old .doc file must be saved "
            "as .docx first (Word: File > Save As > Word Document)."
        ) from None
    doc = Document(path.name, "docx")
    paragraph = table_number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_number += 1
            for r, row in enumerate(block.rows, 1):
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_nfc(" ".join(p.text for p in cell.paragraphs)).strip())
                doc.lines.append(Line("\t".join(cells), f"table {table_number}, row {r}", cells))
            doc.lines.append(Line("", f"after table {table_number}"))
            continue
        paragraph += 1
        for piece in block.text.split("\n"):
            doc.lines.append(Line(_nfc(piece).strip(), f"paragraph {paragraph}"))
    return doc


def _from_pdf(path: Path) -> Document:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a dependency of the project
        raise PlanDocumentError("reading .pdf needs pypdf: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanDocumentError(f"{path.name} is protected by a password; save an unprotected copy and read that.")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except PlanDocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise PlanDocumentError(f"{path.name} cannot be read as a PDF ({type(err).__name__}).") from None
    visible = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if not pages or visible < MIN_CHARACTERS_PER_PAGE * len(pages):
        raise PlanDocumentError(
            f"{path.name} has no text layer ({visible} characters on {len(pages)} page(s)): it is probably a scanned "
            "image, whose words the reader cannot see. Ask for the Word file of the plan, or make the PDF searchable "
            "with OCR (e.g. ocrmypdf -l vie) and read that."
        )
    doc = Document(path.name, "pdf")
    for number, page in enumerate(pages, 1):
        for k, raw in enumerate(page.split("\n"), 1):
            line = _nfc(raw)
            cells = [c for c in re.split(r"\s{3,}", line.strip())] if re.search(r"\S\s{3,}\S", line.strip()) else None
            doc.lines.append(Line(line.strip(), f"page {number}, line {k}", cells, page=number))
        doc.lines.append(Line("", f"end of page {number}", page=number))
    return doc
