"""Robustness checks for links and PAPI-PCI links, each against a direct pandas / statsmodels computation on the
real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from papi_analysis.analysis import links
from papi_analysis.data import context, provinces


@pytest.fixture(scope="module")
def wide(panel):
    return links.wide_scores(panel, 2018, 2024)


def _year_centred_r(frame: pd.DataFrame, a: str, b: str) -> float:
    centred = frame - frame.groupby(level="year").transform("mean")
    return centred[a].corr(centred[b])


def test_leave_one_year_and_region_out_equal_direct_refits(wide):
    pairs = [("D2", "D4"), ("D7", "D8")]
    by_year = links.leave_one_out_correlations(wide, pairs, "year")
    assert sorted(by_year["left_out"].unique()) == list(range(2018, 2025))
    row = by_year[(by_year["left_out"] == 2020) & (by_year["dim_a"] == "D7")].iloc[0]
    without = wide[wide.index.get_level_values("year") != 2020]
    assert row["r"] == pytest.approx(_year_centred_r(without, "D7", "D8"), abs=1e-12)

    by_region = links.leave_one_out_correlations(wide, pairs, "region")
    assert len(by_region["left_out"].unique()) == 6
    mekong = [
        c for c in wide.index.get_level_values("province_code").unique() if provinces.get(int(c)).region_code == 6
    ]
    without = wide[~wide.index.get_level_values("province_code").isin(mekong)]
    row = by_region[(by_region["left_out"] == 6) & (by_region["dim_a"] == "D2")].iloc[0]
    assert row["r"] == pytest.approx(_year_centred_r(without, "D2", "D4"), abs=1e-12)
    assert row["n_effective"] == 63 - len(mekong)


def test_within_and_between_equal_statsmodels_residuals_and_province_means(wide):
    table = links.within_between(wide, [("D2", "D4")]).iloc[0]
    both = wide[["D2", "D4"]].dropna().reset_index()
    resid = {v: smf.ols(f"{v} ~ C(province_code) + C(year)", data=both).fit().resid for v in ("D2", "D4")}
    assert table["within"] == pytest.approx(np.corrcoef(resid["D2"], resid["D4"])[0, 1], abs=1e-10)
    centred = wide - wide.groupby(level="year").transform("mean")
    means = centred.loc[pd.MultiIndex.from_frame(both[["year", "province_code"]])].groupby(level="province_code").mean()
    assert table["between"] == pytest.approx(means["D2"].corr(means["D4"]), abs=1e-12)
    assert table["n_provinces"] == 63 and table["between_ci_low"] < table["between"] < table["between_ci_high"]


def test_specification_table_covers_eight_specifications(wide):
    specs = links.specification_table(wide, [("D2", "D4")], draws=49)
    assert len(specs) == 8
    raw_levels = specs[(specs["kind"] == "levels") & (specs["method"] == "pearson") & ~specs["year_effects"]].iloc[0]
    assert raw_levels["r"] == pytest.approx(wide["D2"].corr(wide["D4"]), abs=1e-12)
    raw_spearman = specs[(specs["kind"] == "levels") & (specs["method"] == "spearman") & ~specs["year_effects"]].iloc[0]
    assert raw_spearman["r"] == pytest.approx(wide["D2"].corr(wide["D4"], method="spearman"), abs=1e-12)
    changes = links.wide_changes(wide)
    raw_changes = specs[(specs["kind"] == "changes") & (specs["method"] == "pearson") & ~specs["year_effects"]].iloc[0]
    assert raw_changes["r"] == pytest.approx(changes["D2"].corr(changes["D4"]), abs=1e-12)


def test_correlation_verdicts_mark_robust_only_when_every_check_passes(wide):
    verdicts = links.correlation_verdicts(wide, [("D2", "D4"), ("D4", "D8"), ("D7", "D8")], draws=99)
    checks = [
        "interval_excludes_0",
        "all_specifications",
        "leave_one_year_out",
        "leave_one_region_out",
        "within_and_between",
    ]
    assert (verdicts["robust"] == verdicts[checks].all(axis=1)).all()
    by_pair = verdicts.set_index(["dim_a", "dim_b"])
    assert by_pair.loc[("D2", "D4"), "robust"]
    assert not by_pair.loc[("D4", "D8"), "robust"]  # r = 0.02, interval spans 0
    # D7-D8: negative between provinces, but no within-province link: not robust
    assert by_pair.loc[("D7", "D8"), "between"] < -0.3 and not by_pair.loc[("D7", "D8"), "robust"]


def test_leave_one_year_out_lagged_fit_equals_statsmodels(panel, wide):
    loo = links.leave_one_out_lagged(wide, [("D1", "D2")], "year")
    row = loo[loo["left_out"] == 2021].iloc[0]
    frame = links.lag_frame(panel, "D1", "D2", 2018, 2024)
    frame = frame[~frame["year"].isin([2021, 2022])]  # 2021 as outcome year and as lag year
    direct = smf.ols("y ~ x_lag + y_lag + C(province_code) + C(year)", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["province_code"]}
    )
    assert row["coef"] == pytest.approx(direct.params["x_lag"], rel=1e-9)
    assert row["n"] == direct.nobs


def test_lagged_verdicts_require_calibration_lead_and_leave_one_out(wide):
    lagged = links.lagged_table(wide, [("D1", "D2"), ("D8", "D7")], draws=99, sims=99, calibration_sims=20)
    verdicts = links.lagged_verdicts(wide, lagged)
    expected = verdicts["significant_after_calibration"] & verdicts["lead_placebo_clear"] & verdicts["leave_one_out"]
    assert (verdicts["robust"] == expected).all()
    assert verdicts.set_index(["outcome", "predictor"]).loc[("D1", "D2"), "significant_after_calibration"]


def test_joint_table_carries_pci_as_read_from_data_raw(panel):
    joint = links.joint_wide(panel, 2018, 2024)
    assert sorted(set(joint.index.get_level_values("year"))) == [2018, 2019, 2020, 2021]
    long = context.load_context(["PCI4"])
    value = long[(long["year"] == 2019) & (long["province_code"] == 1)]["value"].iloc[0]
    assert joint.loc[(2019, 1), "PCI4"] == value
    assert (
        joint.loc[(2019, 1), "D2"]
        == panel[(panel["year"] == 2019) & (panel["province_code"] == 1) & (panel["dimension"] == "D2")]["score"].iloc[
            0
        ]
    )
    with pytest.raises(links.PeriodError):
        links.joint_wide(panel, 2016, 2019)
    with pytest.raises(ValueError, match="no overlap"):
        links.joint_wide(panel, 2022, 2024)


def test_pci_correlations_equal_direct_and_respect_the_2016_break(panel):
    levels = links.pci_correlations(panel, 2012, 2017, draws=49)
    assert len(levels) == 6 * 11 and levels["p_bh"].notna().all()
    joint = links.joint_wide(panel, 2012, 2017)
    row = levels[(levels["dim_a"] == "D6") & (levels["dim_b"] == "PCI")].iloc[0]
    assert row["r"] == pytest.approx(_year_centred_r(joint[["D6", "PCI"]], "D6", "PCI"), abs=1e-12)
    changes = links.pci_correlations(panel, 2012, 2017, kind="changes", draws=0)
    n = changes.set_index(["dim_a", "dim_b"])["n"]
    assert n[("D1", "PCI")] < n[("D2", "PCI")]  # D1's 2015->2016 change crosses the redesign, D2's does not
    assert links.pci_label("PCI3") == "PCI sub-index 3"


def test_pci_lagged_runs_both_ways_and_matches_statsmodels(panel):
    table = links.pci_lagged(panel, 2018, 2024, draws=0, sims=0)
    assert set(table["direction"]) == {"PCI -> PAPI", "PAPI -> PCI"} and len(table) == 16
    row = table[(table["outcome"] == "PCI") & (table["predictor"] == "D4")].iloc[0]
    joint = links.joint_wide(panel, 2018, 2024, ["PCI"])
    frame = links.lag_frame_wide(joint, "PCI", "D4")
    direct = smf.ols("y ~ x_lag + y_lag + C(province_code) + C(year)", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["province_code"]}
    )
    assert row["coef"] == pytest.approx(direct.params["x_lag"], rel=1e-9)
    assert row["se"] == pytest.approx(direct.bse["x_lag"], rel=1e-9)
    assert set(frame["year"]) == {2019, 2020, 2021}


def test_correlation_verdicts_cover_every_pair_of_the_period_by_default(panel, wide):
    every = links.correlation_verdicts(wide, draws=19)
    pooled = links.pooled_correlation(panel, 2018, 2024, draws=0)  # every pair the pooled table reports
    assert list(zip(every["dim_a"], every["dim_b"])) == list(zip(pooled["dim_a"], pooled["dim_b"]))
    k = len(links.dimensions_of(2018, 2024))
    assert len(every) == k * (k - 1) // 2
