"""Links between dimensions: checked against direct pandas / statsmodels computations on the real panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from papi_analysis.analysis import links


def _direct_wide(panel, year):
    rows = panel[(panel["year"] == year) & (panel["dimension"] != "total")]
    return rows.pivot(index="province_code", columns="dimension", values="score")


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_yearly_correlations_equal_pandas(panel, method):
    ours = links.correlation_by_year(panel, 2018, 2024, method)
    for year in (2018, 2022):
        direct = _direct_wide(panel, year).corr(method=method)  # pandas: pairwise-complete
        mine = links.correlation_matrix(ours[ours["year"] == year])
        pd.testing.assert_frame_equal(mine.loc[direct.index, direct.columns], direct, check_names=False, atol=1e-12)
    n = ours[(ours["year"] == 2022) & (ours["dim_a"] == "D1") & (ours["dim_b"] == "D2")]["n"].iloc[0]
    assert n == 61  # Bắc Giang (D1, D2) and Bắc Ninh (D2) missing in 2022


def test_pooled_correlation_equals_pandas_on_year_centred_scores(panel):
    wide = panel[panel["year"].between(2011, 2017) & (panel["dimension"] != "total")].pivot_table(
        index=["year", "province_code"], columns="dimension", values="score"
    )
    centred = wide - wide.groupby(level="year").transform("mean")
    direct = centred.corr()
    mine = links.correlation_matrix(links.pooled_correlation(panel, 2011, 2017))
    pd.testing.assert_frame_equal(mine.loc[direct.index, direct.columns], direct, check_names=False, atol=1e-12)


def test_confidence_intervals_contain_r_and_use_provinces(panel):
    pooled = links.pooled_correlation(panel, 2018, 2024)
    assert (pooled["ci_low"] < pooled["r"]).all() and (pooled["r"] < pooled["ci_high"]).all()
    assert (pooled["n_effective"] == 63).all() and (pooled["n"] > 400).all()


def test_change_correlations_never_cross_a_break(panel):
    diffs = links.changes(panel, 2011, 2017)
    years = diffs.index.get_level_values("year")
    assert diffs.loc[years == 2016, "D1"].isna().all()  # D1 changed in the 2016 redesign
    assert diffs.loc[years == 2016, "D2"].notna().sum() > 60  # D2 is comparable across 2016
    assert 2011 not in set(years)


def test_fixed_effects_regression_equals_statsmodels_fitted_directly(panel):
    ours = links.lagged_effect(panel, "D4", "D2", 2018, 2024)
    scores = (
        panel[panel["year"].between(2018, 2024)]
        .pivot(index=["province_code", "year"], columns="dimension", values="score")
        .reset_index()
    )
    previous = scores.assign(year=scores["year"] + 1)[["province_code", "year", "D4", "D2"]]
    frame = (
        scores[["province_code", "year", "D4"]]
        .rename(columns={"D4": "y"})
        .merge(previous.rename(columns={"D4": "y_lag", "D2": "x_lag"}), on=["province_code", "year"])
        .dropna()
    )
    direct = smf.ols("y ~ x_lag + y_lag + C(province_code) + C(year)", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["province_code"]}
    )
    assert ours.nobs == direct.nobs
    assert ours.params["x_lag"] == pytest.approx(direct.params["x_lag"])
    assert ours.bse["x_lag"] == pytest.approx(direct.bse["x_lag"])


def test_lagged_effects_table_adjusts_for_multiple_comparisons(panel):
    table = links.lagged_effects(panel, 2018, 2024)
    assert len(table) == 8 * 7
    assert (table["p_holm"] >= table["p_value"] - 1e-12).all() and (table["p_bh"] >= table["p_value"] - 1e-12).all()


@pytest.mark.parametrize("start, end", [(2015, 2020), (2011, 2024), (2017, 2018)])
def test_a_period_spanning_the_2018_break_is_refused(panel, start, end):
    with pytest.raises(links.PeriodError, match="spans the 2017/2018 methodology break"):
        links.pooled_correlation(panel, start, end)


def test_split_at_break():
    assert links.split_at_break(2015, 2020) == [(2015, 2017), (2018, 2020)]
    assert links.split_at_break(2019, 2024) == [(2019, 2024)]


def test_partial_correlation_and_first_component(panel):
    partial, n = links.partial_correlation(panel, 2018, 2024)
    assert partial.shape == (8, 8) and np.allclose(partial.values, partial.values.T)
    assert n == 430
    shares = links.first_component_share(panel, 2018, 2024).set_index("year")
    assert 1 / 8 < shares.loc["pooled", "share"] < 1


def test_outliers_are_the_largest_residuals(panel):
    scatter = links.pair_scatter_data(panel, "D2", "D4", 2024, n_outliers=5)
    assert scatter["outlier"].sum() == 5
    threshold = scatter.loc[scatter["outlier"], "residual"].abs().min()
    assert (scatter.loc[~scatter["outlier"], "residual"].abs() < threshold).all()


def test_pair_checks():
    assert links.check_pair("D2", "D4", 2018, 2024) == ("D2", "D4")
    with pytest.raises(links.ParameterError, match="two different dimensions"):
        links.check_pair("D2", "D2", 2018, 2024)
    with pytest.raises(links.ParameterError, match="pair_y must be one of"):
        links.check_pair("D2", "D8", 2011, 2017)
