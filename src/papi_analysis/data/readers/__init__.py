"""Readers for the official PAPI publication formats.

Each reader turns one published file into *raw records*: a long table with one
row per published number, keeping where it came from::

    year, province_code, source_province, indicator, label, statistic, value,
    missing_reason, source_file, source_sheet, source_cell

``indicator`` is ``D1``..``D8`` (dimension, 1-10 points), ``D1.1``.. (sub-dimension,
points as published), ``total_unweighted`` / ``total_weighted`` (PAPI total,
points), or ``respondents``. ``statistic`` is ``score``, ``ci_low``, ``ci_high``
(95% CI bounds), ``se`` (standard error), ``variance`` (variance of the estimate)
or ``n`` (respondents); ``label`` is the row or column header as published. A number PAPI did not publish (blank, ``KCDL``, ``#N/A``,
or a zero, which is never a real PAPI value) is kept as a row with
``value = NaN`` and the reason in ``missing_reason``.

Formats:

* :func:`read_release_2011_2016` — ``PAPI_2011-2016.xlsx``: one sheet per year,
  bilingual two-row header, GSO code ``tinhid``, a last "Highest" row (code 999).
* :func:`read_papi_workbook` — ``PAPI-2015-2023-{eng,vi}.xlsm``: province-row
  sheets (``2015_Process``.. or ``2015``..) and transposed year sheets (``2018``..,
  provinces as columns, with CI, SE and respondent counts). Sheets that repeat
  another year's scores are refused (:class:`DuplicateSheetError`).
* :func:`read_province_year_csv` — the 2020, 2021, 2024 CSV exports
  (``agg_province_year_YYYY.csv``).

Every reader refuses bad input with :class:`SourceFormatError`, naming the file,
sheet and row or cell.
"""

from .common import (  # noqa: F401
    RAW_COLUMNS,
    DuplicateSheetError,
    SourceFormatError,
    _resolve_province,
    _where,
    open_workbook,
    parse_value,
)
from .csv_exports import read_province_year_csv, read_raw_records  # noqa: F401
from .release import read_release_2011_2016  # noqa: F401
from .workbook import classify_transposed_row, inspect_workbook, read_papi_workbook, scale_column  # noqa: F401
