"""The raw inputs' fingerprint: ``data/raw/SHA256SUMS`` checked, the data version every output names, and the one
way the importers write ``data/raw/`` (atomically, never through a symbolic link).

Nothing in ``data/raw/`` is edited by hand or by code other than the importers; every file is listed with its
sha256 in ``SHA256SUMS`` and refused on mismatch. The data version is a short hash of that list, the same for every
output made from the same raw data.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
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
        if path.is_symlink():
            raise RawChecksumError(
                f"{path} is a symbolic link; files in data/raw/ are never links (an import would write through it). "
                "Remove it and restore the file with 'git checkout -- data/raw'."
            )
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


def read_pins(raw_dir: Path | None = None) -> dict[str, str]:
    """{relative path: sha256} as listed in ``SHA256SUMS`` (empty if there is none); the files are not checked."""
    sums_path = Path(raw_dir or config.DATA_RAW) / "SHA256SUMS"
    if not sums_path.exists():
        return {}
    listed: dict[str, str] = {}
    for line in sums_path.read_text().splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            listed[rel.strip()] = digest
    return listed


def pins_text(listed: dict[str, str]) -> str:
    """``SHA256SUMS`` content for {relative path: sha256}: one '<sha256>  <path>' line per file, sorted by path."""
    return "".join(f"{listed[rel]}  {rel}\n" for rel in sorted(listed))


# --------------------------------------------------------------------------- writing data/raw/ (importers only)


class UnsafeRawPathError(RuntimeError):
    """A path in data/raw/ that the importers refuse to write: a symbolic link, or a folder that is not one."""


def _open_folder(raw_dir: Path, parts: tuple[str, ...], create: bool) -> int:
    """A descriptor of the folder ``raw_dir/parts...``, opened without following a symbolic link at any step.

    A missing folder is created when ``create``, else FileNotFoundError.
    """
    try:
        fd = os.open(raw_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as err:
        raise UnsafeRawPathError(f"{raw_dir} is not a folder the importers can write in ({err.strerror}).") from None
    here = raw_dir
    for part in parts:
        here = here / part
        try:
            if not _exists(part, fd):
                if not create:
                    raise FileNotFoundError(here)
                os.mkdir(part, 0o755, dir_fd=fd)
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
        except FileNotFoundError:
            os.close(fd)
            raise
        except OSError as err:
            os.close(fd)
            kind = "a symbolic link" if _is_link(here) else f"not a folder ({err.strerror})"
            raise UnsafeRawPathError(
                f"{here} is {kind}; the importers write only into real folders inside {raw_dir}. "
                "Remove it (git status shows what changed) and import again."
            ) from None
        os.close(fd)
        fd = child
    return fd


def _exists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        return True
    except FileNotFoundError:
        return False


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def read_raw_file(raw_dir: Path, rel: str) -> bytes | None:
    """Bytes of ``raw_dir/rel`` (None if absent), refusing a symbolic link anywhere below ``raw_dir``."""
    parts = Path(rel).parts
    try:
        fd = _open_folder(Path(raw_dir), parts[:-1], create=False)
    except FileNotFoundError:
        return None
    try:
        try:
            handle = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
        except FileNotFoundError:
            return None
        except OSError:
            raise UnsafeRawPathError(
                f"{Path(raw_dir) / rel} is a symbolic link or not a file; the importers never read or write "
                "through a link. Remove it (git status shows what changed) and import again."
            ) from None
        with os.fdopen(handle, "rb") as stream:
            return stream.read()
    finally:
        os.close(fd)


def write_raw_files(raw_dir: Path, outputs: dict[str, bytes | None]) -> None:
    """Write (bytes) or remove (None) files of ``raw_dir`` atomically, never through a symbolic link.

    Every new content goes to a temporary file in the target's own folder first (opened with O_EXCL|O_NOFOLLOW
    relative to a folder descriptor opened without following links) and then replaces the target with
    ``os.replace``, which swaps the directory entry: a link planted where a file was is refused beforehand, and
    could not be written through anyway. Files are replaced in the order given (put ``SHA256SUMS`` last).
    """
    raw_dir = Path(raw_dir)
    staged: list[tuple[int, str, str | None]] = []
    folders: dict[tuple[str, ...], int] = {}
    try:
        for rel, data in outputs.items():
            parts = Path(rel).parts
            if not parts or any(p in ("..", "") for p in parts) or Path(rel).is_absolute():
                raise UnsafeRawPathError(f"{rel!r} is not a path inside {raw_dir}.")
            if parts[:-1] not in folders:
                folders[parts[:-1]] = _open_folder(raw_dir, parts[:-1], create=data is not None)
            fd = folders[parts[:-1]]
            name = parts[-1]
            try:
                mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
            except FileNotFoundError:
                mode = None
            if mode is not None and not stat.S_ISREG(mode):
                what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
                raise UnsafeRawPathError(
                    f"{raw_dir / rel} is {what}; the importers never write through a link or over a folder. "
                    "Remove it (git status shows what changed) and import again."
                )
            if data is None:
                staged.append((fd, name, None))
                continue
            tmp = f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
            handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=fd)
            staged.append((fd, name, tmp))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for fd, name, staged_name in staged:
            if staged_name is None:
                if _exists(name, fd):
                    os.unlink(name, dir_fd=fd)
            else:
                os.replace(staged_name, name, src_dir_fd=fd, dst_dir_fd=fd)
    finally:
        for fd, _name, staged_name in staged:
            if staged_name is not None and _exists(staged_name, fd):
                os.unlink(staged_name, dir_fd=fd)
        for fd in folders.values():
            os.close(fd)
