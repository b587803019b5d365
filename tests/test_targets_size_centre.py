"""Issues 10/12/26 on the design rules and the 34 provinces: the centre of the national change and the size exponent
of merged units come from years before the forecast origin only; the size exponent is recovered from errors with a
known exponent; coverage and the weak-calibration labels on the 34 provinces are per class of unit (merged or
unmerged)."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from papi_analysis import load_scores
from papi_analysis.analysis import targets

model = importlib.import_module("papi_analysis.analysis.targets.model")
national = importlib.import_module("papi_analysis.analysis.targets.national")
relative = importlib.import_module("papi_analysis.analysis.targets.relative")


@pytest.fixture(scope="module")
def panel34():
    return load_scores(geography="34")


def _perturbed(panel: pd.DataFrame, from_year: int) -> pd.DataFrame:
    changed = panel.copy()
    later = changed["year"] >= from_year
    changed.loc[later, "score"] = changed.loc[later, "score"] + np.random.default_rng(3).normal(0, 0.5, later.sum())
    return changed


def test_the_centre_of_the_national_effect_uses_years_before_the_origin_only(panel):
    changed = _perturbed(panel, 2023)
    for dim in ("D3", "D7", "total"):
        before, _, _ = targets.fit_for(panel, dim, 2022, 2023)
        after, _, _ = targets.fit_for(changed, dim, 2022, 2023)
        assert before.centre == after.centre and before.mean_year_effect == after.mean_year_effect, dim
        later, _, _ = targets.fit_for(panel, dim, 2023, 2024)
        later_changed, _, _ = targets.fit_for(changed, dim, 2023, 2024)
        assert later.year_effect_sd != later_changed.year_effect_sd  # the test can fail
    # the rule chosen at an origin is the one with the lowest criterion on the years before it
    history = national.national_history(panel)
    for origin in (2016, 2020, 2024, 2025):
        criteria = national.centre_criteria(history, origin)
        assert national.choose_centre(history, origin) == criteria.idxmin()
    assert national.choose_centre(history, 2014) == national.DEFAULT_CENTRE  # too few earlier years


def test_centre_candidates_follow_their_definitions():
    effects = pd.Series([0.3, -0.1, 0.2], index=[2019, 2020, 2021])
    assert model.centre_of(effects, "period_mean") == pytest.approx(0.4 / 3)
    assert model.centre_of(effects, "zero") == 0.0
    assert model.centre_of(effects, "last") == pytest.approx(0.2)
    w = 0.5 ** (np.array([2, 1, 0]) / model.RECENT_HALFLIFE)
    assert model.centre_of(effects, "recent_weighted") == pytest.approx(np.sum(w * effects.to_numpy()) / w.sum())
    mean, se2 = effects.mean(), effects.var(ddof=1) / 3
    assert model.centre_of(effects, "shrunk") == pytest.approx(mean * max(0.0, 1 - se2 / mean**2))
    # a mean well inside its own noise is shrunk all the way to zero
    assert model.centre_of(pd.Series([0.5, -0.5, 0.05], index=[1, 2, 3]), "shrunk") == 0.0
    with pytest.raises(ValueError, match="centre must be one of"):
        model.centre_of(effects, "median")


def test_the_size_exponent_is_estimated_from_earlier_forecast_years_only(panel34):
    changed = _perturbed(panel34, 2023)
    assert relative.relative_pool(panel34, 2023).size_exponent == relative.relative_pool(changed, 2023).size_exponent
    assert relative.relative_pool(panel34, 2024).size_exponent != relative.relative_pool(changed, 2024).size_exponent
    a, _ = targets.forecast_cell(panel34, "D3", 2022, 2023)
    b, _ = targets.forecast_cell(changed, "D3", 2022, 2023)
    np.testing.assert_array_equal(a.draws(np.random.default_rng(1), 300), b.draws(np.random.default_rng(1), 300))
    # a merged unit's relative part is narrower than an unmerged one's when the exponent is positive
    pool = relative.relative_pool(panel34, 2025)
    assert pool.size_exponent > 0
    scale = pool.unit_scale(np.array([1.0, 3.0]))
    assert scale[1] < scale[0]


def test_the_size_exponent_is_recovered_from_errors_with_a_known_exponent(panel34):
    sizes = panel34.loc[(panel34["dimension"] == "D1") & (panel34["year"] == 2024), "effective_size"].to_numpy()
    rng = np.random.default_rng(7)
    for alpha in (0.0, 1.0, 2.0):
        size = np.tile(sizes, 60)
        cell = np.repeat(np.arange(60), len(sizes))
        within = rng.standard_t(6, size=size.shape) * size ** (-alpha / 2)
        assert model.size_exponent(within, size, cell) == pytest.approx(alpha, abs=0.3)
    # equal sizes (the 63-province panel): no exponent
    assert model.size_exponent(np.ones(10), np.ones(10), np.zeros(10)) == 0.0


@pytest.fixture(scope="module")
def recent34(panel34):
    return targets.backtest(panel34, years=[2022, 2023, 2024], compare_tails=False)


def test_coverage_and_judgement_by_class_come_from_the_backtest(recent34, panel34):
    split = targets.family_table_by_unit_kind(recent34, panel34).set_index(["units", "family"])
    merged = targets.merged_units(panel34)
    scored = recent34[recent34["family"] == "band90"]
    tests = targets.judgement(recent34)["tests"].set_index(["family", "units", "block"])
    for units, flag in (("merged", True), ("unmerged", False)):
        rows = scored[scored["province_code"].map(merged) == flag]
        assert (rows["units"] == units).all()
        assert split.loc[(units, "band90"), "n"] == len(rows) > 100
        assert split.loc[(units, "band90"), "observed"] == pytest.approx(rows["outcome"].mean())
        judged = tests.loc[("band90", units, "2022-2024")]
        assert judged["n"] == len(rows) and judged["observed"] == pytest.approx(rows["outcome"].mean())
    # fewer forecasts, wider noise: a class's consistency band is wider than the whole panel's
    for family in ("change_at_least", "rank_at_most"):
        whole = tests.loc[(family, "all", "2022-2024"), "null_high"]
        assert tests.loc[(family, "unmerged", "2022-2024"), "null_high"] > whole


def test_labels_on_the_34_provinces_follow_the_units_own_class(recent34, panel34):
    status = targets.calibration_status_by_unit_kind(recent34, panel34)
    assert set(status["units"]) == {"merged", "unmerged"}
    # a made-up status in which only merged units' rank targets are calibrated decides the labels
    made_up = status.assign(
        calibrated=(status["units"] == "merged") & (status["family"] == "rank_at_most"),
        misses=np.where(status["units"] == "merged", "", "made-up miss"),
    )
    plan = pd.DataFrame(
        [
            dict(
                plan_id="t",
                target_id=f"t{code}",
                province_code=code,
                baseline_year=2023,
                target_year=2024,
                indicator="total",
                kind="rank_at_most",
                target_value="10",
            )
            for code in (48, 1)
        ]
    )  # Đà Nẵng (with Quảng Nam) is merged, Hà Nội is not
    e = targets.evaluate_targets(plan, panel34, calibration=made_up).set_index("province_code")
    assert bool(e.loc[48, "family_calibrated"]) and not bool(e.loc[1, "family_calibrated"])
    assert bool(e.loc[1, "qualified"]) and "on unmerged units: made-up miss" in e.loc[1, "notes"]
    assert not bool(e.loc[48, "qualified"])
    for code in (1, 48):  # the word stays, whatever the label
        assert e.loc[code, "verdict_category"] == targets.category_of(e.loc[code, "probability"])


def test_by_default_labels_on_the_34_provinces_use_the_class_status(recent34, panel34, monkeypatch):
    verdicts = importlib.import_module("papi_analysis.analysis.targets.verdicts")
    monkeypatch.setattr(verdicts, "backtest_cached", lambda panel: recent34)  # the full backtest takes a minute
    plan = pd.DataFrame(
        [
            dict(
                plan_id="t",
                target_id=f"t{code}-{kind}",
                province_code=code,
                baseline_year=2023,
                target_year=2024,
                indicator="D4",
                kind=kind,
                target_value=value,
            )
            for code in (48, 1)
            for kind, value in (("not_in_group", "lowest"), ("rank_at_most", "10"), ("group_at_least", "highest"))
        ]
    )
    default = targets.evaluate_targets(plan, panel34)
    status = targets.calibration_status_by_unit_kind(recent34, panel34).set_index(["units", "family"])["calibrated"]
    for row in default.itertuples():
        units = "merged" if row.province_code == 48 else "unmerged"
        assert row.units == units and bool(row.family_calibrated) == bool(status[(units, row.family)])
        if not row.family_calibrated:
            assert f"targets on {units} units:" in row.notes
