"""Issue 27, item 4: a plan belongs to the unit that wrote it. On the 34 provinces a merged unit is graded only on
plans written for it; an old province's plan is read for it only when asked for, and then the report and the command
line say whose plan it is and that its outcomes are recast estimates. Seed plans from data/raw/targets/ only."""

from __future__ import annotations

import pytest

from papi_analysis import config, load_scores, provinces
from papi_analysis.analysis import targets
from papi_analysis.analysis.targets import plans
from papi_analysis.report.texts import targets as texts
from papi_analysis.run import cli, runner


def _merged_units_with_an_old_plan() -> dict[int, dict[str, int]]:
    """Merged units of the 34 whose old provinces wrote a seed plan, none written for the unit itself (from data)."""
    seeds = targets.load_targets()
    out = {}
    for code in provinces.registry(geography="34").index:
        old = plans.old_province_plans(int(code), seeds)
        if old and not plans.plans_written_for(int(code), "34", seeds):
            out[int(code)] = old
    return out


def test_a_merged_unit_is_not_given_an_old_provinces_plan_by_default():
    found = _merged_units_with_an_old_plan()
    assert found, "no merged unit with an old province's seed plan: nothing to test"
    seeds = targets.load_targets()
    for code, old in found.items():
        assert runner.seed_plan_for(code, "34") is None, provinces.name(code, geography="34")
        for plan_id, author in old.items():  # on the 63 the plan is its author's, evaluated where it was published
            assert plan_id in plans.plans_written_for(author, "63", seeds)
            assert runner.seed_plan_for(author, "63") is not None


def test_report_on_the_34_names_the_former_provinces_plans_and_runs_no_targets_report_for_them(capsys):
    code, old = next(iter(_merged_units_with_an_old_plan().items()))
    task = runner.tasks_for(provinces.name(code, geography="34"), ["targets"], "vi", geography="34")[0]
    assert not task.parameters["plan"]
    said = runner.plan_sentence(task)
    for plan_id, author in old.items():
        assert f"--plan {plan_id}" in said and provinces.name(author, "en") in said


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_old_plan_asked_for_explicitly_says_whose_it_is_and_that_outcomes_are_recast(lang):
    code, old = next(iter(_merged_units_with_an_old_plan().items()))
    plan_id, author = next(iter(old.items()))
    unit = provinces.name(code, geography="34")
    task = runner.tasks_for(unit, ["targets"], lang, plan=plan_id, geography="34")[0]
    assert task.parameters["plan"] == plan_id and task.geography == "34"
    said = runner.plan_sentence(task)
    assert plan_id in said and provinces.name(author, "en") in said and "recast" in said
    chosen = targets.filter_targets(targets.in_geography(targets.select_plan(plan_id), "34"), unit, 0, "34")
    assert plans.borrowed_from(chosen, code) == [author]
    points = texts.geography_points(chosen, unit, "34", lang)
    expected = {
        "vi": f"Kế hoạch của tỉnh {provinces.name(author, 'vi')} (cũ), đọc cho {provinces.name(code, 'vi', geography='34')} mới",
        "en": f"Plan of the former {provinces.name(author, 'en')} province, read for the new "
        f"{provinces.name(code, 'en', geography='34')}",
    }[lang]
    assert points[0].startswith(expected)
    assert texts.plan_heading(chosen, unit, lang, "34") == expected  # the line under the title (reader's pass, 3)
    evaluation = targets.evaluate_targets(chosen, load_scores(geography="34"), lang=lang)
    marker = {"vi": "ước tính (tính lại)", "en": "estimate (recast)"}[lang]
    frame, headers, _ = texts.plain_table(evaluation, lang, chosen)  # the leadership table, not only appendix B
    assert headers["baseline"].endswith(marker) and headers["outcome"].endswith(marker)
    decided = evaluation["outcome"].isin(["met", "missed"]).to_numpy()
    word = {"vi": "(ước tính)", "en": "(estimate)"}[lang]
    assert decided.any() and all(cell.endswith(word) for cell in frame.loc[decided, "outcome"])
    assert not any(cell.endswith(word) for cell in frame.loc[~decided, "outcome"])
    _, headers, _ = texts.verdict_table(evaluation, lang)
    assert headers["outcome"].endswith({"vi": "ước tính (tính lại)", "en": "estimate (recast)"}[lang])
    first = texts.summary_points(evaluation, unit, lang)[0]  # where "18 missed" is counted, it says estimates
    assert {"vi": "là ước tính (tính lại)", "en": "are estimates (recast)"}[lang] in first
    html = texts.verdicts_html(evaluation, lang, chosen)
    decided = evaluation[evaluation["outcome"].isin(["met", "missed"])]
    marker = {"vi": "ước tính (tính lại)", "en": "estimate (recast)"}[lang]
    assert html.count(marker) >= len(decided) > 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_sections_say_a_merged_units_scores_are_estimates(lang):
    """Sections 1 and 2 said "mà PAPI công bố" over a merged unit's recast scores (reader's pass, item 1)."""
    not_published = {"vi": "không phải số liệu PAPI công bố", "en": "not PAPI figures"}[lang]
    for section in ("numbers", "targets"):
        assert not_published in texts.section_intro(section, lang, "Đà Nẵng", estimated=True)
        assert not_published not in texts.section_intro(section, lang, "Cao Bằng", estimated=False)
    assert {"vi": "mà PAPI công bố", "en": "published PAPI"}[lang] in texts.section_intro("numbers", lang, "X", False)


