"""PAPI published on the 34 provinces (from PAPI 2025 on): the layouts read, the checks, the import and its undo.

Layouts (:func:`read_release34` tells them apart by the file's content):

* **The official provincial-indicators workbook** (``.xlsx``/``.xlsm``, :mod:`.workbook`): transposed, indicator
  rows x province columns, as PAPI publishes every year since 2018 -- label columns, ``Thang điểm/Scale``, one
  column per province (any accepted spelling of the 34 names; a ``Mã tỉnh`` code row is checked), rows for the
  unweighted and weighted totals with their CI and SE, one row per dimension (optionally with its own CI/SE/variance
  or weighted rows), ``Số quan sát`` (respondents). The year comes from the sheet name (``2025``,
  ``2025_VIE_ENG``...), else the file name, else ``--year``. A sheet on the 63 former provinces (with or without rows
  mapping them to the 34) is refused with a sentence: it is not a release on the 34 provinces.
* **The row-per-province layout** (:mod:`.rows`): a UTF-8 CSV, or a workbook sheet with this header row -- ``year``,
  ``province_code`` (new GSO code), ``province`` (any spelling; must name the same province), ``D1``..``D8``,
  ``total``; optional ``total_se``, ``total_ci_low``, ``total_ci_high`` (points), ``n_respondents``.

Checks (:mod:`.validate`, whole file, before anything is written; every problem one sentence naming file, row and
column): the year is after the last year published on the 63 provinces and not after the survey year under way
(:func:`.layout.accepted_years`: 2025-2026 in 2026); the 34 provinces, each once; scores, CI bounds and SE within
their scale; whole respondent counts; CI bounds ordered, centred on the score and consistent with the SE; totals
equal to the sum of the dimensions.

Import (:mod:`.store`, ``papi-analysis import-release34 FILE --origin "..."``): the figures go to
``data/raw/papi34/scores_<year>.csv`` in the long format of ``data/raw/papi/scores.csv`` with a provenance sidecar,
and ``SHA256SUMS`` is re-pinned -- atomically, never through a symbolic link; a year already imported is replaced
only with ``--force``; ``papi-analysis import-release34 --undo YEAR`` puts back the exact earlier bytes.
``build-data`` then appends the year to the 34-province panel with ``score_source = "published"``.
"""

from .derived import write_official_workbook, write_release34
from .layout import (
    OPTIONAL_COLUMNS,
    RAW_DIR,
    RECORD_COLUMNS,
    RELEASE34_COLUMNS,
    TOTAL_TOLERANCE,
    ReleaseFormatError,
    accepted_years,
    current_survey_year,
    last_published_year,
)
from .store import (
    ImportResult,
    ReleaseImportError,
    import_release34,
    imported_files,
    read_imported,
    read_release34,
    read_release_records,
    to_records,
    undo_import,
)
