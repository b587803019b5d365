"""What a reader of a report gets, for the tests of the reports' two layers and their language: the cells of one
language and the outputs of the cells that reach the page, and where the appendix for analysts starts."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

APPENDIX = {"vi": "# Phụ lục cho người phân tích", "en": "# Appendix for analysts"}


def appendix_index(cells: list, lang: str) -> int:
    """Index of the one markdown cell that opens the appendix in ``lang``."""
    found = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith(APPENDIX[lang])]
    assert len(found) == 1, f"one appendix heading in {lang}"
    return found[0]


def reader_parts(path: Path, lang: str) -> list[str]:
    """What a reader sees, cell by cell: markdown in ``lang`` and the outputs of the cells that reach the page."""
    hidden = ({"vi", "en"} - {lang}) | {"no-report", "parameters", "injected-parameters"}
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if set(cell.metadata.get("tags", [])) & hidden:
            continue
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("text/html") or data.get("text/markdown") or output.get("text") or ""
            text = "".join(text) if isinstance(text, list) else str(text)
            text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
            parts.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).replace("&quot;", '"'))
    return parts
