"""Execute the parameterized notebooks with papermill: one province, or all 63 in parallel.

``papi-analysis report`` writes, per province, ``reports/<slug>/<notebook>.ipynb``
(executed) and ``.html`` (code hidden, for readers), and the notebooks write
their figures to ``figures/<slug>/``. A notebook is re-run only when its inputs
changed (notebook, parameters, data, library code) or it failed last time.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import signal
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

from .. import __version__, config
from ..data import provinces
from ..data.raw_files import data_version
from ..params import temporary_path
from . import browser, kernels, lifecycle, notebook_tools
from .outputs import (  # noqa: F401  (the runner's API: tests and the CLI use them as runner.<name>)
    Result,
    _manifest,
    _shown,
    _write_atomic,
    input_hash,
    notebook_path,
    output_stem,
    outputs,
    plan_label,
    precheck,
    report_states,
)
from .tasks import (  # noqa: F401
    NOTEBOOKS,
    ReportError,
    Task,
    check_plan,
    declares_parameter,
    plan_geography,
    plan_sentence,
    seed_plan_for,
    tasks_for,
)

notebook_tools.skip_iri_checker()  # before anything imports nbformat (see notebook_tools)

KERNEL = "python3"
#: the kernel logs only critical problems: no "[IPKernelApp] WARNING | Kernel is running over TCP..." or
#: "KeyboardInterrupt caught in kernel" noise on a successful run (errors reach us through the notebook)
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


def strip_volatile(path: Path) -> None:
    """Remove timestamps, durations and absolute paths that papermill and Jupyter write."""
    import nbformat  # imported when needed: it takes seconds, and the CLI checks arguments first

    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill", {})
    for key in (
        "start_time",
        "end_time",
        "duration",
        "input_path",
        "output_path",
        "exception",
        "environment_variables",
    ):
        pm.pop(key, None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, path)


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Refuse parameter names the notebook does not declare (papermill would only log a warning)."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(
            f"{notebook.name} has no parameter(s) {', '.join(unknown)}; its parameters are {', '.join(declared)}."
        )


def execute(
    notebook: Path,
    output: Path,
    parameters: dict | None = None,
    cwd: Path | None = None,
    worker: kernels.KernelWorker | None = None,
) -> Path:
    """Run ``notebook`` with papermill into ``output``, then strip volatile metadata.

    With a ``worker`` the notebook runs on the worker's kernel (reset between notebooks, see
    :mod:`.kernels`); without, on a fresh ``python3`` kernel. Both ways use one BLAS thread.
    """
    import papermill

    check_parameters(notebook, parameters or {})
    output.parent.mkdir(parents=True, exist_ok=True)
    if worker is not None:
        kernels.execute_on(worker, notebook, output, parameters or {})
    else:
        with kernels.thread_limits():
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters or {},
                kernel_name=KERNEL,
                cwd=str(cwd or config.NOTEBOOKS),
                progress_bar=False,
                log_output=False,
                extra_arguments=KERNEL_ARGUMENTS,
                request_save_on_cell_execute=False,  # written once, at the end
            )
    strip_volatile(output)
    return output


def to_html(
    notebook: Path, output: Path, title: str = "PAPI", lang: str = "vi", footer: str = "", running_header: str = ""
) -> Path:
    """Standalone one-language HTML with the code hidden: what a non-programmer opens (see run.export)."""
    from .export import to_html as export_html

    return export_html(notebook, output, lang, title, footer, running_header)


def refresh_committed_notebooks() -> list[Path]:
    """Re-execute every notebook in ``notebooks/`` in place with its default parameters.

    The stored outputs are what nbval compares the cells marked ``# NBVAL_CHECK_OUTPUT`` against.
    """
    done = []
    for key, name in NOTEBOOKS.items():
        path = config.NOTEBOOKS / name
        execute(path, path, committed_parameters(path, key))
        done.append(path)
    return done


#: the province (and plan) the committed notebooks are stored with, once notebooks have no default province
COMMITTED_PARAMETERS: dict[str, dict[str, str]] = {
    "trends": {"province": "Quảng Nam"},
    "targets": {"plan": "cao-bang-2023", "province": "Cao Bằng"},
    "links": {"province": "Quảng Nam"},
    "indices": {"province": "Cao Bằng"},  # its plan = "" means "the province's latest plan"
}


def committed_parameters(path: Path, key: str) -> dict:
    """Parameters to inject when refreshing a committed notebook: only those the notebook leaves empty.

    A notebook with ``province = ""`` (no silent default) gets the committed province; a notebook that
    still has a default is run as it is, so its stored cells stay byte-identical.
    """
    import papermill

    declared = papermill.inspect_notebook(str(path))
    wanted = COMMITTED_PARAMETERS.get(key, {})
    return {
        name: value
        for name, value in wanted.items()
        if name in declared and str(declared[name].get("default", "")).strip() in ('""', "''", "None")
    }


def check_processed_data() -> str:
    """Make sure the reports use data/processed/ built from today's data/raw/ and intact since.

    A raw file that no longer matches data/raw/SHA256SUMS is refused (RawChecksumError names it). If data/raw/ or
    the code changed since data/processed/ was built, or a processed file no longer matches the hash recorded when
    it was built (truncated, edited), data/processed/ is rebuilt and the returned sentence says why; "" when
    nothing had to be done.
    """
    from ..data import panel

    reason = panel.ensure_processed()
    if not reason:
        return ""
    return f"data/processed/ was rebuilt before running the notebooks: {reason}."


#: temporary files this process is writing for the report under way: removed if the process is told to stop
_IN_FLIGHT: list[Path] = []
_STANDALONE_RUN: list[str] = []  # the run id of reports made outside lifecycle.run (a test calling run_task)


def _run_id() -> str:
    run = lifecycle.current()
    if run is not None:
        return run.run_id
    if not _STANDALONE_RUN:
        _STANDALONE_RUN.append(lifecycle.new_run_id())
    return _STANDALONE_RUN[0]


def report_footer(run_id: str, lang: str) -> str:
    """The line at the end of every report naming the run, the data version and the code that made it."""
    from ..report.pages import RUN_TEXT

    return RUN_TEXT("report_footer", lang, run=run_id, version=data_version(), code=__version__)


def run_task(task: Task, worker: kernels.KernelWorker | None = None, pdf_later: bool = False) -> Result:
    """Execute one notebook for one province; outputs replace the old ones only on success, as one set.

    A failure removes the previous outputs of the same notebook, plan and language (they no longer
    match their inputs) and keeps the executed notebook as ``<stem>.failed.ipynb``. With ``pdf_later`` a
    requested PDF is left to the caller (:func:`print_report_pdf`), which prints it while the next notebook runs.
    The new files are written under temporary names first; the old manifest goes before any file is replaced and the
    new one comes last, so a set stopped half-way is neither listed nor skipped, and the tables workbook of the
    report's language is removed with it (the pages and workbooks are written again after the notebooks).
    """
    start = time.monotonic()
    early = precheck(task)
    if early is not None:
        return early
    source = notebook_path(task)
    stem = output_stem(task)
    folder = config.REPORTS / task.slug
    out = outputs(folder, stem)
    key = input_hash(task)
    run_id = _run_id()
    lang = task.parameters.get("lang", "vi")
    folder.mkdir(parents=True, exist_ok=True)
    tmp, html_tmp = temporary_path(out["ipynb"], keep_suffix=True), temporary_path(out["html"])
    _IN_FLIGHT[:] = [tmp, html_tmp]
    try:
        try:
            execute(source, tmp, task.parameters, worker=worker)
        except Exception as err:  # papermill raises PapermillExecutionError; kernels can also die
            if tmp.exists():
                shutil.move(tmp, out["failed"])
            for kind in ("json", "ipynb", "html", "pdf"):
                out[kind].unlink(missing_ok=True)
            cell = getattr(err, "exec_count", None)
            detail = f"{getattr(err, 'ename', type(err).__name__)}: {getattr(err, 'evalue', err)}"
            where = f" in cell [{cell}]" if cell is not None else ""
            return Result(
                task.slug,
                task.notebook,
                "failed",
                f"{source.name} failed{where}: {detail} (executed notebook kept in {_shown(out['failed'])})",
                time.monotonic() - start,
            )
        import nbformat

        from ..report.pages import RUN_TEXT, report_title
        from ..report.summary import subtitle_of

        province = provinces.name(task.province_code, lang, geography=task.geography)  # name_en in English
        report = report_title(source.stem, lang)
        # "Kế hoạch của tỉnh Quảng Nam (cũ), đọc cho Đà Nẵng mới": said in the tab, the PDF's title and the index
        subtitle = subtitle_of(nbformat.read(tmp, as_version=4))
        to_html(
            tmp,
            html_tmp,
            title=f"{report} — {subtitle or province} (PAPI)",  # the browser tab and the PDF's title: never a file name
            lang=lang,
            footer=report_footer(run_id, lang),
            running_header=RUN_TEXT("running_header", lang, province=province, report=report, version=data_version()),
        )
        out["json"].unlink(missing_ok=True)
        (folder / f"tables.{lang}.xlsx").unlink(missing_ok=True)
        out["pdf"].unlink(missing_ok=True)  # an old PDF would no longer match the HTML
        os.replace(tmp, out["ipynb"])
        os.replace(html_tmp, out["html"])
        out["failed"].unlink(missing_ok=True)
        for suffix in (".html", ".ipynb", ".json", ".failed.ipynb"):  # names used before language and plan were in them
            (folder / f"{source.stem}{suffix}").unlink(missing_ok=True)
        message = f"wrote {_shown(out['html'])}"
        if task.pdf and not pdf_later:
            browser.print_pdf(out["html"], out["pdf"])
            message += f" and {out['pdf'].name}"
        shown_parameters = {
            k: (_shown(Path(v)) if k == "plan" and Path(str(v)).suffix else v) for k, v in task.parameters.items()
        }
        manifest = {
            "input_hash": key,
            "notebook": source.name,
            "parameters": shown_parameters,
            "data_version": data_version(),
            "lang": lang,
            "plan": plan_label(task.parameters.get("plan")),
            "subtitle": subtitle,
            "run_id": run_id,
            "made": time.strftime("%Y-%m-%d %H:%M"),
            "papi_analysis": __version__,
            # what input_hash was computed from, so that a later run can tell whether this report is still current
            "task": {
                "province_code": task.province_code,
                "slug": task.slug,
                "notebook": task.notebook,
                "parameters": task.parameters,
                "geography": task.geography,
                "source": task.source,
            },
        }
        _write_atomic(out["json"], json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    finally:
        for path in _IN_FLIGHT:
            path.unlink(missing_ok=True)
        _IN_FLIGHT.clear()
    rss, peak = worker.memory_mib() if worker is not None else (None, None)
    return Result(
        task.slug,
        task.notebook,
        "ok",
        message,
        time.monotonic() - start,
        rss,
        peak,
        worker_pid=os.getpid() if worker is not None else None,
        worker_sequence=next(_SEQUENCE) if worker is not None else None,
        html=_shown(out["html"]),
    )


_WORKER: kernels.KernelWorker | None = None
_SEQUENCE = itertools.count(1)  # notebooks run by this process, in order (kernels may be replaced in between)


def new_worker() -> kernels.KernelWorker:
    return kernels.KernelWorker(KERNEL, KERNEL_ARGUMENTS, config.NOTEBOOKS, while_starting=_warm_up_html)


def _warm_up_html() -> None:
    from .export import warm_up

    warm_up()


def _stop_worker(signum: int, frame) -> None:
    """SIGTERM in a report worker (the main process stops the run, or ended): end the kernel at once, remove the
    files of the report under way, exit."""
    if _WORKER is not None:
        _WORKER.kill()
    for path in _IN_FLIGHT:
        path.unlink(missing_ok=True)
    os._exit(128 + signum)


def _start_worker(reuse_kernel: bool) -> None:
    """Process-pool initializer: this process keeps one kernel for all its notebooks (shut down at exit)."""
    global _WORKER
    from multiprocessing import util

    lifecycle.quiet_worker()
    signal.signal(signal.SIGTERM, _stop_worker)
    if reuse_kernel:
        _WORKER = new_worker()
        util.Finalize(_WORKER, _WORKER.shutdown, exitpriority=10)


def _run_in_worker(task: Task) -> Result:
    return run_task(task, _WORKER, pdf_later=True)


def _with_pdf(task: Task, result: Result, printing) -> Result:
    """``result`` once its PDF (``printing``, a future of :class:`browser.PrintQueue`, or None) is printed. A PDF that
    cannot be printed makes the result failed, and the next run does the task again."""
    if printing is None:
        return result
    from dataclasses import replace

    out = outputs(config.REPORTS / task.slug, output_stem(task))
    try:
        seconds = printing.result()
    except Exception as err:  # Chromium missing, crashed or timed out
        out["json"].unlink(missing_ok=True)
        return replace(result, status="failed", message=f"{result.message}, but its PDF was not printed: {err}")
    return replace(result, message=f"{result.message} and {out['pdf'].name}", seconds=result.seconds + seconds)


def _task_key(task: Task) -> tuple[str, str]:
    """What a task writes: a second task with the same key (the province asked twice, in any spelling) is the same."""
    return task.slug, output_stem(task)


def run_tasks(tasks: list[Task], jobs: int = 1, progress: bool = True, reuse_kernel: bool = True) -> list[Result]:
    """Run tasks on ``jobs`` local processes; never stops at a failure. Returns one result per task, in order.

    Each process keeps one kernel for all the notebooks it runs (``reuse_kernel``; reset between notebooks, see
    :mod:`.kernels`); ``reuse_kernel=False`` starts a fresh kernel per notebook. A task given twice runs once. The run
    locks the provinces' folders (:mod:`.lifecycle`); Ctrl-C or SIGTERM (:func:`lifecycle.stop_on_signals`) stop it
    at once: what has not started is cancelled, the workers end their kernels, the browser is closed and temporary
    files are removed; the :class:`lifecycle.RunInterrupted` raised carries the results finished so far
    (``.results``).
    """
    if jobs < 1:
        raise ReportError(f"--jobs must be at least 1, not {jobs}.")
    from ..data.panel import read_panel

    read_panel()  # build data/processed/ once, before workers start
    keys = {id(t): _task_key(t) for t in tasks}
    distinct: dict[tuple[str, str], Task] = {}
    for task in tasks:
        distinct.setdefault(keys[id(task)], task)
    slugs = sorted({t.slug for t in distinct.values()})
    with lifecycle.run(slugs):
        try:
            lifecycle.check_writable([root / slug for root in (config.REPORTS, config.FIGURES) for slug in slugs])
        except OSError as err:
            raise ReportError(
                f"cannot write to {_shown(Path(err.filename))}: {err.strerror}; nothing was run."
            ) from None
        results: dict[tuple[str, str], Result] = {}
        try:
            _run_distinct(list(distinct.values()), results, jobs, progress, reuse_kernel)
        except (lifecycle.RunInterrupted, KeyboardInterrupt) as stop:
            # a worker may have written a report in full just before the stop, its result not yet handed back
            for task in distinct.values():
                if _task_key(task) not in results and _written_by_this_run(task):
                    out = outputs(config.REPORTS / task.slug, output_stem(task))
                    results[_task_key(task)] = Result(
                        task.slug,
                        task.notebook,
                        "ok",
                        f"wrote {_shown(out['html'])}",
                        math.nan,
                        html=_shown(out["html"]),
                    )
            stop.results = list(results.values())  # type: ignore[union-attr]  # what finished, for the caller
            lifecycle.sweep([root / slug for root in (config.REPORTS, config.FIGURES) for slug in slugs])
            raise
    return [results[keys[id(t)]] for t in tasks]


def _written_by_this_run(task: Task) -> bool:
    """The task's report set is complete on disk (its manifest comes last) and this run wrote it."""
    info = _manifest(outputs(config.REPORTS / task.slug, output_stem(task))["json"])
    return info is not None and info.get("run_id") == _run_id()


