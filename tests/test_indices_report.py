"""Notebook 04_other_indices: runs for every plan with PAR INDEX / SIPAS targets, in both languages;
the runner marks provinces without such targets as not applicable."""

from __future__ import annotations

import pytest

from papi_analysis import config
from papi_analysis.report import runner


@pytest.mark.parametrize("plan, lang, expected", [
    ("cao-bang-2023", "en", ""),
    ("dak-lak-2018", "vi", "Đắk Lắk"),
    ("binh-thuan-2022", "en", "improve score and rank"),
])
def test_indices_notebook_runs_for_every_plan_with_index_targets(tmp_path, plan, lang, expected):
    out = runner.execute(config.NOTEBOOKS / runner.NOTEBOOKS["indices"], tmp_path / "out.ipynb",
                         {"plan": plan, "lang": lang})
    text = out.read_text()
    assert "Traceback" not in text
    assert ("national" in text) if lang == "en" else ("toàn quốc" in text)
    if plan == "cao-bang-2023":
        assert "sum to 11.54, not the stated 11.49" in text and "10.81" in text
    else:
        assert expected in text


def test_indices_notebook_is_not_applicable_for_a_province_without_index_targets():
    task = runner.tasks_for("Quảng Nam", ["indices"], "vi")[0]
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status == "not applicable" and "PAR INDEX" in result.message
    assert runner.tasks_for("Cao Bằng", ["indices"], "en")[0].parameters["plan"] == "cao-bang-2023"


def test_indices_notebook_without_a_plan_says_so_and_refuses_a_province_not_in_the_plan(tmp_path):
    import papermill

    out = runner.execute(config.NOTEBOOKS / runner.NOTEBOOKS["indices"], tmp_path / "none.ipynb",
                         {"plan": "", "province": "Quảng Nam", "lang": "en"})
    assert "This plan sets no PAR INDEX or SIPAS target." in out.read_text()
    with pytest.raises(papermill.PapermillExecutionError, match="has no targets for Cà Mau"):
        runner.execute(config.NOTEBOOKS / runner.NOTEBOOKS["indices"], tmp_path / "bad.ipynb",
                       {"plan": "cao-bang-2023", "province": "Cà Mau"})
