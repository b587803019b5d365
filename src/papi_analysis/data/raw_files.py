"""The raw inputs' fingerprint: ``data/raw/SHA256SUMS`` checked, and the data version every output names.

Nothing in ``data/raw/`` is edited by hand or by code other than the importers; every file is listed with its
sha256 in ``SHA256SUMS`` and refused on mismatch. The data version is a short hash of that list, the same for every
output made from the same raw data.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import config


class RawChecksumError(RuntimeError):
    """A file in data/raw/ does not match data/raw/SHA256SUMS."""


# --------------------------------------------------------------------------- raw inputs


def verify_raw_checksums(raw_dir: Path | None = None) -> dict[str, str]:
    """Check every file listed in ``data/raw/SHA256SUMS``; returns {relative path: sha256}."""
    raw_dir = Path(raw_dir or config.DATA_RAW)
    sums_path = raw_dir / "SHA256SUMS"
    if not sums_path.exists():
        raise RawChecksumError(
            f"{sums_path} is missing; restore data/raw/ from the repository (git checkout -- data/raw)."
        )
    expected: dict[str, str] = {}
    for line_number, line in enumerate(sums_path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            digest, rel = line.split(maxsplit=1)
        except ValueError:
            raise RawChecksumError(
                f"{sums_path}, line {line_number}: expected '<sha256>  <path>', found {line!r}."
            ) from None
        expected[rel.strip()] = digest
    for rel, digest in expected.items():
        path = raw_dir / rel
        if not path.exists():
            raise RawChecksumError(
                f"{path} is listed in SHA256SUMS but missing; restore it with 'git checkout -- data/raw'."
            )
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise RawChecksumError(
                f"{path} does not match its checksum in SHA256SUMS (raw data is never edited by hand or by code). "
                "Restore it with 'git checkout -- data/raw', or re-import from the official files with "
                "'papi-analysis import-raw --force' if the change is intended."
            )
    return expected


def data_version(raw_dir: Path | None = None) -> str:
    """Short hash (12 hex digits) of ``data/raw/SHA256SUMS``: the same for every report made from the same raw data."""
    return hashlib.sha256((Path(raw_dir or config.DATA_RAW) / "SHA256SUMS").read_bytes()).hexdigest()[:12]
