"""The target-realism report's words and tables, and `papi-analysis advise`, on real data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from papi_analysis import load_scores
from papi_analysis.analysis import targets
from papi_analysis.analysis.targets.backtest import FAMILY_NAMES
from papi_analysis.report.texts import targets as target_texts
from papi_analysis.run import cli


@pytest.fixture(scope="module")
def panel():
    return load_scores()


@pytest.fixture(scope="module")
def evaluation(panel):
    chosen = targets.in_geography(targets.select_plan("cao-bang-2023"), "63")  # its 2025 forecasts are on the 34
    return targets.evaluate_targets(chosen, panel, lang="en")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_verdict_sentence_shows_the_word_and_number_of_one_probability(evaluation, lang):
    """Issue 26: the feasibility word always leads; a weak calibration is a label beside it, never a replacement."""
    qualifier = targets.VERDICTS[lang]["qualifier"]
    for _, row in evaluation.iterrows():
        sentence = target_texts.verdict_sentence(row, lang)
        percent = round(row["probability"] * 100)
        word = targets.VERDICTS[lang][targets.category_of(row["probability"])]
        assert re.search(rf"\b{percent}%", sentence), sentence
        assert word in sentence.lower(), sentence
        assert "uncertain" not in sentence.lower() and "chưa chắc chắn" not in sentence.lower()
        assert (qualifier in sentence) == (not row["family_calibrated"]), sentence
        words = sentence.split(":")[0].lower()
        assert any(words.startswith(w) for w in targets.VERDICTS[lang].values()), sentence


def test_summary_counts_are_the_evaluations(evaluation):
    first, best_worst, qualified, *_ = target_texts.summary_points(evaluation, "Cao Bang", "en")
    counts = evaluation["outcome"].value_counts()
    assert f"{len(evaluation)} targets" in first
    assert f"{counts.get('met', 0)} met, {counts.get('missed', 0)} missed" in first
    best = evaluation.loc[evaluation["probability"].idxmax()]
    assert f"{round(best['probability'] * 100)}%" in best_worst.split(";")[0]
    n_qualified = int(evaluation["qualified"].sum())
    assert qualified.startswith(f"{n_qualified} of {len(evaluation)} verdicts carry")


def test_optimistic_and_pessimistic_levels_are_read_off_the_bins(panel):
    predictions = targets.backtest_cached(panel)
    for line in target_texts.calibration_sentences(predictions, "en"):
        for part, word in (
            (line.split("; optimistic at ")[1].split(";")[0] if "; optimistic at " in line else "", ">"),
            (line.split("; pessimistic at ")[1].split(";")[0] if "; pessimistic at " in line else "", "<"),
        ):
            for forecast, observed in re.findall(r"(\d+)% → (\d+)%", part):
                assert (int(forecast) > int(observed)) if word == ">" else (int(forecast) < int(observed)), line


def test_misses_match_the_calibration_status(panel):
    predictions = targets.backtest_cached(panel)
    status = targets.calibration_status(predictions)
    lines = target_texts.judgement_sentences(predictions, "en")
    named = {line.split(":")[0] for line in lines if "beyond what a correct model produces" in line}
    expected = {FAMILY_NAMES["en"][f] for f in status.loc[~status["calibrated"], "family"]}
    assert named == expected


def test_a_63_province_plan_is_read_for_the_unit_it_became_part_of():
    chosen = targets.in_geography(targets.select_plan("quang-nam-2021"), "34")
    assert set(chosen["province_code"]) == {48} and set(chosen["province"]) == {"Đà Nẵng"}
    assert set(chosen["province_as_written"]) == {"Quảng Nam"}


def test_a_plan_written_on_the_34_provinces_needs_geography_34(tmp_path):
    mine = tmp_path / "plan34.yaml"
    mine.write_text(
        "plan_id: da-nang-2026\nprovince: Đà Nẵng\ngeography: 34\nbaseline_year: 2024\ntarget_year: 2025\n"
        "targets:\n  - {indicator: total, kind: rank_at_most, target_value: 10}\n",
        encoding="utf-8",
    )
    loaded = targets.load_targets(mine)
    assert list(loaded["geography"]) == ["34"] and list(loaded["province_code"]) == [48]
    with pytest.raises(targets.TargetFileError, match="geography 34"):
        targets.in_geography(loaded, "63")
    bad = tmp_path / "bad.yaml"
    bad.write_text(mine.read_text(encoding="utf-8").replace("geography: 34", "geography: 35"), encoding="utf-8")
    with pytest.raises(targets.TargetFileError, match="geography is 63"):
        targets.load_targets(bad)


def test_backtest_split_by_merged_units_covers_every_forecast_once():
    panel34 = load_scores(geography="34")
    predictions = targets.backtest_cached(panel34)
    split = targets.family_table_by_unit_kind(predictions, panel34)
    whole = targets.family_table(predictions).set_index("family")["n"]
    summed = split.groupby("family")["n"].sum()
    assert (summed.reindex(whole.index) == whole).all()
    assert set(split["units"]) == {"merged", "unmerged"}
    assert split.loc[split["units"] == "merged", "n_units"].iloc[0] == 23  # 34 units, 11 not merged


def test_advise_prints_and_writes_the_table_for_quang_nam(tmp_path, capsys, panel):
    out = tmp_path / "advice.csv"
    assert cli.main(["advise", "--province", "Quang Nam", "--year", "2021", "--lang", "vi", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Quảng Nam: mục tiêu năm 2021")
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert list(table["Chỉ số"])[0] == "Tổng điểm" and len(table) == 9  # total and eight dimensions in 2021
    total = panel[(panel["year"] == 2021) & (panel["province_code"] == 49) & (panel["dimension"] == "total")]
    assert table.loc[0, "Thực tế 2021 (thứ hạng)"].startswith(f"{total['score'].iloc[0]:.2f}".replace(".", ","))
    for _, row in table.iterrows():  # a score reached with 90% chance is at most the 70% one, at most the 50% one
        s90, s70, s50 = (float(row[f"Điểm đạt được với khả năng {p}% (2021)"].replace(",", ".")) for p in (90, 70, 50))
        assert s90 <= s70 <= s50


def test_advise_refuses_bad_input(capsys):
    assert cli.main(["advise", "--province", "Quang Nom"]) == 2
    assert "Unknown province" in capsys.readouterr().err
    assert cli.main(["advise", "--province", "Quảng Nam", "--year", "2030"]) == 2
    assert "--year 2030" in capsys.readouterr().err


def test_advise_on_the_34_provinces(capsys):
    assert cli.main(["advise", "--province", "Đà Nẵng", "--geography", "34", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    flat = " ".join(printed.split())  # the title wraps at 100 columns
    assert "2024 scores recast" in flat and "Score reached with chance" in printed and "2025" in printed


def test_two_readings_of_one_sentence_are_said_only_where_the_plan_has_them(panel):
    dak_lak = targets.select_plan("dak-lak-2018")
    text = target_texts.verdicts_html(targets.evaluate_targets(dak_lak, panel), "en", dak_lak)
    assert text.count("allows two readings") == 1 and text.count("The other reading") == 1
    quang_nam = targets.select_plan("quang-nam-2021")  # one sentence, a score and a group target: not two readings
    text = target_texts.verdicts_html(targets.evaluate_targets(quang_nam, panel), "en", quang_nam)
    assert "reading" not in text


def test_a_34_province_report_reads_the_seed_plan_of_one_of_its_old_provinces():
    from papi_analysis.run import runner

    # issue 27: read for the new city only when asked for (--plan), never picked by default
    assert runner.tasks_for("Đà Nẵng", ["targets"], "en", geography="34")[0].parameters["plan"] is None
    asked = runner.tasks_for("Đà Nẵng", ["targets"], "en", plan="quang-nam-2021", geography="34")[0]
    assert asked.parameters["plan"] == "quang-nam-2021"
    assert runner.tasks_for("Hà Nội", ["targets"], "en", geography="34")[0].parameters["plan"] is None
    runner.check_plan("quang-nam-2021", ["Đà Nẵng"], "34")  # the plan covers the new city through Quảng Nam
    with pytest.raises(runner.ReportError, match="no targets for Hà Nội"):
        runner.check_plan("quang-nam-2021", ["Hà Nội"], "34")
