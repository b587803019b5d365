"""Notebook 04_other_indices: runs for every plan with PAR INDEX / SIPAS targets, in both languages;
the runner marks provinces without such targets as not applicable."""

from __future__ import annotations

import pytest

from papi_analysis import config
from papi_analysis.run import runner


@pytest.mark.parametrize(
    "plan, province, lang, expected",
    [
        ("cao-bang-2023", "Cao Bằng", "en", ""),
        ("dak-lak-2018", "Đắk Lắk", "vi", "80% điểm tối đa"),
        ("binh-thuan-2022", "Bình Thuận", "en", "raise both score and rank over 2021"),
    ],
)
def test_indices_notebook_runs_for_every_plan_with_index_targets(tmp_path, plan, province, lang, expected):
    out = runner.execute(
        config.NOTEBOOKS / runner.NOTEBOOKS["indices"],
        tmp_path / "out.ipynb",
        {"plan": plan, "province": province, "lang": lang},
    )
    text = out.read_text()
    assert "Traceback" not in text
    assert ("national" in text) if lang == "en" else ("toàn quốc" in text)
    if plan == "cao-bang-2023":
        assert "sum to 11.54, not the stated 11.49" in text and "10.81" in text
        # the SIPAS part's headroom says which of the two stated figures it uses and flags the other
        assert "The table above uses 7.73 (table 2.1)" in text and "Only 7.43 agrees with the score of field F8" in text
    else:
        assert expected in text


def test_indices_notebook_is_not_applicable_for_a_province_without_index_targets():
    task = runner.tasks_for("Quảng Nam", ["indices"], "vi")[0]
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status == "not applicable" and "PAR INDEX" in result.message
    assert runner.tasks_for("Cao Bằng", ["indices"], "en")[0].parameters["plan"] == "cao-bang-2023"


def test_indices_notebook_without_a_plan_says_so_and_refuses_a_province_not_in_the_plan(tmp_path):
    import papermill

    out = runner.execute(
        config.NOTEBOOKS / runner.NOTEBOOKS["indices"],
        tmp_path / "none.ipynb",
        {"plan": "", "province": "Quảng Nam", "lang": "en"},
    )
    assert "This plan sets no PAR INDEX or SIPAS target." in out.read_text()
    with pytest.raises(papermill.PapermillExecutionError, match="has no targets for Cà Mau"):
        runner.execute(
            config.NOTEBOOKS / runner.NOTEBOOKS["indices"],
            tmp_path / "bad.ipynb",
            {"plan": "cao-bang-2023", "province": "Cà Mau"},
        )
    with pytest.raises(papermill.PapermillExecutionError, match="province is required"):
        runner.execute(
            config.NOTEBOOKS / runner.NOTEBOOKS["indices"], tmp_path / "empty.ipynb", {"plan": "cao-bang-2023"}
        )


def test_the_summary_counts_the_targets_and_names_the_largest_inconsistency():
    from papi_analysis.analysis import index_checks
    from papi_analysis.report.texts import indices as index_report

    chosen = index_report.select("", "Cao Bằng")
    points = index_report.summary_points(chosen, index_checks.plan_checks(chosen, "en"), "en")
    assert points[0].startswith(
        "Cao Bang, plan of 2023 (baseline 2022, targets for 2023): 8 PAR INDEX targets and "
        "no SIPAS target, with 12 planned increases"
    )
    # the SIPAS figure stated twice (7.73 / 7.43) is 0.30 points apart: more than F8's 0.29 or F5's 0.05
    assert "3 of 71 checks" in points[1] and "(0.30 points): PAR INDEX F8 – SIPAS" in points[1]
    # 22.45 = 100 - 77.55; the 8 field targets ask 1 + 0.39 + 1 + 0.40 + 1.46 + 1.43 + 3.17 + 2.23 = 11.08
    assert "22.45 points below the maximum" in points[2] and "+11.08 points, 49% of that gap" in points[2]
    assert "table 2.1 gives 7.73" in points[3]
    assert "national PAR INDEX table" in points[-1] and "INDEX_TARGETS.md" in points[-1]
    with_table = index_report.summary_points(
        chosen, index_checks.plan_checks(chosen, "en"), "en", with_table=("par_index",)
    )
    assert "see section 2" in with_table[-1]


def test_the_sipas_conflict_gives_the_headroom_with_the_other_figure():
    from papi_analysis.analysis import index_checks

    conflict = index_checks.baseline_conflicts().set_index("target_id").loc["F8.sipas-change"]
    assert (conflict["used"], conflict["other"]) == (7.73, 7.43)
    assert bool(conflict["other_fits_parent"]) and not bool(conflict["used_fits_parent"])  # 7.43 + 3.38 = 10.81
    assert conflict["other_target"] == pytest.approx(7.43 + 0.47)
    assert conflict["other_gap_to_max"] == pytest.approx(10 - 7.43)


@pytest.mark.parametrize("plan, province", [("cao-bang-2023", "Cao Bằng"), ("dak-lak-2018", "Đắk Lắk")])
def test_the_vietnamese_sentences_write_numbers_in_vietnamese_marks(plan, province):
    """Every sentence of the Vietnamese report (summary, warnings, the checks line, captions) writes decimals with
    a comma; a table of the plan keeps its own numbering ("bảng 2.1")."""
    import re

    from papi_analysis.analysis import index_checks
    from papi_analysis.report.texts import indices as index_report

    chosen = index_report.select(plan, province)
    checks = index_checks.plan_checks(chosen, "vi")
    sentences = [
        *index_report.summary_points(chosen, checks, "vi"),
        *index_report.conflict_notes(chosen, "vi").values(),
        index_report.checks_sentence(checks, "vi"),
        *(index_report.table_caption(chosen, index, "vi") for index in index_report.target_indices(chosen)),
    ]
    decimals = [s for s in sentences if re.search(r"\d\.\d", re.sub(r"bảng \d+(\.\d+)+", "", s))]
    assert decimals == []
    text = " ".join(sentences)
    if plan == "cao-bang-2023":
        assert "PAR INDEX năm 2022: 77,55/100 điểm, hạng 62/63; còn cách điểm tối đa 22,45 điểm." in text
        assert "cần tăng 11,08 điểm, tức 49% khoảng cách đó" in text
        assert "(7,73 so với 7,43 / -0,30)" in text and "mức tăng cần +0,47 điểm" in text
    else:
        assert "Tổng điểm PAR INDEX ≥ 80% điểm tối đa (80,00/100)" in text
