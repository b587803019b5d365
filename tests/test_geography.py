"""The 34-province panel: recast history checked against hand computations from data/raw/."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest

from papi_analysis import config, load_scores
from papi_analysis.data import geography
from papi_analysis.data import panel as data_panel


def _raw_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def raw_scores():
    """Published scores straight from data/raw/papi/scores.csv: {(year, code, indicator, statistic): value}."""
    out = {}
    for r in _raw_rows(config.RAW_SCORES):
        out[(int(r["year"]), int(r["province_code"]), r["indicator"], r["statistic"])] = (
            float(r["value"]) if r["value"] else math.nan
        )
    return out


@pytest.fixture(scope="module")
def raw_population():
    """TotalPOP straight from data/raw/context/provincial_panel.csv: {(year, code): thousand persons}."""
    return {
        (int(r["year"]), int(r["province_code"])): float(r["value"])
        for r in _raw_rows(config.DATA_RAW / "context" / "provincial_panel.csv")
        if r["variable"] == "TotalPOP"
    }


@pytest.fixture(scope="module")
def panel34():
    return load_scores(geography="34")


def _cell(panel, year, code, dimension):
    rows = panel[(panel["year"] == year) & (panel["province_code"] == code) & (panel["dimension"] == dimension)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize(
    "year, dimension, pop_year", [(2019, "D1", 2019), (2016, "D4", 2016), (2011, "D2", 2012), (2024, "D8", 2021)]
)
def test_merged_score_is_the_population_weighted_mean_of_published_scores(
    panel34, raw_scores, raw_population, year, dimension, pop_year
):
    # new Đà Nẵng (48) = old Đà Nẵng (48) + Quảng Nam (49); weights of the stated population year
    pops = {c: raw_population[(pop_year, c)] for c in (48, 49)}
    expected = sum(pops[c] * raw_scores[(year, c, dimension, "score")] for c in pops) / sum(pops.values())
    row = _cell(panel34, year, 48, dimension)
    assert row["score"] == pytest.approx(expected, abs=1e-9)
    assert row["score_source"] == "recast"
    assert row["weight_year"] == pop_year
    assert row["n_old_provinces"] == 2
    w = np.array(list(pops.values())) / sum(pops.values())
    assert row["effective_size"] == pytest.approx(1 / np.sum(w**2))


def test_three_province_merger_and_combined_se(panel34, raw_scores, raw_population):
    # TP. Hồ Chí Minh (79) = Bình Dương (74) + Bà Rịa - Vũng Tàu (77) + TP. Hồ Chí Minh (79), total 2019
    codes = (74, 77, 79)
    pop = np.array([raw_population[(2019, c)] for c in codes])
    w = pop / pop.sum()
    total = sum(wi * raw_scores[(2019, c, "total_unweighted", "score")] for wi, c in zip(w, codes))
    se = math.sqrt(sum(wi**2 * raw_scores[(2019, c, "total_unweighted", "se")] ** 2 for wi, c in zip(w, codes)))
    row = _cell(panel34, 2019, 79, "total")
    # the recast total is the sum of recast dimensions; published totals equal dimension sums to 1e-3 (float32)
    assert row["score"] == pytest.approx(total, abs=data_panel.TOTAL_TOLERANCE)
    assert row["se"] == pytest.approx(se, rel=1e-9)
    assert row["n_old_provinces"] == 3


def test_missing_constituent_makes_the_merged_score_missing_and_names_it(panel34, raw_scores):
    # 2024: Vĩnh Phúc (26) published nothing, so the new Phú Thọ (Hòa Bình + Phú Thọ + Vĩnh Phúc) has no score
    assert math.isnan(raw_scores[(2024, 26, "D1", "score")])
    assert not math.isnan(raw_scores[(2024, 25, "D1", "score")])
    row = _cell(panel34, 2024, 25, "D1")
    assert math.isnan(row["score"])
    assert "Vĩnh Phúc" in row["missing_reason"] and "Phú Thọ" not in row["missing_reason"].split("old province(s)")[1]
    total = _cell(panel34, 2024, 25, "total")
    assert math.isnan(total["score"]) and "D1" in total["missing_reason"]
    # 2022: Bắc Giang missing D1 only, so the new Bắc Ninh has D3 (Bắc Giang published it) but not D1
    assert math.isnan(_cell(panel34, 2022, 24, "D1")["score"])
    assert "Bắc Giang" in _cell(panel34, 2022, 24, "D1")["missing_reason"]
    assert not math.isnan(raw_scores[(2022, 24, "D6", "score")]) and not math.isnan(
        raw_scores[(2022, 27, "D6", "score")]
    )
    assert not math.isnan(_cell(panel34, 2022, 24, "D6")["score"])


def test_unmerged_province_keeps_its_published_figures(panel34, panel):
    old = panel[panel["province_code"] == 4].reset_index(drop=True)  # Cao Bằng, not merged
    new = panel34[panel34["province_code"] == 4].reset_index(drop=True)
    pd.testing.assert_series_equal(old["score"], new["score"])
    assert set(new["score_source"].dropna()) <= {"published", "sum of published dimensions"}
    assert (new["effective_size"] == 1).all() and (new["n_old_provinces"] == 1).all()


def test_34_units_every_year_and_totals_are_sums(panel34):
    assert panel34["geography"].eq("34").all()
    assert (panel34.groupby(["year", "dimension"])["province_code"].nunique() == 34).all()
    assert sorted(panel34["year"].unique()) == list(range(2011, 2025))
    dims = panel34[panel34["dimension"] != "total"].groupby(["year", "province_code"])["score"].sum(min_count=1)
    totals = panel34[panel34["dimension"] == "total"].set_index(["year", "province_code"])["score"].dropna()
    assert np.allclose(totals, dims.reindex(totals.index), atol=1e-3)
    # 11 units were not merged
    assert panel34.loc[panel34["n_old_provinces"] == 1, "province_code"].nunique() == 11


def test_validation_refuses_a_34_panel_without_34_units(panel34):
    broken = panel34[~((panel34["province_code"] == 48) & (panel34["year"] == 2020))]
    with pytest.raises(data_panel.PanelValidationError, match="2020 D1: 33 provinces, expected 34"):
        data_panel.validate_panel(broken, geography="34")
    out_of_range = panel34.copy()
    out_of_range.loc[out_of_range.index[0], "score"] = 11.0
    with pytest.raises(data_panel.PanelValidationError, match="outside 1-10"):
        data_panel.validate_panel(out_of_range, geography="34")


def test_build_is_deterministic(tmp_path, panel34):
    written = data_panel.build_data(processed_dir=tmp_path)
    assert written["panel_34"].read_bytes() == (config.DATA_PROCESSED / data_panel.PROCESSED_PANEL_34).read_bytes()


def test_constituent_table_for_readers(panel, raw_population):
    table = geography.constituent_table(panel, "Đà Nẵng", 2023, "total", lang="en")
    assert list(table.columns) == ["Former province", "Population 2021 (thousand)", "Weight", "Score 2023"]
    assert table["Former province"].tolist()[:2] == ["Da Nang", "Quang Nam"]
    assert table["Weight"].iloc[:2].sum() == pytest.approx(1.0)
    assert table["Population 2021 (thousand)"].iloc[0] == raw_population[(2021, 48)]
    assert "estimate" in table["Former province"].iloc[-1]


def test_subdimensions_recast_by_the_same_rule(raw_population):
    subs63 = data_panel.read_subdimensions()
    subs34 = data_panel.read_subdimensions(geography="34")
    assert (subs34.groupby(["year", "subdimension"])["province_code"].nunique() == 34).all()
    pick = subs63[(subs63["year"] == 2019) & (subs63["subdimension"] == "D2.1")].set_index("province_code")["score"]
    pops = {c: raw_population[(2019, c)] for c in (17, 25, 26)}  # new Phú Thọ
    expected = sum(pops[c] * pick[c] for c in pops) / sum(pops.values())
    row = subs34[(subs34["year"] == 2019) & (subs34["subdimension"] == "D2.1") & (subs34["province_code"] == 25)]
    assert row["score"].iloc[0] == pytest.approx(expected, abs=1e-9)
    assert row["score_source"].iloc[0] == "recast"
    gap = subs34[(subs34["year"] == 2023) & (subs34["province_code"] == 79)]  # Bình Dương not published in 2023
    assert gap["score"].isna().all() and gap["missing_reason"].str.contains("Bình Dương").all()


def test_trends_ranks_groups_and_peers_on_the_34_provinces(panel34):
    from papi_analysis.analysis import trends

    t = trends.province_trend(panel34, "Đà Nẵng")
    assert t["province"].eq("Đà Nẵng").all() and t["geography"].eq("34").all()
    row = t[(t["year"] == 2023) & (t["dimension"] == "total")].iloc[0]
    assert row["n_ranked"] == 32  # no 2023 total for Quảng Ninh, nor for TP. Hồ Chí Minh (Bình Dương unpublished)
    assert 1 <= row["rank"] <= 32 and row["score_source"] == "recast"
    groups = panel34[(panel34["year"] == 2019) & (panel34["dimension"] == "total")]
    ranked = trends.ranking.rank_and_group(groups)
    counts = ranked["group"].value_counts().to_dict()  # quartiles of 34 units
    assert counts == {"highest": 9, "high_average": 8, "low_average": 8, "lowest": 9}
    peers = trends.peers(panel34, "Tây Ninh", 2022)
    assert set(peers["province"]) == {"Tây Ninh", "Đồng Tháp", "Vĩnh Long", "An Giang", "Cần Thơ", "Cà Mau"}
