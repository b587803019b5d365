"""Out-of-sample calibration of the target model (rolling origin on the real panel), no leakage from the
forecast year, and verdicts whose word, number and category agree. The full backtest (all years, three tail
shapes) is in benchmarks/backtest_targets.py; here 2019-2024, the current methodology period."""

from __future__ import annotations

import importlib
import re

import numpy as np
import pandas as pd
import pytest

from papi_analysis.analysis import targets

bt = importlib.import_module(
    "papi_analysis.analysis.targets.backtest"
)  # the module; `targets.backtest` is the function

RECENT = [2019, 2020, 2021, 2022, 2023, 2024]


@pytest.fixture(scope="module")
def recent(panel):
    return targets.backtest(panel, years=RECENT, compare_tails=False)


@pytest.fixture(scope="module")
def table(recent):
    return targets.family_table(recent).set_index("family")


def test_every_target_kind_is_backtested_with_its_count(recent, table):
    for family in (
        "change_at_least",
        "gain",
        "score_at_least",
        "group_at_least",
        "not_in_group",
        "rank_at_most",
        "rank_gain_at_least",
        "improve_score_and_rank",
        "band50",
        "band90",
    ):
        assert table.loc[family, "n"] > 2000, family
        assert table.loc[family, "n_years"] == 6
    assert table.loc["all_up", "n"] > 300  # every dimension up: D1-D6 from 2019, D1-D8 from 2023
    assert table.loc["two_years_ahead", "n"] > 2000 and table.loc["two_years_ahead", "ece"] < 0.04
    # cells the model cannot forecast are counted with their reason, not silently dropped
    dropped = targets.dropped_cells(recent)
    assert {(2019, "D7"), (2019, "D8"), (2019, "total"), (2020, "D7"), (2020, "D8")} == set(
        zip(dropped["year"], dropped["dimension"])
    )
    assert (dropped["units"] >= 60).all()
    scored = recent[recent["family"] != "not_assessable"]
    assert scored["p_model"].notna().all() and scored["outcome"].isin([0.0, 1.0]).all()
    assert not ((scored["year"] == 2019) & (scored["dimension"] == "total")).any()


def test_out_of_sample_bars_2019_2024(table):
    """The bars of issue 9 that the model reaches out of sample (rolling origin, 2019-2024)."""
    assert table.loc["gain", "ece"] < 0.05
    for family in ("score_at_least", "group_at_least", "not_in_group", "rank_at_most", "rank_gain_at_least"):
        assert table.loc[family, "ece"] < 0.04, family
    lo, hi = bt.BARS["band90"]
    assert lo <= table.loc["band90", "observed"] <= hi
    # better than the base rate conditional on the starting position (point estimate)
    for family in ("gain", "score_at_least", "group_at_least"):
        assert table.loc[family, "skill"] > 0, family
    # the gain events the plans ask for are no longer forecast too often (issue 9: 0.24 forecast vs 0.16 observed)
    assert abs(table.loc["gain", "mean_forecast"] - table.loc["gain", "observed"]) < 0.04


def test_families_that_miss_a_bar_are_flagged(recent, table):
    status = targets.calibration_status(recent).set_index("family")
    for family in bt.FAMILIES[:-1]:  # cross_break: no break in 2019-2024
        row = table.loc[family]
        bar = bt.BARS["ece_gain"] if family == "gain" else bt.BARS["ece"]
        misses = not row["ece"] < bar
        if family in bt.SKILL_FAMILIES:
            misses |= not row["skill_low"] > 0
        if family in bt.SCORE_FAMILIES:
            for band in ("band50", "band90"):
                lo, hi = bt.BARS[band]
                misses |= not lo <= table.loc[band, "observed"] <= hi
        assert status.loc[family, "calibrated"] == (not misses), family
        assert bool(status.loc[family, "misses"]) == misses


