"""The command line and the report runner: one province, re-runs, failures, bad input."""

from __future__ import annotations

import pytest

from papi_analysis import config
from papi_analysis.report import cli, runner


def test_provinces_command_resolves_and_refuses(capsys):
    assert cli.main(["provinces", "TT-Huế"]) == 0
    assert "Thừa Thiên Huế" in capsys.readouterr().out
    assert cli.main(["provinces", "Quang Nom"]) == 2
    assert "Closest matches: Quảng Nam" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["report", "--province", "Quang Nom"], "Unknown province 'Quang Nom'"),
    (["report", "--province", "Huế", "--notebooks", "trends,charts"], "Unknown notebook(s) ['charts']"),
    (["report"], "say which province"),
    (["report", "--all", "--province", "Huế"], "either --province or --all"),
    (["report", "--province", "Huế", "--jobs", "0"], "--jobs must be at least 1"),
])
def test_report_refuses_bad_requests(capsys, argv, message):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_report_refuses_an_unknown_language():
    with pytest.raises(SystemExit) as err:
        cli.main(["report", "--province", "Huế", "--lang", "fr"])
    assert err.value.code == 2


def test_report_runs_converts_skips_and_forces(capsys):
    assert cli.main(["report", "--province", "Cà Mau", "--notebooks", "trends", "--lang", "en", "--quiet"]) == 0
    folder = config.REPORTS / "ca-mau"
    html = (folder / "01_trends.html").read_text()
    assert "Ca Mau" in html and "from papi_analysis import" not in html  # code hidden for readers
    assert (config.FIGURES / "ca-mau" / "trend_total_en.png").exists()
    capsys.readouterr()
    assert cli.main(["report", "--province", "Cà Mau", "--notebooks", "trends", "--lang", "en", "--quiet"]) == 0
    assert "1 skipped" in capsys.readouterr().out
    assert cli.main(["report", "--province", "ca mau", "--notebooks", "trends", "--lang", "en", "--quiet",
                     "--force"]) == 0
    assert "1 ok" in capsys.readouterr().out


def test_a_failed_notebook_names_the_notebook_and_cell_and_leaves_others_untouched(tmp_path):
    good = runner.tasks_for("Cà Mau", ["trends"], "en")[0]
    runner.run_tasks([good], progress=False)
    kept = config.REPORTS / "ca-mau" / "01_trends.html"
    before = kept.stat().st_mtime_ns
    bad = runner.Task(province_code=1, slug="ha-noi", notebook="links",
                      parameters={"province": "Hà Nội", "start_year": 2016, "end_year": 2019})
    (result,) = runner.run_tasks([bad], progress=False)
    assert result.status == "failed"
    assert "03_dimension_links.ipynb failed in cell [" in result.message and "spans the 2017/2018" in result.message
    assert (config.REPORTS / "ha-noi" / "03_dimension_links.failed.ipynb").exists()
    assert not (config.REPORTS / "ha-noi" / "03_dimension_links.html").exists()
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
    bad = runner.Task(province_code=62, slug="kon-tum", notebook="links",
                      parameters={"province": "Kon Tum", "start_year": 2016, "end_year": 2019})
    first = runner.run_tasks(good + [bad], jobs=2, progress=False)
    assert [r.status for r in first] == ["ok", "ok", "failed"]
    second = runner.run_tasks(good + [bad], jobs=2, progress=False)
    assert [r.status for r in second] == ["skipped", "skipped", "failed"]
    assert "1 failed" in runner.summary(second) and "kon-tum / links" in runner.summary(second)
