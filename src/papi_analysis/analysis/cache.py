"""Results that do not depend on the province, computed once and stored in ``data/processed/cache/``.

Every province's report shows the same national rank intervals, correlations and regressions. They are stored
under a key made of the panel's geography and full content, the call's inputs, the raw inputs besides the panel
and the code they can depend on (``analysis/`` and ``data/``), so a stored result is used only when a fresh
computation would give the same numbers. Frames are stored as pickles (exact floats and dtypes); a notebook run
with a cold cache and one with a warm cache show the same output.

A read-only ``data/processed/`` (a shared copy, a locked-down machine) is no obstacle: a stored result is read without
a lock, and a result that cannot be stored is computed and used without storing it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config

CACHE = config.DATA_PROCESSED / "cache"
_PACKAGE = Path(__file__).resolve().parents[1]
_CODE_FOLDERS = ("analysis", "data")


def code_digest(files: Iterable[Path] | None = None) -> bytes:
    """SHA-256 of the code a result can depend on (default: every module of ``analysis/`` and ``data/``)."""
    if files is None:
        files = [p for folder in _CODE_FOLDERS for p in (_PACKAGE / folder).rglob("*.py")]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.read_bytes())
    return digest.digest()


def raw_inputs_digest() -> bytes:
    """The raw inputs read besides the panel: the PCI/population panel and both province registries."""
    from ..data import provinces
    from ..data.context import RAW_CONTEXT

    files = [config.DATA_RAW / RAW_CONTEXT, provinces.registry_path("63"), provinces.registry_path("34")]
    return b"".join(p.read_bytes() if p.exists() else b"absent:" + p.name.encode() for p in files)


def panel_digest(panel: pd.DataFrame, columns: list[str] | None = None) -> bytes:
    """The panel's geography and content (``columns``, default all of them)."""
    from ..data import provinces

    frame = panel if columns is None else panel[columns]
    head = f"geography={provinces.geography_of(panel)};{list(map(str, frame.columns))};{len(frame)};"
    return head.encode() + pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()


def key(
    panel: pd.DataFrame, inputs: dict[str, Any], code: bytes | None = None, panel_columns: list[str] | None = None
) -> str:
    """16 hex digits identifying one result (see the module docstring)."""
    digest = hashlib.sha256()
    digest.update(panel_digest(panel, panel_columns))
    digest.update(json.dumps(inputs, sort_keys=True, default=str).encode())
    digest.update(f"pandas={pd.__version__};".encode())
    digest.update(raw_inputs_digest())
    digest.update(code if code is not None else code_digest())
    return digest.hexdigest()[:16]


def store(path: Path, result: pd.DataFrame, fmt: str) -> None:
    """Write atomically: parallel workers may race; the content is identical and the last write wins."""
    from ..params import temporary_path

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        if fmt == "csv":
            result.to_csv(tmp, index=False)
        else:
            pd.to_pickle(result, tmp)  # any object: frames, or a fitted model with its frames
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def computing(path: Path) -> Iterator[None]:
    """Hold ``path``'s lock while it is computed: a second report worker that needs the same result waits for it
    and then reads it, instead of computing it a second time (POSIX file locks; elsewhere, or where the lock file
    cannot be written, no lock)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: workers may compute the same result twice, with the same content
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_name(f".{path.name}.lock"), "w")
    except OSError:  # a read-only folder: nothing will be stored there either
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            # the lock file goes once the result is there: a worker already waiting on it still gets the lock and
            # reads the result; one arriving later finds the result and needs no lock (no .lock files pile up)
            Path(lock.name).unlink(missing_ok=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


def load_or_compute(path: Path, compute: Callable[[], pd.DataFrame], fmt: str = "pickle") -> pd.DataFrame:
    """The stored result at ``path``, else ``compute()`` stored there (once, even with parallel workers).

    The result is always the one read back from the file, so the run that computes it and every later run that
    reads it see the same values and dtypes (a CSV can change dtypes). Where it cannot be stored (a read-only
    folder), the result goes through the same format in memory and is used unstored."""
    read = pd.read_csv if fmt == "csv" else pd.read_pickle
    if path.exists():
        return read(path)
    with computing(path):
        if path.exists():  # another worker computed it while this one waited
            return read(path)
        result = compute()
        try:
            store(path, result, fmt)
        except OSError:
            if fmt == "csv":
                return pd.read_csv(io.StringIO(result.to_csv(index=False)))
            return pickle.loads(pickle.dumps(result))
    return read(path)


def cached(name: str, compute: Callable[[], Any], panel: pd.DataFrame, **inputs: Any) -> Any:
    """``compute()`` (a frame, or any picklable result) stored as ``data/processed/cache/<name>_<geography>_<key>.pkl``
    and reused."""
    from ..data import provinces

    return load_or_compute(CACHE / f"{name}_{provinces.geography_of(panel)}_{key(panel, inputs)}.pkl", compute)


_MEMORY: dict[str, pd.DataFrame] = {}


def remembered(name: str, compute: Callable[[], pd.DataFrame], frame: pd.DataFrame, **inputs: Any) -> pd.DataFrame:
    """``compute()`` kept in this process's memory, keyed by ``frame``'s full content and ``inputs`` (a copy is
    returned, so callers may change it). For results that are quick to store but asked for many times in one
    notebook or by every notebook a report worker runs."""
    digest = hashlib.sha256(name.encode() + json.dumps(inputs, sort_keys=True, default=str).encode())
    digest.update(repr((list(map(str, frame.columns)), list(map(str, frame.dtypes)), frame.attrs)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    key = digest.hexdigest()
    if key not in _MEMORY:
        if len(_MEMORY) > 64:
            _MEMORY.clear()
        _MEMORY[key] = compute()
    return _MEMORY[key].copy()
