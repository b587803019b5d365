"""The trends report's sentences and tables (report.texts.trends) say what the data say, on both geographies."""

from __future__ import annotations

import pandas as pd
import pytest

from papi_analysis import load_scores, ranking, trends
from papi_analysis.analysis import rank_uncertainty
from papi_analysis.data import provinces
from papi_analysis.report import figures, numbers
from papi_analysis.report.texts import ranks as rank_texts
from papi_analysis.report.texts import trends as trend_texts


@pytest.fixture(scope="module")
def panel63():
    return load_scores()


@pytest.fixture(scope="module")
def panel34():
    return load_scores(geography="34")


def _trend(panel, name, geography="63"):
    return trends.province_trend(panel, provinces.resolve(name, geography=geography))


def test_error_bars_are_promised_only_for_years_with_a_standard_error(panel63):
    # Cà Mau's published 2022 CI has zero width: no error bar that year; Thừa Thiên Huế has all three years
    ca_mau = _trend(panel63, "Cà Mau")
    assert trend_texts.se_years(ca_mau) == [2019, 2023]
    text = trend_texts.ci_sentence(ca_mau, "en")
    assert "2019 and 2023" in text and "2022" not in text and "95%" in text and "1.96" in text
    assert trend_texts.se_years(_trend(panel63, "Thừa Thiên Huế")) == [2019, 2022, 2023]
    assert "2019, 2022 và 2023" in trend_texts.ci_sentence(_trend(panel63, "Thừa Thiên Huế"), "vi")


def test_the_figure_and_the_rank_section_name_the_same_standard_error_years(panel63):
    """Section 2 said error bars in "2019 and 2023" while section 8 listed 2022 (SE borrowed from 2023): the figure's
    sentence now names the borrowed year and its donor, from the rank section's own rule (reader's pass, 11)."""
    ca_mau = _trend(panel63, "Cà Mau")
    assert trend_texts.borrowed_se_years(panel63, 96) == {2022: 2023}
    text = trend_texts.ci_sentence(ca_mau, "en", panel=panel63)
    assert "2019 and 2023" in text and "In 2022 PAPI published no usable standard error" in text
    assert "borrows the standard error of 2023" in text
    hue = provinces.resolve("Thừa Thiên Huế")
    assert trend_texts.borrowed_se_years(panel63, hue) == {}
    assert "mượn" not in trend_texts.ci_sentence(_trend(panel63, "Thừa Thiên Huế"), "vi", panel=panel63)


def test_summary_names_the_years_without_a_standard_error(panel63):
    """The summary's noise sentence and the error-bar sentence agree: Huế has SEs for 2019, 2022 and 2023, so a
    2024 change cannot be tested because 2024 has none (not "no standard errors for both 2023 and 2024")."""
    hue = _trend(panel63, "Thừa Thiên Huế")
    assert 2023 in trend_texts.se_years(hue) and 2024 not in trend_texts.se_years(hue)
    second = trend_texts.summary_points(hue, 2024, "Huế", "en")[1]
    assert "no standard error for the province in 2024." in second and "2023" not in second.split("noise")[1]
    assert "cho năm 2024." in trend_texts.summary_points(hue, 2024, "Huế", "vi")[1]


def test_summary_numbers_come_from_the_published_scores(panel63):
    code = provinces.resolve("Cà Mau")
    own = panel63[panel63["province_code"] == code].pivot(index="dimension", columns="year", values="score")
    change = (own[2024] - own[2023]).drop("total")
    top_two = change.abs().sort_values(ascending=False).index[:2]
    first, second, third = trend_texts.summary_points(_trend(panel63, "Cà Mau"), 2024, "Ca Mau", "en")
    assert f"total score {own.loc['total', 2024]:.2f} points" in first
    ranked = ranking.rank_and_group(panel63)
    row = ranked[(ranked["year"] == 2024) & (ranked["dimension"] == "total") & (ranked["province_code"] == code)].iloc[
        0
    ]
    assert f"rank {int(row['rank'])} of {int(row['n_ranked'])}" in first
    assert f"+{own.loc['total', 2024] - own.loc['total', 2023]:.2f} points" in second
    for d in top_two:
        number = numbers.number(change[d], "en", sign=True)
        assert f"{figures.dimension_label(d, 'en')} ({number})" in second
    medians = panel63[panel63["year"] == 2024].groupby("dimension")["score"].median()
    gap = (own[2024] - medians).drop("total").sort_values()
    assert third.index(figures.dimension_label(gap.index[-1], "en")) < third.index("the weakest")
    assert figures.dimension_label(gap.index[0], "en") in third.split("the weakest")[1]


