"""The command line and the report runner: one province, re-runs, failures, bad input."""

from __future__ import annotations

import pytest

from papi_analysis import config
from papi_analysis.run import cli, runner


def test_provinces_command_resolves_and_refuses(capsys):
    assert cli.main(["provinces", "TT-Huế"]) == 0
    assert "Thừa Thiên Huế" in capsys.readouterr().out
    assert cli.main(["provinces", "Quang Nom"]) == 2
    assert "Closest matches: Quảng Nam" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "--province", "Quang Nom"], "Unknown province 'Quang Nom'"),
        (["report", "--province", "Huế", "--notebooks", "trends,charts"], "Unknown notebook(s) ['charts']"),
        (["report"], "say which province"),
        (["report", "--all", "--province", "Huế"], "either --province or --all"),
        (["report", "--province", "Huế", "--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_report_refuses_bad_requests(capsys, argv, message):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_report_refuses_an_unknown_language():
    with pytest.raises(SystemExit) as err:
        cli.main(["report", "--province", "Huế", "--lang", "fr"])
    assert err.value.code == 2


def test_report_runs_converts_skips_and_forces(capfd):
    assert cli.main(["report", "--province", "Cà Mau", "--notebooks", "trends", "--lang", "en", "--quiet"]) == 0
    folder = config.REPORTS / "ca-mau"
    html = (folder / "01_trends.en.html").read_text()
    assert "Ca Mau" in html and "from papi_analysis import" not in html  # code hidden for readers
    out, err = capfd.readouterr()
    assert "IPKernelApp" not in err and "KeyboardInterrupt" not in err  # no alarming kernel messages
    assert "reports/ca-mau/index.html" in out or "ca-mau/index.html" in out
    page = (folder / "index.html").read_text()
    assert 'href="01_trends.en.html"' in page and "Data version" in page
    assert (config.FIGURES / "ca-mau" / "trend_total_en.png").exists()
    capfd.readouterr()
    assert cli.main(["report", "--province", "Cà Mau", "--notebooks", "trends", "--lang", "en", "--quiet"]) == 0
    assert "1 skipped" in capfd.readouterr().out
    assert (
        cli.main(["report", "--province", "ca mau", "--notebooks", "trends", "--lang", "en", "--quiet", "--force"]) == 0
    )
    assert "1 ok" in capfd.readouterr().out


def test_a_failed_notebook_names_the_notebook_and_cell_and_leaves_others_untouched(tmp_path):
    good = runner.tasks_for("Cà Mau", ["trends"], "en")[0]
    runner.run_tasks([good], progress=False)
    kept = config.REPORTS / "ca-mau" / "01_trends.en.html"
    before = kept.stat().st_mtime_ns
    bad = runner.Task(
        province_code=1,
        slug="ha-noi",
        notebook="links",
        parameters={"province": "Hà Nội", "start_year": 2016, "end_year": 2019},
    )
    (result,) = runner.run_tasks([bad], progress=False)
    assert result.status == "failed"
    assert "03_dimension_links.ipynb failed in cell [" in result.message and "spans the 2017/2018" in result.message
    assert (config.REPORTS / "ha-noi" / "03_dimension_links.vi.failed.ipynb").exists()
    assert not (config.REPORTS / "ha-noi" / "03_dimension_links.vi.html").exists()
    assert kept.stat().st_mtime_ns == before


def test_targets_notebook_is_not_applicable_without_a_plan():
    task = runner.tasks_for("Cà Mau", ["targets"], "vi")[0]
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status == "not applicable" and "--plan" in result.message
    assert runner.tasks_for("Cao Bằng", ["targets"], "vi")[0].parameters["plan"] == "cao-bang-2023"


def test_a_misspelled_notebook_parameter_is_refused(tmp_path):
    with pytest.raises(runner.ReportError, match="has no parameter.*provnce.*province"):
        runner.execute(config.NOTEBOOKS / "01_trends.ipynb", tmp_path / "out.ipynb", {"provnce": "Cà Mau"})


def test_parallel_batch_redoes_only_what_failed_or_changed():
    good = runner.tasks_for("Kon Tum", ["trends"], "en") + runner.tasks_for("Lai Châu", ["trends"], "en")
    bad = runner.Task(
        province_code=62,
        slug="kon-tum",
        notebook="links",
        parameters={"province": "Kon Tum", "start_year": 2016, "end_year": 2019},
    )
    first = runner.run_tasks(good + [bad], jobs=2, progress=False)
    assert [r.status for r in first] == ["ok", "ok", "failed"]
    second = runner.run_tasks(good + [bad], jobs=2, progress=False)
    assert [r.status for r in second] == ["skipped", "skipped", "failed"]
    assert "1 failed" in runner.summary(second) and "kon-tum / links" in runner.summary(second)


# --------------------------------------------------------------------------- issue 11: small things, fast errors


def test_empty_notebook_list_is_refused(capsys):
    assert cli.main(["report", "--province", "Huế", "--notebooks", ""]) == 2
    assert "--notebooks is empty" in capsys.readouterr().err


def test_output_names_carry_language_and_plan():
    (trends,) = runner.tasks_for("Cao Bằng", ["trends"], "en")
    (targets,) = runner.tasks_for("Cao Bằng", ["targets"], "vi")
    assert runner.output_stem(trends) == "01_trends.en"
    assert runner.output_stem(targets) == "02_target_realism.cao-bang-2023.vi"
    assert all(t.parameters["province"] == "Cao Bằng" for t in (trends, targets))  # always passed explicitly


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        ("plan_id: x\n  province: Quang Tri\ntargets: []\n", ".yaml", "line 2, column"),
        ("", ".csv", "the file is empty"),
    ],
)
def test_a_bad_plan_file_is_refused_before_any_notebook_starts(tmp_path, capsys, monkeypatch, content, suffix, message):
    from papi_analysis.run import runner

    monkeypatch.setattr(runner, "run_tasks", lambda *args, **kwargs: pytest.fail("a notebook run was started"))
    plan = tmp_path / f"my_plan{suffix}"
    plan.write_text(content)
    assert cli.main(["report", "--province", "Quảng Trị", "--notebooks", "targets", "--plan", str(plan)]) == 2
    err = capsys.readouterr().err
    assert message in err and plan.name in err and "<unicode string>" not in err


