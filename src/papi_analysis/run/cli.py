"""papi-analysis: PAPI governance index data, reports and target realism for Vietnam's provinces.

Start with "papi-analysis report --province NAME" (reports in reports/<slug>/); "papi-analysis
provinces" lists accepted province names; "papi-analysis COMMAND --help" explains each command.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from .. import __version__


def _cmd_build_data(args: argparse.Namespace) -> int:
    from .. import config
    from ..data import panel

    try:
        written = panel.build_data()
    except OSError as err:  # e.g. data/raw/ unreadable: a sentence, not a traceback
        print(
            f"papi-analysis build-data: error: {err.filename or ''} {err.strerror}; nothing was written.",
            file=sys.stderr,
        )
        return 2
    for path in written.values():
        print(f"wrote {path.relative_to(config.ROOT) if path.is_relative_to(config.ROOT) else path}")
    return 0


def _cmd_provinces(args: argparse.Namespace) -> int:
    from ..data import provinces

    table = provinces.registry(geography=args.geography)
    if args.search:
        code = provinces.resolve(args.search, geography=args.geography)
        table = table.loc[[code]]
    columns = [
        "province_code",
        "name_vi",
        "slug",
        "region_en",
        "old_province_codes" if args.geography == "34" else "province_2025_name_vi",
    ]
    if args.search:  # one province: every accepted spelling too
        columns += ["name_en", "aliases"]
    shown = table[columns].rename(
        columns={
            "province_code": "code",
            "name_vi": "name",
            "region_en": "region",
            "province_2025_name_vi": "since 2025-07-01",
            "old_province_codes": "old provinces (codes)",
        }
    )
    print(shown.to_string(index=False))
    return 0


def _cmd_import_raw(args: argparse.Namespace) -> int:
    from ..data import importer

    written = importer.import_raw(source_root=args.sources, force=args.force)
    for rel in written:
        print(f"data/raw/{rel}")
    print("data/raw/SHA256SUMS")
    return 0


def _cmd_import_release34(args: argparse.Namespace) -> int:
    from .. import config
    from ..data import raw_files, release34

    def shown(path: Path) -> Path:  # data/raw/... as the maintainer knows it
        root = config.DATA_RAW.parent.parent
        return path.relative_to(root) if path.is_relative_to(root) else path

    try:
        if args.undo is not None:
            if args.path is not None or args.origin is not None or args.force or args.year is not None:
                raise release34.ReleaseImportError("--undo YEAR takes no FILE, --origin, --force or --year.")
            for line in release34.undo_import(args.undo):
                print(line)
            print("run 'papi-analysis build-data' (or any report) to rebuild data/processed/ without it")
            return 0
        if args.path is None or args.origin is None:
            raise release34.ReleaseImportError(
                'name the release file and where it comes from: import-release34 FILE --origin "..." '
                "(or --undo YEAR to undo an import)."
            )
        result = release34.import_release34(args.path, origin=args.origin, force=args.force, year=args.year)
    except (release34.ReleaseFormatError, release34.ReleaseImportError, raw_files.UnsafeRawPathError) as err:
        print(f"papi-analysis import-release34: error: {err}", file=sys.stderr)
        return 2
    except raw_files.RawChecksumError as err:
        print(
            f"papi-analysis import-release34: error: data/raw/ is not intact, nothing was imported: {err}",
            file=sys.stderr,
        )
        return 2
    except OSError as err:  # a read-only data/ or a full disk: nothing was replaced
        print(
            f"papi-analysis import-release34: error: {err.filename or ''} {err.strerror}; nothing was imported.",
            file=sys.stderr,
        )
        return 2
    if result.unchanged:
        print(f"{args.path.name}: {result.year} is already imported from this very file; nothing changed.")
        return 0
    for path in result.written:
        print(f"wrote {shown(path)}")
    if result.replaced:
        print(
            f"replaced the earlier import of {result.year}; 'papi-analysis import-release34 --undo {result.year}' brings it back"
        )
    print(f"run 'papi-analysis build-data' to add {result.year} to the 34-province panel")
    return 0


def _cmd_inspect_workbook(args: argparse.Namespace) -> int:
    from ..data import readers

    print(readers.inspect_workbook(args.path).to_string(index=False))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from ..data import provinces
    from . import lifecycle, runner

    if args.notebooks is None:  # by default every notebook that can report on the geography asked for
        notebooks = [n for n in runner.NOTEBOOKS if args.geography == "63" or runner.declares_parameter(n, "geography")]
        left = [n for n in runner.NOTEBOOKS if n not in notebooks]
        if left:
            print(
                f"note: {', '.join(left)} not run: it reports on the 63 provinces only (PAR INDEX and SIPAS targets "
                "are set per former province)"
            )
    else:
        notebooks = [n.strip() for n in args.notebooks.split(",") if n.strip()]
    if not notebooks:
        raise runner.ReportError("--notebooks is empty; name at least one of trends,targets,links,indices.")
    if args.all and args.province:
        raise runner.ReportError("use either --province or --all, not both.")
    names = list(provinces.registry(geography=args.geography)["name_vi"]) if args.all else args.province
    if not names:
        raise runner.ReportError('say which province: --province "Quảng Nam" (repeatable) or --all.')
    asked: dict[int, str] = {}  # one province asked for twice, in any spelling, is reported once
    for name in names:
        asked.setdefault(provinces.resolve(name, geography=args.geography), name)
    if len(asked) < len(names):
        print(
            f"note: {len(names) - len(asked)} --province name(s) repeat a province already asked for; each is run once"
        )
    names = list(asked.values())
    if args.pdf:
        from .browser import BrowserMissingError, find_chromium

        if find_chromium() is None:
            raise BrowserMissingError(
                "--pdf needs headless Chromium: sudo apt-get install chromium "
                "(or set PAPI_CHROMIUM to a Chrome binary)."
            )
    if args.plan and "targets" in notebooks:
        runner.check_plan(args.plan, [] if args.all else names, args.geography)  # < 1 s, before any kernel starts
    rebuilt = runner.check_processed_data()
    if rebuilt:
        print(rebuilt)
    tasks = []
    for name in names:
        tasks.extend(
            runner.tasks_for(
                name, notebooks, args.lang, plan=args.plan, force=args.force, pdf=args.pdf, geography=args.geography
            )
        )
    if "targets" in notebooks and not args.all:  # which plan each targets report reads, and for whom (issue 27)
        for task in tasks:
            said = runner.plan_sentence(task)
            if said:
                print(f"note: {said}")
    with lifecycle.run(sorted({t.slug for t in tasks})) as run:
        if run.swept:
            print(
                f"note: cleaned what a stopped run left: {'; '.join(run.swept[:5])}{' …' if len(run.swept) > 5 else ''}"
            )
        try:
            results = runner.run_tasks(tasks, jobs=args.jobs, progress=not args.quiet)
        except lifecycle.RunInterrupted as stop:
            return _stopped(stop, getattr(stop, "results", []), tasks)
        try:
            return _report_written(args, tasks, results, names)
        except lifecycle.RunInterrupted as stop:
            return _stopped(stop, results, tasks)


def _report_written(args: argparse.Namespace, tasks: list, results: list, names: list[str]) -> int:
    """What ``report`` does once the notebooks have run: run log, summary, notes, pages and workbooks."""
    from .. import config
    from ..data import provinces
    from . import runner

    runner.write_run_log(results, jobs=args.jobs, geography=args.geography)
    print(runner.summary(results))
    if any(t.geography != args.geography for t in tasks):
        print(
            f"note: every target of {args.plan} is for 2025 or later, so it is evaluated on the 34 provinces "
            "of 1 July 2025 (the targets report is in the new province's folder)."
        )
    if args.geography == "63" and not args.all and any(t.geography == "63" for t in tasks):
        for name in names:  # e.g. "Đà Nẵng" now names a larger city: say which one was reported on
            note = provinces.name_change_note(name, "en")
            if note:
                print(f"note: {note}")
    made = [r.slug for r in results if r.status in ("ok", "skipped")]
    runner.write_pages(made, all_index=args.all, jobs=args.jobs)
    for r in results:
        if r.status in ("ok", "skipped") and len(set(made)) <= 3:
            print(f"  {r.message}")
    if args.all and made:
        print(f"open {runner._shown(config.REPORTS / 'index.html')}")
    elif made:
        for slug in dict.fromkeys(made):
            print(
                f"open {runner._shown(config.REPORTS / slug / 'index.html')}; "
                f"figures in {runner._shown(config.FIGURES / slug)}/"
            )
    return 1 if any(r.status == "failed" for r in results) else 0


def _stopped(stop, finished: list, tasks: list) -> int:
    """A run stopped by Ctrl-C or SIGTERM: the pages of the provinces it touched, written again (reports not redone
    marked outdated; the workbooks follow on the next run), one sentence on what was and was not done, the shell's
    exit code."""
    from .. import config
    from . import runner

    written = [r for r in finished if r.status == "ok"]
    touched = [r.slug for r in written] + [t.slug for t in tasks if (config.REPORTS / t.slug / "index.html").exists()]
    if touched:
        runner.write_pages(touched, workbooks=False)
    asked = len(tasks)
    how = "Ctrl-C" if stop.signum == signal.SIGINT else stop.args[0]
    print(
        f"papi-analysis report: stopped by {how}. {len(written)} of {asked} reports were written in full before it; "
        f"the others were stopped or not started, their files removed and any earlier version kept (marked outdated "
        "on the province page when its inputs changed). Run the same command again to finish: what is up to date is "
        "skipped.",
        file=sys.stderr,
    )
    return stop.exit_code


def _cmd_advise(args: argparse.Namespace) -> int:
    """Advice for a province: a year from 2025 is answered on the 34 provinces, an old province for the unit it
    became part of (said first, in the reader's language); ranks among the units with a baseline score, and why."""
    from .. import config, load_scores
    from ..analysis import targets
    from ..data import provinces
    from ..report.texts import advice as advice_texts

    if args.csv is not None and args.csv.is_dir():
        raise ValueError(f"--csv {args.csv} is a folder; name the file to write, e.g. --csv {args.csv / 'advice.csv'}")
    last = targets.advisor.last_published_year()
    target_year = last + 1 if args.year is None else int(args.year)
    if target_year > last + 1:
        raise ValueError(
            f"--year {target_year}: advice is for the year after a published one, at most {last + 1} (the "
            f"baseline is the year before, and the last PAPI year published is {last}); default {last + 1}."
        )
    unit = targets.advice_unit(args.province, target_year, args.geography)
    record = provinces.get(unit.code, geography=unit.geography)
    panel = load_scores(geography=unit.geography)
    years = sorted(int(y) for y in panel["year"].unique())
    if target_year - 1 not in years:
        raise ValueError(
            f"--year {target_year}: advice is for the year after a published one, from {years[0] + 1} to at most "
            f"{last + 1} (the baseline is the year before, and the {unit.geography} provinces have "
            f"{years[0]}-{years[-1]}); default {last + 1}."
        )
    advice = targets.advise(panel, record.code, target_year - 1)
    ranked = targets.ranked_units(panel, target_year - 1)
    if "baseline" not in advice.columns or advice["baseline"].isna().all():
        if record.code in ranked["missing"]:
            said = advice_texts.unit_sentences(unit, args.lang, answered=False)
            raise ValueError(" ".join(said + [advice_texts.no_baseline_sentence(unit, ranked, args.lang)]))
        reasons = sorted({str(n) for n in advice.get("note", []) if isinstance(n, str) and n})
        raise ValueError(
            f"--year {target_year}: the target model cannot give advice for {target_year} "
            f"({'; '.join(reasons) or f'no published {target_year - 1} scores'}); choose a later year "
            f"(default {last + 1})."
        )
    table = advice_texts.advice_table(advice, args.lang, panel=panel, province_code=record.code)
    if table.empty:
        raise ValueError(f"No advice for {record.name_vi} in {target_year}: no published {target_year - 1} scores.")
    name = record.name_vi if args.lang == "vi" else record.name_en
    width = advice_texts.TERMINAL_WIDTH  # the terminal view; the CSV (--csv) is the full, paste-ready table
    recast = targets.baseline_is_recast(panel, target_year - 1)
    said = advice_texts.unit_sentences(unit, args.lang)
    if said:
        print(advice_texts.wrap_lines(said, width, ""))
    print(
        advice_texts.wrap_lines(
            [advice_texts.advice_title(name, target_year, unit.geography, args.lang, recast)], width, ""
        )
    )
    print(advice_texts.advice_terminal(advice, args.lang, panel=panel, province_code=record.code, width=width))
    print()
    sentences = [advice_texts.ranked_sentence(ranked, target_year - 1, args.lang)]
    print(advice_texts.wrap_lines(sentences + advice_texts.advice_sentences(advice, None, args.lang), width))
    if not args.csv:
        print(advice_texts.TERMINAL_WORDS[args.lang]["csv"])
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.csv, index=False, encoding="utf-8-sig")  # BOM: Excel opens Vietnamese text correctly
        shown = args.csv.resolve()
        print(f"wrote {shown.relative_to(config.ROOT) if shown.is_relative_to(config.ROOT) else args.csv}")
    return 0


