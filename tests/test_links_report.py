"""The links report's sentences and tables (report.texts.links) and the links cache key, on real data."""

from __future__ import annotations

import pandas as pd
import pytest

from papi_analysis import links, load_scores
from papi_analysis.analysis.links import cache
from papi_analysis.report.texts import links as links_texts


@pytest.fixture(scope="module")
def panels():
    return {"63": load_scores(), "34": load_scores(geography="34")}


def test_cache_keys_never_mix_geographies(panels):
    inputs = dict(start=2018, end=2024, method="pearson", draws=0, sims=0, seed=0)
    assert cache.cache_key(panels["63"], **inputs) != cache.cache_key(panels["34"], **inputs)
    # the same scores labelled with another geography get another key too
    relabelled = panels["34"].drop(columns="geography")
    assert cache.cache_key(relabelled, **inputs) != cache.cache_key(panels["34"], **inputs)


def test_cache_key_covers_schema_provinces_and_pci_reader():
    files = cache._code_files()
    for module in ("schema.py", "provinces.py", "context.py"):
        assert cache._DATA / module in files
    assert {p.name for p in files} >= {"correlations.py", "lagged.py", "pci.py"}


def test_pci_links_are_refused_on_the_34_province_panel(panels):
    with pytest.raises(ValueError, match="63 provinces"):
        links.joint_wide(panels["34"], 2018, 2021)


def test_levels_vs_changes_counts_match_a_direct_count(panels):
    panel = panels["63"]
    pooled = links.pooled_correlation(panel, 2018, 2024, draws=0)
    change_pairs = links.change_correlation(panel, 2018, 2024, draws=0)
    weaker = 0
    for row in pooled.itertuples():
        other = change_pairs[(change_pairs["dim_a"] == row.dim_a) & (change_pairs["dim_b"] == row.dim_b)]["r"].iloc[0]
        weaker += abs(other) < abs(row.r)  # no exact ties on real data
    counts = links_texts.levels_vs_changes(pooled, change_pairs)
    assert counts["n"] == 28 and counts["weaker"] == weaker and counts["stronger"] == 28 - weaker
    sentence = links_texts.levels_vs_changes_sentence(pooled, change_pairs, "en")
    assert f"weaker in {weaker} and stronger in {28 - weaker} of 28 pairs" in sentence


def test_levels_vs_changes_word_follows_the_numbers():
    levels = pd.DataFrame({"dim_a": ["D1", "D1", "D2"], "dim_b": ["D2", "D3", "D3"], "r": [0.6, 0.5, 0.4]})
    weaker = levels.assign(r=[0.1, 0.2, 0.1])
    stronger = levels.assign(r=[0.9, 0.8, 0.7])
    mixed = levels.assign(r=[0.9, 0.1, 0.4])  # 0.4 vs 0.4 counts as not weaker
    assert "usually weaker than" in links_texts.levels_vs_changes_sentence(levels, weaker, "en")
    assert "usually stronger than" in links_texts.levels_vs_changes_sentence(levels, stronger, "en")
    assert "neither consistently" in links_texts.levels_vs_changes_sentence(levels, mixed, "en")
    assert "thường yếu hơn" in links_texts.levels_vs_changes_sentence(levels, weaker, "vi")


def test_verdict_table_marks_robust_pairs_and_names_failed_checks():
    verdicts = pd.DataFrame(
        {
            "dim_a": ["D1", "D1"],
            "dim_b": ["D2", "D3"],
            "r": [0.7, -0.1],
            "ci_low": [0.6, -0.3],
            "ci_high": [0.8, 0.1],
            "r_changes": [0.5, 0.0],
            "within": [0.6, 0.1],
            "between": [0.8, -0.2],
            "r_leave_one_out_min": [0.6, -0.2],
            "r_leave_one_out_max": [0.8, 0.05],
            "interval_excludes_0": [True, False],
            "all_specifications": [True, False],
            "leave_one_year_out": [True, False],
            "leave_one_region_out": [True, True],
            "within_and_between": [True, False],
            "robust": [True, False],
        }
    )
    table = links_texts.correlation_verdict_table(verdicts, "en")
    assert table["robust"].tolist() == ["robust", "not_robust"]
    assert table["failed_checks"].iloc[0] == ""
    assert (
        "interval includes 0" in table["failed_checks"].iloc[1] and "one region" not in table["failed_checks"].iloc[1]
    )
    sentence = links_texts.robust_correlations_sentence(verdicts, 2018, 2024, "en")
    assert sentence.startswith("1 of 2 pairs") and "correlation 0.70" in sentence


def test_recast_sentence_counts_merged_units(panels):
    sentence = links_texts.recast_sentence(panels["34"], 2018, 2024, "en")
    merged = panels["34"].query("2018 <= year <= 2024 and score_source == 'recast'")["province_code"].nunique()
    assert f"scores of {merged} of 34 units" in sentence
    assert merged == (panels["34"].drop_duplicates("province_code")["n_old_provinces"] > 1).sum()


def test_leave_one_region_out_uses_the_right_regions_on_the_34_provinces():
    # robustness.region_of looks codes up in the 63-province registry; on the 34-province panel this is right only
    # because every new code is an old code of the same region. Checked here, so a registry change cannot break it silently.
    from papi_analysis.data import provinces

    new = provinces.registry(geography="34")
    assert (links.region_of(new.index) == new["region_code"].to_numpy()).all()
