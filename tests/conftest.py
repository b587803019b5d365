"""Shared fixtures. Tests run on the real PAPI data in data/raw/ (and, for the readers, the official files)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Figures written by tests (and by notebooks nbval runs) go to a scratch folder, not figures/.
os.environ.setdefault("PAPI_FIGURES", tempfile.mkdtemp(prefix="papi-figures-"))
os.environ.setdefault("PAPI_REPORTS", tempfile.mkdtemp(prefix="papi-reports-"))

import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")  # tests only: no kernel is involved here

from papi_analysis import config  # noqa: E402


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """Folder with the official files (papi/sources/...). CI sets PAPI_REQUIRE_SOURCES=1, so there it never skips."""
    root = config.source_dir()
    if not (root / "papi" / "sources" / "PAPI_2011-2016.xlsx").exists():
        message = (
            f"official PAPI files not found under {root}; set PAPI_SOURCES to the folder holding "
            "papi/sources/ and reference/"
        )
        if os.environ.get("PAPI_REQUIRE_SOURCES"):
            pytest.fail(message)
        pytest.skip(message)
    return root


@pytest.fixture(scope="session")
def panel():
    from papi_analysis import load_scores

    return load_scores()


# The demo notebook of the report mechanisms has no default province on purpose; tests run it with parameters.
collect_ignore_glob = ["fixtures/*.ipynb"]
