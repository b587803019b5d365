"""Tables for people: a tidy DataFrame shown as a styled HTML table in the report's language.

:func:`show_table` is the one call a notebook makes to put a table in a report. It

* replaces column names by human headers (:data:`COLUMNS`, Vietnamese or English),
* translates enum values (``low_average`` -> "Trung bình thấp" / "Low average"),
* formats numbers by column kind: points with 2 decimals, probabilities as whole
  percentages with their interval ("30% (20–41%)"), ranks as "21/63",
* shows a missing value as "—" and adds a footnote saying so,
* hides the index and colour-codes outcomes, verdicts and groups,
* and tags the output so the runner also writes the table to
  ``reports/<slug>/tables.xlsx`` (one sheet per table, the same headers).

Columns not in :data:`COLUMNS` are refused (a report never shows a snake_case
identifier): add them to the table or pass ``headers=``.

Modules: ``cells`` (headers, translated values, formatted cells, the styled HTML table), ``show`` (:func:`show_table`),
``parse`` (numbers a text module wrote into a cell, read back as numbers), ``workbook`` (tables.<lang>.xlsx: sheets,
names, number formats), ``subdimensions`` (display names of PAPI's sub-dimensions).
"""

from .cells import (
    COLOURS,
    COLUMNS,
    FOOTNOTE,
    INTERVALS,
    MISSING,
    NUMERIC_KINDS,
    TABLE_MIME,
    VALUES,
    _number,
    display_frame,
    header,
    styled_table,
    translate,
)
from .parse import _numbers_in_text
from .show import show_table
from .subdimensions import SUBDIMENSION_LABELS, SUBDIMENSION_MARK_NOTE, subdimension_label
from .workbook import (
    EXCEL_FORMATS,
    EXCEL_LOCALE,
    FORMULA_PREFIXES,
    SHEET_LABEL_LENGTH,
    SHEET_LABELS,
    SHEET_NAME_LENGTH,
    _clean,
    excel_frame,
    report_sheet_names,
    sheet_name,
    tables_in_notebook,
    write_tables_xlsx,
)

__all__ = [
    "COLOURS",
    "COLUMNS",
    "EXCEL_FORMATS",
    "EXCEL_LOCALE",
    "FOOTNOTE",
    "FORMULA_PREFIXES",
    "INTERVALS",
    "MISSING",
    "NUMERIC_KINDS",
    "SHEET_LABELS",
    "SHEET_LABEL_LENGTH",
    "SHEET_NAME_LENGTH",
    "SUBDIMENSION_LABELS",
    "SUBDIMENSION_MARK_NOTE",
    "TABLE_MIME",
    "VALUES",
    "display_frame",
    "excel_frame",
    "header",
    "report_sheet_names",
    "sheet_name",
    "show_table",
    "styled_table",
    "subdimension_label",
    "tables_in_notebook",
    "translate",
    "write_tables_xlsx",
]
