"""Issue 29, what a plan or a parameter can carry: text from a user is text everywhere (never script in a report or a
page, never a formula in a workbook, never a path), every report says which run and data it belongs to, the browser
that prints a report reads nothing outside the report's folder, and bad parameters end in one sentence.

The first test feeds a plan full of script tags, event handlers, formula prefixes, path separators and more score
targets than the report draws through a whole ``report --pdf`` run, then opens everything written in Chromium with a
DevTools listener for dialogs, console messages and exceptions. The others are the same defects, one at a time, at
the place they are handled.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import papermill
import pytest
from bs4 import BeautifulSoup

from papi_analysis import config
from papi_analysis.params import SLUG_MAX, ParameterError, check_injected, file_slug
from papi_analysis.report import pages, tables
from papi_analysis.report.figures import rendering
from papi_analysis.report.target_figures import MAX_TARGET_FIGURES, target_figure_name
from papi_analysis.run import browser, cli, runner

MARK = "papi-xss"  # every payload names it: a script that ran, or markup that survived, is found by it
PLAN_ID = f"45/KH-UBND <script>alert('{MARK}-plan')</script>"
SCRIPT = f"<script>alert('{MARK}-4')</script>"
PAYLOADS = {
    "handler_id": f'x" onerror="alert(\'{MARK}-2\')" y="',
    "climbing_id": "../../escape",
    "absolute_id": "/tmp/absolute",
    "formula": '=HYPERLINK("http://example.invalid","click")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "minus": "-2+3",
    "image": f"<img src=x onerror=alert('{MARK}-3')>",
}
#: score targets in the plan: more than the report draws
SCORE_TARGETS = MAX_TARGET_FIGURES + 2

needs_browser = pytest.mark.skipif(browser.find_chromium() is None, reason="headless Chromium not installed")


def hostile_plan(path: Path) -> Path:
    """A Quảng Nam 2021 plan whose ids, indicator, values, quotes and notes are attacks."""
    rows = [
        dict(
            target_id=PAYLOADS["handler_id"],
            indicator="total",
            kind="score_at_least",
            target_value="45.6",
            quote=PAYLOADS["formula"],
            note=PAYLOADS["image"],
        ),
        dict(
            target_id=PAYLOADS["climbing_id"],
            indicator="D1",
            kind="score_at_least",
            target_value="5.3",
            quote=PAYLOADS["plus"],
            note=PAYLOADS["at"],
        ),
        dict(
            target_id=PAYLOADS["absolute_id"],
            indicator=SCRIPT,
            kind="other_index",
            target_value=f"{PAYLOADS['dde']} {PAYLOADS['image']}",
            quote=PAYLOADS["minus"],
            note="",
        ),
    ]
    for number in range(SCORE_TARGETS - 2):  # a plan that repeats a target many times over
        rows.append(
            dict(
                target_id=f"copy/{number}",
                indicator="D2",
                kind="score_at_least",
                target_value=f"{5 + number / 100:.2f}",
                quote="",
                note="",
            )
        )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["plan_id", "province", "baseline_year", "target_year", *rows[0]])
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(plan_id=PLAN_ID, province="Quảng Nam", baseline_year=2020, target_year=2021, **row))
    return path


def _injected(html: str) -> list[str]:
    """Markup made from a payload: an element with an event handler or a script carrying the mark."""
    dom = BeautifulSoup(html, "html.parser")
    found = [
        f"<{tag.name} {name}=...>"
        for tag in dom.find_all(True)
        for name, value in tag.attrs.items()
        if name.lower().startswith("on") and MARK in str(value)
    ]
    found += [str(tag)[:80] for tag in dom.find_all("script") if MARK in tag.get_text()]
    found += [str(tag)[:80] for tag in dom.find_all(["iframe", "object", "embed"])]
    return found


def _formulas(workbook: Path) -> list[str]:
    """Formula cells of an .xlsx, read from the file itself (``<f>`` elements) and through openpyxl."""
    with zipfile.ZipFile(workbook) as archive:
        raw = [
            name for name in archive.namelist() if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]
    book = openpyxl.load_workbook(workbook)
    cells = [
        f"{sheet.title}!{c.coordinate}"
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    return raw + cells


@needs_browser
def test_a_hostile_plan_runs_as_text_everywhere(tmp_path, monkeypatch, capsys):
    reports, figures = tmp_path / "reports", tmp_path / "figures"
    for name, path in (("REPORTS", reports), ("FIGURES", figures)):
        monkeypatch.setattr(config, name, path)
        monkeypatch.setenv(f"PAPI_{name}", str(path))  # the kernel reads them too
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    plan = hostile_plan(tmp_path / "plan.csv")

    argv = ["report", "--province", "Quảng Nam", "--notebooks", "targets", "--plan", str(plan), "--pdf", "--jobs", "1"]
    assert cli.main([*argv, "--quiet"]) == 0, capsys.readouterr()

    # every file written is under reports/ or figures/, named from the ids by the slug function
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != plan]
    outside = [p for p in written if not p.is_relative_to(reports) and not p.is_relative_to(figures)]
    assert not outside, outside
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", p.name) for p in written), [p.name for p in written]
    folder = reports / "quang-nam"
    (html_report,) = folder.glob("02_target_realism.*.vi.html")
    assert html_report.with_suffix(".pdf").exists()
    drawn = sorted(p.name for p in (figures / "quang-nam").glob("target_*_vi.png"))
    assert len(drawn) == MAX_TARGET_FIGURES  # no more than the stated count ...
    assert target_figure_name(PLAN_ID, PAYLOADS["climbing_id"], "vi") + ".png" in drawn

    # ... and the report says how many it left out; every page names its run and data version
    text = html_report.read_text(encoding="utf-8")
    assert f"{MAX_TARGET_FIGURES} trong số {SCORE_TARGETS} mục tiêu điểm số" in text
    manifest = json.loads(html_report.with_suffix(".json").read_text())
    assert manifest["run_id"] in text and manifest["data_version"] in text
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert manifest["run_id"] in page and manifest["data_version"] in page

    # no script runs in a reader's browser, nothing is fetched from the network, the payloads read as text
    with browser.Printer() as printer:
        for html in (html_report, folder / "index.html"):
            seen = printer.page_activity(html, settle=0.5)
            assert not seen.dialogs and not seen.console and not seen.exceptions, (html.name, seen)
            assert all(url.startswith(("file:", "data:")) for url in seen.loaded), seen.loaded
            assert not _injected(seen.html), _injected(seen.html)
    assert SCRIPT in BeautifulSoup(text, "html.parser").get_text()  # shown as the plan wrote it

    # the workbook: the formulas are text, and a last sheet names the run
    (book,) = folder.glob("tables.vi.xlsx")
    assert not _formulas(book)
    cells = [c.value for sheet in openpyxl.load_workbook(book) for row in sheet.iter_rows() for c in row]
    assert any(PAYLOADS["dde"] in str(v) for v in cells) and manifest["run_id"] in cells  # shown, as text


def test_ids_become_short_distinct_file_names():
    ids = [
        "cao-bang-2023",
        "D1-score",
        "45/KH-UBND",
        "45-KH-UBND",
        "45\\KH-UBND",
        "../../escape",
        ".hidden",
        "-rf",
        "Kế hoạch số 12",
        "Ke hoach so 12",
        "x" * 309,
        "x" * 310,
        PAYLOADS["handler_id"],
        "",
        "CON",
    ]
    names = [file_slug(i) for i in ids]
    assert len(set(names)) == len(ids)  # two ids never share a name
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name) and len(name) <= SLUG_MAX, name
    assert names[:2] == ["cao-bang-2023", "D1-score"]  # a plain id keeps its name
    long_plan = runner.Task(49, "quang-nam", "targets", {"plan": "x" * 309, "province": "Quảng Nam", "lang": "vi"})
    assert len(runner.output_stem(long_plan).encode()) < 100  # no "File name too long"
    slashed = runner.Task(49, "quang-nam", "targets", {"plan": "45/KH-UBND", "province": "Quảng Nam", "lang": "vi"})
    assert "/" not in runner.output_stem(slashed)


def test_a_figure_name_cannot_leave_its_folder(tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    (tmp_path / "figures").mkdir()
    paths = rendering.save_figure(fig, "../../x/y", tmp_path / "figures", formats=("png",), show=False)
    assert [p.parent for p in paths] == [tmp_path / "figures"] and not (tmp_path / "x").exists()


def test_table_cells_and_headers_are_escaped():
    frame = pd.DataFrame({"target_id": [SCRIPT], "note": [PAYLOADS["image"]]})
    html = tables.styled_table(frame, "en", headers={"note": PAYLOADS["image"]}, caption=SCRIPT).to_html()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html


def test_workbook_cells_are_never_formulas(tmp_path):
    frame = pd.DataFrame({"Quote": list(PAYLOADS.values()), "Score": ["45,60"] * len(PAYLOADS)})
    path = tables.write_tables_xlsx([("=sheet", frame)], tmp_path / "tables.vi.xlsx", about=[("run", "=1+1")])
    assert not _formulas(path)
    book = openpyxl.load_workbook(path)
    values = [c.value for row in book.worksheets[0].iter_rows(min_row=2) for c in row]
    assert PAYLOADS["dde"] in values and PAYLOADS["at"] in values  # kept as the plan wrote them, as text
    quoted = [c.quotePrefix for row in book.worksheets[0].iter_rows(min_row=2, max_col=1) for c in row]
    assert quoted == [str(v).startswith(tables.FORMULA_PREFIXES) for v in PAYLOADS.values()]
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_a_figure_file_name_cannot_break_out_of_the_page(tmp_path, monkeypatch):
    from urllib.parse import unquote

    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(config, "FIGURES", tmp_path / "figures")
    (tmp_path / "figures" / "quang-nam").mkdir(parents=True)
    (tmp_path / "reports" / "quang-nam").mkdir(parents=True)
    (tmp_path / "reports" / "quang-nam" / "tables.vi.xlsx").write_bytes(b"")
    name = f"target_{PAYLOADS['handler_id']}_vi.png"  # a file left by an earlier version
    (tmp_path / "figures" / "quang-nam" / name).write_bytes(b"")
    page = pages.write_province_page("quang-nam").read_text(encoding="utf-8")
    assert not _injected(page)
    (image,) = BeautifulSoup(page, "html.parser").find_all("img")
    # the folder's own copy of the figure (an unreadable PNG has no thumbnail): the folder works when copied alone
    assert set(image.attrs) == {"src", "alt"} and unquote(image["src"]) == f"figures/{name}"
    assert 'http-equiv="Content-Security-Policy"' in page


def test_a_province_page_shows_a_stated_number_of_thumbnails(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(config, "FIGURES", tmp_path / "figures")
    (tmp_path / "figures" / "quang-nam").mkdir(parents=True)
    (tmp_path / "reports" / "quang-nam").mkdir(parents=True)
    (tmp_path / "reports" / "quang-nam" / "tables.en.xlsx").write_bytes(b"")
    for number in range(pages.MAX_THUMBNAILS + 25):  # what 5,000 targets used to leave behind
        (tmp_path / "figures" / "quang-nam" / f"target_plan_{number:04d}_en.png").write_bytes(b"")
    page = pages.write_province_page("quang-nam").read_text(encoding="utf-8")
    assert page.count("<img ") == pages.MAX_THUMBNAILS and "and 25 more figures in the folder" in page


@needs_browser
def test_printing_reads_nothing_outside_the_report_folder_and_runs_no_script(tmp_path):
    """A page that points at an image outside its folder, and a script that would add one: the PDF has none of it
    (only Chromium's 14 x 16 broken-image sign). The same image inside the folder is printed (the check can fail)."""
    from PIL import Image

    outside, folder = tmp_path / "outside", tmp_path / "report"
    outside.mkdir()
    folder.mkdir()
    Image.new("RGB", (7, 3), "red").save(outside / "secret.png")
    Image.new("RGB", (7, 3), "red").save(folder / "inside.png")
    style = "<style>img { width: 8cm; height: 8cm; }</style>"
    away = folder / "away.html"
    away.write_text(
        f'<html><head>{style}</head><body><p>report</p><img src="{(outside / "secret.png").as_uri()}">'
        f'<img src="../outside/secret.png"><script>const i = document.createElement("img"); '
        f'i.src = "{(outside / "secret.png").as_uri()}"; document.body.append(i);</script></body></html>'
    )
    home = folder / "home.html"
    home.write_text(f'<html><head>{style}</head><body><p>report</p><img src="inside.png"></body></html>')
    with browser.Printer() as printer:
        printed = {
            page.stem: printer.print_pdf(page, tmp_path / f"{page.stem}.pdf").read_bytes() for page in (away, home)
        }
    size = re.compile(rb"/Width 7\s*/Height 3\b")
    assert size.search(printed["home"]) and not size.search(printed["away"])


def test_a_misspelt_papermill_parameter_stops_the_notebook_with_its_names(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as stopped:
        papermill.execute_notebook(
            str(config.NOTEBOOKS / "01_trends.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"province": "Cà Mau", "lnag": "en"},
            kernel_name="python3",
            progress_bar=False,
            extra_arguments=runner.KERNEL_ARGUMENTS,
        )
    assert stopped.value.ename == "ParameterError"
    assert "no parameter lnag (did you mean lang?)" in stopped.value.evalue and "map_year" in stopped.value.evalue


def test_the_injected_names_are_compared_with_the_declared_ones():
    declared = 'province = ""\nlang = "vi"\n'
    check_injected(["", declared, '# Parameters\nprovince = "Huế"\nlang = "en"\n'])
    check_injected(["", declared, "x = 1"])  # no injected cell: a notebook run as it is
    with pytest.raises(ParameterError, match=r"no parameter lnag \(did you mean lang\?\), provnce"):
        check_injected(["", declared, '# Parameters\nlnag = "en"\nprovnce = "Huế"\n'])


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--year", "2013"], "cannot give advice for 2013"),
        (["--year", "2018"], "cannot give advice for 2018"),
        (["--year", "2011"], "at most 2025"),
        (["--csv", "{tmp}"], "is a folder; name the file to write"),
    ],
)
def test_advise_answers_bad_requests_with_a_sentence(tmp_path, capsys, argv, says):
    argv = [a.format(tmp=tmp_path) for a in argv]
    assert cli.main(["advise", "--province", "Quảng Nam", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "['baseline']" not in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_the_new_sentences_are_complete_in_both_languages():
    from papi_analysis.report.target_figures import SAY

    assert pages.RUN_TEXT.problems() == [] and SAY.problems() == []
