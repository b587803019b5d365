"""Navigation pages: ``reports/<slug>/index.html`` per province, ``reports/index.html`` for a batch,
and each province's tables workbooks ``reports/<slug>/tables.<lang>.xlsx``.

Everything is read from what the runner left in ``reports/<slug>/``: each report's manifest
(``<stem>.json``: parameters, language, plan, data version) and its executed notebook (tables
shown with :func:`report.tables.show_table`). A report made from other raw data than today's is
listed as outdated, never as current.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path


from .. import __version__, config
from ..data import provinces
from . import tables as report_tables

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
PAGE_CSS = """<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.45; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #ddd; }
.outdated { color: #b2182b; } .muted { color: #666; font-size: 0.9em; }
</style>"""


def _manifests(folder: Path) -> list[tuple[str, dict]]:
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            info = json.loads(path.read_text())
        except ValueError:
            continue
        if isinstance(info, dict) and "input_hash" in info and (folder / f"{path.stem}.html").exists():
            found.append((path.stem, info))
    return found


def write_tables_workbooks(slug: str) -> list[Path]:
    """``tables.<lang>.xlsx`` per language: one sheet per table of every current report, same headers."""
    import nbformat

    from .runner import data_version

    folder = config.REPORTS / slug
    by_lang: dict[str, list] = {}
    for stem, info in _manifests(folder):
        if info.get("data_version") != data_version() or not (folder / f"{stem}.ipynb").exists():
            continue
        nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
        prefix = stem.split("_")[0] + (f" {info['plan']}" if info.get("plan") else "")
        for name, table in report_tables.tables_in_notebook(nb):
            by_lang.setdefault(info.get("lang", "vi"), []).append((f"{prefix} {name}", table))
    written = []
    for lang in ("vi", "en"):
        path = report_tables.write_tables_xlsx(by_lang.get(lang, []), folder / f"tables.{lang}.xlsx")
        if path:
            written.append(path)
    return written


def _rel(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def write_province_page(slug: str) -> Path:
    """``reports/<slug>/index.html``: the province's reports per language, figures, tables, parameters."""
    from .runner import data_version

    folder = config.REPORTS / slug
    folder.mkdir(parents=True, exist_ok=True)
    name = provinces.name(provinces.resolve(slug)) if _resolves(slug) else slug
    current = data_version()
    rows = []
    for stem, info in _manifests(folder):
        links = [f'<a href="{html.escape(stem)}.html">HTML</a>']
        if (folder / f"{stem}.pdf").exists():
            links.append(f'<a href="{html.escape(stem)}.pdf">PDF</a>')
        links.append(f'<a href="{html.escape(stem)}.ipynb">notebook</a>')
        params = ", ".join(f"{k} = {v}" for k, v in info.get("parameters", {}).items())
        version = info.get("data_version", "?")
        state = ("" if version == current else
                 f' <span class="outdated">(outdated: made from data version {html.escape(version)}; '
                 f'current is {current} — re-run papi-analysis report)</span>')
        rows.append(f"<tr><td>{html.escape(info.get('notebook', stem))}</td>"
                    f"<td>{LANG_NAMES.get(info.get('lang'), info.get('lang', ''))}</td>"
                    f"<td>{html.escape(info.get('plan') or '')}</td><td>{' · '.join(links)}{state}</td>"
                    f'<td class="muted">{html.escape(params)}</td></tr>')
    workbooks = "".join(f'<li><a href="{p.name}">{p.name}</a> ({LANG_NAMES[p.name.split(".")[1]]})</li>'
                        for p in sorted(folder.glob("tables.*.xlsx")))
    figure_dir = config.FIGURES / slug
    figures = "".join(f'<li><a href="{_rel(p, folder)}">{html.escape(p.name)}</a></li>'
                      for p in sorted(figure_dir.glob("*.png"))) if figure_dir.exists() else ""
    body = (f"<h1>PAPI — {html.escape(name)}</h1>"
            f'<p class="muted">Data version / Phiên bản dữ liệu: {current} (hash of data/raw/SHA256SUMS); '
            f"papi-analysis {__version__}</p>"
            "<h2>Reports / Báo cáo</h2>"
            "<table><tr><th>Notebook</th><th>Language / Ngôn ngữ</th><th>Plan / Kế hoạch</th><th></th>"
            f"<th>Parameters / Tham số</th></tr>{''.join(rows)}</table>"
            f"<h2>Tables / Bảng (Excel)</h2><ul>{workbooks or '<li>—</li>'}</ul>"
            f"<h2>Figures / Hình (PNG; SVG beside each)</h2><ul>{figures or '<li>—</li>'}</ul>")
    return _write(folder / "index.html", f"PAPI — {name}", body)


def _resolves(slug: str) -> bool:
    try:
        provinces.resolve(slug)
        return True
    except LookupError:
        return False


def write_all_page(slugs: list[str]) -> Path:
    """``reports/index.html``: every province's latest total, rank and group, with a link to its page."""
    from ..analysis import ranking
    from ..data.panel import read_panel

    ranked = ranking.rank_and_group(read_panel())
    totals = ranked[ranked["dimension"] == "total"].dropna(subset=["score"])
    latest = int(totals["year"].max())
    totals = totals[totals["year"] == latest].set_index("province_code")
    rows = []
    for slug in sorted(slugs):
        if not (config.REPORTS / slug / "index.html").exists():
            continue
        code = provinces.resolve(slug)
        if code in totals.index:
            r = totals.loc[code]
            figures = (f"<td>{r['score']:.2f}</td><td>{int(r['rank'])}/{int(r['n_ranked'])}</td>"
                       f"<td>{html.escape(str(report_tables.translate(r['group'], 'en')))} / "
                       f"{html.escape(str(report_tables.translate(r['group'], 'vi')))}</td>")
        else:
            figures = "<td>—</td><td>—</td><td>—</td>"
        rows.append(f'<tr><td><a href="{slug}/index.html">{html.escape(provinces.name(code))}</a></td>{figures}</tr>')
    body = (f"<h1>PAPI — {len(rows)} provinces / tỉnh</h1>"
            f"<p class=\"muted\">Total score {latest} (PAPI points), rank among provinces with data, group. "
            f"Tổng điểm {latest}, thứ hạng, nhóm.</p>"
            "<table><tr><th>Province / Tỉnh</th><th>Total / Tổng</th><th>Rank / Hạng</th><th>Group / Nhóm</th></tr>"
            f"{''.join(rows)}</table>")
    return _write(config.REPORTS / "index.html", "PAPI — reports", body)


def _write(path: Path, title: str, body: str) -> Path:
    page = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"{PAGE_CSS}</head><body>{body}</body></html>\n")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
