"""Issue 29, runs that stop, crash or meet each other: Ctrl-C and SIGTERM stop ``report --all`` at once and leave every
output complete and current or absent; a run killed with SIGKILL leaves nothing running and the next run cleans what
it left; two runs of one province wait for each other; one province asked for in three spellings runs once;
read-only folders give a sentence, and a read-only ``data/processed/`` is no obstacle.

Each run here is a real ``papi-analysis`` process in a session of its own (as a terminal runs it), with its own
``reports/`` and ``figures/`` and a mark in its environment that every process it starts inherits: whatever still
carries the mark after the run is a process it left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from papi_analysis import config
from papi_analysis.analysis import cache
from papi_analysis.params import TEMPORARY
from papi_analysis.run import browser, lifecycle

CLI = [sys.executable, "-m", "papi_analysis.run.cli"]


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PAPI_REPORTS": str(tmp_path / "reports"),
        "PAPI_FIGURES": str(tmp_path / "figures"),
        "PAPI_TEST_MARK": uuid.uuid4().hex,
        **extra,
    }


def _start(tmp_path: Path, *argv: str, env: dict | None = None, prefix: list[str] | None = None) -> subprocess.Popen:
    env = env or _environment(tmp_path)
    return subprocess.Popen(
        [*(prefix or []), *CLI, *argv],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a session and process group of its own, as a terminal gives a command
    )


def _marked(mark: str) -> dict[int, str]:
    """Processes whose environment carries ``mark``: the run's and everything it started."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"PAPI_TEST_MARK={mark}".encode() in (proc / "environ").read_bytes():
                if lifecycle.is_alive(int(proc.name)):
                    found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _stray_files(reports: Path, figures: Path) -> list[Path]:
    """Temporary files, and the files of a report whose set is not complete (a manifest without its report)."""
    stray = [p for root in (reports, figures) if root.exists() for p in root.rglob("*") if TEMPORARY.fullmatch(p.name)]
    for manifest in _manifests(reports):
        stem = manifest.with_suffix("")
        stray += [p for p in (Path(f"{stem}.html"), Path(f"{stem}.ipynb")) if not p.exists()]
    return stray


