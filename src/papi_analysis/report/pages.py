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
from ..data.raw_files import data_version
from . import tables as report_tables

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
PAGE_CSS = """<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.45; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #ddd; }
.outdated { color: #b2182b; } .muted { color: #666; font-size: 0.9em; }
.thumbs { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; width: 220px; }
figure img { width: 220px; border: 1px solid #ddd; } figcaption { font-size: 0.75em; color: #666; }
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

    folder = config.REPORTS / slug
    current = [
        (stem, info)
        for stem, info in _manifests(folder)
        if info.get("data_version") == data_version() and (folder / f"{stem}.ipynb").exists()
    ]
    written = []
    record = folder / ".tables.json"  # the reports each workbook was made from: unchanged reports, no rewrite
    made_from = json.loads(record.read_text()) if record.exists() else {}
    for lang in ("vi", "en"):
        path = folder / f"tables.{lang}.xlsx"
        sources = sorted(f"{stem}:{info['input_hash']}" for stem, info in current if info.get("lang", "vi") == lang)
        if sources and path.exists() and made_from.get(lang) == sources:
            written.append(path)
            continue
        if report_tables.write_tables_xlsx(_tables(folder, current, lang), path):
            written.append(path)
        made_from[lang] = sources
    record.write_text(json.dumps(made_from, indent=1) + "\n")
    return written


def _tables(folder: Path, current: list[tuple[str, dict]], lang: str) -> list:
    import nbformat

    found = []
    for stem, info in current:
        if info.get("lang", "vi") != lang:
            continue
        nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
        prefix = stem.split("_")[0] + (f" {info['plan']}" if info.get("plan") else "")
        found.extend((f"{prefix} {name}", table) for name, table in report_tables.tables_in_notebook(nb))
    return found


def _rel(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


REPORT_TITLES: dict[str, dict[str, str]] = {
    "01_trends": {"vi": "Xu hướng: tỉnh so với cả nước", "en": "Trends: the province against the country"},
    "02_target_realism": {
        "vi": "Mục tiêu PAPI: khả năng đạt và kết quả",
        "en": "PAPI targets: how likely, and met or not",
    },
    "03_dimension_links": {"vi": "Liên hệ giữa các chỉ số nội dung", "en": "Links between the dimensions"},
    "04_other_indices": {"vi": "Mục tiêu PAR INDEX và SIPAS", "en": "PAR INDEX and SIPAS targets"},
}
PAGE_TEXT = {
    "vi": {
        "reports": "Báo cáo",
        "report": "Báo cáo",
        "plan": "Kế hoạch",
        "open": "Mở",
        "made_with": "Tham số",
        "tables": "Bảng (Excel, cùng tiêu đề cột như trong báo cáo)",
        "figures": "Hình (PNG; bản SVG để in nằm cạnh)",
        "data": "Dữ liệu: PAPI 2011-2024, phiên bản {version} (mã kiểm tra của data/raw/SHA256SUMS)",
        "outdated": "(cũ: làm từ dữ liệu phiên bản {old}; bản hiện tại là {new} — chạy lại papi-analysis report)",
        "none": "Chưa có.",
    },
    "en": {
        "reports": "Reports",
        "report": "Report",
        "plan": "Plan",
        "open": "Open",
        "made_with": "Parameters",
        "tables": "Tables (Excel, same headers as in the reports)",
        "figures": "Figures (PNG; SVG for print beside each)",
        "data": "Data version: PAPI 2011-2024, version {version} (checksum of data/raw/SHA256SUMS)",
        "outdated": "(outdated: made from data version {old}; current is {new} — re-run papi-analysis report)",
        "none": "None yet.",
    },
}


def _province_of_slug(slug: str) -> tuple[int, str] | None:
    """(code, geography) of a report folder's slug, in whichever geography uses that slug."""
    for geography in ("63", "34"):
        table = provinces.registry(geography=geography)
        match = table[table["slug"] == slug]
        if not match.empty:
            return int(match["province_code"].iloc[0]), geography
    return None


def _figure_lang(path: Path) -> str | None:
    stem = path.stem
    return "vi" if stem.endswith("_vi") else "en" if stem.endswith("_en") else None