def test_the_report_of_an_old_plan_is_titled_with_it_in_the_tab_and_on_the_index_page(tmp_path, monkeypatch):
    """The browser tab, the PDF's title and the index row said only "Mục tiêu PAPI… — Đà Nẵng" for Quảng Nam's
    plan read for the new Đà Nẵng (reader's pass, item 3)."""
    code, old = next(iter(_merged_units_with_an_old_plan().items()))
    plan_id, author = next(iter(old.items()))
    unit = provinces.name(code, geography="34")
    task = runner.tasks_for(unit, ["targets"], "vi", plan=plan_id, geography="34")[0]
    (result,) = runner.run_tasks([task], progress=False)
    assert result.status == "ok", result.message
    runner.write_pages([task.slug])
    heading = f"Kế hoạch của tỉnh {provinces.name(author, 'vi')} (cũ), đọc cho {unit} mới"
    folder = config.REPORTS / task.slug
    (page,) = folder.glob(f"*{plan_id}.vi.html")
    html = page.read_text(encoding="utf-8")
    assert "<title>Mục tiêu PAPI" in html and f"— {heading} (PAPI)</title>" in html
    assert 'class="papi-subtitle"' in html
    assert f'<span class="subtitle">{heading}</span>' in (folder / "index.html").read_text(encoding="utf-8")


def test_a_plan_written_for_the_new_unit_is_its_own(tmp_path):
    """A plan written on the 34 (every target from 2025) belongs to the unit it names: not borrowed, no recast
    label on its outcomes."""
    chosen = targets.in_geography(targets.select_plan("examples/my_plan.yaml"), "34")
    code = int(chosen["province_code"].iloc[0])
    assert plans.borrowed_from(chosen, code) == []
    assert not texts.plan_title(chosen, provinces.name(code, geography="34"), "vi")


def test_the_command_line_names_the_plan_it_used(capsys, monkeypatch):
    code, old = next(iter(_merged_units_with_an_old_plan().items()))
    plan_id = next(iter(old))
    monkeypatch.setattr(runner, "run_tasks", lambda tasks, **kw: (_ for _ in ()).throw(SystemExit(0)))
    with pytest.raises(SystemExit):
        cli.main(
            [
                "report",
                "--province",
                provinces.name(code, geography="34"),
                "--geography",
                "34",
                "--notebooks",
                "targets",
                "--plan",
                plan_id,
                "--quiet",
            ]
        )
    out = " ".join(capsys.readouterr().out.split())
    assert f"reads plan {plan_id}" in out and "recast" in out
