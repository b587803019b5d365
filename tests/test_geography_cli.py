"""--geography on the command line and in the report runner."""

from __future__ import annotations

import nbformat
import pytest

from papi_analysis import config
from papi_analysis.run import cli, runner


def _notebook(path, parameters: str) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    """Two stand-in notebooks: one declares ``geography``, one does not."""
    _notebook(tmp_path / "01_trends.ipynb", 'province = "Quảng Nam"\nlang = "vi"\ngeography = "63"\n')
    _notebook(tmp_path / "03_dimension_links.ipynb", 'province = "Quảng Nam"\nlang = "vi"\n')
    monkeypatch.setattr(config, "NOTEBOOKS", tmp_path)
    return tmp_path


def test_geography_goes_only_to_notebooks_that_declare_it(notebooks):
    tasks = runner.tasks_for("Đà Nẵng", ["trends", "links"], "vi")
    assert tasks[0].parameters == {"province": "Đà Nẵng", "lang": "vi", "geography": "63"}
    assert tasks[1].parameters == {"province": "Đà Nẵng", "lang": "vi"}
    (task,) = runner.tasks_for("Đà Nẵng", ["trends"], "en", geography="34")
    assert task.parameters["geography"] == "34" and task.slug == "da-nang-34" and task.geography == "34"
    assert task.province_code == 48


def test_a_34_province_report_from_a_notebook_without_the_parameter_is_refused(notebooks):
    with pytest.raises(runner.ReportError, match="03_dimension_links.ipynb has no 'geography' parameter"):
        runner.tasks_for("Đà Nẵng", ["links"], "vi", geography="34")


def test_cli_geography_flags(capsys):
    assert cli.main(["provinces", "TP Huế", "--geography", "34"]) == 0
    out = capsys.readouterr().out
    assert "hue-34" in out and "Huế" in out
    assert cli.main(["report", "--province", "Quảng Nam", "--geography", "34"]) == 2
    err = capsys.readouterr().err
    assert "part of Đà Nẵng" in err and "--geography 63" in err
