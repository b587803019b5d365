"""Results that do not depend on the province (bootstraps, placebo simulations), stored in data/processed/ and
reused by every province's notebook while the inputs and the code they depend on are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ... import config
from ...data import provinces

_PACKAGE = Path(__file__).parent
_DATA = _PACKAGE.parents[1] / "data"
#: code outside this package that the cached numbers depend on: the dimensions of each year and the
#: methodology breaks (schema), the province registries and regions (provinces), the PCI reader (context)
_DATA_MODULES = ("schema.py", "provinces.py", "context.py")


def _code_digest() -> bytes:
    files = sorted(_PACKAGE.glob("*.py")) + [_DATA / name for name in _DATA_MODULES]
    return b"".join(p.read_bytes() for p in files)


def _inputs_digest() -> bytes:
    """Raw inputs read besides the panel: the PCI/population panel and both province registries."""
    from ...data.context import RAW_CONTEXT

    files = [config.DATA_RAW / RAW_CONTEXT, provinces.registry_path("63"), provinces.registry_path("34")]
    return b"".join(p.read_bytes() if p.exists() else b"absent:" + p.name.encode() for p in files)


def cache_key(panel: pd.DataFrame, **inputs: Any) -> str:
    """16 hex digits: the panel's geography and scores, ``inputs``, the raw inputs and the code behind the results.
    A 63- and a 34-province panel never share a key (the geography is hashed, not only the scores)."""
    digest = hashlib.sha256()
    digest.update(f"geography={provinces.geography_of(panel)};".encode())
    digest.update(pd.util.hash_pandas_object(panel[["year", "province_code", "dimension", "score"]],
                                             index=False).to_numpy().tobytes())
    digest.update(json.dumps(inputs, sort_keys=True, default=str).encode())
    digest.update(_inputs_digest())
    digest.update(_code_digest())
    return digest.hexdigest()[:16]


def cached(name: str, compute: Callable[[], pd.DataFrame], panel: pd.DataFrame, **inputs: Any) -> pd.DataFrame:
    """``compute()``, stored as data/processed/links_<name>_<geography>_<key>.csv (see :func:`cache_key`)."""
    geography = provinces.geography_of(panel)
    path = config.DATA_PROCESSED / f"links_{name}_{geography}_{cache_key(panel, **inputs)}.csv"
    if path.exists():
        return pd.read_csv(path)
    result = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    result.to_csv(tmp, index=False)
    os.replace(tmp, path)  # parallel runs may race: identical content, last write wins
    return result
