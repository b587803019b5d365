"""Issue 30 leftover: the target report marks the targets read automatically from a plan document (read-plan), in the
summary, the verdicts' table and the list of verdicts, with a footnote saying to check them; a hand-made plan carries
no mark."""

from __future__ import annotations

import pytest

from papi_analysis import load_scores, targets
from papi_analysis.data.plan_reader import read_plan_document
from papi_analysis.report import plan_forms
from papi_analysis.report.texts import targets as texts

SEED = "000_1f4afd1fb87d898f.txt"  # Quảng Nam's 2021 plan, among the seeds beside the official files


@pytest.fixture(scope="module")
def panel():
    return load_scores(geography="63")


@pytest.fixture(scope="module")
def read_rows(tmp_path_factory, sources_dir):
    out = tmp_path_factory.mktemp("plan") / "qn.csv"
    plan_forms.write_review_csv(read_plan_document(sources_dir.parent / "seeds" / SEED), out)
    chosen = targets.load_targets(out)
    return targets.in_geography(chosen, "63")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rows_read_from_a_document_are_marked_with_a_footnote(read_rows, panel, lang):
    evaluation = targets.evaluate_targets(read_rows, panel, lang=lang)
    frame, _, _ = texts.verdict_table(evaluation, lang, chosen=read_rows)
    mark = texts.AUTOMATIC_MARK
    assert frame["target"].str.endswith(f" {mark}").all()  # every row was read by the machine
    listed = texts.verdicts_html(evaluation, lang, read_rows)
    phrase = {"vi": "Đọc tự động từ văn bản — hãy kiểm tra", "en": "Read automatically from the document"}[lang]
    assert listed.count(phrase) == len(evaluation)
    note = texts.automatic_footnote(evaluation, read_rows, lang)
    assert note.startswith(mark) and f"{len(evaluation)}" in note
    summary = texts.automatic_points(evaluation, read_rows, lang)
    assert len(summary) == 1 and mark in summary[0]


def test_a_checked_row_loses_its_mark(read_rows, panel):
    """Once a person deletes the reader's words from the note, the row is no longer marked."""
    checked = read_rows.copy()
    first = checked["target_id"].iloc[0]
    checked.loc[checked["target_id"] == first, "note"] = "checked against the document"
    evaluation = targets.evaluate_targets(checked, panel, lang="vi")
    frame, _, _ = texts.verdict_table(evaluation, "vi", chosen=checked)
    marked = frame["target"].str.endswith(texts.AUTOMATIC_MARK)
    assert not marked.iloc[list(evaluation["target_id"]).index(first)]
    assert marked.sum() == len(evaluation) - (evaluation["target_id"] == first).sum()


def test_a_hand_made_plan_carries_no_mark(panel):
    chosen = targets.select_plan("quang-nam-2021")
    evaluation = targets.evaluate_targets(chosen, panel, lang="vi")
    frame, _, _ = texts.verdict_table(evaluation, "vi", chosen=chosen)
    assert not frame["target"].str.contains(texts.AUTOMATIC_MARK).any()
    assert texts.automatic_footnote(evaluation, chosen, "vi") == ""
    assert texts.automatic_points(evaluation, chosen, "vi") == []
    assert "tự động" not in texts.verdicts_html(evaluation, "vi", chosen)
