"""A report run's life: its id, the province locks, its scratch folder and processes, a clean stop, and the clean-up of
what a killed run left.

* **Run id** ("20261123-101502-3fa9": local time and 4 random hex digits): every report's manifest, page and workbook
  names the run that made it.
* **Locks**: a run holds ``reports/.locks/<slug>.lock`` (``flock``) for every province it writes; a second run for the same
  province says which run holds it and waits, instead of racing for the same files. The kernel releases a lock when
  its process ends, however it ends.
* **Scratch folder** ``<tmp>/papi-run-<pid>-<run id>/``: the kernels' connection files (they carry the kernels' keys)
  and the Chromium profile; each process that starts a kernel or a browser records it there (pid and start time).
  The folder is removed when the run ends.
* **Stopping**: :func:`stop_on_signals` turns Ctrl-C (SIGINT) and SIGTERM into :class:`RunInterrupted` in the main
  thread; the runner then cancels what has not started, ends its workers (which end their kernels), closes the browser
  and removes its temporary files. Workers ignore Ctrl-C (the terminal sends it to the whole process group: only the
  main process decides) and end, with their kernel, when the main process ends, however it ends
  (``PR_SET_PDEATHSIG`` on Linux; the kernels also watch their parent).
* **Clean-up of a killed run** (:func:`sweep`, at the start of every run): the scratch folders of runs whose process is
  gone, the processes recorded in them that still run (the same process: same start time), and temporary files named
  after a process that is gone (:data:`papi_analysis.params.TEMPORARY`) in ``reports/`` and ``figures/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..params import TEMPORARY, temporary_path

SCRATCH_PREFIX = "papi-run-"


def lock_folder() -> Path:
    """``reports/.locks/``: one lock file per province folder (kept: removing one while a run waits on it would let a
    third run take a new one)."""
    return config.REPORTS / ".locks"


#: seconds a worker or browser gets to end on its own before it is killed
STOP_GRACE = 5.0


class RunInterrupted(BaseException):  # noqa: N818  (BaseException: no "except Exception" on the way swallows it)
    """Ctrl-C or SIGTERM arrived: stop new work at once and clean up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + self.signum


class LockError(RuntimeError):
    """A province folder that cannot be locked (not writable)."""


