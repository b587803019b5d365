"""The one call a notebook makes to put a table in a report (:func:`show_table`)."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from .cells import TABLE_MIME, styled_table
from .workbook import excel_frame


def show_table(
    frame: pd.DataFrame,
    name: str,
    lang: str,
    caption: str | None = None,
    headers: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    footnote: str | None = None,
) -> None:
    """Display ``frame`` as a report table and register it (sheet ``name``) for tables.xlsx.

    ``footnote`` replaces the default explanation of "—" (:data:`FOOTNOTE`, about PAPI) where a dash
    means something else, e.g. a figure a plan does not state; it is shown only if a value is missing.
    """
    from IPython.display import display

    styler = styled_table(frame, lang, caption, headers, kinds)
    body = styler.to_html()
    if styler._papi_footnote:
        body += f'<p class="papi-footnote">{html.escape(footnote or styler._papi_footnote)}</p>'
    sheet = excel_frame(frame, lang, headers, kinds)
    display(
        {
            "text/html": body,
            "text/plain": f"[table: {name}]",
            TABLE_MIME: {
                "name": name,
                "caption": caption or "",
                "columns": list(sheet.columns),
                "kinds": sheet.attrs["kinds"],
                "cell_formats": sheet.attrs.get("cell_formats", {}),
                "rows": sheet.values.tolist(),
            },
        },
        raw=True,
    )