def _cmd_read_plan(args: argparse.Namespace) -> int:
    """Read a plan document into target rows; write them for review; optionally run the target report on them."""
    from ..data.plan_reader import read_plan_document
    from ..report import plan_forms

    if args.path in (None, "-"):
        reading = read_plan_document(text=sys.stdin.read(), province=args.province, name="standard input")
    else:
        reading = read_plan_document(args.path, province=args.province)
    facts = reading.facts
    print(
        f"{reading.source or 'standard input'}: {facts.province or 'province not found (use --province)'}, "
        f"plan {facts.plan_id()}, year {facts.plan_year or '?'}"
        + (f" ({facts.province_note})" if facts.province_note else "")
    )
    shown = reading.rows[
        ["target_id", "indicator", "kind", "target_value", "target_year", "baseline_year", "confidence"]
    ]
    print(shown.to_string(index=False) if len(shown) else "no PAPI target read")
    if len(reading.index_rows):
        print(f"{len(reading.index_rows)} PAR INDEX / SIPAS rows")
    unsure = int((reading.rows["confidence"] != "high").sum())
    print(
        f"{len(reading.rows)} PAPI targets ({unsure} to check: confidence medium or low), "
        f"{len(reading.not_read)} sentence(s) that look like targets but were not read"
    )
    out = args.out
    if args.report and out is None:
        base = Path(args.path).with_suffix("") if args.path not in (None, "-") else Path(facts.plan_id())
        out = base.parent / f"{base.name}.targets.xlsx"
    if out is not None:
        suffix = out.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise ValueError(f"--out {out.name}: write the rows to an .xlsx workbook (to review) or a .csv file.")
        try:
            if suffix == ".xlsx":
                written = [plan_forms.write_review_workbook(reading, out, args.lang)]
            else:
                written = plan_forms.write_review_csv(reading, out)
        except OSError as err:
            raise RuntimeError(f"cannot write {out}: {err.strerror or err}.") from None
        for path in written:
            print(f"wrote {path}")
    if not len(reading.rows) and not len(reading.index_rows):
        for row in reading.not_read.itertuples():
            print(f"  not read ({row.where}): {row.reason}")
        return 1
    if args.report:
        if not len(reading.rows):
            raise ValueError("no PAPI target was read, so there is no target report to run.")
        if not facts.province:
            raise ValueError("the document names no province: pass --province NAME.")
        print("note: every row of this report was read automatically; check them in the workbook (column 'note').")
        report_args = argparse.Namespace(
            province=[facts.province],
            all=False,
            geography="63",
            lang=args.lang,
            notebooks="targets",
            plan=str(out),
            jobs=1,
            force=False,
            pdf=args.pdf,
            quiet=True,
        )
        return _cmd_report(report_args)
    return 0


