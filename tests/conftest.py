"""Shared fixtures. Tests run on the real PAPI data in data/raw/ (and, for the readers, the official files)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Figures written by tests (and by notebooks nbval runs) go to a scratch folder, not figures/; each pytest process
# (xdist worker) has its own, removed when the process ends. A worker inherits the environment of the process that
# started it: a folder this file made there (named in *_FROM_CONFTEST) is replaced by the worker's own, or the workers
# would share one reports/ and wait for each other's locks; a folder the user set is kept.
_SCRATCH = []
for _variable, _prefix in (("PAPI_FIGURES", "papi-figures-"), ("PAPI_REPORTS", "papi-reports-")):
    if _variable not in os.environ or os.environ[_variable] == os.environ.get(f"{_variable}_FROM_CONFTEST"):
        _SCRATCH.append(tempfile.mkdtemp(prefix=_prefix))
        os.environ[_variable] = os.environ[f"{_variable}_FROM_CONFTEST"] = _SCRATCH[-1]
atexit.register(lambda: [shutil.rmtree(path, ignore_errors=True) for path in _SCRATCH])

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


@pytest.fixture(scope="module", autouse=True)
def outputs_of_this_module(tmp_path_factory):
    """Each test module writes its reports and figures into folders of its own. Modules that shared one worker's
    reports/ca-mau saw each other's reports: the CLI's English trends report put a sheet into the demo report's
    workbook when both ran on the same xdist worker (CI of stop 33)."""
    folder = tmp_path_factory.mktemp("outputs")
    with pytest.MonkeyPatch.context() as patch:
        for variable, name in (("PAPI_REPORTS", "REPORTS"), ("PAPI_FIGURES", "FIGURES")):
            patch.setattr(config, name, folder / name.lower())
            patch.setenv(variable, str(folder / name.lower()))  # kernels started later read it
        yield folder


@pytest.fixture(scope="session")
def panel():
    from papi_analysis import load_scores

    return load_scores()


# The demo notebook of the report mechanisms has no default province on purpose; tests run it with parameters.
collect_ignore_glob = ["fixtures/*.ipynb"]
