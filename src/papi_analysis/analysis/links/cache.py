"""Results that do not depend on the province (bootstraps, placebo simulations), stored in data/processed/ and
reused by every province's notebook while the inputs and the code they depend on are unchanged (the keys and the
atomic writes are those of :mod:`papi_analysis.analysis.cache`; links results are kept as CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ... import config
from ...data import provinces
from .. import cache as results_cache

_PACKAGE = Path(__file__).parent
_DATA = _PACKAGE.parents[1] / "data"
#: code outside this package that the cached numbers depend on: the dimensions of each year and the
#: methodology breaks (schema), the province registries and regions (provinces), the PCI reader (context)
_DATA_MODULES = ("schema.py", "provinces.py", "context.py")


def _code_files() -> list[Path]:
    return sorted(_PACKAGE.glob("*.py")) + [_DATA / name for name in _DATA_MODULES]


def cache_key(panel: pd.DataFrame, **inputs: Any) -> str:
    """16 hex digits: the panel's geography and scores, ``inputs``, the raw inputs and the code behind the results.
    A 63- and a 34-province panel never share a key (the geography is hashed, not only the scores)."""
    code = results_cache.code_digest(_code_files())
    return results_cache.key(panel, inputs, code, panel_columns=["year", "province_code", "dimension", "score"])


def cached(name: str, compute: Callable[[], Any], panel: pd.DataFrame, *, fmt: str = "csv", **inputs: Any) -> Any:
    """``compute()``, stored as data/processed/links_<name>_<geography>_<key>.csv (see :func:`cache_key`), or as a
    ``.pkl`` with ``fmt="pickle"``: exact dtypes, and results that are not one table."""
    if fmt not in ("csv", "pickle"):
        raise ValueError(f"fmt must be 'csv' or 'pickle', not {fmt!r}.")
    geography = provinces.geography_of(panel)
    suffix = "csv" if fmt == "csv" else "pkl"
    path = config.DATA_PROCESSED / f"links_{name}_{geography}_{cache_key(panel, **inputs)}.{suffix}"
    return results_cache.load_or_compute(path, compute, fmt)
