"""Navigation pages: ``reports/<slug>/index.html`` per province, ``reports/index.html`` for a batch,
and each province's tables workbooks ``reports/<slug>/tables.<lang>.xlsx``.

A province folder works when copied alone: its figures (and thumbnails) are copied into ``reports/<slug>/figures/``
and every link on its page is relative within it; figures are captioned with the title they were drawn with. A
workbook opens with a README sheet ("Đọc trước") saying what each sheet is, the data version and the source, and
holds numbers as numbers (:func:`report.tables.write_tables_xlsx`).

Everything is read from what the runner left in ``reports/<slug>/``: each report's manifest
(``<stem>.json``: parameters, language, plan, data version, the run that made it) and its executed notebook (tables
shown with :func:`report.tables.show_table`). A report made from other raw data than today's, or (as the runner
tells, ``states``) from another notebook, plan or code, is listed as outdated, never as current, and left out of the
workbooks. Each page and workbook names the run that wrote it and the data version. Text from a plan is escaped
wherever it appears, file names in links are quoted, and a page declares a Content-Security-Policy under which no
script runs.
"""

from __future__ import annotations

import html
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from .. import __version__, config
from ..data import provinces
from ..data.raw_files import data_version
from ..params import temporary_path
from . import tables as report_tables
from .texts.messages import Messages

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
PAGE_CSS = """<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.45; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #ddd; }
.outdated { color: #b2182b; } .muted { color: #666; font-size: 0.9em; } .subtitle { color: #2166ac; font-weight: bold; }
.thumbs { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; width: 220px; }
.run { font-size: 0.85em; color: #666; }
figure img { width: 220px; border: 1px solid #ddd; } figcaption { font-size: 0.75em; color: #666; }
</style>"""
#: a page loads its own figures and styles; no script runs, nothing else is fetched
PAGE_POLICY = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'"
#: thumbnails shown per language on a province's page (the folder holds every figure)
MAX_THUMBNAILS = 60

RUN_TEXT = Messages(
    {
        "report_footer": {
            "vi": "Báo cáo này do lần chạy {run} lập, từ dữ liệu phiên bản {version} (papi-analysis {code}).",
            "en": "This report was made by run {run} from data version {version} (papi-analysis {code}).",
        },
        "running_header": {
            "vi": "PAPI · {province} · {report} · Tiếng Việt · dữ liệu phiên bản {version}",
            "en": "PAPI · {province} · {report} · English · data version {version}",
        },
        "page_made": {
            "vi": "Trang này và các tệp Excel do lần chạy {run} lập lúc {when}, dữ liệu phiên bản {version}.",
            "en": "This page and the workbooks were made by run {run} at {when}, data version {version}.",
        },
        "run_column": {"vi": "Lần chạy", "en": "Run"},
        "report_run": {"vi": "{run} ({when})", "en": "{run} ({when})"},
        "outdated_inputs": {
            "vi": "(cũ: sổ tính, kế hoạch hoặc mã chương trình đã thay đổi từ khi lập báo cáo này — chạy lại "
            "papi-analysis report; không có trong tệp Excel)",
            "en": "(outdated: its notebook, plan or the program changed since it was made — re-run papi-analysis "
            "report; left out of the workbook)",
        },
        "more_figures": {
            "vi": "… và {n:int} hình khác trong thư mục {folder}",
            "en": "… and {n:int} more figures in the folder {folder}",
        },
        "about_sheet": {"vi": "Đọc trước", "en": "README"},
        "readme_title": {
            "vi": "Các bảng của báo cáo PAPI — {province}: mỗi bảng một trang tính",
            "en": "Tables of the PAPI reports — {province}: one sheet per table",
        },
        "readme_sheet": {"vi": "Trang tính", "en": "Sheet"},
        "readme_what": {"vi": "Nội dung", "en": "What it holds"},
        "readme_table": {"vi": "{report} — {title}", "en": "{report} — {title}"},
        "readme_plan": {"vi": "{report} (kế hoạch {plan})", "en": "{report} (plan {plan})"},
        "table_number": {"vi": "bảng {n:int}", "en": "table {n:int}"},
        "about_source": {"vi": "Nguồn", "en": "Source"},
        "source": {
            "vi": "PAPI — Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh (papi.org.vn), số liệu công bố "
            "2011-2024; các số khác (xác suất, thứ hạng ước tính, số tính lại cho 34 tỉnh) do papi-analysis tính.",
            "en": "PAPI — the Provincial Governance and Public Administration Performance Index (papi.org.vn), "
            "published figures 2011-2024; other figures (probabilities, estimated ranks, recast 34-province values) "
            "computed by papi-analysis.",
        },
        "about_numbers": {"vi": "Cách đọc số", "en": "Numbers"},
        "numbers": {
            "vi": "Số được lưu dưới dạng số, có thể sắp xếp, cộng và vẽ biểu đồ: điểm hiển thị 2 chữ số thập phân, "
            "xác suất và tỷ lệ hiển thị dạng % (lưu là 0-1), năm và thứ hạng là số nguyên; khoảng tin cậy nằm ở hai "
            "cột cận dưới và cận trên. Ô trống: không có số liệu.",
            "en": "Numbers are stored as numbers, ready to sort, sum and chart: points shown with 2 decimals, "
            "probabilities and shares shown as % (stored as 0-1), years and ranks as integers; intervals in their "
            "own low and high columns. An empty cell: no figure.",
        },
        "about_run": {"vi": "Lần chạy lập tệp này", "en": "Run that made this workbook"},
        "about_when": {"vi": "Thời điểm", "en": "Made at"},
        "about_data": {"vi": "Phiên bản dữ liệu", "en": "Data version"},
        "about_report": {"vi": "Bảng lấy từ báo cáo {report}", "en": "Tables from the report {report}"},
        "about_report_run": {"vi": "lần chạy {run} ({when})", "en": "run {run} ({when})"},
    }
)


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