def _outdate(pending: list[Task]) -> None:
    """Before the notebooks run: the workbooks their reports are in go (they would show the old numbers until written
    again), and the pages are written again, marking the reports about to be redone as outdated when their inputs
    changed. However the run ends, no page or workbook looks current with old numbers."""
    for task in pending:
        (config.REPORTS / task.slug / f"tables.{task.parameters.get('lang', 'vi')}.xlsx").unlink(missing_ok=True)
    for slug in dict.fromkeys(t.slug for t in pending):
        if (config.REPORTS / slug / "index.html").exists():
            _province_pages(slug, workbooks=False)


def _run_distinct(
    tasks: list[Task], results: dict[tuple[str, str], Result], jobs: int, progress: bool, reuse_kernel: bool
) -> None:
    """:func:`run_tasks` once its tasks are distinct; ``results`` is filled as they finish (the caller keeps what
    finished if the run is stopped)."""
    for task in tasks:
        early = precheck(task)  # no kernel is started for what is up to date
        if early is not None:
            results[_task_key(task)] = early
    pending = [t for t in tasks if _task_key(t) not in results]
    if pending:
        from .export import preload

        _outdate(pending)
        preload()  # once here, inherited by the forked workers
    bar = None
    if progress and pending:
        from tqdm import tqdm

        bar = tqdm(total=len(pending), desc="notebooks", unit="nb")
    # PDFs are printed here by one browser, while the workers go on with the next notebooks
    try:
        with browser.PrintQueue() as pdfs:
            wants_pdf = any(t.pdf for t in pending)
            printing = {}

            def hand_over(task: Task, result: Result) -> None:
                wanted = task.pdf and result.status == "ok"
                out = outputs(config.REPORTS / task.slug, output_stem(task))
                printing[_task_key(task)] = (result, pdfs.submit(out["html"], out["pdf"]) if wanted else None)
                results[_task_key(task)] = result
                if bar is not None:
                    bar.update()

            if jobs == 1 or len(pending) <= 1:
                worker = new_worker() if reuse_kernel and pending else None
                if wants_pdf:
                    pdfs.start_browser()
                try:
                    for task in pending:
                        hand_over(task, run_task(task, worker, pdf_later=True))
                finally:
                    if worker is not None:
                        worker.shutdown()
            else:
                pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(reuse_kernel,))
                try:
                    futures = {pool.submit(_run_in_worker, t): t for t in longest_first(pending)}
                    # the browser starts (about a second) while the kernels do. Not earlier: the first submit forked
                    # the workers, and a fork while another thread of this process runs can leave the child deadlocked
                    if wants_pdf:
                        pdfs.start_browser()
                    for future in as_completed(futures):
                        hand_over(futures[future], future.result())
                except BaseException:
                    lifecycle.stop_pool(pool)
                    raise
                pool.shutdown()
            for task in pending:
                results[_task_key(task)] = _with_pdf(task, *printing[_task_key(task)])
    finally:
        if bar is not None:
            bar.close()


