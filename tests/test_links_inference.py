"""Small-sample inference for links: the numpy fixed-effects core against statsmodels, the wild cluster
bootstrap against a brute-force refit and by its size under a known null, the cluster-bootstrap correlation
against explicit resampling, and the placebo calibration by simulation with a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from papi_analysis.analysis import links
from papi_analysis.analysis.links import fe


@pytest.fixture(scope="module")
def wide_2018(panel):
    return links.wide_scores(panel, 2018, 2024)


@pytest.mark.parametrize("year_effects", [True, False])
def test_numpy_fixed_effects_fit_equals_statsmodels_and_uses_t_with_g_minus_1_df(panel, year_effects):
    frame = links.lag_frame(panel, "D1", "D2", 2018, 2024)
    formula = "y ~ x_lag + y_lag + C(province_code)" + (" + C(year)" if year_effects else "")
    direct = smf.ols(formula, data=frame).fit(cov_type="cluster", cov_kwds={"groups": frame["province_code"]})
    d = fe.design(frame["province_code"].to_numpy(), frame["year"].to_numpy(), year_effects)
    ours = fe.fit(d, frame["y"].to_numpy(), frame[["x_lag", "y_lag"]].to_numpy())
    assert ours["coef"][0] == pytest.approx(direct.params[["x_lag", "y_lag"]].to_numpy(), rel=1e-9)
    assert ours["se"][0] == pytest.approx(direct.bse[["x_lag", "y_lag"]].to_numpy(), rel=1e-9)
    assert int(ours["df"]) == 62
    if year_effects:
        row = links.pair_test(links.wide_scores(panel, 2018, 2024), "D1", "D2", draws=0, sims=0)
        assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(direct.tvalues["x_lag"]), 62), rel=1e-9)
        assert row["p_normal"] == pytest.approx(direct.pvalues["x_lag"], rel=1e-9)  # statsmodels: normal
        assert row["p_value"] > row["p_normal"]


def test_wild_cluster_bootstrap_equals_a_brute_force_refit(panel):
    frame = links.lag_frame(panel, "D6", "D2", 2018, 2024)
    d = fe.design(frame["province_code"].to_numpy(), frame["year"].to_numpy())
    draws, seed = 19, 7
    ours = fe.wild_cluster_p(d, frame["y"].to_numpy(), frame[["x_lag", "y_lag"]].to_numpy(), 0, draws, seed)
    # brute force: restricted fit and refits with statsmodels, the same Rademacher signs per province
    formula = "y ~ y_lag + C(province_code) + C(year)"
    restricted = smf.ols(formula, data=frame).fit()
    full = "y ~ x_lag + y_lag + C(province_code) + C(year)"
    cl = {"groups": frame["province_code"]}
    observed = smf.ols(full, data=frame).fit(cov_type="cluster", cov_kwds=cl).tvalues["x_lag"]
    signs = np.random.default_rng(seed).choice(np.array([-1.0, 1.0]), size=(63, draws))
    _, groups = np.unique(frame["province_code"], return_inverse=True)
    exceed = 0
    for b in range(draws):
        star = frame.assign(y=restricted.fittedvalues + restricted.resid * signs[groups, b])
        t_star = smf.ols(full, data=star).fit(cov_type="cluster", cov_kwds=cl).tvalues["x_lag"]
        exceed += abs(t_star) >= abs(observed)
    assert ours == pytest.approx((1 + exceed) / (1 + draws))


def test_wild_cluster_bootstrap_has_its_nominal_size_with_few_clusters():
    """Known answer: no effect, errors correlated within 12 clusters, a regressor that varies mostly
    between clusters (where clustered t tests over-reject). The bootstrap rejects about 5 %."""
    rng = np.random.default_rng(3)
    g, per, reps = 12, 6, 300
    provinces = np.repeat(np.arange(g), per)
    years = np.tile(np.arange(per), g)
    d = fe.design(provinces, years, year_effects=False)
    rejections = 0
    for _ in range(reps):
        x = rng.standard_normal(g * per) + years * rng.standard_normal(g)[provinces]
        y = rng.standard_normal(g * per) * (1 + np.abs(x)) + np.repeat(rng.standard_normal(g), per)
        rejections += fe.wild_cluster_p(d, y, x[:, None], 0, draws=199, seed=int(rng.integers(1e9))) < 0.05
    assert 0.02 <= rejections / reps <= 0.09


def _explicit_resample(wide: pd.DataFrame, counts: dict[int, int]) -> pd.DataFrame:
    """Rows of each drawn province repeated as often as drawn, each copy a distinct province."""
    parts = []
    for copy_id, code in enumerate(c for c, k in counts.items() for _ in range(k)):
        part = wide.xs(code, level="province_code", drop_level=False).reset_index()
        part["province_code"] = 1000 + copy_id
        parts.append(part)
    return pd.concat(parts).set_index(["year", "province_code"])


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_cluster_bootstrap_draws_equal_explicit_resampling(wide_2018, method):
    """Each weighted bootstrap draw equals the correlation of an explicitly resampled table (drawn provinces
    repeated, year means recomputed, Spearman ranks recomputed with ties)."""
    from papi_analysis.analysis.links.correlations import _prepared, _weighted_r

    codes = wide_2018.index.get_level_values("province_code").to_numpy()
    years = wide_2018.index.get_level_values("year").to_numpy()
    weights = links.province_draws(codes, 5, seed=11)
    for b in range(5):
        row_weight = pd.Series(weights[b], index=codes)
        counts = {int(c): int(row_weight[c].iloc[0]) for c in np.unique(codes) if row_weight[c].iloc[0] > 0}
        assert sum(counts.values()) == 63
        resampled = _explicit_resample(wide_2018, counts)
        centred = resampled - resampled.groupby(level="year").transform("mean")
        data = centred.groupby(level="year").rank() if method == "spearman" else centred
        for a, c in [("D2", "D4"), ("D1", "D7")]:
            prepared = []
            for column in (a, c):
                values = wide_2018[column].to_numpy()
                mask = np.isfinite(values)
                prepared.append((_prepared(np.nan_to_num(values), mask, years, weights[b : b + 1], method, True), mask))
            (pa, ma), (pc, mc) = prepared
            assert _weighted_r(pa, pc, weights[b : b + 1] * (ma & mc))[0] == pytest.approx(
                data[a].corr(data[c]), abs=1e-10
            )


def test_cluster_bootstrap_interval_is_narrower_than_fisher_on_63_provinces(wide_2018):
    table = links.cluster_correlations(wide_2018, "pearson", [("D2", "D4")], draws=299, seed=1).iloc[0]
    assert table["ci_low"] < table["r"] < table["ci_high"]
    z, half = np.arctanh(table["r"]), 1.96 / np.sqrt(63 - 3)
    fisher_width = np.tanh(z + half) - np.tanh(z - half)
    assert table["ci_high"] - table["ci_low"] < 0.75 * fisher_width


def test_year_demeaning_removes_national_shocks_from_change_correlations():
    """Known answer: provinces' changes are independent across the two indicators, but each year moves
    every province on both together. Raw change correlation is large, the year-demeaned one near 0."""
    rng = np.random.default_rng(0)
    years, provinces = np.arange(2018, 2025), np.arange(1, 64)
    index = pd.MultiIndex.from_product([years, provinces], names=["year", "province_code"])
    shock = np.repeat(rng.standard_normal(len(years)) * 2, len(provinces))
    wide = pd.DataFrame(
        {"A": shock + rng.standard_normal(len(index)), "B": shock + rng.standard_normal(len(index))}, index=index
    )
    raw = links.cluster_correlations(wide, year_effects=False, draws=0)["r"].iloc[0]
    demeaned = links.cluster_correlations(wide, year_effects=True, draws=199)
    assert raw > 0.5
    assert demeaned["ci_low"].iloc[0] < 0 < demeaned["ci_high"].iloc[0]


def _synthetic_wide(rng, rho_y, rho_x, corr, beta=0.0, n=63, t=7):
    years, provinces = np.arange(2018, 2018 + t), np.arange(1, n + 1)
    mu_y, mu_x = rng.standard_normal(n), rng.standard_normal(n)
    y, x = np.empty((n, t)), np.empty((n, t))
    y[:, 0], x[:, 0] = rng.standard_normal(n) + mu_y, rng.standard_normal(n) + mu_x
    for k in range(1, t):
        e = rng.standard_normal(n)
        v = corr * e + np.sqrt(1 - corr**2) * rng.standard_normal(n)
        y[:, k] = (1 - rho_y) * mu_y + rho_y * y[:, k - 1] + beta * x[:, k - 1] + e
        x[:, k] = (1 - rho_x) * mu_x + rho_x * x[:, k - 1] + v
    index = pd.MultiIndex.from_product([years, provinces], names=["year", "province_code"])
    return pd.DataFrame({"Y": y.T.ravel(), "X": x.T.ravel()}, index=index)


def test_persistence_calibration_undoes_the_nickell_bias():
    wide = _synthetic_wide(np.random.default_rng(1), 0.6, 0.6, 0.0, n=200)
    estimate = links.persistence(wide, "Y", sims=100)
    assert estimate["fe"] < 0.45  # the fixed-effects estimate is biased towards 0
    assert abs(estimate["calibrated"] - 0.6) < 0.12  # indirect inference recovers the truth


def test_placebo_calibrated_test_has_its_nominal_size_where_the_naive_test_does_not():
    """Known answer: no cross effect, persistence 0.2 (outcome) and 0.8 (predictor), shock correlation 0.6,
    63 provinces x 7 years: the naive clustered t test rejects far too often; the calibrated one about 5 %."""
    rng = np.random.default_rng(2024)
    naive, calibrated, reps = 0, 0, 25
    for _ in range(reps):
        wide = _synthetic_wide(rng, 0.2, 0.8, 0.6)
        row = links.pair_test(wide, "Y", "X", draws=0, sims=199, seed=int(rng.integers(1e6)), calibration_sims=40)
        naive += row["p_value"] < 0.05
        calibrated += row["p_calibrated"] < 0.05
        assert abs(row["p_calibrated"] - row["p_calibrated_mc"]) < 0.1
    assert naive / reps > 0.4
    assert calibrated / reps <= 0.15


def test_placebo_calibrated_test_still_finds_a_real_cross_effect():
    rng = np.random.default_rng(5)
    found = sum(
        links.pair_test(
            _synthetic_wide(rng, 0.2, 0.8, 0.6, beta=0.4), "Y", "X", draws=0, sims=199, calibration_sims=40
        )["p_calibrated"]
        < 0.05
        for _ in range(5)
    )
    assert found >= 4


def test_calibrated_p_values_are_uniform_under_a_known_null():
    rng = np.random.default_rng(9)
    reference, fresh = rng.standard_t(8, 4000) * 1.4 + 0.7, rng.standard_t(8, 1000) * 1.4 + 0.7
    p = np.array([links.calibrated_p(t, reference, 62) for t in fresh])
    assert 0.03 <= np.mean(p < 0.05) <= 0.075


def test_lead_placebo_rows_use_next_years_predictor_and_never_cross_a_break(panel):
    wide = links.wide_scores(panel, 2011, 2017)
    lead = links.lag_frame_wide(wide, "D2", "D1", lead=True)
    row = lead.iloc[10]
    assert row["x_lag"] == wide.loc[(row["year"] + 1, row["province_code"]), "D1"]
    assert row["y_lag"] == wide.loc[(row["year"] - 1, row["province_code"]), "D2"]
    assert 2015 not in set(lead["year"])  # D1 at 2016 is across the 2015/2016 redesign
    assert {2012, 2013, 2014, 2016} <= set(lead["year"]) and 2017 not in set(lead["year"])


def test_lagged_table_reports_every_check(panel):
    table = links.lagged_effects(panel, 2011, 2017, draws=19, sims=19, calibration_sims=20)
    assert len(table) == 30
    for column in (
        "p_value",
        "p_wild",
        "p_calibrated",
        "p_calibrated_holm",
        "lead_coef",
        "lead_p",
        "naive_false_positive",
        "null_mean_coef",
    ):
        assert table[column].notna().all(), column
    assert (table["p_calibrated_holm"] >= table["p_calibrated"] - 1e-12).all()


def test_anderson_hsiao_equals_two_stage_least_squares_by_hand(panel):
    from statsmodels.sandbox.regression.gmm import IV2SLS

    wide = links.wide_scores(panel, 2018, 2024)
    frame = links.iv_frame(wide, "D1", "D2")
    years = pd.get_dummies(frame["year"], dtype=float)
    exog = pd.concat([frame[["dx_lag", "dy_lag"]], years], axis=1)
    instruments = pd.concat([frame[["x_lag2", "y_lag2"]], years], axis=1)
    direct = IV2SLS(frame["dy"], exog, instruments).fit()
    ours = links.anderson_hsiao(wide, "D1", "D2")
    assert ours["ah_coef"] == pytest.approx(direct.params["dx_lag"], rel=1e-9)
    assert ours["ah_n"] == len(frame) and set(frame["year"]) == {2020, 2021, 2022, 2023, 2024}
    # 2011-2017: D1 changed in 2016, so no D1 outcome row may use years on both sides of 2015/2016
    early = links.iv_frame(links.wide_scores(panel, 2011, 2017), "D1", "D2")
    assert set(early["year"]) == {2013, 2014, 2015}


def test_anderson_hsiao_recovers_a_known_effect_where_fixed_effects_are_biased():
    rng = np.random.default_rng(0)
    ah, fixed = [], []
    for _ in range(12):
        wide = _synthetic_wide(rng, 0.2, 0.8, 0.6, beta=0.3, n=300)
        ah.append(links.anderson_hsiao(wide, "Y", "X")["ah_coef"])
        fixed.append(links.pair_test(wide, "Y", "X", draws=0, sims=0)["coef"])
    assert abs(np.mean(ah) - 0.3) < 0.05
    assert abs(np.mean(fixed) - 0.3) > 0.1  # Nickell bias in the cross-lag
