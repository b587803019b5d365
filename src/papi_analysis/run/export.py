"""Executed notebook -> one-language HTML report (code hidden, images with alt text, print CSS).

Notebook authors tag markdown (and code) cells ``vi`` or ``en`` in the cell metadata; untagged
cells belong to both reports. :func:`to_html` removes the other language's cells with nbconvert's
``TagRemovePreprocessor``, hides all code and stderr output, gives every image an alt text (the
output's own ``alt`` metadata, set by ``figures.save_figure``, else the cell's ``alt`` metadata,
else the heading the figure sits under) and adds CSS for screen and A4 print.

A report travels by e-mail and shows text from other people's plans: it declares a Content-Security-Policy
(:data:`CONTENT_POLICY`) under which no script runs and nothing is fetched, so that text which escaped escaping still
could not act. The report needs no script: tables, figures (embedded PNG) and text are plain HTML and CSS.

It is also self-contained: the lab template's require.js, MathJax and Mermaid tags (each a request to a public CDN,
which many provincial networks block) are left out by :data:`REPORT_TEMPLATE`, and :func:`self_contained` removes any
``<script>``, ``<link>``, ``@import`` or ``url(http…)`` that still points outside the file, so that opening a report
asks nothing of any other machine.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from ..params import check_lang
from .notebook_tools import skip_iri_checker

skip_iri_checker()
import nbformat  # noqa: E402  (after the line above: 1.7 s faster)

OTHER = {"vi": "en", "en": "vi"}
#: cells with this tag never reach a report (developer notes, checks)
HIDDEN_TAG = "no-report"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
FIGURE_WORD = {"vi": "Hình", "en": "Figure"}

REPORT_CSS = """
<style>
body { max-width: 66rem; margin: 0 auto; }
.papi-summary { border-left: 6px solid #2166ac; background: #f0f5fa; padding: 0.6em 1.2em; margin: 1em 0; }
.papi-summary ul { margin: 0.3em 0; }
.papi-subtitle { font-size: 1.25em; color: #2166ac; margin: 0.4em 0 0.8em; }
table.papi-table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.5em 0; font-size: 0.85em; }
.jp-OutputArea-output { overflow-x: auto; }  /* a wide table scrolls instead of being cut */
table.papi-table th, table.papi-table td { border-bottom: 1px solid #ddd; }
table.papi-table caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3em 0; }
.papi-footnote { font-size: 0.85em; color: #555; }
img { max-width: 100%; height: auto; }
@page { size: A4; margin: 17mm 11mm 15mm 11mm; }
@media print {
  body { max-width: none; font-size: 10pt; }
  /* every column on the page: the table takes the page width, words wrap, the font shrinks with the columns */
  .jp-OutputArea-output { overflow: visible !important; }
  table.papi-table { width: 100%; max-width: 100%; table-layout: auto; font-size: 7.5pt; }
  table.papi-table.papi-wide { font-size: 6.5pt; }
  table.papi-table.papi-very-wide { font-size: 5.5pt; }
  table.papi-table th, table.papi-table td { padding: 2px 3px !important; overflow-wrap: break-word; hyphens: none; }
  /* a row never splits across pages; the header row repeats on each page a table spans */
  table.papi-table thead { display: table-header-group; }
  table.papi-table tr, table.papi-table caption { break-inside: avoid; page-break-inside: avoid; }
  table.papi-table caption { break-after: avoid; page-break-after: avoid; }
  img, svg, .papi-summary li { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  /* a heading in a cell of its own stays with the next cell (its paragraph or table), not alone at a page's foot */
  .jp-MarkdownCell:has(.jp-RenderedMarkdown > :is(h1, h2, h3, h4):last-child) { break-after: avoid; page-break-after: avoid; }
  /* a computed paragraph stays with the table or figure it introduces */
  .jp-OutputArea-child:has(> .jp-OutputArea-output.jp-RenderedMarkdown) { break-after: avoid; page-break-after: avoid; }
  /* a figure is at most half a page, so that one pushed to the next page leaves no near-blank page behind */
  img { max-height: 12.5cm; width: auto; }
  /* a section's closing line (the source) never sits alone on a page: the last list item goes with it */
  .jp-RenderedMarkdown > p:last-child, .jp-RenderedMarkdown > ul:last-child > li:last-child,
  .jp-RenderedMarkdown > ul + p { break-before: avoid; page-break-before: avoid; }
  /* the run line is in each page's footer (Printer): not alone on a last page */
  .papi-run { display: none; }
  /* the lab template keeps each output whole ("avoid-page"): a long table then leaves most of a page blank before it */
  .jp-Cell, .jp-OutputArea-child, .jp-OutputArea-output { break-inside: auto !important; }
}
</style>
"""

#: a table with more columns than this prints smaller (``papi-wide``); more than the second, smaller still
WIDE_COLUMNS = (8, 13)

#: what a report may load: its own styles and embedded images; no script, no frame, no request to anywhere
CONTENT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"

#: the lab template without the blocks that load scripts from a CDN (require.js, MathJax, Mermaid, widgets)
REPORT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
_EXTERNAL = re.compile(
    r"<script\b[^>]*>.*?</script\s*>"  # any script: the report has none of its own
    r"|<script\b[^>]*/>"
    r"|<link\b[^>]*>"  # stylesheets, fonts, preloads: every style is inline
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//[^;]*;",
    re.IGNORECASE | re.DOTALL,
)
_REMOTE_URL = re.compile(r"url\(\s*[\"']?(?:https?:)?//[^)]*\)", re.IGNORECASE)

_EXPORTER = None


def exporter():
    """The one HTMLExporter (lab template, code and prompts hidden), built on first use."""
    global _EXPORTER
    if _EXPORTER is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(
            template_name="lab",
            template_file="papi_report.html.j2",
            extra_loaders=[DictLoader({"papi_report.html.j2": REPORT_TEMPLATE})],
        )
        _EXPORTER.exclude_input = True
        _EXPORTER.exclude_input_prompt = True
        _EXPORTER.exclude_output_prompt = True
    return _EXPORTER


def preload() -> None:
    """Import papermill and nbconvert and build the HTML exporter, so that worker processes forked after this
    inherit them instead of each importing them again."""
    import papermill  # noqa: F401

    exporter()


def _heading(source: str) -> str | None:
    for line in source.splitlines():
        if line.lstrip().startswith("#"):
            return line.lstrip("# ").strip()
    return None


def one_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` for readers of ``lang``: other-language and ``no-report`` cells removed,
    stderr dropped, every image given an alt text."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    lang = check_lang(lang)
    nb = copy.deepcopy(nb)
    remover = TagRemovePreprocessor(remove_cell_tags={OTHER[lang], HIDDEN_TAG})
    nb, _ = remover.preprocess(nb, {})
    heading = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = _heading(cell.source) or heading
            continue
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        ]
        for output in cell.outputs:
            for mime in IMAGE_TYPES:
                if mime not in output.get("data", {}):
                    continue
                meta = output.setdefault("metadata", {}).setdefault(mime, {})
                if not meta.get("alt"):
                    meta["alt"] = cell.metadata.get("alt") or f"{FIGURE_WORD[lang]}: {heading or ''}".strip(": ")
    return nb


def _alt_texts(nb: nbformat.NotebookNode) -> list[str]:
    """One alt text per displayed image, in page order (the lab template writes none itself)."""
    alts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            for mime in ("image/png", "image/jpeg"):  # the two the template shows as <img>
                if mime in output.get("data", {}):
                    alts.append(output["metadata"][mime]["alt"])
                    break
    return alts


def _with_alt_texts(body: str, alts: list[str]) -> str:
    import html as html_lib

    placeholder = 'alt="No description has been provided for this image"'
    for alt in alts:
        body = body.replace(placeholder, f'alt="{html_lib.escape(alt, quote=True)}"', 1)
    return body


def warm_up() -> None:
    """Convert a two-cell notebook and discard it. The first conversion in a process also loads the template and
    compiles the patterns of the exporter's HTML clean-up (0.36 s for a short report instead of 0.11 s); the runner's
    workers do it while their kernels start, not while a report waits."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    image = new_output("display_data", data={"image/png": _ONE_PIXEL_PNG}, metadata={"image/png": {"alt": "-"}})
    nb = new_notebook(cells=[new_markdown_cell("# PAPI"), new_code_cell("1", outputs=[image])])
    exporter().from_notebook_node(one_language(nb, "vi"), resources={"metadata": {"name": "PAPI"}})


_ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg=="


def self_contained(page: str) -> str:
    """``page`` with every ``<script>`` and ``<link>`` element, CSS ``@import`` of a remote file and CSS
    ``url(http…)`` removed: nothing in it makes the browser ask another machine for anything."""
    return _REMOTE_URL.sub("none", _EXTERNAL.sub("", page))


def _wide_tables(page: str) -> str:
    """Mark each report table by its number of columns (``papi-wide``, ``papi-very-wide``; see :data:`REPORT_CSS`)."""

    def mark(match: re.Match) -> str:
        table = match.group(0)
        head = re.search(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
        columns = len(re.findall(r"<t[hd]\b", head.group(1))) if head else 0
        extra = " papi-very-wide" if columns > WIDE_COLUMNS[1] else " papi-wide" if columns > WIDE_COLUMNS[0] else ""
        return table.replace('class="papi-table"', f'class="papi-table{extra}"', 1) if extra else table

    return re.sub(r'<table[^>]*class="papi-table".*?</table>', mark, page, flags=re.DOTALL)


#: ``<meta name=…>`` of a report read by the printer: the running header of each PDF page and the footer line
RUNNING_HEADER, RUN_LINE = "papi-running-header", "papi-run-line"


def to_html(
    notebook: Path, output: Path, lang: str, title: str = "PAPI", footer: str = "", running_header: str = ""
) -> Path:
    """Write the one-language, code-hidden HTML report of an executed notebook; ``footer``: a last line (plain text,
    escaped) naming the run and data version it belongs to; ``running_header``: the line printed at the top of each
    PDF page (province, report, language, data version), with ``footer`` at the bottom beside the page number."""
    import html as html_lib

    nb = one_language(nbformat.read(notebook, as_version=4), lang)
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _wide_tables(self_contained(_with_alt_texts(body, _alt_texts(nb))))
    body = re.sub(r"<html[^>]*>", f'<html lang="{lang}">', body, count=1)
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">'
    for name, content in ((RUNNING_HEADER, running_header), (RUN_LINE, footer)):
        if content:
            policy += f'<meta name="{name}" content="{html_lib.escape(content, quote=True)}">'
    body = re.sub(r"<head[^>]*>", lambda m: m.group(0) + policy, body, count=1)
    body = body.replace("</head>", REPORT_CSS + "</head>", 1)
    if footer:
        body = _replace_last(body, "</body>", f'<p class="papi-footnote papi-run">{html_lib.escape(footer)}</p></body>')
    Path(output).write_text(body, encoding="utf-8")
    return Path(output)


def _replace_last(text: str, old: str, new: str) -> str:
    head, found, tail = text.rpartition(old)
    return head + new + tail if found else text + new
