"""Rank intervals, group probabilities, rank-change noise and decomposition, peers, frontier — on the real panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from papi_analysis.analysis import frontier, peers, rank_change, rank_uncertainty, ranking
from papi_analysis.data import provinces

DRAWS = 1500  # enough for stable intervals, small enough for a fast test


@pytest.fixture(scope="module")
def total_2023(panel):
    return rank_uncertainty.rank_intervals(panel, 2023, "total", n_draws=DRAWS)


def _scored(panel, year, dimension):
    return panel[(panel["year"] == year) & (panel["dimension"] == dimension) & panel["score"].notna()]


def test_one_row_per_scored_province_with_the_promised_columns(panel, total_2023):
    scored = _scored(panel, 2023, "total")
    assert sorted(total_2023["province_code"]) == sorted(scored["province_code"])
    for column in (
        "province_code",
        "rank",
        "rank_low",
        "rank_high",
        "p_highest",
        "p_high_average",
        "p_low_average",
        "p_lowest",
    ):
        assert column in total_2023.columns
    assert (total_2023["rank_low"] <= total_2023["rank"]).all()
    assert (total_2023["rank"] <= total_2023["rank_high"]).all()
    # the simultaneous set is wider than the marginal one
    assert (total_2023["rank_low_simultaneous"] <= total_2023["rank_low"]).all()
    assert (total_2023["rank_high_simultaneous"] >= total_2023["rank_high"]).all()
    probabilities = total_2023[[f"p_{g}" for g in ranking.GROUPS]].sum(axis=1)
    assert np.allclose(probabilities, 1.0)


def test_worked_case_first_place_2023_is_not_distinguishable_from_second(panel, total_2023):
    """2023 total: Thừa Thiên Huế first, Thái Nguyên second. By hand: the difference over its SE is far below
    1.96, so even without any multiplicity adjustment first place is not established."""
    scored = _scored(panel, 2023, "total").sort_values("score", ascending=False)
    first, second = scored.iloc[0], scored.iloc[1]
    assert first["province_code"] == provinces.resolve("Thừa Thiên Huế")
    z = (first["score"] - second["score"]) / np.hypot(first["se"], second["se"])
    assert z < 1.959964  # hand computation: about 0.21
    rows = total_2023.set_index("province_code")
    assert rows.loc[first["province_code"], "rank"] == 1
    assert rows.loc[first["province_code"], "rank_high"] > 1  # could truly be second or lower
    assert rows.loc[second["province_code"], "rank_low"] == 1  # the second could truly be first
    # P(truly first) cannot exceed P(ahead of the runner-up) = Phi(z) for independent normal errors
    assert rows.loc[first["province_code"], "p_first"] <= stats.norm.cdf(z) + 0.02


def test_marginal_sets_lie_between_unadjusted_and_bonferroni_hand_computations(panel, total_2023):
    """The max-|t| critical value lies between 1.96 (one comparison) and Bonferroni over n-1 comparisons,
    so each rank interval must lie between the two hand-computed sets."""
    s = total_2023["score"].to_numpy(float)
    se = total_2023["se"].to_numpy(float)
    n = s.size
    diff = s[None, :] - s[:, None]
    scale = np.hypot(se[None, :], se[:, None])
    bounds = {}
    for name, crit in (("narrow", 1.959964), ("bonferroni", stats.norm.ppf(1 - 0.05 / (2 * (n - 1))))):
        bounds[name] = (1 + (diff - crit * scale > 0).sum(axis=1), n - (diff + crit * scale < 0).sum(axis=1))
    low, high = total_2023["rank_low"].to_numpy(int), total_2023["rank_high"].to_numpy(int)
    assert (bounds["bonferroni"][0] <= low).all() and (low <= bounds["narrow"][0]).all()
    assert (bounds["narrow"][1] <= high).all() and (high <= bounds["bonferroni"][1]).all()


def test_coverage_by_simulation_close_to_nominal(total_2023):
    """True scores = published 2023 totals; published-like scores drawn from the SEs (80 replications)."""
    s, se = total_2023["score"].to_numpy(float), total_2023["se"].to_numpy(float)
    result = rank_uncertainty.coverage_check(s, se, n_reps=80, n_draws=400).set_index("method")
    marginal = result.loc["marginal (Mogstad et al.)"]
    assert marginal["marginal_coverage"] >= 0.95  # guaranteed >= 95%; measured about 99.9% (conservative)
    assert marginal["worst_province_coverage"] >= 0.93  # every province, with Monte Carlo slack for 80 reps
    assert result.loc["simultaneous (Mogstad et al.)", "simultaneous_coverage"] >= 0.93
    # the naive bootstrap percentile interval is not used for rank_low/rank_high: some provinces are covered
    # far less than 95% of the time
    assert result.loc["bootstrap percentile", "worst_province_coverage"] < 0.9


def test_coverage_holds_when_provinces_are_close_together(total_2023):
    s, se = total_2023["score"].to_numpy(float), total_2023["se"].to_numpy(float)
    result = rank_uncertainty.coverage_check(s, se, n_reps=40, n_draws=400, shrink=0.3).set_index("method")
    assert result.loc["marginal (Mogstad et al.)", "marginal_coverage"] >= 0.95
    assert result.loc["bootstrap percentile", "marginal_coverage"] < 0.93  # measured about 0.86


def test_group_probabilities_follow_the_distance_to_the_cutoffs(total_2023):
    far = total_2023.iloc[[0, -1]]  # best and worst: far from every cut-off
    assert (far["p_published_group"] > 0.95).all()
    q25, q50, q75 = ranking.quartile_cutoffs(total_2023["score"])
    near = total_2023.iloc[(total_2023["score"] - q50).abs().argsort()[:1]]
    assert float(near["p_published_group"].iloc[0]) < 0.7  # next to the median: a coin toss between two groups


def test_borrowed_ses_are_labelled_and_missing_ses_stay_missing(panel):
    borrowed = rank_uncertainty.rank_intervals(panel, 2022, "total", n_draws=300)
    labelled = borrowed[borrowed["se_basis"] != rank_uncertainty.PUBLISHED]
    zero_width = _scored(panel, 2022, "total").query("se != se")["province_code"]  # se missing
    assert sorted(labelled["province_code"]) == sorted(zero_width)
    assert set(labelled["se_basis"]) == {rank_uncertainty.borrowed_label(2023)}
    strict = rank_uncertainty.rank_intervals(panel, 2022, "total", borrow_se="never", n_draws=300)
    assert strict["rank_low"].isna().all() and (strict["se_basis"] == rank_uncertainty.NO_SE).sum() == len(labelled)
    unpublished = rank_uncertainty.rank_intervals(panel, 2024, "total", n_draws=300)
    assert unpublished["rank_low"].isna().all()
    assert (unpublished["se_basis"] == rank_uncertainty.NO_SE).all()
    assert rank_uncertainty.years_with_se(panel, "D3") == [2019]


def test_nothing_assumes_63_provinces(panel):
    """A smaller panel under codes the 63-province registry does not know (as a post-2025 geography would)."""
    keep = sorted(_scored(panel, 2023, "total")["province_code"])[:20]
    small = panel[panel["province_code"].isin(keep)].assign(province_code=lambda d: d["province_code"] + 1000)
    out = rank_uncertainty.rank_intervals(small, 2023, "total", n_draws=300)
    assert len(out) == 20 and out["n_ranked"].eq(20).all()
    assert out["rank_high"].max() <= 20 and out["rank"].tolist() == list(range(1, 21))
    decomposition = rank_change.rank_change_decomposition(small, 2022, 2023, "total")
    assert decomposition["rank_from"].max() <= 20
    assert len(peers.profile_peers(small, keep[0] + 1000, 2023, k=3)) == 4


@pytest.mark.parametrize(
    "year_from, year_to, dimension", [(2022, 2023, "total"), (2018, 2019, "D3"), (2012, 2013, "D1")]
)
def test_rank_change_decomposition_sums_to_the_observed_change(panel, year_from, year_to, dimension):
    out = rank_change.rank_change_decomposition(panel, year_from, year_to, dimension)
    assert (out["own_part"] + out["others_part"] == out["rank_change"]).all()
    published = ranking.rank_and_group(panel)
    for year, column in ((year_from, "rank_from"), (year_to, "rank_to")):
        ranks = published[(published["year"] == year) & (published["dimension"] == dimension)].set_index(
            "province_code"
        )["rank"]
        assert (out.set_index("province_code")[column] == ranks.reindex(out["province_code"]).to_numpy()).all()
    # a province whose score did not move but others overtook it: own part 0 (checked where it occurs)
    assert (out.loc[out["score_change"] == 0, "own_part"] == 0).all()


def test_total_across_the_2018_break_is_refused(panel):
    with pytest.raises(ValueError, match="different scales"):
        rank_change.rank_change_decomposition(panel, 2017, 2018, "total")


def test_rank_change_noise_interval(panel):
    out = rank_change.rank_change_noise(panel, 2022, 2023, "total", n_draws=800)
    assert ((out["noise_low"] <= 0) & (out["noise_high"] >= 0)).all()
    outside = (out["rank_change"] < out["noise_low"]) | (out["rank_change"] > out["noise_high"])
    assert (out["beyond_noise"] == outside).all()
    assert out["p_noise"].between(0, 1).all()
    # with (almost) no sampling error, noise alone moves nobody: every observed change is beyond noise
    precise = panel.assign(se=panel["se"] * 1e-6)
    sharp = rank_change.rank_change_noise(precise, 2022, 2023, "total", n_draws=200)
    # ... except through the change in who is ranked (2022 and 2023 score different sets of provinces):
    # the null change is then the rank of the mean score among each year's provinces, computed by hand
    a, b = _scored(panel, 2022, "total"), _scored(panel, 2023, "total")
    truth = pd.concat([a.set_index("province_code")["score"], b.set_index("province_code")["score"]], axis=1).mean(
        axis=1
    )
    expected = {
        code: int((truth[a["province_code"]] > truth[code]).sum())
        - int((truth[b["province_code"]] > truth[code]).sum())
        for code in sharp["province_code"]
    }
    assert sorted(set(a["province_code"]) ^ set(b["province_code"]))  # the sets do differ
    null = sharp["province_code"].map(expected)
    assert (sharp["noise_low"] == null).all() and (sharp["noise_high"] == null).all()
    assert (sharp["beyond_noise"] == (sharp["rank_change"] != null)).all()


def test_income_and_profile_peers(panel):
    code = provinces.resolve("Quảng Nam")
    income = peers.income_peers(panel, code, 2023, k=5)
    assert len(income) == 6 and income["selected"].iloc[0] and income["selected"].sum() == 1
    assert income["context_year"].eq(2021).all()  # latest GRDP year at or before 2023
    assert income["distance"].is_monotonic_increasing
    profile = peers.profile_peers(panel, code, 2023, k=5)
    assert len(profile) == 6 and profile["distance"].is_monotonic_increasing
    summary = peers.compare_with_peers(income)
    others = income.loc[~income["selected"], "score"]
    assert summary["peer_median"] == others.median()
    assert summary["place_in_set"] == int((others > summary["score"]).sum()) + 1


def test_distance_to_frontier_and_next_group(panel):
    code = provinces.resolve("Quảng Nam")
    out = frontier.distance_to_frontier(panel, code, 2023).set_index("dimension")
    assert (out["gap_to_frontier"] >= 0).all()
    below_top = out[out["group"] != "highest"]
    assert (below_top["gap_to_next_group"] > 0).all()
    best = frontier.distance_to_frontier(panel, provinces.resolve("Thừa Thiên Huế"), 2023, ["total"]).iloc[0]
    assert best["gap_to_frontier"] == 0 and best["dtf_score"] == 100 and np.isnan(best["gap_to_next_group"])


def test_rank_change_sentence_uses_the_table_numbers(panel):
    from papi_analysis.report.texts import ranks as rank_texts

    out = rank_change.rank_change_decomposition(panel, 2022, 2023, "total")
    row = out[(out["own_part"] != 0) & (out["others_part"] != 0)].iloc[0]
    sentence = rank_texts.rank_change_sentence(row, "en")
    assert f"from rank {int(row['rank_from'])} to {int(row['rank_to'])}" in sentence
    assert f"{abs(int(row['own_part']))} place" in sentence and f"{abs(int(row['others_part']))} place" in sentence


def test_caterpillar_figure_renders_in_both_languages(panel, tmp_path, total_2023):
    from papi_analysis.report import figures

    figures.apply_style()
    for lang, word in (("vi", "Ranh giới nhóm"), ("en", "Group cut-off")):
        fig = figures.plot_rank_caterpillar(total_2023, "Quảng Nam", lang)
        png, svg = figures.save_figure(fig, f"cat_{lang}", directory=tmp_path, show=False)
        assert png.stat().st_size > 10_000 and word in svg.read_text()
    borrowed = rank_uncertainty.rank_intervals(panel, 2022, "total", n_draws=300)
    png, svg = figures.save_figure(
        figures.plot_rank_caterpillar(borrowed, None, "en"), "b", directory=tmp_path, show=False
    )
    assert "assumption" in svg.read_text()
    with pytest.raises(ValueError, match="did not publish"):
        figures.plot_rank_caterpillar(rank_uncertainty.rank_intervals(panel, 2024, "total"), None, "en")


def test_province_rank_table_covers_every_year_and_dimension_with_ses(panel):
    code = provinces.resolve("Quảng Nam")
    table = rank_uncertainty.province_rank_table(panel, code, dimensions=["D3", "total"], n_draws=300)
    expected = [
        (y, d)
        for d in ("D3", "total")
        for y in rank_uncertainty.years_with_se(panel, d)
        if code in set(_scored(panel, y, d)["province_code"])
    ]
    assert sorted(zip(table["year"], table["dimension"])) == sorted(expected)
    published = ranking.rank_and_group(panel).set_index(["year", "dimension", "province_code"])["rank"]
    for row in table.itertuples():
        assert row.rank == published.loc[(row.year, row.dimension, code)]
        assert row.rank_low <= row.rank <= row.rank_high