def test_no_quantity_of_the_forecast_year_enters_its_forecast(panel):
    """Perturbing the scores of the target year (and later) leaves the forecast for that year unchanged."""
    changed = panel.copy()
    later = changed["year"] >= 2023
    changed.loc[later, "score"] = changed.loc[later, "score"] + np.random.default_rng(0).normal(0, 0.5, later.sum())
    target = pd.Series(
        dict(
            indicator="D3",
            province_code=4,
            baseline_year=2022,
            target_year=2023,
            kind="rank_at_most",
            target_value="30",
        )
    )
    before = targets.predict_target(panel, target, np.random.default_rng(5))
    after = targets.predict_target(changed, target, np.random.default_rng(5))
    assert before.probability == after.probability and before.band90 == after.band90
    cell, _ = targets.forecast_cell(panel, "total", 2022, 2023)
    cell2, _ = targets.forecast_cell(changed, "total", 2022, 2023)
    np.testing.assert_array_equal(cell.draws(np.random.default_rng(1), 500), cell2.draws(np.random.default_rng(1), 500))
    # ... while the forecast for the year after does change (the test can fail)
    cell3, _ = targets.forecast_cell(panel, "total", 2023, 2024)
    cell4, _ = targets.forecast_cell(changed, "total", 2023, 2024)
    assert not np.array_equal(cell3.mean_change, cell4.mean_change)


def test_the_backtest_cache_key_covers_every_module_that_can_change_a_result(panel):
    names = {p.name for p in bt.code_files()}
    assert {
        "model.py",
        "simulate.py",
        "backtest.py",
        "plans.py",
        "verdicts.py",
        "checks.py",
        "ranking.py",
        "schema.py",
    } <= names
    changed = panel.copy()
    changed.loc[changed.index[0], "score"] += 0.01
    assert bt.cache_key(changed) != bt.cache_key(panel)


def test_verdict_word_number_and_category_agree_for_every_seed_target(panel):
    seeds = targets.in_geography(targets.load_targets(), "63")  # the 2025 forecasts are on the 34 provinces
    for lang in ("en", "vi"):
        e = targets.evaluate_targets(seeds, panel, lang=lang)
        words = targets.VERDICTS[lang]
        for row in e.itertuples():
            if np.isnan(row.probability):
                assert row.verdict == words["na"] and row.verdict_category == "na"
                continue
            percent = round(row.probability * 100)
            shown = [int(x) for x in re.findall(r"(\d+)%", row.verdict)]
            assert shown == [percent], (row.target_id, row.verdict)
            category = targets.category_of(row.probability)
            assert words[category] in row.verdict
            bound = dict(targets.verdicts.CATEGORY_BOUNDS)[category]
            assert percent >= bound
            if row.family_calibrated:
                assert row.verdict_category == category and row.verdict.startswith(words[category] + ":")
            else:
                assert row.verdict_category == "uncertain" and row.verdict.startswith(words["uncertain"] + ":")
            # the historical share is its own statement, with its counts; "none" only when none did it
            assert "no province" not in row.verdict and "chưa tỉnh nào" not in row.verdict
            if row.historical_n:
                assert f"{row.historical_n}" in row.historical
                assert ("none of" in row.historical or "không trường hợp" in row.historical) == (
                    row.historical_reached == 0
                )


def test_the_advisor_is_ordered_and_its_advice_holds_out_of_sample(panel):
    advice = targets.advise(panel, 4, 2022).set_index("indicator")
    assert list(advice.index) == ["total"] + [f"D{i}" for i in range(1, 9)]
    assert (advice["score_90"] <= advice["score_70"]).all() and (advice["score_70"] <= advice["score_50"]).all()
    assert (advice["rank_90"] >= advice["rank_70"]).all() and (advice["rank_70"] >= advice["rank_50"]).all()
    check = targets.advisor_calibration(panel, [2022, 2023, 2024]).set_index("chance")
    assert check["n"].min() > 1000
    # not optimistic: advice with a 90% (70%) chance was met at least 85% (65%) of the time; in 2022-2024 it was
    # in fact too cautious (97.0%, 84.2% and 59.3%, n = 1,610): after the national swings of 2021 the predictive
    # bands were too wide (the 90% band covered 97%; model.py's docstring compares the candidate centres)
    assert check.loc[0.9, "met"] >= 0.85 and check.loc[0.7, "met"] >= 0.65
    assert check.loc[0.9, "met"] > check.loc[0.7, "met"] > check.loc[0.5, "met"]