#: a notebook's usual share of a province's work (measured: trends and targets take 4-6 times the links notebook),
#: so that a worker does not start a long notebook last while the other one waits
_WEIGHT = {"trends": 4, "targets": 4, "indices": 2, "links": 1}


def longest_first(tasks: list[Task]) -> list[Task]:
    """The tasks, the long notebooks first (stable within a kind): the batch ends with short notebooks."""
    return sorted(tasks, key=lambda t: -_WEIGHT.get(t.notebook, 2))


def _province_pages(slug: str, workbooks: bool = True) -> list[Path]:
    from ..report import pages

    states = report_states(slug)
    run_id = _run_id()
    written = pages.write_tables_workbooks(slug, states, run_id) if workbooks else []
    return [*written, pages.write_province_page(slug, states, run_id)]


def write_pages(slugs: list[str], all_index: bool = False, jobs: int = 1, workbooks: bool = True) -> list[Path]:
    """Province pages (and ``reports/index.html`` for a batch), plus each province's tables workbooks (not with
    ``workbooks=False``: a stopped run writes only the pages); a batch shares the provinces among ``jobs`` processes.
    Each page and workbook names the run that wrote it and lists only reports that are still current (an outdated one
    is marked on the page and left out of the workbook)."""
    from functools import partial

    from ..report import pages

    unique = list(dict.fromkeys(slugs))
    written = []
    with lifecycle.run(unique):
        if jobs > 1 and len(unique) > 3:
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=lifecycle.quiet_worker)
            try:
                for paths in pool.map(partial(_province_pages, workbooks=workbooks), unique):
                    written.extend(paths)
            except BaseException:
                lifecycle.stop_pool(pool)
                raise
            pool.shutdown()
        else:
            for slug in unique:
                written.extend(_province_pages(slug, workbooks))
        if all_index:
            written.append(pages.write_all_page(unique))
    return written


