"""Trends library on the real panel."""

from __future__ import annotations

import numpy as np
import pytest

from papi_analysis.analysis import ranking, trends
from papi_analysis.data import panel as data_panel


@pytest.fixture(scope="module")
def full(panel):
    return trends.panel_with_changes(panel)


def test_national_median_matches_a_direct_computation(panel):
    dist = trends.national_distribution(panel).set_index(["year", "dimension"])
    for (year, dim), part in panel.groupby(["year", "dimension"]):
        values = part["score"].dropna().to_numpy()
        assert dist.loc[(year, dim), "median"] == pytest.approx(np.median(values))
        assert dist.loc[(year, dim), "q25"] == pytest.approx(np.percentile(values, 25))
        assert dist.loc[(year, dim), "n"] == len(values)


def test_ranks_and_groups_are_the_data_foundations(panel, full):
    ranked = ranking.rank_and_group(panel).set_index(["year", "province_code", "dimension"])
    mine = full.set_index(["year", "province_code", "dimension"])
    joined = mine[["rank", "group"]].join(ranked[["rank", "group"]].add_suffix("_foundation"))
    assert (joined["rank"].fillna(-1) == joined["rank_foundation"].fillna(-1)).all()
    assert (joined["group"].fillna("") == joined["group_foundation"].fillna("")).all()


def test_changes_are_year_on_year_and_flag_breaks(full):
    qn = full[(full["province_code"] == 49)].set_index(["dimension", "year"])
    assert qn.loc[("D2", 2013), "change"] == pytest.approx(
        qn.loc[("D2", 2013), "score"] - qn.loc[("D2", 2012), "score"]
    )
    assert bool(qn.loc[("D1", 2018), "crosses_break"]) and bool(qn.loc[("D1", 2016), "crosses_break"])
    assert not bool(qn.loc[("D2", 2016), "crosses_break"])  # PAPI compares D2 across 2016
    assert np.isnan(qn.loc[("total", 2018), "change"])  # 6- and 8-dimension totals are never joined
    assert not bool(qn.loc[("D1", 2020), "crosses_break"])


def test_no_change_across_a_missing_year(full):
    quang_ninh = full[(full["province_code"] == 22) & (full["dimension"] == "total")].set_index("year")
    assert np.isnan(quang_ninh.loc[2018, "score"]) and np.isnan(quang_ninh.loc[2019, "change"])
    assert np.isnan(quang_ninh.loc[2022, "change"]) and np.isnan(quang_ninh.loc[2024, "change"])


def test_noise_is_assessed_only_with_published_standard_errors(full):
    totals = full[full["dimension"] == "total"]
    assessed = totals[totals["change_beyond_noise"].notna()]
    assert set(assessed["year"]) == {2023}  # the only consecutive pair with published SEs: 2022-2023
    row = assessed[assessed["province_code"] == 49].iloc[0]
    z = row["change"] / np.sqrt(row["se"] ** 2 + row["prev_se"] ** 2)
    assert row["change_z"] == pytest.approx(z)
    assert bool(row["change_beyond_noise"]) == (abs(z) > 1.96)
    others = totals[totals["change"].notna() & totals["change_beyond_noise"].isna()]
    assert (others["noise_basis"].str.startswith("no published SE")).all()


def test_province_trend_keeps_gaps(panel):
    t = trends.province_trend(panel, "Bắc Giang")
    total = t[t["dimension"] == "total"].set_index("year")
    assert total.loc[[2014, 2021, 2022], "score"].isna().all()
    assert list(total.index) == list(range(2011, 2025))
    assert set(t.loc[t["dimension"] == "D7", "year"]) == set(range(2018, 2025))


def test_history_table_marks_missing_and_breaks(panel):
    t = trends.province_trend(panel, "Bắc Giang")
    table = trends.history_table(t, "total").set_index("year")
    assert table.loc[2021, "rank"] == "–" and table.loc[2021, "group"] == "no data"
    assert table.loc[2018, "methodology_break"] == "yes"


def test_subdimension_gaps_use_latest_year_and_sort_by_shortfall(panel):
    subs = data_panel.read_subdimensions()
    gaps = trends.subdimension_gaps(subs, "Quảng Nam")
    assert (gaps["year"] == 2023).all()
    assert gaps["gap"].is_monotonic_increasing
    cross = subs[(subs["year"] == 2023) & (subs["subdimension"] == gaps.loc[0, "subdimension"])]
    assert gaps.loc[0, "national_median"] == pytest.approx(cross["score"].median())
    assert gaps["label_vi"].str.len().min() > 0 and gaps["label_en"].str.len().min() > 0


def test_peers_are_the_region(panel):
    rows = trends.peers(panel, "Cà Mau", 2024)
    assert len(rows) == 13 and rows["selected"].sum() == 1
    assert rows.loc[rows["province_code"] == 82, "score"].isna().all()  # Tiền Giang: no 2024 data
