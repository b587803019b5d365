"""papi-analysis: research tools for Vietnam's PAPI index (papi.org.vn).

Where things are, in the order a number travels::

    data/raw/  (published figures, checksummed; written only by the importers)
      -> papi_analysis.data       what PAPI measures, where each number comes from: schema, provinces,
                                  raw_files, readers, importer, panel, geography, release34, context,
                                  indices, index_targets, plan_reader (plan schema, targets files, plan
                                  documents read into target rows)
      -> papi_analysis.analysis   what the numbers say: ranking, rank_uncertainty, rank_change, trends,
                                  peers, frontier, links, targets, index_checks, cache
      -> papi_analysis.report     what a reader sees: figures, tables, texts, numbers, messages, summary,
                                  target_figures, pages, plan_forms
      -> papi_analysis.run        how it is produced: tasks, outputs, runner, kernels, kernel_state, export (HTML),
                                  browser (PDF), lifecycle (locks, stopping, clean-up), notebook_tools, cli
      -> notebooks/ -> reports/<province>/ and figures/<province>/

``config`` (every path) and ``params`` (parameter checks) are shared by all
stages. A stage imports only the stages before it, and no module is part of an
import circle (both checked by import-linter).

>>> from papi_analysis import load_scores, trends
>>> panel = load_scores()          # tidy 2011-2024 panel, one row per year x province x dimension
>>> panel34 = load_scores(geography="34")   # the 34 provinces since 1 July 2025, history recast
"""

from __future__ import annotations

import importlib
from typing import Any

import pandas as pd

__version__ = "0.1.0"

#: Modules importable by name from the package, e.g. ``from papi_analysis import trends``.
_MODULES = {
    "schema": "data",
    "provinces": "data",
    "readers": "data",
    "importer": "data",
    "panel": "data",
    "geography": "data",
    "release34": "data",
    "ranking": "analysis",
    "trends": "analysis",
    "links": "analysis",
    "targets": "analysis",
    "figures": "report",
    "runner": "run",
    "cli": "run",
}


def load_scores(geography: str | int = "63") -> pd.DataFrame:
    """The tidy PAPI panel (see :mod:`papi_analysis.data.panel` for the columns and units).

    ``geography="63"``: the 63 provinces as published, 2011-2024. ``geography="34"``: the
    34 provinces since 1 July 2025, with 2011-2024 recast from the 63 (``score_source ==
    "recast"`` marks this project's estimates; see :mod:`papi_analysis.data.geography`).
    """
    from .data.panel import read_panel

    return read_panel(geography=str(geography))


def __getattr__(name: str) -> Any:
    # Lazy, so that ``import papi_analysis`` (the CLI's start-up) does not import pandas' heavy friends.
    if name in _MODULES:
        return importlib.import_module(f".{_MODULES[name]}.{name}", __name__)
    if name == "evaluate_targets":
        return importlib.import_module(".analysis.targets", __name__).evaluate_targets
    raise AttributeError(f"module 'papi_analysis' has no attribute {name!r}")


__all__ = ["load_scores", "evaluate_targets", "__version__", *_MODULES]