def summary(results: list[Result]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines = [", ".join(f"{n} {status}" for status, n in sorted(counts.items()))]
    for r in results:
        if r.status == "failed":
            lines.append(f"  {r.slug} / {r.notebook}: failed: {r.message}")
    not_applicable = [r for r in results if r.status == "not applicable"]
    if len(not_applicable) == 1:
        lines.append(f"  {not_applicable[0].slug} / {not_applicable[0].notebook}: {not_applicable[0].message}")
    elif not_applicable:
        skipped_targets = sum(r.notebook == "targets" for r in not_applicable)
        if skipped_targets:
            lines.append(
                f"  targets notebook not run for {skipped_targets} "
                f"{'province' if skipped_targets == 1 else 'provinces'} without a plan "
                "(add the targets to data/raw/targets/ or pass --plan FILE)"
            )
        skipped_indices = len(not_applicable) - skipped_targets
        if skipped_indices:
            lines.append(
                f"  indices notebook not run for {skipped_indices} "
                f"{'province' if skipped_indices == 1 else 'provinces'} without PAR INDEX or SIPAS "
                "targets (add them to data/raw/targets/indices/)"
            )
    return "\n".join(lines)


def results_as_dicts(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]


def write_run_log(results: list[Result], jobs: int, geography: str) -> Path:
    """``reports/last_run.json``: every notebook of the last ``report`` run with its status, seconds and the reused
    kernel's memory after it (what the benchmark reads; not a report)."""
    path = config.REPORTS / "last_run.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(
        path,
        json.dumps(
            {"jobs": jobs, "geography": geography, "results": results_as_dicts(results)}, indent=1, ensure_ascii=False
        )
        + "\n",
    )
    return path