def write_province_page(slug: str) -> Path:
    """``reports/<slug>/index.html``: the province's reports, one section per language (Vietnamese first),
    with their tables workbooks, figures (thumbnails), the parameters and the data version."""

    folder = config.REPORTS / slug
    folder.mkdir(parents=True, exist_ok=True)
    found = _province_of_slug(slug)
    code, geography = found if found else (None, "63")
    name = provinces.name(code, geography=geography) if code is not None else slug
    current = data_version()
    manifests = _manifests(folder)
    figure_dir = config.FIGURES / slug
    pngs = sorted(figure_dir.glob("*.png")) if figure_dir.exists() else []
    sections = []
    for lang in ("vi", "en"):
        text = PAGE_TEXT[lang]
        mine = [(stem, info) for stem, info in manifests if info.get("lang", "vi") == lang]
        figures = [p for p in pngs if _figure_lang(p) in (lang, None)]
        book = folder / f"tables.{lang}.xlsx"
        if not mine and not book.exists():
            continue
        rows = []
        for stem, info in mine:
            notebook = Path(info.get("notebook", stem)).stem
            title = REPORT_TITLES.get(notebook, {}).get(lang, notebook)
            links = [f'<a href="{html.escape(stem)}.html">HTML</a>']
            if (folder / f"{stem}.pdf").exists():
                links.append(f'<a href="{html.escape(stem)}.pdf">PDF</a>')
            links.append(f'<a href="{html.escape(stem)}.ipynb">notebook</a>')
            params = ", ".join(f"{k} = {v}" for k, v in info.get("parameters", {}).items())
            version = info.get("data_version", "?")
            state = (
                ""
                if version == current
                else ' <span class="outdated">'
                + html.escape(text["outdated"].format(old=version, new=current))
                + "</span>"
            )
            rows.append(
                f"<tr><td>{html.escape(title)}</td><td>{html.escape(info.get('plan') or '')}</td>"
                f'<td>{" · ".join(links)}{state}</td><td class="muted">{html.escape(params)}</td></tr>'
            )
        table = (
            (
                f"<table><tr><th>{text['report']}</th><th>{text['plan']}</th><th>{text['open']}</th>"
                f"<th>{text['made_with']}</th></tr>{''.join(rows)}</table>"
            )
            if rows
            else f"<p>{text['none']}</p>"
        )
        workbook = f'<p><a href="{book.name}">{book.name}</a></p>' if book.exists() else f"<p>{text['none']}</p>"
        thumbs = "".join(
            f'<figure><a href="{_rel(p, folder)}"><img src="{_rel(p, folder)}" alt="{html.escape(p.stem)}" '
            f'loading="lazy"></a><figcaption>{html.escape(p.stem)}</figcaption></figure>'
            for p in figures
        )
        sections.append(
            f'<section lang="{lang}"><h2>{LANG_NAMES[lang]}</h2><h3>{text["reports"]}</h3>{table}'
            f"<h3>{text['tables']}</h3>{workbook}"
            f'<h3>{text["figures"]}</h3><div class="thumbs">{thumbs or text["none"]}</div></section>'
        )
    notes = ""
    if code is not None and geography == "63":
        notes = "".join(f"<p>{html.escape(provinces.reform_sentence(code, lang))}</p>" for lang in ("vi", "en"))
    elif code is not None:
        notes = "".join(f"<p>{html.escape(provinces.composition_sentence(code, lang))}</p>" for lang in ("vi", "en"))
    body = (
        f"<h1>PAPI — {html.escape(name)}</h1>{notes}"
        f'<p class="muted">{html.escape(PAGE_TEXT["vi"]["data"].format(version=current))}<br>'
        f"{html.escape(PAGE_TEXT['en']['data'].format(version=current))}; papi-analysis {__version__}</p>"
        + "".join(sections)
    )
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

    latest_totals = {}
    for geography in ("63", "34"):
        ranked = ranking.rank_and_group(read_panel(geography=geography))
        totals = ranked[ranked["dimension"] == "total"].dropna(subset=["score"])
        latest = int(totals["year"].max())
        latest_totals[geography] = totals[totals["year"] == latest].set_index("province_code")
    rows = []
    for slug in sorted(slugs):
        found = _province_of_slug(slug)
        if not (config.REPORTS / slug / "index.html").exists() or found is None:
            continue
        code, geography = found
        totals = latest_totals[geography]
        if code in totals.index:
            r = totals.loc[code]
            figures = (
                f"<td>{r['score']:.2f}</td><td>{int(r['rank'])}/{int(r['n_ranked'])}</td>"
                f"<td>{html.escape(str(report_tables.translate(r['group'], 'en')))} / "
                f"{html.escape(str(report_tables.translate(r['group'], 'vi')))}</td>"
            )
        else:
            figures = "<td>—</td><td>—</td><td>—</td>"
        estimate = " *" if geography == "34" else ""
        rows.append(
            f'<tr><td><a href="{slug}/index.html">{html.escape(provinces.name(code, geography=geography))}'
            f"</a>{estimate}</td>{figures}</tr>"
        )
    body = (
        f"<h1>PAPI — {len(rows)} provinces / tỉnh</h1>"
        f'<p class="muted">Total score {latest} (PAPI points), rank among provinces with data, group. '
        f"Tổng điểm {latest}, thứ hạng, nhóm.</p>"
        "<table><tr><th>Province / Tỉnh</th><th>Total / Tổng</th><th>Rank / Hạng</th><th>Group / Nhóm</th></tr>"
        f"{''.join(rows)}</table>"
        '<p class="muted">* 34 tỉnh từ 1/7/2025: điểm tính lại theo dân số từ các tỉnh cũ (ước tính của dự án, '
        "không phải số PAPI công bố). / 34 provinces since 1 July 2025: scores recast from the old provinces by "
        "population (this project's estimates, not published by PAPI).</p>"
    )
    return _write(config.REPORTS / "index.html", "PAPI — reports", body)


def _write(path: Path, title: str, body: str) -> Path:
    page = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"{PAGE_CSS}</head><body>{body}</body></html>\n"
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
