"""papi-analysis: research tools for Vietnam's PAPI index (papi.org.vn).

Where things are, in the order a number travels::

    data/raw/  (published figures, checksummed; written only by ``import-raw``)
      -> papi_analysis.data       schema, provinces, readers, importer, panel
      -> papi_analysis.analysis   ranking, trends, links, targets
      -> papi_analysis.report     figures, runner, cli
      -> notebooks/ -> reports/<province>/ and figures/<province>/

``config`` (every path) and ``params`` (parameter checks) are shared by all
stages. A stage imports only the stages before it (checked by import-linter).

>>> from papi_analysis import load_scores, trends
>>> panel = load_scores()          # tidy 2011-2024 panel, one row per year x province x dimension
"""

from __future__ import annotations

import importlib
from typing import Any

import pandas as pd

__version__ = "0.1.0"

#: Modules importable by name from the package, e.g. ``from papi_analysis import trends``.
_MODULES = {
    "schema": "data", "provinces": "data", "readers": "data", "importer": "data", "panel": "data",
    "ranking": "analysis", "trends": "analysis", "links": "analysis", "targets": "analysis",
    "figures": "report", "runner": "report", "cli": "report",
}


def load_scores() -> pd.DataFrame:
    """The tidy PAPI panel 2011-2024 (see :mod:`papi_analysis.data.panel` for the columns and units)."""
    from .data.panel import read_panel

    return read_panel()


def __getattr__(name: str) -> Any:
    # Lazy, so that ``import papi_analysis`` (the CLI's start-up) does not import pandas' heavy friends.
    if name in _MODULES:
        return importlib.import_module(f".{_MODULES[name]}.{name}", __name__)
    if name == "evaluate_targets":
        return importlib.import_module(".analysis.targets", __name__).evaluate_targets
    raise AttributeError(f"module 'papi_analysis' has no attribute {name!r}")


__all__ = ["load_scores", "evaluate_targets", "__version__", *_MODULES]
