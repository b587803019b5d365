"""Headless Chromium: print a report to an A4 PDF, read its rendered text, take a screenshot.

Debian/Ubuntu: ``sudo apt-get install chromium``; macOS: install Google Chrome and set
``PAPI_CHROMIUM`` to its binary. Nothing here runs in a notebook kernel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


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


def _run(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    binary = find_chromium()
    if binary is None:
        raise BrowserMissingError("Headless Chromium is needed for --pdf and the browser test: install it "
                                  "with 'sudo apt-get install chromium' (or set PAPI_CHROMIUM to a Chrome binary).")
    with tempfile.TemporaryDirectory(prefix="papi-chromium-") as profile:
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
                   "--allow-file-access-from-files", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def print_pdf(html: Path, pdf: Path) -> Path:
    """A4 PDF of an HTML report (page size and breaks come from the report's print CSS)."""
    pdf = Path(pdf)
    tmp = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
    done = _run(["--no-pdf-header-footer", "--virtual-time-budget=10000", f"--print-to-pdf={tmp}",
                 Path(html).resolve().as_uri()])
    if not tmp.exists() or tmp.stat().st_size == 0:
        raise RuntimeError(f"Chromium did not print {html.name}: {done.stderr.strip()[-400:]}")
    tmp.replace(pdf)
    return pdf


def dump_dom(html: Path) -> str:
    """The DOM after scripts ran, as HTML text."""
    done = _run(["--virtual-time-budget=10000", "--dump-dom", Path(html).resolve().as_uri()])
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"Chromium could not open {html}: {done.stderr.strip()[-400:]}")
    return done.stdout


def screenshot(html: Path, png: Path, width: int = 1200, height: int = 2400) -> Path:
    """A PNG of the top ``height`` pixels of the page."""
    _run([f"--window-size={width},{height}", "--virtual-time-budget=10000", f"--screenshot={Path(png).resolve()}",
          Path(html).resolve().as_uri()])
    if not Path(png).exists():
        raise RuntimeError(f"Chromium did not screenshot {html}.")
    return Path(png)
