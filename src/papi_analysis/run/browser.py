"""Headless Chromium: print a report to an A4 PDF, read its rendered text, take a screenshot, watch a page for
scripts that run.

Debian/Ubuntu: ``sudo apt-get install chromium``; macOS: install Google Chrome and set
``PAPI_CHROMIUM`` to its binary. Nothing here runs in a notebook kernel.

A report is printed with JavaScript off and may read nothing but the files of its own folder: every request the
page makes goes through the DevTools ``Fetch`` domain, which fails anything else (another local file, the network).
The browser runs in a process group of its own (Ctrl-C in the terminal does not cut a PDF in half; the run closes it),
ends with the thread that started it (Linux), and keeps its profile in the run's scratch folder.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..params import temporary_path
from . import lifecycle

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
        run = lifecycle.current()
        self._profile = tempfile.TemporaryDirectory(
            prefix="papi-chromium-", dir=run.scratch if run is not None else None, ignore_cleanup_errors=True
        )
        self._process = subprocess.Popen(
            _command(self._profile.name, "--remote-debugging-port=0", "about:blank"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: ended as a whole, and Ctrl-C does not cut a print short
            preexec_fn=lifecycle.pdeathsig_preexec(),  # ends with the thread that starts it, however that ends
        )
        if run is not None:
            run.record_process(self._process.pid, "browser")
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
            if self._endpoint is None:
                raise RuntimeError("the browser has not been started (use the printer in a with block)")
            connection = _Connection(self._endpoint, self.timeout)
            with self._lock:
                self._connections.append(connection)
            self._local.connection = connection
        return connection

    def __exit__(self, *exc) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for number, connection in enumerate(connections):
            if number == 0 and exc[:1] in ((None,), ()):
                try:
                    connection.call("Browser.close")  # closes every process of the browser, which then exits
                except Exception:  # already gone: terminated below
                    pass
            connection.close()
        if self._process is not None:
            if exc[:1] not in ((None,), ()):  # stopping: no time to ask the browser to close
                self.kill()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
                self._process.wait()
            self._process = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def kill(self) -> None:
        """End the browser and every process it started (its process group) at once."""
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except OSError:  # already gone
                pass

    def print_pdf(self, html: Path, pdf: Path) -> Path:
        """Print ``html`` to ``pdf`` (A4 from the report's CSS; written whole or not at all). JavaScript is off, and
        the page may load nothing but files in ``html``'s folder (see the module docstring)."""
        html, pdf = Path(html).resolve(), Path(pdf)
        connection = self._connection()
        target = connection.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = connection.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            connection.call("Emulation.setScriptExecutionDisabled", {"value": True}, session)
            connection.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
            connection.call("Page.enable", session=session)
            gate = _RequestGate(html.parent)
            connection.call(
                "Page.navigate",
                {"url": html.as_uri()},
                session,
                until_event="Page.loadEventFired",
                on_event=lambda event: gate.answer(connection, event),
            )
            data = connection.call(
                "Page.printToPDF",
                {"preferCSSPageSize": True, "printBackground": False, **header_and_footer(html)},
                session,
                on_event=lambda event: gate.answer(connection, event),
            )["data"]
        finally:
            connection.call("Target.closeTarget", {"targetId": target})
        tmp = temporary_path(pdf)
        try:
            tmp.write_bytes(base64.b64decode(data))
            tmp.replace(pdf)
        finally:
            tmp.unlink(missing_ok=True)
        return pdf

    def page_activity(
        self, html: Path, settle: float = 1.0, evaluate: str | None = None, bypass_policy: bool = False
    ) -> PageActivity:
        """Open ``html`` as a reader's browser would (JavaScript on) and report every sign of a script running:
        dialogs (``alert``), console messages, uncaught exceptions, and the requests the page made and what loaded.
        Dialogs are dismissed. ``settle``: seconds to keep watching after the page has loaded; ``evaluate``: a
        JavaScript expression evaluated then by DevTools itself (not by the page, so the page's own policy does not
        stop it), its value in ``.value``.

        Nothing leaves the machine: a request for anything but a local file or ``data:`` is failed and listed in
        ``.external``. With ``bypass_policy`` the page's Content-Security-Policy is ignored, so that every external
        script, stylesheet, font or image the page names is actually requested (and listed), not silently blocked."""
        html = Path(html).resolve()
        connection = self._connection()
        activity = PageActivity()
        target = connection.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = connection.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

            def watch(event: dict) -> None:
                method, params = event.get("method"), event.get("params", {})
                if method == "Fetch.requestPaused":
                    url = params.get("request", {}).get("url", "")
                    if urlparse(url).scheme in ("file", "data") and urlparse(url).netloc in ("", "localhost"):
                        connection.send("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
                    else:
                        activity.external.append(url)
                        connection.send(
                            "Fetch.failRequest",
                            {"requestId": params["requestId"], "errorReason": "AccessDenied"},
                            session,
                        )
                elif method == "Page.javascriptDialogOpening":
                    activity.dialogs.append(params.get("message", ""))
                    connection.send("Page.handleJavaScriptDialog", {"accept": False}, session)
                elif method == "Runtime.consoleAPICalled":
                    activity.console.append(
                        " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                    )
                elif method == "Runtime.exceptionThrown":
                    activity.exceptions.append(params.get("exceptionDetails", {}).get("text", ""))
                elif method == "Network.requestWillBeSent":
                    activity.requests.append(params.get("request", {}).get("url", ""))
                elif method == "Network.responseReceived":
                    activity.loaded.append(params.get("response", {}).get("url", ""))

            for domain in ("Page", "Runtime", "Network"):
                connection.call(f"{domain}.enable", session=session)
            connection.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
            if bypass_policy:
                connection.call("Page.setBypassCSP", {"enabled": True}, session)
            connection.call(
                "Page.navigate", {"url": html.as_uri()}, session, until_event="Page.loadEventFired", on_event=watch
            )
            connection.wait(settle, on_event=watch)
            page = connection.call(
                "Runtime.evaluate",
                {
                    "expression": "[document.body ? document.body.innerText : '', document.documentElement.outerHTML]",
                    "returnByValue": True,
                },
                session,
                on_event=watch,
            )["result"].get("value", ["", ""])
            activity.text, activity.html = page
            if evaluate:
                activity.value = connection.call(
                    "Runtime.evaluate", {"expression": evaluate, "returnByValue": True}, session, on_event=watch
                )["result"].get("value")
        finally:
            connection.call("Target.closeTarget", {"targetId": target})
        return activity


#: the footer's page number, in the report's language ("pageNumber" and "totalPages" are filled in by Chromium)
PAGE_NUMBER = {
    "vi": 'Trang <span class="pageNumber"></span>/<span class="totalPages"></span>',
    "en": 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>',
}
_BAND = (
    '<div style="font-size: 7pt; color: #555; width: 100%; margin: 0 11mm; display: flex; '
    'justify-content: space-between; font-family: DejaVu Sans, Arial, sans-serif;">'
    "<span>{left}</span><span>{right}</span></div>"
)


def header_and_footer(html: Path) -> dict:
    """``Page.printToPDF`` options for a report: a running header (the report's ``papi-running-header`` meta: province,
    report, language, data version) and a footer with the run line (``papi-run-line``) and "page n of N" in the
    report's language. A page without those metas gets the page number only."""
    import re

    head = Path(html).read_text(encoding="utf-8", errors="replace")[:20000]

    def meta(name: str) -> str:
        found = re.search(rf'<meta name="{name}" content="([^"]*)"', head)
        return found.group(1) if found else ""  # still escaped: goes into the template as it is

    found_lang = re.search(r'<html[^>]*lang="(\w+)"', head)
    lang = found_lang.group(1) if found_lang and found_lang.group(1) in PAGE_NUMBER else "en"
    title = re.search(r"<title>(.*?)</title>", head, re.DOTALL)
    running = meta("papi-running-header") or (title.group(1).strip() if title else "")
    return {
        "displayHeaderFooter": True,
        "headerTemplate": _BAND.format(left=running, right=""),
        "footerTemplate": _BAND.format(left=meta("papi-run-line"), right=PAGE_NUMBER[lang]),
    }


@dataclass
class PageActivity:
    """What a page did in the browser (:meth:`Printer.page_activity`)."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)  # what arrived (a request refused by the page's policy did not)
    external: list[str] = field(default_factory=list)  # requests for another machine, failed before they left
    text: str = ""  # the visible text
    html: str = ""  # the DOM after loading
    value: object = None  # of the ``evaluate`` expression


class _RequestGate:
    """Answers the requests a page being printed makes: a file inside ``folder`` is served; anything else (another
    local file, a link leading out of the folder, the network) fails."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        self.refused: list[str] = []

    def allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return True
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return False
        return Path(unquote(parsed.path)).resolve().is_relative_to(self.folder)

    def answer(self, connection: _Connection, event: dict) -> None:
        if event.get("method") != "Fetch.requestPaused":
            return
        params = event["params"]
        url = params.get("request", {}).get("url", "")
        if self.allowed(url):
            connection.send("Fetch.continueRequest", {"requestId": params["requestId"]}, event.get("sessionId"))
        else:
            self.refused.append(url)
            connection.send(
                "Fetch.failRequest",
                {"requestId": params["requestId"], "errorReason": "AccessDenied"},
                event.get("sessionId"),
            )


class _Connection:
    """One websocket to the browser's DevTools endpoint: commands are sent and answered one at a time."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        import websocket  # websocket-client

        # no UTF-8 check of every received byte in pure Python (websocket-client without wsaccel): a PDF arrives as
        # one 1.5-MB JSON message, which that check took 0.25 s of CPU to read; json.loads rejects bad text anyway
        self._socket = websocket.create_connection(
            endpoint, timeout=timeout, suppress_origin=True, skip_utf8_validation=True
        )
        self._timeout = timeout
        self._next_id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        """Send one command without waiting for its answer (one from an event handler); returns its id."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        return self._next_id

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        until_event: str | None = None,
        on_event=None,
    ) -> dict:
        """Send one command and return its result; with ``until_event``, also wait for that event of the session.
        Events that arrive meanwhile go to ``on_event`` (answers to commands sent by it are skipped)."""
        number = self.send(method, params, session)
        result, seen = None, until_event is None
        while result is None or not seen:
            reply = json.loads(self._socket.recv())
            if reply.get("id") == number:
                if "error" in reply:
                    raise RuntimeError(f"Chromium: {method} failed: {reply['error'].get('message')}")
                result = reply.get("result", {})
            elif "method" in reply:
                if reply["method"] == until_event and reply.get("sessionId") == session:
                    seen = True
                if on_event is not None:
                    on_event(reply)
        return result

    def wait(self, seconds: float, on_event=None) -> None:
        """Pass the events of the next ``seconds`` to ``on_event``."""
        import websocket

        deadline = time.monotonic() + seconds
        try:
            while (left := deadline - time.monotonic()) > 0:
                self._socket.settimeout(left)
                try:
                    reply = json.loads(self._socket.recv())
                except websocket.WebSocketTimeoutException:
                    break
                if "method" in reply and on_event is not None:
                    on_event(reply)
        finally:
            self._socket.settimeout(self._timeout)

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
        self._threads: ThreadPoolExecutor | None = None
        self._printer: Printer | None = None
        self._starting = threading.Lock()

    def __enter__(self) -> PrintQueue:
        return self

    def __exit__(self, *exc) -> None:
        stopping = exc[:1] not in ((None,), ())
        if self._threads is not None:
            if stopping:  # the run is stopping: cancel what waits, end the browser, so the prints under way end too
                self._threads.shutdown(wait=False, cancel_futures=True)
                with self._starting:
                    if self._printer is not None:
                        self._printer.kill()
            self._threads.shutdown(wait=True)
        if self._printer is not None:
            self._printer.__exit__(*exc)

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