def _current(folder: Path, states: Mapping[str, str] | None) -> list[tuple[str, dict]]:
    """The reports of ``folder`` that are current: by the runner's ``states`` (stem -> "current" or why not), else
    by their data version alone."""
    found = []
    for stem, info in _manifests(folder):
        state = states.get(stem) if states is not None else None
        if state == "current" or (state is None and info.get("data_version") == data_version()):
            found.append((stem, info))
    return found


def write_tables_workbooks(slug: str, states: Mapping[str, str] | None = None, run_id: str | None = None) -> list[Path]:
    """``tables.<lang>.xlsx`` per language: one sheet per table of every current report, same headers, and a last
    sheet naming the run (``run_id``), the data version and the report each table comes from."""

    folder = config.REPORTS / slug
    current = [(stem, info) for stem, info in _current(folder, states) if (folder / f"{stem}.ipynb").exists()]
    written = []
    record = folder / ".tables.json"  # the reports each workbook was made from: unchanged reports, no rewrite
    try:
        made_from = json.loads(record.read_text())
    except (OSError, ValueError):
        made_from = {}
    for lang in ("vi", "en"):
        path = folder / f"tables.{lang}.xlsx"
        mine = [(stem, info) for stem, info in current if info.get("lang", "vi") == lang]
        sources = sorted(f"{stem}:{info['input_hash']}" for stem, info in mine)
        if sources and path.exists() and made_from.get(lang) == sources:
            written.append(path)
            continue
        found = _tables(folder, current, lang)
        if report_tables.write_tables_xlsx(
            found,
            path,
            about=_about(mine, lang, run_id),
            about_sheet=RUN_TEXT("about_sheet", lang),
            lang=lang,
            readme={
                "title": RUN_TEXT("readme_title", lang, province=_province_name(slug)),
                "columns": (RUN_TEXT("readme_sheet", lang), RUN_TEXT("readme_what", lang)),
                "descriptions": [description for description, _ in found],
            },
        ):
            written.append(path)
        made_from[lang] = sources
    _write_text(record, json.dumps(made_from, indent=1) + "\n")
    return written


def _about(reports: list[tuple[str, dict]], lang: str, run_id: str | None) -> list[tuple[str, str]]:
    """The rows of a workbook's last sheet: the run that made it, when, the data version, each report's run."""
    rows = [
        (RUN_TEXT("about_data", lang), data_version()),
        (RUN_TEXT("about_source", lang), RUN_TEXT("source", lang)),
        (RUN_TEXT("about_numbers", lang), RUN_TEXT("numbers", lang)),
        (RUN_TEXT("about_run", lang), run_id or "—"),
        (RUN_TEXT("about_when", lang), time.strftime("%Y-%m-%d %H:%M")),
    ]
    for stem, info in reports:
        report = report_title(info.get("notebook", stem), lang)
        if info.get("plan"):
            report = RUN_TEXT("readme_plan", lang, report=report, plan=info["plan"])
        rows.append(
            (
                RUN_TEXT("about_report", lang, report=report),
                RUN_TEXT("about_report_run", lang, run=info.get("run_id", "—"), when=info.get("made", "—")),
            )
        )
    return rows


