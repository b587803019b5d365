"""One-language export, province pages and tables workbooks, on the demo notebook of the report mechanisms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import openpyxl
import papermill
import pytest

from papi_analysis import config
from papi_analysis.run import export, runner

DEMO = Path(__file__).parent / "fixtures" / "report_demo.ipynb"


def test_one_language_keeps_untagged_cells_and_drops_the_other_language():
    nb = nbformat.read(DEMO, as_version=4)
    for lang, other in (("en", "vi"), ("vi", "en")):
        kept = export.one_language(nb, lang)
        tags = [t for c in kept.cells for t in c.metadata.get("tags", [])]
        assert other not in tags and lang in tags
        assert sum(c.cell_type == "code" for c in kept.cells) == sum(c.cell_type == "code" for c in nb.cells)


def test_images_get_alt_text_from_the_heading_they_sit_under():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## 2. The total over time", metadata={"tags": ["en"]}),
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
                ]
            ),
        ]
    )
    out = export.one_language(nb, "en")
    assert out.cells[1].outputs[0].metadata["image/png"]["alt"] == "Figure: 2. The total over time"


@pytest.fixture(scope="module")
def demo_run():
    task = runner.Task(96, "ca-mau", "demo", {"province": "Cà Mau", "lang": "en"}, force=True, source=str(DEMO))
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status == "ok", result.message
    runner.write_pages(["ca-mau"], all_index=True)
    return task


def test_demo_report_is_english_only_with_summary_and_alt_texts(demo_run):
    html = (config.REPORTS / "ca-mau" / "report_demo.en.html").read_text(encoding="utf-8")
    assert "A province at a glance" in html and "Tỉnh trong nháy mắt" not in html and "Vị trí hiện tại" not in html
    assert 'class="papi-summary"' in html and "No description has been provided" not in html
    assert "import papi_analysis" not in html and "show_table" not in html  # code hidden
    assert '<html lang="en">' in html


def test_reports_are_self_contained(demo_run, tmp_path):
    """No <script>, <link>, @import or remote url(): opening a report asks no other machine (require.js and MathJax
    came from a public CDN before); and the clean-up removes such tags wherever they come from."""
    page = (config.REPORTS / "ca-mau" / "report_demo.en.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and "cdnjs" not in page and "mathjax" not in page.lower()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page) and "@import" not in page
    dirty = (
        '<head><script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/c">'
        "<style>@import url('https://fonts.example/f.css'); b { background: url(https://x.example/i.png) }</style>"
        "</head><body><p>&lt;script&gt; stays text</p></body>"
    )
    clean = export.self_contained(dirty)
    assert "example" not in clean and "&lt;script&gt; stays text" in clean


def test_tables_workbook_and_province_page(demo_run):
    folder = config.REPORTS / "ca-mau"
    book = openpyxl.load_workbook(folder / "tables.en.xlsx")
    # sheets named "<report>.<table> <label>" (the demo report has no number in its file name: 1, its place), never
    # a caption cut mid-phrase ("Ca Mau 2023 every") nor "(2)"; the README gives each name beside its full caption
    assert book.sheetnames == ["README", "1.1 Where it stands now", "1.2 Total by year"]
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row and row[0]}
    assert readme["1.1 Where it stands now"].endswith(("Cà Mau 2024", "Ca Mau 2024"))  # the caption, not cut
    standing = book[book.sheetnames[1]]
    headers = [c.value for c in standing[1]]
    assert headers == [
        "Dimension",
        "Score",
        "National median",
        "Rank",
        "Provinces with data",
        "Group",
        "Change (points)",
        "Beyond noise?",
    ]
    score, rank, count = (standing.cell(row=2, column=n) for n in (2, 4, 5))
    assert isinstance(score.value, float) and score.number_format == "[$-409]#,##0.00"
    assert isinstance(rank.value, int) and isinstance(count.value, int)
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="report_demo.en.html"' in page and "tables.en.xlsx" in page and runner.data_version() in page
    assert "Cà Mau, in English, on the 63 provinces" in page and "province = " not in page
    top = (config.REPORTS / "index.html").read_text(encoding="utf-8")
    assert 'href="ca-mau/index.html"' in top
    manifest = json.loads((folder / "report_demo.en.json").read_text())
    assert manifest["lang"] == "en" and manifest["data_version"] == runner.data_version()


def test_a_failed_rerun_leaves_no_output_of_the_same_name_looking_current(demo_run):
    folder = config.REPORTS / "ca-mau"
    bad = runner.Task(96, "ca-mau", "demo", {"province": "Quang Nom", "lang": "en"}, force=True, source=str(DEMO))
    assert runner.output_stem(bad) == "report_demo.en"
    (result,) = runner.run_tasks([bad], progress=False)
    assert result.status == "failed" and "Unknown province 'Quang Nom'" in result.message
    assert not (folder / "report_demo.en.html").exists() and (folder / "report_demo.en.failed.ipynb").exists()
    runner.write_pages(["ca-mau"])
    assert "report_demo.en.html" not in (folder / "index.html").read_text(encoding="utf-8")


def test_a_misspelt_province_parameter_fails_instead_of_running_a_default(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="province is required"):
        papermill.execute_notebook(
            str(DEMO),
            str(tmp_path / "out.ipynb"),
            parameters={"provnce": "Cà Mau"},
            kernel_name="python3",
            progress_bar=False,
            extra_arguments=runner.KERNEL_ARGUMENTS,
        )


@pytest.mark.parametrize("name", sorted(p.name for p in config.NOTEBOOKS.glob("0*.ipynb")))
def test_tables_printed_as_text_for_nbval_never_reach_readers(name):
    """Cells that print a table as text exist for nbval's key numbers; readers see the styled tables only."""
    nb = nbformat.read(config.NOTEBOOKS / name, as_version=4)
    printing = [c for c in nb.cells if c.cell_type == "code" and ("print(" in c.source or ".to_string(" in c.source)]
    assert printing, f"{name}: no key-number cell found"
    for cell in printing:
        assert export.HIDDEN_TAG in cell.metadata.get("tags", []), cell.source[:80]
    for lang in ("vi", "en"):
        kept = export.one_language(nb, lang)
        shown = "".join(o.get("text", "") for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", []))
        printed = [o["text"] for c in printing for o in c.get("outputs", []) if o.get("text", "").strip()]
        assert printed, f"{name}: the committed key-number cells hold no output for nbval"
        assert not any(text in shown for text in printed)
        assert not any("NBVAL_CHECK_OUTPUT" in c.source for c in kept.cells)