def test_a_plan_for_another_province_is_refused_in_the_cli(capsys):
    plan = config.ROOT / "examples" / "my_plan.yaml"  # targets for 2025: on the 34 provinces
    assert (
        cli.main(["report", "--province", "Cà Mau", "--notebooks", "targets", "--plan", str(plan), "--geography", "34"])
        == 2
    )
    assert "no targets for Cà Mau" in capsys.readouterr().err
    runner.check_plan(str(plan), ["Quảng Trị"], "34")  # the shipped example is valid for its province
    # without --geography the plan (all for 2025) is still read on the 34 provinces, so the check is the same
    assert cli.main(["report", "--province", "Cà Mau", "--notebooks", "targets", "--plan", str(plan)]) == 2
    assert "no targets for Cà Mau" in capsys.readouterr().err


def test_provinces_fits_a_terminal_and_survives_head():
    import subprocess
    import sys

    command = [sys.executable, "-c", "import sys; from papi_analysis.run import cli; sys.exit(cli.main(['provinces']))"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read().decode()
    proc.wait()
    assert "BrokenPipeError" not in err and "Traceback" not in err
    assert first.strip() and proc.returncode == 0
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert max(len(line) for line in done.stdout.splitlines()) <= 100


def test_top_level_help_lists_report_without_markup(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "report" in out and "``" not in out


def _raw_copy(tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    return raw


def _repin(raw):
    import hashlib

    lines = []
    for line in (raw / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split(maxsplit=1)
        lines.append(f"{hashlib.sha256((raw / rel).read_bytes()).hexdigest()}  {rel}")
    (raw / "SHA256SUMS").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "2011,1,Hà Nội,D1,Participation at Local Levels,score,5.76248,",
            "2011,1,Hà Nội,D1,Participation at Local Levels,score,abc,",
            "scores.csv, line 2, column value: expected a number, found 'abc'",
        ),
        (
            "2011,1,Hà Nội,D1,Participation at Local Levels,score,5.76248,",
            "2101,1,Hà Nội,D1,Participation at Local Levels,score,5.76248,",
            "scores.csv, line 2, column year: year 2101 is out of range",
        ),
    ],
)
def test_build_data_errors_name_file_line_and_column(tmp_path, old, new, message):
    from papi_analysis.data import panel, readers

    raw = _raw_copy(tmp_path)
    scores = raw / "papi" / "scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _repin(raw)
    with pytest.raises(readers.SourceFormatError, match=message.replace("(", r"\(")):
        panel.build_data(raw, tmp_path / "processed")


def test_report_rebuilds_processed_data_older_than_raw_and_says_which(tmp_path, monkeypatch):
    import json
    import shutil

    processed = tmp_path / "processed"
    shutil.copytree(config.DATA_PROCESSED, processed)
    info = json.loads((processed / "build_info.json").read_text())
    info["built_from"]["papi/scores.csv"] = "0" * 64  # built from an older scores.csv
    (processed / "build_info.json").write_text(json.dumps(info))
    monkeypatch.setattr(config, "DATA_PROCESSED", processed)
    monkeypatch.setattr(config, "PROCESSED_PANEL", processed / config.PROCESSED_PANEL.name)
    monkeypatch.setattr(config, "PROCESSED_SUBDIMENSIONS", processed / config.PROCESSED_SUBDIMENSIONS.name)
    said = runner.check_processed_data()
    assert "data/raw/papi/scores.csv" in said and "rebuilt" in said
    assert runner.check_processed_data() == ""  # now current


def test_report_refuses_raw_data_changed_without_repinning(tmp_path, monkeypatch):
    from papi_analysis.data import panel

    raw = _raw_copy(tmp_path)
    scores = raw / "papi" / "scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace("5.76248", "5.8", 1), encoding="utf-8")
    monkeypatch.setattr(config, "DATA_RAW", raw)
    monkeypatch.setattr(config, "RAW_CHECKSUMS", raw / "SHA256SUMS")
    with pytest.raises(panel.RawChecksumError, match="scores.csv does not match its checksum"):
        runner.check_processed_data()


def test_all_provinces_without_plans_list_no_folders(capsys, monkeypatch):
    def not_applicable(tasks, jobs=1, progress=True):
        return [runner.Result(t.slug, t.notebook, "not applicable", "no plan", 0.0) for t in tasks]

    monkeypatch.setattr(runner, "run_tasks", not_applicable)
    assert cli.main(["report", "--all", "--notebooks", "targets", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "63 not applicable" in out and "open " not in out


def test_a_plan_for_2025_or_later_is_evaluated_on_the_new_province():
    example = str(config.ROOT / "examples" / "my_plan.yaml")
    trends, targets = runner.tasks_for("Quảng Trị", ["trends", "targets"], "en", plan=example)
    assert (trends.geography, trends.slug) == ("63", "quang-tri")
    assert (targets.geography, targets.slug, targets.parameters["geography"]) == ("34", "quang-tri-34", "34")
    runner.check_plan(example, ["Quảng Trị"], "63")  # read for the new Quảng Trị, not refused


def test_seed_plans_are_chosen_within_the_geography():
    # 48 is Đà Nẵng on both geographies: the Quảng Nam plan read for the new Đà Nẵng is not the old city's
    assert runner.seed_plan_for(48, "63") is None
    assert runner.seed_plan_for(48, "34") is None  # issue 27: Quảng Nam's plan is read for it only when asked


def test_a_pdf_that_cannot_be_printed_fails_the_report_and_is_redone_next_time(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")  # a browser that dies at once
    fake.chmod(0o755)
    monkeypatch.setenv("PAPI_CHROMIUM", str(fake))
    (task,) = runner.tasks_for("Cà Mau", ["trends"], "en", pdf=True)
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status == "failed" and "PDF was not printed" in result.message and "Chromium" in result.message
    out = runner.outputs(config.REPORTS / "ca-mau", runner.output_stem(task))
    assert out["html"].exists() and not out["pdf"].exists()
    assert not out["json"].exists()  # so the next run does the report again instead of skipping it
    assert runner.precheck(task) is None