def _tables(folder: Path, current: list[tuple[str, dict]], lang: str) -> list[tuple[str, object]]:
    """(what the table is, in ``lang``; the table titled for its sheet) for every table of the current reports of
    ``lang``, in report order."""
    import nbformat

    found = []
    for stem, info in current:
        if info.get("lang", "vi") != lang:
            continue
        nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
        notebook = Path(info.get("notebook", stem)).stem
        report = REPORT_TITLES.get(notebook, {}).get(lang, PAGE_TEXT[lang]["report"])
        if info.get("plan"):
            report = RUN_TEXT("readme_plan", lang, report=report, plan=info["plan"])
        province = str(info.get("parameters", {}).get("province", ""))
        for number, (_, table) in enumerate(report_tables.tables_in_notebook(nb, source=stem), start=1):
            title = table.attrs.get("caption") or f"{report.split(':')[0]}, {RUN_TEXT('table_number', lang, n=number)}"
            # the sheet's name: the title without the province every sheet of the workbook is about
            short = title[len(province) + 2 :] if province and title.startswith(f"{province}: ") else title
            table.attrs["caption"] = short[:1].upper() + short[1:]
            found.append((RUN_TEXT("readme_table", lang, report=report, title=title), table))
    return found


def _province_name(slug: str) -> str:
    found = _province_of_slug(slug)
    return provinces.name(found[0], geography=found[1]) if found else slug


def report_title(notebook: str, lang: str) -> str:
    """The human title of a report notebook (``02_target_realism`` or its file name) in ``lang``."""
    return REPORT_TITLES.get(Path(notebook).stem, {}).get(lang, PAGE_TEXT[lang]["report"])


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


def _href(target: Path, start: Path) -> str:
    """A link to ``target`` from a page in ``start``: relative, every character of the file name quoted."""
    return html.escape(quote(_rel(target, start)), quote=True)


#: a province folder's own copies of its figures (``reports/<slug>/figures/``) and their thumbnails: the folder
#: works when copied alone
FIGURE_FOLDER, THUMBNAIL_FOLDER = "figures", "thumbnails"
THUMBNAIL_WIDTH = 440  # pixels: sharp at the 220 CSS pixels a thumbnail is shown at

PROVINCE_TEXT = Messages(
    {
        "title_63": {
            "vi": "PAPI — {name} (63 tỉnh, đến 30/6/2025)",
            "en": "PAPI — {name} (63 provinces, to 30/6/2025)",
        },
        "title_34": {
            "vi": "PAPI — {name} (34 tỉnh, từ 1/7/2025)",
            "en": "PAPI — {name} (34 provinces, from 1/7/2025)",
        },
        "parameters": {
            "vi": "{province}, bằng tiếng Việt, trên {geography}{plan}.",
            "en": "{province}, in English, on {geography}{plan}.",
        },
        "geography_63": {
            "vi": "63 tỉnh (số liệu PAPI công bố 2011-2024)",
            "en": "the 63 provinces (PAPI's published figures 2011-2024)",
        },
        "geography_34": {
            "vi": "34 tỉnh từ 1/7/2025 (lịch sử tính lại, ước tính của dự án)",
            "en": "the 34 provinces since 1 July 2025 (history recast: this project's estimates)",
        },
        "with_plan": {"vi": ", kế hoạch {plan}", "en": ", plan {plan}"},
        "figure_number": {"vi": "Hình {n:int}", "en": "Figure {n:int}"},
        "analysts": {
            "vi": "Cho người phân tích: sổ tính Jupyter đã chạy của từng báo cáo",
            "en": "for analysts: each report's executed Jupyter notebook",
        },
        "companion_34": {
            "vi": "Các mục tiêu cho năm 2025 trở đi được đánh giá trên 34 tỉnh từ 1/7/2025 (lịch sử tính lại), vì từ năm "
            "đó {name} cũ thuộc {other} mới; các báo cáo còn lại dùng 63 tỉnh, nơi PAPI đã công bố số liệu 2011-2024. "
            "Xem trang của {other} (34 tỉnh): ",
            "en": "Targets for 2025 and later are assessed on the 34 provinces of 1 July 2025 (history recast), since "
            "the former {name} is part of the new {other} from then; the other reports use the 63 provinces, where PAPI published its "
            "figures for 2011-2024. See the page of {other} (34 provinces): ",
        },
        "companion_63": {
            "vi": "Trang này dùng 34 tỉnh từ 1/7/2025 (lịch sử tính lại): các mục tiêu cho năm 2025 trở đi được đánh "
            "giá ở đây. Các báo cáo theo 63 tỉnh, nơi PAPI đã công bố số liệu 2011-2024, nằm ở trang của tỉnh cũ: ",
            "en": "This page uses the 34 provinces of 1 July 2025 (history recast): targets for 2025 and later are "
            "assessed here. The reports on the 63 provinces, where PAPI published its figures for 2011-2024, are on "
            "the page of the former province: ",
        },
    }
)


