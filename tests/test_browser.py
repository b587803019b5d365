"""Reports opened in a real browser (headless Chromium): what a reader sees, not what the HTML contains.

For each generated report: no script runs and nothing is fetched from the network, every image loaded, no NaN /
<NA> / Traceback / absolute path / snake_case identifier in the visible text, headings in the report's language only,
the "at a glance" block first. Each page is also screenshot to ``reports/_screenshots/`` (look at them).

Install Chromium locally with ``sudo apt-get install chromium`` (CI's .ci/run does it).
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from papi_analysis import config
from papi_analysis.report.summary import SUMMARY_CLASS
from papi_analysis.run import browser, runner

DEMO = Path(__file__).parent / "fixtures" / "report_demo.ipynb"
if browser.find_chromium() is None and not os.environ.get("PAPI_REQUIRE_BROWSER"):
    pytest.skip("headless Chromium not installed (sudo apt-get install chromium)", allow_module_level=True)

#: evaluated by DevTools once the page has loaded (the report's Content-Security-Policy lets no script of its own run)
PROBE = """(() => {
  const images = [...document.images];
  return {images: images.length, broken: images.filter(i => !i.complete || i.naturalWidth === 0).length};
})()"""
FORBIDDEN = [
    r"\bNaN\b",
    r"<NA>",
    r"\bnan\b",
    r"Traceback",
    r"(?<![\w.])/(?:work|tmp|home|root|usr|Users)/",
    r"[A-Z]:\\\\",
    r"\b[a-z]+(?:_[a-z0-9]+)+\b",
]


def _vietnamese_letters(text: str) -> int:
    """Letters with Vietnamese diacritics (đ, ă, ơ, ư, tone marks): English text has none."""
    return sum(1 for ch in text if ch.isalpha() and (ch in "đĐ" or unicodedata.decomposition(ch)))


def check_report(html: Path, lang: str) -> None:
    with browser.Printer() as printer:
        # the page's own policy is bypassed, so that anything external it names is requested (and refused) here
        seen = printer.page_activity(html, settle=0.2, evaluate=PROBE, bypass_policy=True)
    assert not seen.external, f"{html.name}: requests leaving the machine: {seen.external}"
    assert not seen.dialogs and not seen.exceptions and not seen.console, f"{html.name}: a script ran"
    assert all(url.startswith(("file:", "data:")) for url in seen.requests), f"{html.name}: requested {seen.requests}"
    assert all(url.startswith(("file:", "data:")) for url in seen.loaded), f"{html.name}: loaded {seen.loaded}"
    dom = BeautifulSoup(seen.html, "html.parser")
    assert not dom.find_all(["script", "link"]), f"{html.name}: a <script> or <link> element"
    shots = config.REPORTS / "_screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.screenshot(html, shots / f"{html.parent.name}.{html.stem}.png")

    images = seen.value
    assert images["images"] >= 1 and images["broken"] == 0, f"{html.name}: broken images {images}"
    body = dom.body
    assert all(img.get("alt") and "No description" not in img["alt"] for img in dom.find_all("img"))
    for tag in dom(["script", "style"]):
        tag.decompose()
    text = body.get_text(" ")
    for pattern in FORBIDDEN:
        found = re.findall(pattern, text)
        assert not found, f"{html.name}: {pattern!r} in the visible text: {found[:5]}"
    headings = [h.get_text(" ").strip().rstrip("¶").strip() for h in dom.find_all(["h1", "h2", "h3"])]
    assert headings
    for heading in headings:
        if lang == "en":
            assert _vietnamese_letters(heading) == 0, (
                f"{html.name}: Vietnamese heading {heading!r} in an English report"
            )
        else:
            assert _vietnamese_letters(heading) > 0 and " / " not in heading, f"{html.name}: heading {heading!r}"
    summary = dom.select_one(f".{SUMMARY_CLASS}")
    assert summary is not None, f"{html.name}: no summary block"
    first_content = dom.find(["table", "img"])
    assert first_content is None or summary.find_all_next(lambda t: t is first_content), "summary is not first"


@pytest.fixture(scope="module")
def demo_reports() -> dict[str, Path]:
    tasks = [
        runner.Task(96, "ca-mau", "demo", {"province": "Cà Mau", "lang": lang}, force=True, source=str(DEMO))
        for lang in ("en", "vi")
    ]
    results = runner.run_tasks(tasks, progress=False)
    assert [r.status for r in results] == ["ok", "ok"], results
    return {lang: config.REPORTS / "ca-mau" / f"report_demo.{lang}.html" for lang in ("en", "vi")}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_demo_report_reads_well_in_a_browser(demo_reports, lang):
    check_report(demo_reports[lang], lang)


def test_the_checks_catch_a_bilingual_report_with_identifiers(demo_reports, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        demo_reports["en"]
        .read_text(encoding="utf-8")
        .replace("</body>", "<h2>Vị trí / Where</h2><p>low_average NaN</p></body>", 1),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError):
        check_report(bad, "en")


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>',
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
        "<style>@font-face { font-family: X; src: url(https://fonts.gstatic.com/x.woff2); } body { font-family: X; }"
        "</style>",
    ],
)
def test_the_checks_catch_a_page_that_asks_another_machine(demo_reports, tmp_path, tag):
    """What the reports carried before they were self-contained (require.js and MathJax from a CDN), a web font."""
    bad = tmp_path / "cdn.html"
    bad.write_text(demo_reports["vi"].read_text(encoding="utf-8").replace("</head>", tag + "</head>", 1), "utf-8")
    with pytest.raises(AssertionError, match="leaving the machine|<script>"):
        check_report(bad, "vi")


def test_pdf_is_a4_and_keeps_figures_whole(demo_reports, tmp_path):
    pdf = browser.print_pdf(demo_reports["en"], tmp_path / "demo.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = {tuple(round(float(x)) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 595, 842)}  # A4 in points
    html = demo_reports["en"].read_text(encoding="utf-8")
    assert "size: A4" in html and "break-inside: avoid" in html


def test_one_browser_prints_several_reports(demo_reports, tmp_path):
    with browser.Printer() as printer:
        pdfs = [printer.print_pdf(demo_reports[lang], tmp_path / f"demo.{lang}.pdf") for lang in ("en", "vi")]
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
        assert {tuple(round(float(x)) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)} == {
            (0, 0, 595, 842)
        }
    assert pdfs[0].read_bytes() != pdfs[1].read_bytes()  # each page printed, not the first one twice
    assert not list(tmp_path.glob(".*.tmp"))


def test_print_queue_prints_reports_side_by_side_with_one_browser(demo_reports, tmp_path, monkeypatch):
    alone = {lang: browser.print_pdf(demo_reports[lang], tmp_path / f"alone.{lang}.pdf") for lang in ("en", "vi")}
    started = []
    real_popen = browser.subprocess.Popen

    def counting_popen(*args, **kwargs):
        started.append(args[0])
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(browser.subprocess, "Popen", counting_popen)
    jobs = [
        ("en", tmp_path / "queued.1.en.pdf"),
        ("vi", tmp_path / "queued.2.vi.pdf"),
        ("en", tmp_path / "queued.3.en.pdf"),
    ]  # three reports on PRINT_THREADS = 2 threads
    with browser.PrintQueue() as queue:
        queue.start_browser()  # before any report is ready, as the runner does: in the background
        deadline = time.monotonic() + 60
        while not started and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(started) == 1
        futures = [queue.submit(demo_reports[lang], pdf) for lang, pdf in jobs]
        seconds = [future.result() for future in futures]
    assert browser.PRINT_THREADS == 2 and len(started) == 1  # one browser, a connection to it per thread
    assert all(s > 0 for s in seconds)
    for lang, pdf in jobs:
        queued = pdf.read_bytes()
        assert queued.startswith(b"%PDF") and b"%%EOF" in queued[-1024:]
        # the same pages as the report printed alone
        pages = [len(re.findall(rb"/Type\s*/Page\b", data)) for data in (queued, alone[lang].read_bytes())]
        assert pages[0] == pages[1] > 0
    assert not list(tmp_path.glob(".*.tmp"))


REAL = {
    "trends": ("Cà Mau", None),
    "targets": ("Cao Bằng", "cao-bang-2023"),
    "links": ("Cà Mau", None),
    "indices": ("Cao Bằng", "cao-bang-2023"),
}


@pytest.mark.parametrize("notebook", list(REAL))
def test_real_reports_read_well_in_a_browser(notebook):
    province, plan = REAL[notebook]
    (task,) = runner.tasks_for(province, [notebook], "en", plan=plan)
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status in ("ok", "skipped"), result.message
    check_report(config.REPORTS / task.slug / f"{runner.output_stem(task)}.html", "en")