def _cmd_plan_template(args: argparse.Namespace) -> int:
    """An Excel form for a province's PAPI targets, baselines filled in, the advisor's figures beside them; a target
    year from 2025 is on the 34 provinces (an old province's form is its new unit's, and the command says so)."""
    from ..analysis import targets
    from ..data import provinces
    from ..report import plan_forms
    from ..report.texts import advice as advice_texts

    year = args.year or targets.advisor.last_published_year() + 1
    unit = targets.advice_unit(args.province, year, args.geography)
    record = provinces.get(unit.code, geography=unit.geography)
    for sentence in advice_texts.unit_sentences(unit, args.lang, what="form_for"):
        print(f"note: {sentence}")
    out = args.out or Path(f"plan_{provinces.slugify(record.name_vi)}_{year}.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"--out {out.name}: the form is an Excel workbook (.xlsx).")
    try:
        path = plan_forms.write_plan_template(
            record.name_vi, out, args.lang, geography=unit.geography, target_year=year
        )
    except OSError as err:
        raise RuntimeError(f"cannot write {out}: {err.strerror or err}.") from None
    print(f"wrote {path}")
    print(f'fill in kind and target value, then: papi-analysis report --province "{record.name_vi}" --plan {path}')
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papi-analysis", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build-data", help="rebuild data/processed/ from data/raw/ (checksums verified)")
    p.set_defaults(func=_cmd_build_data)

    p = sub.add_parser("provinces", help="list the 63 (or 34) provinces, their codes and accepted spellings")
    p.add_argument("search", nargs="?", help="show only the province this name resolves to")
    p.add_argument(
        "--geography",
        choices=["63", "34"],
        default="63",
        help="63 provinces (2004-2025) or 34 provinces (since 1 July 2025); default 63",
    )
    p.set_defaults(func=_cmd_provinces)

    p = sub.add_parser("import-raw", help="maintainers: write data/raw/ from the official PAPI files")
    p.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="folder holding papi/sources/ and reference/ (default: $PAPI_SOURCES or ../shared/data)",
    )
    p.add_argument("--force", action="store_true", help="allow changing files already in data/raw/")
    p.set_defaults(func=_cmd_import_raw)

    p = sub.add_parser("report", help="run the notebooks for a province (or all) into reports/<slug>/ as HTML")
    p.add_argument("--province", action="append", default=[], help="province name, any spelling (repeatable)")
    p.add_argument("--all", action="store_true", help="all provinces of the geography (63 or 34)")
    p.add_argument(
        "--geography",
        choices=["63", "34"],
        default="63",
        help="63: the provinces PAPI published 2011-2024; 34: the provinces since 1 July 2025, "
        "history recast (this project's estimates). Default 63",
    )
    p.add_argument(
        "--lang",
        choices=["vi", "en"],
        default="vi",
        help="language of the whole report: text, tables and figures (default vi)",
    )
    p.add_argument(
        "--notebooks",
        default=None,
        help="comma-separated subset of trends,targets,links,indices (default all four; on the 34 "
        "provinces those that can run on them)",
    )
    p.add_argument(
        "--plan",
        default=None,
        help="targets file for the targets notebook: .csv, .yaml or a reviewed .xlsx (from read-plan or plan-template)",
    )
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel notebook runs (default: cores)")
    p.add_argument("--force", action="store_true", help="re-run even notebooks that are up to date")
    p.add_argument("--pdf", action="store_true", help="also print each report to an A4 PDF (needs chromium)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "import-release34",
        help="maintainers: check a PAPI release on the 34 provinces (official workbook or CSV) and import it into "
        "data/raw/papi34/; --undo YEAR undoes it",
    )
    p.add_argument(
        "path",
        type=Path,
        nargs="?",
        help="the official provincial-indicators workbook (.xlsx) or a CSV in the row-per-province layout "
        "(papi_analysis.data.release34)",
    )
    p.add_argument("--origin", default=None, help="where the figures come from (report, table, URL); required")
    p.add_argument("--year", type=int, default=None, help="the survey year, when the workbook's sheets do not say")
    p.add_argument("--force", action="store_true", help="replace a year already imported (undo: --undo YEAR)")
    p.add_argument(
        "--undo",
        type=int,
        default=None,
        metavar="YEAR",
        help="undo the last import of YEAR: data/raw/ as it was before",
    )
    p.set_defaults(func=_cmd_import_release34)

    p = sub.add_parser(
        "advise",
        help="targets a province can reasonably set: scores, ranks and groups with a "
        "90%%, 70%% and 50%% chance, as a table to paste into a plan",
    )
    p.add_argument("--province", required=True, help="province name, any spelling")
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="target year (default: the year after the last published one; a published year gives "
        "the advice as it would have been, with the actual result beside it)",
    )
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the table (default vi)")
    p.add_argument(
        "--geography",
        choices=["63", "34"],
        default=None,
        help="for a target year up to 2024: 63 provinces (default) or 34 (history recast: this project's "
        "estimates); a target year from 2025 is always on the 34 provinces, an old province read as the unit it "
        "became part of",
    )
    p.add_argument("--csv", type=Path, default=None, help="also write the table to this CSV file (UTF-8)")
    p.set_defaults(func=_cmd_advise)

    p = sub.add_parser(
        "read-plan",
        help="read a plan document (.docx, .pdf, .txt or standard input) into PAPI target rows to check, "
        "each with its sentence; optionally run the target report on them",
    )
    p.add_argument("path", nargs="?", default=None, help="the plan document; '-' or nothing: text on standard input")
    p.add_argument("--province", default=None, help="the province, when the document does not name it clearly")
    p.add_argument(
        "--out", type=Path, default=None, help="write the rows to FILE.xlsx (to review, then --plan) or FILE.csv"
    )
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the workbook (default vi)")
    p.add_argument("--report", action="store_true", help="also run the target report on the rows read")
    p.add_argument("--pdf", action="store_true", help="with --report: also print the report to PDF")
    p.set_defaults(func=_cmd_read_plan)

    p = sub.add_parser(
        "plan-template",
        help="an Excel form for a province's PAPI targets: drop-down lists, latest scores filled in, the "
        "advisor's 90%%/70%%/50%% figures beside each indicator",
    )
    p.add_argument("--province", required=True, help="province name, any spelling")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the form (default vi)")
    p.add_argument("--year", type=int, default=None, help="target year (default: the year after the last published)")
    p.add_argument(
        "--geography",
        choices=["63", "34"],
        default=None,
        help="63 or 34 provinces for a target year up to 2024 (default 63); a target year from 2025 is always on "
        "the 34 provinces, when PAPI covers them",
    )
    p.add_argument("--out", type=Path, default=None, help="the form's file (default plan_<province>_<year>.xlsx)")
    p.set_defaults(func=_cmd_plan_template)

    p = sub.add_parser("inspect-workbook", help="list a PAPI workbook's year sheets and flag copied sheets")
    p.add_argument("path", type=Path)
    p.set_defaults(func=_cmd_inspect_workbook)
    return parser


def main(argv: list[str] | None = None) -> int:
    from . import lifecycle

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with lifecycle.stop_on_signals():  # Ctrl-C and SIGTERM: RunInterrupted, the run cleans up (lifecycle)
            code = args.func(args)
            sys.stdout.flush()
        return code
    except BrokenPipeError:  # "papi-analysis provinces | head": the reader stopped reading, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except lifecycle.RunInterrupted as stop:  # outside a report run: nothing was being written
        print(f"papi-analysis {args.command}: stopped ({stop}).", file=sys.stderr)
        return stop.exit_code
    except (LookupError, ValueError, FileNotFoundError, RuntimeError) as err:
        print(f"papi-analysis {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a read-only folder, a full disk: a sentence, not a traceback
        where = f"{err.filename}: " if err.filename else ""
        print(f"papi-analysis {args.command}: error: {where}{err.strerror or err}.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
