"""What a report run owns on disk: file names (language and plan in every name), the manifest beside each report,
the hash of everything a report depends on, and whether a report on disk is still current."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config
from ..data import provinces
from ..data.raw_files import data_version
from ..params import file_slug, temporary_path
from .tasks import NOTEBOOKS, Task, _stamp


@dataclass
class Result:
    slug: str
    notebook: str
    status: str  # ok | skipped (up to date) | failed | not applicable
    message: str
    seconds: float
    kernel_rss_mib: float | None = None  # the reused kernel's resident memory after this notebook
    kernel_peak_mib: float | None = None  # and its peak so far
    worker_pid: int | None = None  # the process whose kernel ran it (memory is compared within one worker)
    worker_sequence: int | None = None  # the order in which that worker ran its notebooks (1 = first)
    html: str | None = None  # the report written, relative to the repository


def _code_fingerprint() -> str:
    files = sorted(Path(__file__).parents[1].rglob("*.py"))
    return _hash_files(_stamp(*files))


@lru_cache(maxsize=4)
def _hash_files(stamp: tuple) -> str:
    from ..analysis.cache import code_digest

    return code_digest(Path(entry[0]) for entry in stamp).hex()


@lru_cache(maxsize=16)
def _file_bytes(stamp: tuple) -> bytes:
    """A file's bytes, read again only when its size or modification time changed (pages ask for every report's
    input hash)."""
    return Path(stamp[0][0]).read_bytes()


def input_hash(task: Task) -> str:
    """Everything a notebook's output depends on: notebook, parameters, raw data, library code."""
    digest = hashlib.sha256()
    digest.update(_file_bytes(_stamp(notebook_path(task))))
    digest.update(json.dumps(task.parameters, sort_keys=True, ensure_ascii=False).encode())
    digest.update(config.RAW_CHECKSUMS.read_bytes())
    digest.update(_code_fingerprint().encode())
    plan = task.parameters.get("plan")
    if plan and Path(plan).suffix and Path(plan).is_file():
        digest.update(Path(plan).read_bytes())
    return digest.hexdigest()


def _shown(path: Path) -> str:
    """A path as a reader should see it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(config.ROOT))
    except ValueError:
        return str(path)


def notebook_path(task: Task) -> Path:
    return Path(task.source) if task.source else config.NOTEBOOKS / NOTEBOOKS[task.notebook]


def plan_label(plan: str | None) -> str | None:
    """The plan as it appears in file names: a seed plan id, or the ``plan_id`` inside a user's file, made a file
    name by :func:`papi_analysis.params.file_slug` ("45/KH-UBND" -> "45-KH-UBND-" and 8 hex digits)."""
    if not plan:
        return None
    if Path(plan).suffix.lower() in {".csv", ".yaml", ".yml", ".xlsx"}:
        from ..analysis.targets import load_targets

        ids = list(dict.fromkeys(load_targets(plan)["plan_id"]))
        plan = ids[0] if len(ids) == 1 else Path(plan).stem
    return file_slug(plan)


def output_stem(task: Task) -> str:
    """``01_trends.vi``, ``02_target_realism.cao-bang-2023.en``: language and plan are in every file name."""
    stem = notebook_path(task).stem
    lang = task.parameters.get("lang", "vi")
    label = plan_label(task.parameters.get("plan"))
    return f"{stem}.{label}.{lang}" if label else f"{stem}.{lang}"


def outputs(folder: Path, stem: str) -> dict[str, Path]:
    """Every file one report run owns, by kind."""
    return {
        "ipynb": folder / f"{stem}.ipynb",
        "html": folder / f"{stem}.html",
        "json": folder / f"{stem}.json",
        "pdf": folder / f"{stem}.pdf",
        "failed": folder / f"{stem}.failed.ipynb",
    }


def _manifest(path: Path) -> dict | None:
    """A report's manifest (``<stem>.json``), or None when it is missing or unreadable (the report is then redone)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary name beside ``path`` and rename it: never half a file, never a shared name."""
    tmp = temporary_path(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def precheck(task: Task) -> Result | None:
    """The result of a task that needs no kernel (not applicable, or its outputs are up to date), else None."""
    start = time.monotonic()
    if task.notebook == "indices" and not task.parameters.get("plan"):
        return Result(
            task.slug,
            task.notebook,
            "not applicable",
            f"no PAR INDEX or SIPAS targets for {provinces.name(task.province_code, geography=task.geography)} "
            "in data/raw/targets/indices/",
            0.0,
        )
    if task.notebook == "targets" and not task.parameters.get("plan"):
        return Result(
            task.slug,
            task.notebook,
            "not applicable",
            f"no plan for {provinces.name(task.province_code, geography=task.geography)} in data/raw/targets/; "
            "pass --plan FILE to evaluate your own targets",
            0.0,
        )
    out = outputs(config.REPORTS / task.slug, output_stem(task))
    complete = out["ipynb"].exists() and out["html"].exists() and (out["pdf"].exists() or not task.pdf)
    if not task.force and complete:
        info = _manifest(out["json"])
        if info is not None and info.get("input_hash") == input_hash(task):
            return Result(
                task.slug, task.notebook, "skipped", f"up to date: {_shown(out['html'])}", time.monotonic() - start
            )
    return None


def report_states(slug: str) -> dict[str, str]:
    """Each report in ``reports/<slug>/`` (by file stem): "current", "data" (made from another data version) or
    "inputs" (its notebook, plan file or the code changed since: re-running it would give another report)."""
    states = {}
    for path in sorted((config.REPORTS / slug).glob("*.json")):
        info = _manifest(path)
        if info is None or "input_hash" not in info:
            continue
        if info.get("data_version") != data_version():
            states[path.stem] = "data"
            continue
        spec = info.get("task")
        if not isinstance(spec, dict):  # made before manifests named their inputs: only the data version is known
            states[path.stem] = "current"
            continue
        try:
            task = Task(
                int(spec["province_code"]),
                str(spec["slug"]),
                str(spec["notebook"]),
                dict(spec["parameters"]),
                geography=str(spec.get("geography", "63")),
                source=spec.get("source"),
            )
            same = input_hash(task) == info["input_hash"]
        except (KeyError, TypeError, ValueError, OSError):
            same = False
        states[path.stem] = "current" if same else "inputs"
    return states