def _parameters_sentence(info: dict, lang: str) -> str:
    """A report's parameters as a sentence in its language ``lang``: province, language, geography, plan."""
    params = info.get("parameters", {})
    geography = str(info.get("task", {}).get("geography") or params.get("geography") or "63")
    plan = info.get("plan")
    return PROVINCE_TEXT(
        "parameters",
        lang,
        province=str(params.get("province", "")),
        geography=PROVINCE_TEXT(f"geography_{geography if geography in ('63', '34') else '63'}", lang),
        plan=PROVINCE_TEXT("with_plan", lang, plan=plan) if plan else "",
    )


def _figure_title(path: Path) -> str | None:
    """The title a figure was drawn with (the ``Title`` text of its PNG, written by ``save_figure``), or None."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            title = (getattr(image, "text", None) or {}).get("Title")
    except (OSError, ValueError, SyntaxError):
        return None
    return title.strip() if title and title.strip() else None


def _same_file(source: Path, copy: Path) -> bool:
    """Whether ``copy`` is ``source`` as it is now: the same file (a hard link) or a copy of its size and time."""
    try:
        if os.path.samefile(source, copy):
            return True
        a, b = source.stat(), copy.stat()
    except OSError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


#: the order of figures on a province's page: as a reader meets them in the reports (the trends report's first
#: pages, then the targets, the links), the analysts' appendix figures (the backtest's reliability) last
READING_ORDER = (
    "trend_total",
    "history_recast",
    "trend_dimensions",
    "groups_by_year",
    "subdimension_gaps",
    "region",
    "map",
    "rank_intervals",
    "target",
    "index_headroom",
    "links",
    "backtest_reliability",
)


def _reading_order(figure: Path) -> tuple[int, str]:
    """Sort key of a figure on the index page: its place in :data:`READING_ORDER` (unknown names before the
    appendix's), then its name."""
    place = next((i for i, prefix in enumerate(READING_ORDER) if figure.name.startswith(prefix)), None)
    return (len(READING_ORDER) - 1 if place is None else place, figure.name)


def _own_figures(slug: str, folder: Path) -> list[Path]:
    """Copy the province's figures (PNG and the SVG beside each) into ``folder/figures/`` (a hard link where the
    file system allows) and remove copies whose figure is gone; returns the PNG copies, sorted."""
    import shutil

    source_dir = config.FIGURES / slug
    target_dir = folder / FIGURE_FOLDER
    sources = sorted(p for p in source_dir.glob("*") if p.suffix in (".png", ".svg")) if source_dir.exists() else []
    if sources:
        target_dir.mkdir(parents=True, exist_ok=True)
    names = set()
    for source in sources:
        copy = target_dir / source.name
        names.add(source.name)
        if _same_file(source, copy):
            continue
        tmp = temporary_path(copy)
        try:
            try:
                os.link(source, tmp)
            except OSError:
                shutil.copy2(source, tmp)
            tmp.replace(copy)
        finally:
            tmp.unlink(missing_ok=True)
    if target_dir.exists():  # copies and thumbnails of figures that are gone
        for old in [*target_dir.glob("*"), *(target_dir / THUMBNAIL_FOLDER).glob("*")]:
            if old.is_file() and old.name not in names:
                old.unlink(missing_ok=True)
    return sorted(target_dir / n for n in names if n.endswith(".png"))


def _thumbnail(figure: Path) -> Path:
    """A small PNG of ``figure`` in ``figures/thumbnails/`` (made again when the figure is newer); the figure itself
    when it cannot be read."""
    from PIL import Image

    thumb = figure.parent / THUMBNAIL_FOLDER / figure.name
    if thumb.exists() and thumb.stat().st_mtime_ns >= figure.stat().st_mtime_ns:
        return thumb
    try:
        with Image.open(figure) as image:
            image.load()
            small = image.convert("RGB")
    except (OSError, ValueError, SyntaxError):
        return figure
    if small.width > THUMBNAIL_WIDTH:
        small = small.resize(
            (THUMBNAIL_WIDTH, max(1, round(small.height * THUMBNAIL_WIDTH / small.width))), Image.Resampling.LANCZOS
        )
    thumb.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(thumb)
    try:
        small.save(tmp, format="PNG", optimize=True)
        tmp.replace(thumb)
    finally:
        tmp.unlink(missing_ok=True)
    return thumb


def _name(code: int | None, lang: str, geography: str) -> str:
    """The unit's name in ``lang`` within its own geography ('' without a code)."""
    return provinces.name(code, lang, geography=geography) if code is not None else ""


def _companions(code: int | None, geography: str, slug: str) -> tuple[str, list[tuple[int, str]]]:
    """(message key, [(code in the other geography, slug)]) of the folders of the other geography for the same place
    that hold reports: for an old province, the new unit it is part of; for a new unit, its former provinces."""
    if code is None:
        return "", []
    if geography == "63":
        codes, other, key = [provinces.successor(code)], "34", "companion_34"
    else:
        codes, other, key = provinces.old_provinces(code), "63", "companion_63"
    table = provinces.registry(geography=other).set_index("province_code")
    found = []
    for other_code in codes:
        if other_code not in table.index:
            continue
        other_slug = str(table.loc[other_code, "slug"])
        if other_slug != slug and _manifests(config.REPORTS / other_slug):
            found.append((int(other_code), other_slug))
    return key, found


def write_province_page(slug: str, states: Mapping[str, str] | None = None, run_id: str | None = None) -> Path:
    """``reports/<slug>/index.html``: the province's reports, one section per language (Vietnamese first),
    with their tables workbooks, figures (thumbnails captioned with each figure's title, at most
    :data:`MAX_THUMBNAILS`), the parameters as a sentence, the run that made each report and the data version.
    ``states``: the runner's word on each report (stem -> "current", "data", "inputs"); without it only the data
    version is compared.

    The folder works when copied alone: its figures and thumbnails are copied into it (:func:`_own_figures`) and every
    link is relative within it. When the same place has reports on the other geography (an old province's trends on
    the 63, its 2025 targets on the 34), each page links the other and says why there are two."""

    folder = config.REPORTS / slug
    folder.mkdir(parents=True, exist_ok=True)
    found = _province_of_slug(slug)
    code, geography = found if found else (None, "63")
    name = provinces.name(code, geography=geography) if code is not None else slug
    current = data_version()
    manifests = _manifests(folder)
    pngs = _own_figures(slug, folder)
    when = time.strftime("%Y-%m-%d %H:%M")
    companion_key, companions = _companions(code, geography, slug)
    sections = []
    notebooks = []
    for lang in ("vi", "en"):
        text = PAGE_TEXT[lang]
        mine = [(stem, info) for stem, info in manifests if info.get("lang", "vi") == lang]
        figures = sorted((p for p in pngs if _figure_lang(p) in (lang, None)), key=_reading_order)
        book = folder / f"tables.{lang}.xlsx"
        if not mine and not book.exists():
            continue
        rows = []
        for stem, info in mine:
            title = report_title(info.get("notebook", stem), lang)
            links = [f'<a href="{_href(folder / f"{stem}.html", folder)}">HTML</a>']
            if (folder / f"{stem}.pdf").exists():
                links.append(f'<a href="{_href(folder / f"{stem}.pdf", folder)}">PDF</a>')
            if (folder / f"{stem}.ipynb").exists():
                notebooks.append(folder / f"{stem}.ipynb")
            params = _parameters_sentence(info, lang)
            version = info.get("data_version", "?")
            state = states.get(stem, "current") if states is not None else None
            if version != current:
                note = text["outdated"].format(old=version, new=current)
            elif state == "inputs":
                note = RUN_TEXT("outdated_inputs", lang)
            else:
                note = ""
            state = f' <span class="outdated">{html.escape(note)}</span>' if note else ""
            made = RUN_TEXT("report_run", lang, run=info.get("run_id", "—"), when=info.get("made", "—"))
            if info.get("subtitle"):  # "Kế hoạch của tỉnh Quảng Nam (cũ), đọc cho Đà Nẵng mới"
                title_cell = (
                    f'{html.escape(title)}<br><span class="subtitle">{html.escape(str(info["subtitle"]))}</span>'
                )
            else:
                title_cell = html.escape(title)
            rows.append(
                f"<tr><td>{title_cell}</td><td>{html.escape(str(info.get('plan') or ''))}</td>"
                f'<td>{" · ".join(links)}{state}</td><td class="muted">{html.escape(params)}</td>'
                f'<td class="run">{html.escape(made)}</td></tr>'
            )
        table = (
            (
                f"<table><tr><th>{text['report']}</th><th>{text['plan']}</th><th>{text['open']}</th>"
                f"<th>{text['made_with']}</th><th>{RUN_TEXT('run_column', lang)}</th></tr>{''.join(rows)}</table>"
            )
            if rows
            else f"<p>{text['none']}</p>"
        )
        workbook = (
            f'<p><a href="{_href(book, folder)}">{html.escape(book.name)}</a></p>'
            if book.exists()
            else f"<p>{text['none']}</p>"
        )
        shown = []
        for number, figure in enumerate(figures[:MAX_THUMBNAILS], start=1):
            caption = _figure_title(figure) or PROVINCE_TEXT("figure_number", lang, n=number)
            shown.append(
                f'<figure><a href="{_href(figure, folder)}"><img src="{_href(_thumbnail(figure), folder)}" '
                f'alt="{html.escape(caption, quote=True)}"></a>'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>"
            )
        thumbs = "".join(shown)
        if len(figures) > MAX_THUMBNAILS:
            more = RUN_TEXT("more_figures", lang, n=len(figures) - MAX_THUMBNAILS, folder=FIGURE_FOLDER)
            thumbs += f'<p class="muted">{html.escape(more)}</p>'
        sections.append(
            f'<section lang="{lang}"><h2>{LANG_NAMES[lang]}</h2><h3>{text["reports"]}</h3>{table}'
            f"<h3>{text['tables']}</h3>{workbook}"
            f'<h3>{text["figures"]}</h3><div class="thumbs">{thumbs or text["none"]}</div></section>'
        )
    notes = ""
    if code is not None and geography == "63":
        notes = "".join(
            f'<p lang="{lang}">{html.escape(provinces.reform_sentence(code, lang))}</p>' for lang in ("vi", "en")
        )
    elif code is not None:
        notes = "".join(
            f'<p lang="{lang}">{html.escape(provinces.composition_sentence(code, lang))}</p>' for lang in ("vi", "en")
        )
    other_geography = "34" if geography == "63" else "63"
    for lang in ("vi", "en") if companions and code is not None else ():
        # every name in the sentence's own language ("Quang Tri" in English), looked up in its own geography
        others = [provinces.name(c, lang, geography=other_geography) for c, _ in companions]
        other_links = ", ".join(
            f'<a href="{_href(config.REPORTS / other_slug / "index.html", folder)}">{html.escape(other)}</a>'
            for other, (_, other_slug) in zip(others, companions)
        )
        sentence = PROVINCE_TEXT(companion_key, lang, name=_name(code, lang, geography), other=others[0])
        notes += f'<p class="companion" lang="{lang}">{html.escape(sentence)}{other_links}</p>'
    made_by = "<br>".join(
        html.escape(RUN_TEXT("page_made", lang, run=run_id or "—", when=when, version=current)) for lang in ("vi", "en")
    )
    analysts = ""
    if notebooks:  # one line at the end: a reader's page links no notebook otherwise
        files = ", ".join(f'<a href="{_href(path, folder)}">{html.escape(path.name)}</a>' for path in notebooks)
        said = " / ".join(html.escape(PROVINCE_TEXT("analysts", lang)) for lang in ("vi", "en"))
        analysts = f'<p class="muted analysts">{said}: {files}</p>'
    title = PROVINCE_TEXT(f"title_{geography}", "vi", name=name)
    body = (
        f"<h1>{html.escape(title)}</h1>{notes}"
        f'<p class="muted">{html.escape(PAGE_TEXT["vi"]["data"].format(version=current))}<br>'
        f"{html.escape(PAGE_TEXT['en']['data'].format(version=current))}; papi-analysis {__version__}<br>{made_by}</p>"
        + "".join(sections)
        + analysts
    )
    return _write(folder / "index.html", title, body)


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
            f'<tr><td><a href="{html.escape(quote(slug))}/index.html">{html.escape(provinces.name(code, geography=geography))}'
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
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}"><title>{html.escape(title)}</title>'
        f"{PAGE_CSS}</head><body>{body}</body></html>\n"
    )
    return _write_text(path, page)


def _write_text(path: Path, text: str) -> Path:
    """Write under a temporary name of this process and rename: never half a file, never a name two runs share."""
    tmp = temporary_path(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
