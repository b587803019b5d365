"""The "at a glance" block that opens every report: a few computed sentences, styled, in one language."""

from __future__ import annotations

import html
from collections.abc import Iterable

from ..params import check_lang

#: CSS class the browser test looks for (tests/test_browser.py)
SUMMARY_CLASS = "papi-summary"
TITLES = {"vi": "Tóm tắt", "en": "At a glance"}


def summary_html(points: Iterable[str], lang: str, title: str | None = None) -> str:
    """HTML of the block: a heading and one bullet per point (plain text, escaped)."""
    lang = check_lang(lang)
    items = [p for p in points if p]
    if not items:
        raise ValueError("A summary needs at least one point computed from the data.")
    bullets = "".join(f"<li>{html.escape(p)}</li>" for p in items)
    return (
        f'<div class="{SUMMARY_CLASS}" lang="{lang}">'
        f'<p class="{SUMMARY_CLASS}-title"><strong>{html.escape(title or TITLES[lang])}</strong></p>'
        f"<ul>{bullets}</ul></div>"
    )


def show_summary(points: Iterable[str], lang: str, title: str | None = None) -> None:
    """Display the block in a notebook (put it in the first code cell after the parameters check)."""
    from IPython.display import HTML, display

    display(HTML(summary_html(points, lang, title)))


#: CSS class and output-metadata key of the line under a report's title (:func:`show_subtitle`)
SUBTITLE_CLASS = "papi-subtitle"


def show_subtitle(text: str) -> None:
    """Display the line that qualifies the report's title ("Kế hoạch của tỉnh Quảng Nam (cũ), đọc cho Đà Nẵng mới");
    nothing when ``text`` is empty. The runner reads it back (:func:`subtitle_of`) for the browser tab, the PDF's title
    and the index page."""
    from IPython.display import HTML, display

    if text:
        display(
            HTML(f'<p class="{SUBTITLE_CLASS}"><strong>{html.escape(text)}</strong></p>'),
            metadata={SUBTITLE_CLASS: text},
        )


def subtitle_of(notebook) -> str:
    """The line :func:`show_subtitle` displayed in an executed notebook (an nbformat node), or ''."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("metadata", {}).get(SUBTITLE_CLASS)
            if isinstance(text, str) and text:
                return text
    return ""