# --------------------------------------------------------------------------- processes


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot), or None when there is no such process: with the pid it
    names one process, even after the pid is reused."""
    fields = _stat(pid)
    return int(fields[19]) if fields else None


def is_alive(pid: int, started: int | None = None) -> bool:
    """True when ``pid`` runs (and, with ``started``, is still the process that started then); a zombie is not."""
    if sys.platform != "linux":  # no /proc: the pid alone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z" and (started is None or int(fields[19]) == started)


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """Ask Linux to send ``signum`` to this process when its parent ends (``PR_SET_PDEATHSIG``); elsewhere nothing.
    Exits at once if the parent is already gone (for a multiprocessing worker: the process that started it)."""
    if sys.platform != "linux":
        return
    import ctypes
    import multiprocessing

    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None else os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, int(signum), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the call
        os._exit(128 + int(signum))


def pdeathsig_preexec(signum: int = signal.SIGKILL):
    """A ``preexec_fn`` for :class:`subprocess.Popen`: the child gets ``signum`` when the thread that started it ends
    (Linux; None elsewhere). The function is looked up here, so the child only calls it."""
    if sys.platform != "linux":
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def preexec() -> None:
        prctl(1, int(signum), 0, 0, 0)

    return preexec


def end_process(pid: int, group: bool = False, grace: float = STOP_GRACE) -> None:
    """SIGTERM ``pid`` (its process group with ``group``), then SIGKILL if it still runs after ``grace`` seconds."""
    send = os.killpg if group else os.kill
    try:
        send(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and is_alive(pid):
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        send(pid, signal.SIGKILL)


# --------------------------------------------------------------------------- the run


@dataclass
class Run:
    """The run of this process (see the module docstring); :func:`current` while it lasts."""

    run_id: str
    scratch: Path
    locks: dict[str, int] = field(default_factory=dict)  # slug -> file descriptor of its lock file
    depth: int = 0
    swept: list[str] = field(default_factory=list)  # what sweep() cleaned when the run started

    def record_process(self, pid: int, kind: str) -> None:
        """Note a process this process started (a kernel, a browser), for :func:`sweep` if the run is killed."""
        path = self.scratch / "procs" / f"{os.getpid()}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        known = json.loads(path.read_text()) if path.exists() else []
        known.append({"pid": pid, "started": start_time(pid), "kind": kind})
        tmp = temporary_path(path)
        tmp.write_text(json.dumps(known))
        os.replace(tmp, path)

    def lock(self, slugs: Iterable[str], say=None) -> None:
        """Hold ``reports/.locks/<slug>.lock`` for each slug (in sorted order: two runs never wait for each other)."""
        for slug in sorted(set(slugs) - set(self.locks)):
            folder = config.REPORTS / slug
            try:
                lock_folder().mkdir(parents=True, exist_ok=True)
                handle = os.open(lock_folder() / f"{slug}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            except OSError as err:
                raise LockError(f"cannot write to {_shown(config.REPORTS)}: {err.strerror}; nothing was run.") from None
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(handle, 200, 0).decode("utf-8", "replace").strip() or "another run"
                (say or _say)(
                    f"{_shown(folder)} is being written by another papi-analysis run ({holder}); "
                    "waiting for it to finish (Ctrl-C to stop)…"
                )
                fcntl.flock(handle, fcntl.LOCK_EX)
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"run {self.run_id}, pid {os.getpid()}".encode(), 0)
            self.locks[slug] = handle

    def release(self) -> None:
        for handle in self.locks.values():
            with contextlib.suppress(OSError):
                os.ftruncate(handle, 0)
            os.close(handle)  # closing the only descriptor releases the flock
        self.locks.clear()


_CURRENT: Run | None = None


def current() -> Run | None:
    """The run of this process, if one is under way (workers forked by it see it too)."""
    return _CURRENT


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


@contextlib.contextmanager
def run(slugs: Iterable[str] = (), say=None) -> Iterator[Run]:
    """The run of this process: cleans what killed runs left, locks the provinces' folders, makes the scratch folder
    (for the kernels' connection files and the browser's profile); all undone at the end, however the run ends.
    Nested calls share the outer run (and add their provinces to its locks: lock every province at the outer call,
    as the CLI does, so that two runs never hold one province each while waiting for the other's)."""
    global _CURRENT
    if _CURRENT is not None:
        _CURRENT.depth += 1
        try:
            _CURRENT.lock(slugs, say)
            yield _CURRENT
        finally:
            _CURRENT.depth -= 1
        return
    swept = sweep()
    run_id = new_run_id()
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-{run_id}-"))
    (scratch / "owner.json").write_text(json.dumps({"pid": os.getpid(), "started": start_time(os.getpid())}))
    this = Run(run_id, scratch, swept=swept)
    _CURRENT = this
    try:
        this.lock(slugs, say)
        yield this
    finally:
        _CURRENT = None
        this.release()
        shutil.rmtree(scratch, ignore_errors=True)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(config.ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- signals


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs (in the main thread), Ctrl-C and SIGTERM raise :class:`RunInterrupted`; once one has,
    further ones are ignored until the block has cleaned up (each clean-up step has a time limit)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)
        raise RunInterrupted(signum)

    saved = {name: signal.signal(name, stop) for name in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for name, handler in saved.items():
            signal.signal(name, handler)


# --------------------------------------------------------------------------- what a killed run left


def _scratch_owner(folder: Path) -> tuple[int, int | None] | None:
    try:
        owner = json.loads((folder / "owner.json").read_text())
        return int(owner["pid"]), owner.get("started")
    except (OSError, ValueError, KeyError):
        pass
    try:  # killed before owner.json was written: the pid is in the name
        return int(folder.name[len(SCRATCH_PREFIX) :].split("-")[0]), None
    except ValueError:
        return None


def sweep(folders: Iterable[Path] | None = None) -> list[str]:
    """Clean what runs that were killed left (see the module docstring); returns what was done, one line each.

    ``folders``: where to look for temporary files (default: every province folder in ``reports/`` and ``figures/``).
    Only processes recorded by a run whose own process is gone are ended, and only while they are still the process
    that was recorded (same start time)."""
    done = []
    for folder in sorted(Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*")):
        owner = _scratch_owner(folder)
        if owner is None or is_alive(*owner) or not folder.is_dir():
            continue
        for record in sorted((folder / "procs").glob("*.json")):
            try:
                processes = json.loads(record.read_text())
            except (OSError, ValueError):
                continue
            for process in processes:
                pid, started = process.get("pid"), process.get("started")
                if isinstance(pid, int) and started is not None and is_alive(pid, started):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(pid, signal.SIGKILL) if os.getpgid(pid) == pid else os.kill(pid, signal.SIGKILL)
                    done.append(f"ended {process.get('kind', 'a process')} {pid} left by a stopped run")
        shutil.rmtree(folder, ignore_errors=True)
        done.append(f"removed {folder}")
    if folders is None:
        folders = [p for root in (config.REPORTS, config.FIGURES) if root.is_dir() for p in [root, *root.iterdir()]]
        folders += [config.DATA_PROCESSED / "cache", config.DATA_PROCESSED / "figure_cache"]
    for place in folders:
        if not place.is_dir():
            continue
        for path in place.glob(".*.tmp*"):
            found = TEMPORARY.fullmatch(path.name)
            if found and not is_alive(int(found["pid"])):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                done.append(f"removed {_shown(path)}")
    return done


# --------------------------------------------------------------------------- worker processes and folders


def quiet_worker() -> None:
    """Process-pool initializer: Ctrl-C reaches the whole process group, but only the main process decides what to
    do; a worker ends when the main process ends, however it ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(signal.SIGTERM)


def stop_pool(pool) -> None:
    """Cancel what a :class:`concurrent.futures.ProcessPoolExecutor` has not started and end its workers now
    (SIGTERM: a report worker ends its kernel and removes its temporary files; SIGKILL after :data:`STOP_GRACE`)."""
    processes = list((pool._processes or {}).values())  # private, but the only handle on the workers (3.8-3.13)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1)


def check_writable(folders: Iterable[Path]) -> None:
    """Raise OSError (naming the folder) unless a file can be written in each folder, or, for one that does not exist
    yet, in its parent (no empty folder is made for a province not run yet)."""
    for folder in folders:
        where = folder if folder.exists() else folder.parent
        try:
            where.mkdir(parents=True, exist_ok=True)
            probe = temporary_path(where / "write-check")
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            raise OSError(err.errno, err.strerror, str(where)) from None