def test_a_merged_province_is_labelled_as_an_estimate(panel34):
    trend = _trend(panel34, "Đà Nẵng", "34")
    first = trend_texts.summary_points(trend, 2024, "Da Nang", "en")[0]
    assert "estimate" in first
    assert "estimate" in trend_texts.caption("x", trend, "en")
    assert trend_texts.caption("x", _trend(load_scores(), "Cao Bằng"), "en") == "x"
    assert "ước tính" in trend_texts.ci_sentence(trend, "vi")


def test_read_first_says_whose_scores_are_published(panel34):
    """The trends report opened with "Điểm là điểm PAPI đã công bố" above a merged unit's estimates (reader's pass)."""
    da_nang, cao_bang = (provinces.resolve(n, geography="34") for n in ("Đà Nẵng", "Cao Bằng"))
    merged = trend_texts.read_first("Đà Nẵng", da_nang, "34", "vi")
    assert "không phải số liệu PAPI công bố" in merged and "Điểm là điểm PAPI đã công bố" not in merged
    kept = trend_texts.read_first("Cao Bằng", cao_bang, "34", "vi")
    assert "Điểm của Cao Bằng là điểm PAPI đã công bố" in kept and "ước tính" in kept
    assert trend_texts.read_first("Cao Bằng", provinces.resolve("Cao Bằng"), "63", "en").startswith(
        "**Read first.** Scores are published PAPI points."
    )
    # the tables' caption says which scores are estimates: every score of the merged unit (no cell carries a mark)
    assert trend_texts.estimate_note(_trend(panel34, "Đà Nẵng", "34"), "vi").startswith("Mọi điểm")


def test_notes_say_why_a_score_is_missing():
    assert trend_texts.note_text("dimension(s) missing: D2, D4", "", "en") == "no total: D2, D4 not published"
    assert trend_texts.note_text("", "recast", "vi") == "ước tính"
    text = trend_texts.note_text(
        "not recast: no published D1 2014 for old province(s) Bắc Giang: blank in source", "", "en"
    )
    assert text == "no estimate: former province Bắc Giang has no published score"


def test_bac_giang_history_keeps_missing_years_missing(panel63):
    table = trend_texts.history_for_report(_trend(panel63, "Bắc Giang"), "en")
    row_2021 = table[table["year"] == 2021].iloc[0]
    assert pd.isna(row_2021["score"]) and pd.isna(row_2021["beyond_noise"])
    assert "not published" in row_2021["note"]


def test_recast_standard_errors_are_labelled_and_34_names_used(panel34):
    intervals = rank_uncertainty.rank_intervals(panel34, 2023, "total")
    labelled = rank_texts.label_recast_se(intervals, panel34)
    da_nang = labelled[labelled["province_code"] == provinces.resolve("Đà Nẵng", geography="34")].iloc[0]
    assert da_nang["se_basis"] == rank_texts.RECAST_SE
    unmerged = provinces.resolve("Cao Bằng", geography="34")
    assert labelled.loc[labelled["province_code"] == unmerged, "se_basis"].iloc[0] == "published"
    fig = figures.plot_rank_caterpillar(intervals, da_nang["province_code"], "vi", geography="34")
    ticks = {t.get_text() for t in fig.axes[1].get_xticklabels()}
    assert ticks == set(provinces.registry(geography="34").loc[intervals["province_code"], "name_vi"])
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_a_namesake_merger_reads_as_a_merger():
    assert (
        provinces.reform_sentence("Cà Mau", "en")
        == "Since 1 July 2025 Ca Mau is merged with Bac Lieu into a new, larger Ca Mau."
    )
    assert provinces.reform_sentence("Quảng Nam", "en") == "Since 1 July 2025 Quang Nam is part of Da Nang."


def test_english_sentences_about_the_reform_use_the_english_names():
    """The English report uses name_en everywhere: "Ca Mau" in its tables, so "Ca Mau" in its reform sentences too."""
    for code in provinces.registry(geography="63").index:
        for sentence in (provinces.reform_sentence(int(code), "en"), provinces.name_change_note(int(code), "en")):
            assert not sentence or sentence.isascii(), sentence
    for code in provinces.registry(geography="34").index:
        assert provinces.composition_sentence(int(code), "en").isascii()


def test_a_recast_standard_error_is_noted_once_for_all_its_years(panel34):
    """Three years of recast SEs for a merged unit read "2019, 2022 và 2023 (ước tính: …)", not the note three times."""
    code = provinces.resolve("Đà Nẵng", geography="34")
    for lang in ("vi", "en"):
        sentence = trend_texts.rank_years_sentence(panel34, code, [2019, 2022, 2023], 2023, 2022, False, lang)
        note = {"vi": "ước tính", "en": "estimate"}[lang]
        assert sentence.count(note) == 1, sentence
        assert {"vi": "2019, 2022 và 2023 (", "en": "2019, 2022 and 2023 ("}[lang] in sentence
