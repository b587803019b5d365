"""Results that do not depend on the province (bootstraps, placebo simulations), stored in data/processed/ and
reused by every province's notebook while the inputs and this package's code are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ... import config

_PACKAGE = Path(__file__).parent


def _code_digest() -> bytes:
    return b"".join(p.read_bytes() for p in sorted(_PACKAGE.glob("*.py")))


def cached(name: str, compute: Callable[[], pd.DataFrame], panel: pd.DataFrame, **inputs: Any) -> pd.DataFrame:
    """``compute()``, stored as data/processed/links_<name>_<key>.csv; the key hashes the panel's scores,
    ``inputs`` (plain values: years, draws, seed, ...) and the code of this package."""
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(panel[["year", "province_code", "dimension", "score"]],
                                             index=False).to_numpy().tobytes())
    digest.update(json.dumps(inputs, sort_keys=True, default=str).encode())
    digest.update(_code_digest())
    path = config.DATA_PROCESSED / f"links_{name}_{digest.hexdigest()[:16]}.csv"
    if path.exists():
        return pd.read_csv(path)
    result = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    result.to_csv(tmp, index=False)
    os.replace(tmp, path)  # parallel runs may race: identical content, last write wins
    return result