def _manifests(reports: Path) -> list[Path]:
    return sorted(reports.glob("*/[!.]*.json"))


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_ctrl_c_stops_report_all_at_once_and_the_next_run_finishes_the_job(tmp_path):
    env = _environment(tmp_path)
    reports = tmp_path / "reports"
    run = _start(tmp_path, "report", "--all", "--notebooks", "links", "--jobs", "2", "--quiet", env=env)
    _wait_for(lambda: _manifests(reports) or run.poll() is not None, 600, "a first report")
    assert run.poll() is None, run.communicate()
    kernels = [p for p, line in _marked(env["PAPI_TEST_MARK"]).items() if "ipykernel" in line]
    assert kernels  # notebooks are under way
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole foreground process group
    start = time.monotonic()
    out, err = run.communicate(timeout=30)
    stopped_in = time.monotonic() - start
    assert run.returncode == 130 and stopped_in < 10, (run.returncode, stopped_in, err)
    assert "stopped by Ctrl-C" in err and "Traceback" not in err + out and "KeyboardInterrupt" not in err, err
    _wait_for(lambda: not _marked(env["PAPI_TEST_MARK"]), 10, "the run's processes to end")
    assert not _stray_files(reports, tmp_path / "figures")
    assert not list(Path(tempfile.gettempdir()).glob(f"{lifecycle.SCRATCH_PREFIX}{run.pid}-*"))
    done = _manifests(reports)
    assert 1 <= len(done) < 63
    for manifest in done:  # each finished report is complete and listed on its province's page, with its run
        page = (manifest.parent / "index.html").read_text(encoding="utf-8")
        assert f'href="{manifest.stem}.html"' in page and json.loads(manifest.read_text())["run_id"] in page

    # the next run: what finished is skipped, the rest is done, nothing of the stopped run is in the way
    first = done[0].parent.name
    others = sorted({p.name for p in (tmp_path / "figures").iterdir()} - {m.parent.name for m in done})
    argv = ["report", "--province", first, "--notebooks", "links", "--quiet", "--jobs", "1"]
    again = subprocess.run([*CLI, *argv], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "1 skipped" in again.stdout, again.stdout + again.stderr
    if others:  # a province whose notebook was stopped half-way (its figures folder exists, its report does not)
        argv = ["report", "--province", others[0], "--notebooks", "links", "--quiet", "--jobs", "1"]
        again = subprocess.run([*CLI, *argv], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0 and "1 ok" in again.stdout, again.stdout + again.stderr
    assert (reports / first / "tables.vi.xlsx").exists()  # the workbook follows on the next run


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
@pytest.mark.skipif(browser.find_chromium() is None, reason="headless Chromium not installed")
def test_a_killed_run_leaves_nothing_running_and_the_next_run_cleans_up(tmp_path):
    env = _environment(tmp_path)
    run = _start(tmp_path, "report", "--all", "--notebooks", "links", "--jobs", "2", "--quiet", "--pdf", env=env)

    def under_way() -> bool:
        lines = _marked(env["PAPI_TEST_MARK"]).values()
        return sum("ipykernel" in line for line in lines) == 2 and any("chrom" in line for line in lines)

    _wait_for(lambda: under_way() or run.poll() is not None, 600, "two kernels and the browser")
    assert run.poll() is None, run.communicate()
    connections = [  # each kernel's connection file (it holds the kernel's key), from its command line
        Path(line.split(" -f ")[1].split()[0])
        for line in _marked(env["PAPI_TEST_MARK"]).values()
        if "ipykernel" in line
    ]
    assert all(p.name.startswith("kernel-") and p.parent.name.startswith(lifecycle.SCRATCH_PREFIX) for p in connections)
    os.kill(run.pid, signal.SIGKILL)  # the main process only: nothing of it can clean up
    run.communicate(timeout=10)
    _wait_for(lambda: not _marked(env["PAPI_TEST_MARK"]), 15, "workers, kernels and browser to end with their parent")
    scratch = list(Path(tempfile.gettempdir()).glob(f"{lifecycle.SCRATCH_PREFIX}{run.pid}-*"))
    assert scratch and list(scratch[0].glob("papi-chromium-*"))  # left behind: the browser's profile
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs
    leftover = tmp_path / "figures" / "an-giang" / f".x.png.{gone.pid}-0123abcd.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half a figure")

    next_run = subprocess.run(
        [*CLI, "report", "--province", "An Giang", "--notebooks", "indices", "--quiet"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert next_run.returncode == 0 and "cleaned what a stopped run left" in next_run.stdout, next_run
    assert not any(p.exists() for p in scratch + connections) and not leftover.exists()
    assert not _stray_files(tmp_path / "reports", tmp_path / "figures")


def test_two_runs_of_one_province_wait_for_each_other(tmp_path):
    env = _environment(tmp_path)
    argv = ["report", "--province", "Cao Bằng", "--notebooks", "indices", "--quiet", "--force", "--jobs", "1"]
    runs = [_start(tmp_path, *argv, env=env) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sum("is being written by another papi-analysis run" in err for _, err in outputs) == 1, outputs
    assert all("1 ok" in out for out, _ in outputs)
    folder = tmp_path / "reports" / "cao-bang"
    assert not _stray_files(tmp_path / "reports", tmp_path / "figures")
    assert (folder / "04_other_indices.cao-bang-2023.vi.html").exists() and (folder / "tables.vi.xlsx").exists()


def test_one_province_in_three_spellings_runs_once(tmp_path):
    spellings = ["Cao Bằng", "cao bang", "CAO BANG"]
    argv = ["report", "--notebooks", "indices", "--quiet", "--jobs", "2"]
    for name in spellings:
        argv += ["--province", name]
    done = subprocess.run([*CLI, *argv], env=_environment(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1 ok" in done.stdout and "2 --province name(s) repeat a province" in done.stdout
    log = json.loads((tmp_path / "reports" / "last_run.json").read_text())
    assert len(log["results"]) == 1


def _without_write_access() -> list[str]:
    """A command prefix under which permission bits hold: nothing for a user, root without CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_reports_folder_is_a_sentence_before_any_work(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports").chmod(0o555)
    start = time.monotonic()
    run = _start(tmp_path, "report", "--province", "Cao Bằng", "--notebooks", "indices", prefix=_without_write_access())
    out, err = run.communicate(timeout=120)
    assert run.returncode == 2 and "Traceback" not in err, err
    assert "cannot write to" in err and "Permission denied; nothing was run" in err and len(err.splitlines()) == 1
    assert time.monotonic() - start < 30  # refused before any kernel started
    (tmp_path / "reports").chmod(0o755)


def test_a_read_only_cache_folder_is_computed_without_storing(tmp_path):
    """A result missing from a read-only data/processed/ is computed, as the stored copy would read, not stored."""
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o555)
    code = (
        "import pandas as pd; from pathlib import Path; from papi_analysis.analysis import cache\n"
        f"frame = cache.load_or_compute(Path({str(folder)!r}) / 'x.csv', lambda: pd.DataFrame({{'a': [1.5, 2.0]}}), 'csv')\n"
        "print(frame.to_json())"
    )
    done = subprocess.run([*_without_write_access(), sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == '{"a":{"0":1.5,"1":2.0}}', done.stderr
    assert not list(folder.iterdir())
    folder.chmod(0o755)


def test_targets_and_links_run_with_a_read_only_processed_folder(tmp_path):
    """With every national result stored, the targets and links notebooks write nothing to data/processed/."""
    env = _environment(tmp_path)
    argv = ["report", "--province", "Cao Bằng", "--notebooks", "targets,links", "--quiet", "--jobs", "2"]
    first = subprocess.run([*CLI, *argv], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr  # fills the caches (if another test has not)
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    for name in ("notebooks", "pyproject.toml"):
        (root / name).symlink_to(config.ROOT / name)
    (root / "data" / "raw").symlink_to(config.DATA_RAW)
    shutil.copytree(config.DATA_PROCESSED, root / "data" / "processed", ignore=shutil.ignore_patterns(".*"))
    for path in [root / "data" / "processed", *(root / "data" / "processed").rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    again = subprocess.run(
        [*_without_write_access(), *CLI, *argv, "--force"],
        env={**env, "PAPI_ROOT": str(root)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    for path in [root / "data" / "processed", *(root / "data" / "processed").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert again.returncode == 0 and "2 ok" in again.stdout, again.stdout + again.stderr


def test_the_cache_reads_a_stored_result_without_a_lock(tmp_path, monkeypatch):
    stored = tmp_path / "x.pkl"
    cache.store(stored, [1, 2], "pickle")
    monkeypatch.setattr(cache, "computing", lambda path: pytest.fail("locked to read a stored result"))
    assert cache.load_or_compute(stored, lambda: pytest.fail("computed again")) == [1, 2]


def _demo_task(tmp_path: Path, monkeypatch):
    """Reports and figures in ``tmp_path``; a copy of the small demo notebook and a task running it for Cà Mau."""
    from papi_analysis.run import runner

    for name in ("REPORTS", "FIGURES"):
        monkeypatch.setattr(config, name, tmp_path / name.lower())
        monkeypatch.setenv(f"PAPI_{name}", str(tmp_path / name.lower()))
    notebook = tmp_path / "report_demo.ipynb"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "report_demo.ipynb", notebook)
    return notebook, runner.Task(96, "ca-mau", "demo", {"province": "Cà Mau", "lang": "en"}, source=str(notebook))


def test_a_stopped_run_leaves_no_page_or_workbook_that_looks_current(tmp_path, monkeypatch):
    """A report about to be redone (its inputs changed) makes its workbook go and its page mark it outdated before
    any notebook starts: a run stopped at any moment after that leaves nothing that looks current with old numbers."""
    import nbformat

    from papi_analysis.run import runner

    notebook, task = _demo_task(tmp_path, monkeypatch)
    folder = config.REPORTS / "ca-mau"
    assert [r.status for r in runner.run_tasks([task], progress=False)] == ["ok"]
    runner.write_pages(["ca-mau"])
    first = json.loads((folder / "report_demo.en.json").read_text())
    assert (folder / "tables.en.xlsx").exists() and 'class="outdated"' not in (folder / "index.html").read_text()

    nb = nbformat.read(notebook, as_version=4)  # the notebook changes: the report no longer matches its inputs
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing paragraph."))
    nbformat.write(nb, notebook)

    def stopped(*args, **kwargs):
        raise lifecycle.RunInterrupted(signal.SIGINT)  # Ctrl-C as the notebook starts

    monkeypatch.setattr(runner, "run_task", stopped)
    with pytest.raises(lifecycle.RunInterrupted):
        runner.run_tasks([task], progress=False)
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert not (folder / "tables.en.xlsx").exists()  # it held the old report's tables
    assert "outdated: its notebook, plan or the program changed" in page and first["run_id"] in page
    assert (folder / "report_demo.en.html").exists()  # the old report is kept, whole, and marked

    monkeypatch.undo()
    for name in ("REPORTS", "FIGURES"):
        monkeypatch.setattr(config, name, tmp_path / name.lower())
        monkeypatch.setenv(f"PAPI_{name}", str(tmp_path / name.lower()))
    assert [r.status for r in runner.run_tasks([task], progress=False)] == ["ok"]
    runner.write_pages(["ca-mau"])
    second = json.loads((folder / "report_demo.en.json").read_text())
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert second["run_id"] != first["run_id"] and second["run_id"] in page and 'class="outdated"' not in page
    import openpyxl

    about = openpyxl.load_workbook(folder / "tables.en.xlsx")["README"]  # the first sheet: what each sheet is, runs
    assert any(second["run_id"] in str(c.value) for row in about.iter_rows() for c in row)  # the report's run


def test_a_report_written_just_before_the_stop_is_counted_and_listed(tmp_path, monkeypatch):
    """The race a two-worker run meets: a worker writes a report in full (its manifest last), then Ctrl-C arrives
    before its result reaches the parent. The report counts as written and its province's page lists it."""
    from papi_analysis.run import cli, runner

    notebook, task = _demo_task(tmp_path, monkeypatch)
    real_run_task = runner.run_task

    def written_then_stopped(*args, **kwargs):
        real_run_task(*args, **kwargs)
        raise lifecycle.RunInterrupted(signal.SIGINT)  # the result is lost on its way back

    monkeypatch.setattr(runner, "run_task", written_then_stopped)
    with pytest.raises(lifecycle.RunInterrupted) as stop:
        runner.run_tasks([task], progress=False)
    assert [(r.slug, r.status) for r in stop.value.results] == [("ca-mau", "ok")]
    assert cli._stopped(stop.value, stop.value.results, [task]) == 130
    page = (config.REPORTS / "ca-mau" / "index.html").read_text(encoding="utf-8")
    assert 'href="report_demo.en.html"' in page
