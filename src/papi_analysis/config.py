"""Every path the project uses, resolved from the project root (never from the current directory).

papermill runs notebooks in the caller's directory and nbval in the notebook's
directory, so nothing here depends on ``os.getcwd()``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the repository (the folder holding ``pyproject.toml``).
ROOT: Path = Path(os.environ.get("PAPI_ROOT", Path(__file__).resolve().parents[2]))

DATA_RAW: Path = ROOT / "data" / "raw"
DATA_PROCESSED: Path = ROOT / "data" / "processed"
#: Where notebooks save figures; tests point PAPI_FIGURES at a temporary folder.
FIGURES: Path = Path(os.environ.get("PAPI_FIGURES", ROOT / "figures"))
NOTEBOOKS: Path = ROOT / "notebooks"
REPORTS: Path = Path(os.environ.get("PAPI_REPORTS", ROOT / "reports"))

RAW_SCORES: Path = DATA_RAW / "papi" / "scores.csv"
RAW_SUBDIMENSIONS: Path = DATA_RAW / "papi" / "subdimensions.csv"
RAW_PROVINCES: Path = DATA_RAW / "reference" / "provinces.csv"
RAW_CHECKSUMS: Path = DATA_RAW / "SHA256SUMS"
RAW_PROVENANCE: Path = DATA_RAW / "provenance.json"

PROCESSED_PANEL: Path = DATA_PROCESSED / "papi_panel.csv"
PROCESSED_SUBDIMENSIONS: Path = DATA_PROCESSED / "papi_subdimensions.csv"


def source_dir() -> Path:
    """Folder holding the official PAPI files (``papi/sources/...``, ``reference/``, ``geo/``).

    Set ``PAPI_SOURCES`` to point elsewhere; the default is ``../shared/data``
    beside the repository, where the project's CI finds them.
    """
    return Path(os.environ.get("PAPI_SOURCES", ROOT.parent / "shared" / "data"))
