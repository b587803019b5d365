"""A worker keeps one Jupyter kernel and runs many notebooks in it, with papermill.

Starting a kernel and importing pandas, statsmodels and matplotlib costs seconds per notebook; a batch of 63
provinces pays it once per worker instead. Between two notebooks :mod:`.kernel_state` resets the kernel's
namespace, history, execution counter, figures, rcParams and warning registries, so an executed notebook is the
same as with a fresh kernel (``tests/test_kernel_reuse.py`` compares both ways). The kernel runs with one BLAS
thread (``OMP_NUM_THREADS=1`` and the like): with one worker per core, more threads only compete. A notebook that
fails, or a kernel that dies, gets the worker a fresh kernel for the next notebook. The worker also keeps one
client to its kernel for the resets and every notebook: a new client per notebook would first wait for the kernel
and for 0.2 s of quiet on its output channel.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import config
from . import lifecycle

#: BLAS/OpenMP thread limits for kernels: one worker per core, one thread per worker
THREAD_LIMITS = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    )
}
ENGINE = "papi-reused-kernel"
_PREPARE = (
    "import matplotlib.pyplot, papi_analysis.run.kernel_state as _papi_state; _papi_state.snapshot(); del _papi_state"
)
_RESET = "__import__('papi_analysis.run.kernel_state', fromlist=['reset']).reset()"


class KernelError(RuntimeError):
    """The kernel could not be prepared or reset."""


def kernel_environment() -> dict[str, str]:
    """The environment a report kernel runs with."""
    return {**os.environ, **THREAD_LIMITS}


@contextmanager
def thread_limits():
    """:data:`THREAD_LIMITS` in this process's environment while a fresh kernel is started (it inherits them), so
    fresh and reused kernels compute alike."""
    saved = {name: os.environ.get(name) for name in THREAD_LIMITS}
    os.environ.update(THREAD_LIMITS)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _register_engine() -> None:
    """A papermill engine that runs on the worker's kernel and closes only its own client channels."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE in papermill_engines._engines:
        return

    class ReusedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            # as papermill's NBClientEngine, with the kernel manager passed in (``km``) and the client closed after
            kc = kwargs.pop("kc", None)
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            # the worker's client, connected and known ready: a new client would first wait for the kernel (and
            # for 0.2 s of quiet on its output channel), which is idle time on every notebook of a batch
            client.kc = kc
            try:
                return client.execute()
            finally:
                if kc is None and client.kc is not None:  # a client of its own: closed, the kernel stays
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(ENGINE, ReusedKernelEngine)


class KernelWorker:
    """One kernel, started on first use and reused for every notebook this worker runs."""

    def __init__(
        self,
        kernel_name: str = "python3",
        extra_arguments: list[str] | None = None,
        cwd: Path | None = None,
        while_starting: Callable[[], None] | None = None,
    ) -> None:
        self.kernel_name = kernel_name
        self.extra_arguments = list(extra_arguments or [])
        self.cwd = Path(cwd or config.NOTEBOOKS)
        #: run once, between launching the first kernel and waiting for it (the worker is idle then)
        self.while_starting = while_starting
        # jupyter_client's AsyncKernelManager and its client, imported when the first kernel starts
        self.km: Any = None
        self.kc: Any = None  # one client for the kernel's life: the resets and every notebook go through it
        self.notebooks_run = 0

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        run = lifecycle.current()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        if run is not None:  # the connection file carries the kernel's key: in the run's scratch folder, not in /tmp
            self.km.connection_file = str(run.scratch / f"kernel-{os.getpid()}-{self.notebooks_run}-{id(self)}.json")
        # as nbclient does for the kernels it starts: an in-memory history, no shared sqlite file between workers
        run_sync(self.km.start_kernel)(
            extra_arguments=[*self.extra_arguments, "--HistoryManager.hist_file=:memory:"],
            cwd=str(self.cwd),
            env=kernel_environment(),
        )
        if run is not None:  # ended by the next run's clean-up if this one is killed (lifecycle.sweep)
            run.record_process(self.km.provisioner.pid, "kernel")
        if self.while_starting is not None:
            task, self.while_starting = self.while_starting, None
            task()
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=60)
        self.kc.allow_stdin = False  # as nbclient sets on its clients
        self._run(_PREPARE)
        self._run(_RESET)  # the preparation's own names go too

    def _run(self, code: str) -> None:
        """Run ``code`` silently (no output, no execution count) and raise if it fails."""
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(code, silent=True, store_history=False, timeout=120)
        if reply["content"]["status"] != "ok":
            raise KernelError(
                f"kernel preparation failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}"
            )

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def ready(self):
        """The kernel manager, reset as a fresh kernel would be; a dead kernel is replaced (:attr:`kc` is its
        client)."""
        if not self.alive():
            self.shutdown()
            self._start()
        else:
            self._run(_RESET)
        self.notebooks_run += 1
        return self.km

    def restart(self) -> None:
        """Drop the kernel (after a failed notebook its state is unknown); the next notebook starts a fresh one."""
        self.shutdown()

    def shutdown(self) -> None:
        if self.km is None:
            return
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except BaseException:  # already gone, or the shutdown itself was interrupted: end it without asking
            self.kill()
        self.km = None
        self.notebooks_run = 0

    def kill(self) -> None:
        """End the kernel at once, from a signal handler (no event loop, no message to the kernel), and remove its
        connection file, which carries the kernel's key. The kernel leads a process group of its own: all of it ends.
        """
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        connection = getattr(self.km, "connection_file", "")
        if connection:
            with contextlib.suppress(OSError):
                os.unlink(connection)

    def memory_mib(self) -> tuple[float, float]:
        """The kernel's resident memory now and at its peak (MiB, from /proc; NaN when unknown)."""
        values = {"VmRSS": float("nan"), "VmHWM": float("nan")}
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    name = line.split(":")[0]
                    if name in values:
                        values[name] = int(line.split()[1]) / 1024
        except (OSError, TypeError):
            pass
        return values["VmRSS"], values["VmHWM"]


def execute_on(worker: KernelWorker, notebook: Path, output: Path, parameters: dict) -> None:
    """papermill ``notebook`` → ``output`` on the worker's kernel (parameters injected as papermill does)."""
    import papermill

    _register_engine()
    km = worker.ready()
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=worker.kernel_name,
            engine_name=ENGINE,
            km=km,
            kc=worker.kc,
            cwd=str(worker.cwd),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
        )
    except BaseException as err:
        if not isinstance(err, Exception):  # stopped (Ctrl-C, SIGTERM) inside the event loop: drop what it still runs
            _cancel_pending_tasks()
        worker.restart()
        raise


def _cancel_pending_tasks() -> None:
    """Cancel the tasks left in this thread's event loop by an interrupted notebook: otherwise the one waiting for the
    kernel ends with "Kernel died" once the kernel is shut down, and asyncio prints that at exit."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running():
        return
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
