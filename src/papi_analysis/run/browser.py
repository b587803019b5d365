"""Headless Chromium: print a report to an A4 PDF, read its rendered text, take a screenshot.

Debian/Ubuntu: ``sudo apt-get install chromium``; macOS: install Google Chrome and set
``PAPI_CHROMIUM`` to its binary. Nothing here runs in a notebook kernel.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: reports printed at once by a :class:`PrintQueue`: when the last notebooks of a run finish together, their PDFs
#: are printed side by side instead of one after the other
PRINT_THREADS = 2


class BrowserMissingError(RuntimeError):
    """No headless Chromium on this machine."""


def find_chromium() -> str | None:
    """Path of a Chromium binary (``$PAPI_CHROMIUM`` first), or None."""
    if os.environ.get("PAPI_CHROMIUM"):
        return os.environ["PAPI_CHROMIUM"]
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _command(profile: str, *args: str) -> list[str]:
    """The headless Chromium command line with a throw-away profile folder, followed by ``args``."""
    binary = find_chromium()
    if binary is None:
        raise BrowserMissingError(
            "Headless Chromium is needed for --pdf and the browser test: install it "
            "with 'sudo apt-get install chromium' (or set PAPI_CHROMIUM to a Chrome binary)."
        )
    return [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--allow-file-access-from-files",
        *args,
    ]


def _run(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="papi-chromium-") as profile:
        return subprocess.run(_command(profile, *args), capture_output=True, text=True, timeout=timeout, check=False)


def print_pdf(html: Path, pdf: Path) -> Path:
    """A4 PDF of an HTML report (page size and breaks come from the report's print CSS)."""
    with Printer() as printer:
        return printer.print_pdf(html, pdf)


class Printer:
    """One headless Chromium that prints many reports to PDF (a new browser per report costs about a second).

    Driven through the DevTools protocol (``Page.printToPDF``, the call behind ``--print-to-pdf``) over a
    websocket; the report's ``@page`` CSS sets the A4 size and margins, with no header or footer line. Each thread
    that prints gets its own connection to the one browser, so several reports can be printed at once.
    """

    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout
        self._process: subprocess.Popen | None = None
        self._profile: tempfile.TemporaryDirectory | None = None
        self._endpoint: str | None = None
        self._connections: list[_Connection] = []
        self._local = threading.local()
        self._lock = threading.Lock()

    def __enter__(self) -> Printer:
        # a helper process of the browser may still write to the profile while it is removed: errors are ignored
        self._profile = tempfile.TemporaryDirectory(prefix="papi-chromium-", ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            _command(self._profile.name, "--remote-debugging-port=0", "about:blank"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Chromium writes the port it listens on, and the browser's path, to this file once it is ready
        active = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not (active.exists() and len(active.read_text().split()) == 2):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(
                    "Chromium did not start its DevTools endpoint (try: chromium --headless about:blank)."
                )
            time.sleep(0.02)
        port, path = active.read_text().split()
        self._endpoint = f"ws://127.0.0.1:{port}{path}"
        self._connection()
        return self

    def _connection(self) -> _Connection:
        """This thread's connection to the browser (opened on first use)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = _Connection(self._endpoint, self.timeout)
            with self._lock:
                self._connections.append(connection)
            self._local.connection = connection
        return connection

    def __exit__(self, *exc) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for number, connection in enumerate(connections):
            if number == 0:
                try:
                    connection.call("Browser.close")  # closes every process of the browser, which then exits
                except Exception:  # already gone: terminated below
                    pass
            connection.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def print_pdf(self, html: Path, pdf: Path) -> Path:
        """Print ``html`` to ``pdf`` (A4 from the report's CSS; written whole or not at all)."""
        pdf = Path(pdf)
        connection = self._connection()
        target = connection.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = connection.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            connection.call("Page.enable", session=session)
            connection.call(
                "Page.navigate", {"url": Path(html).resolve().as_uri()}, session, until_event="Page.loadEventFired"
            )
            data = connection.call(
                "Page.printToPDF",
                {"preferCSSPageSize": True, "displayHeaderFooter": False, "printBackground": False},
                session,
            )["data"]
        finally:
            connection.call("Target.closeTarget", {"targetId": target})
        tmp = pdf.with_name(f".{pdf.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(base64.b64decode(data))
        tmp.replace(pdf)
        return pdf


class _Connection:
    """One websocket to the browser's DevTools endpoint: commands are sent and answered one at a time."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        import websocket  # websocket-client

        # no UTF-8 check of every received byte in pure Python (websocket-client without wsaccel): a PDF arrives as
        # one 1.5-MB JSON message, which that check took 0.25 s of CPU to read; json.loads rejects bad text anyway
        self._socket = websocket.create_connection(
            endpoint, timeout=timeout, suppress_origin=True, skip_utf8_validation=True
        )
        self._next_id = 0

    def call(
        self, method: str, params: dict | None = None, session: str | None = None, until_event: str | None = None
    ) -> dict:
        """Send one command and return its result; with ``until_event``, also wait for that event of the session."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        result, seen = None, until_event is None
        while result is None or not seen:
            reply = json.loads(self._socket.recv())
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"Chromium: {method} failed: {reply['error'].get('message')}")
                result = reply.get("result", {})
            elif reply.get("method") == until_event and reply.get("sessionId") == session:
                seen = True
        return result

    def close(self) -> None:
        self._socket.close()


def dump_dom(html: Path) -> str:
    """The DOM after scripts ran, as HTML text."""
    done = _run(["--virtual-time-budget=10000", "--dump-dom", Path(html).resolve().as_uri()])
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"Chromium could not open {html}: {done.stderr.strip()[-400:]}")
    return done.stdout


def screenshot(html: Path, png: Path, width: int = 1200, height: int = 2400) -> Path:
    """A PNG of the top ``height`` pixels of the page."""
    _run(
        [
            f"--window-size={width},{height}",
            "--virtual-time-budget=10000",
            f"--screenshot={Path(png).resolve()}",
            Path(html).resolve().as_uri(),
        ]
    )
    if not Path(png).exists():
        raise RuntimeError(f"Chromium did not screenshot {html}.")
    return Path(png)


class PrintQueue:
    """Prints HTML reports to PDF in background threads (:data:`PRINT_THREADS` at a time) with one :class:`Printer`
    started with the first report; the caller goes on meanwhile (the report runner hands over each report as it is
    written).

    :meth:`submit` returns a future of the seconds the printing took; it raises what printing raised (a browser
    that cannot start fails every report).
    """

    def __init__(self) -> None:
        self._threads = None
        self._printer: Printer | None = None
        self._starting = threading.Lock()

    def __enter__(self) -> PrintQueue:
        return self

    def __exit__(self, *exc) -> None:
        if self._threads is not None:
            self._threads.shutdown(wait=True)
        if self._printer is not None:
            self._printer.__exit__(None, None, None)

    def submit(self, html: Path, pdf: Path) -> Future:
        return self._pool().submit(self._print, Path(html), Path(pdf))

    def start_browser(self) -> None:
        """Start the browser now, in the background (it takes about a second), instead of with the first report;
        a browser that cannot start fails the reports when they are submitted."""
        self._pool().submit(self._printer_started)

    def _pool(self) -> ThreadPoolExecutor:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(max_workers=PRINT_THREADS, thread_name_prefix="pdf")
        return self._threads

    def _printer_started(self) -> Printer:
        with self._starting:
            if self._printer is None:
                self._printer = Printer().__enter__()
        return self._printer

    def _print(self, html: Path, pdf: Path) -> float:
        start = time.monotonic()
        self._printer_started().print_pdf(html, pdf)
        return time.monotonic() - start
