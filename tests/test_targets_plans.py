"""Plans as written: "and following years" (2023+), the geography a target year implies, plan checks, on real seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from papi_analysis import config, load_scores
from papi_analysis.analysis import ranking, targets
from papi_analysis.data import provinces
from papi_analysis.params import ParameterError


@pytest.fixture(scope="module")
def seeds():
    return targets.load_targets()


@pytest.fixture(scope="module")
def panel34():
    return load_scores(geography="34")


def _plan(tmp_path, rows, name="plan.csv"):
    base = dict(
        plan_id="mine",
        target_id="",
        province="Cao Bằng",
        plan_date="",
        baseline_year=2022,
        target_year=2023,
        indicator="total",
        kind="change_at_least",
        target_value="0",
        quote="",
        note="",
    )
    path = tmp_path / name
    pd.DataFrame([{**base, **r} for r in rows]).to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- "and following years"


def test_a_2023_plus_seed_row_is_one_target_per_published_year_and_a_forecast(seeds):
    d1 = seeds[seeds["expanded_from"] == "D1-improve"].set_index("target_year")
    assert list(d1.index) == [2023, 2024, 2025]
    assert list(d1["target_id"]) == ["D1-improve-2023", "D1-improve-2024", "D1-improve-2025"]
    assert list(d1["geography"]) == ["63", "63", "34"] and (d1["baseline_year"] == 2022).all()
    assert (d1["target_year_as_written"] == "2023+").all()
    assert d1["quote"].str.contains("năm 2023 và những năm tiếp theo").all()  # every year keeps the plan's sentence
    assert "2024 of 2023+" in d1.loc[2024, "note"] and "compared with the 2022 baseline" in d1.loc[2024, "note"]
    assert "not yet published: a forecast 3 years ahead" in d1.loc[2025, "note"]
    assert "forecast" not in d1.loc[2024, "note"]
    # the file's three "following years" sentences, and nothing else, are written with +
    written = seeds.drop_duplicates(["plan_id", "expanded_from"])
    assert set(written.loc[written["expanded_from"] != "", "plan_id"]) == {
        "cao-bang-2023",
        "binh-thuan-2022",
        "quang-nam-2021",
    }
    assert seeds.loc[seeds["expanded_from"] != "", "quote"].str.contains("năm tiếp theo").all()


def test_each_published_year_of_2023_plus_is_judged_against_the_2022_baseline(seeds, panel):
    """Cao Bằng 2023+, higher score and better rank than in 2022 for each dimension: outcomes from the panel by hand."""
    chosen = targets.in_geography(seeds[seeds["plan_id"] == "cao-bang-2023"], "63")
    e = targets.evaluate_targets(chosen[chosen["expanded_from"] != ""], panel).set_index("target_id")
    ranked = ranking.rank_and_group(panel).set_index(["year", "province_code", "dimension"])
    for dim in [f"D{i}" for i in range(1, 9)]:
        base = ranked.loc[(2022, 4, dim)]
        for year in (2023, 2024):
            now = ranked.loc[(year, 4, dim)]
            met = now["score"] > base["score"] and now["rank"] < base["rank"]
            assert e.loc[f"{dim}-improve-{year}", "outcome"] == ("met" if met else "missed"), (dim, year)
        assert "2 years ahead" in e.loc[f"{dim}-improve-2024", "notes"]
        assert e.loc[f"{dim}-improve-2024", "family"] == "two_years_ahead"
    from papi_analysis.report.texts import targets as target_texts

    words = target_texts.target_text(e.loc["D1-improve-2024"].to_dict() | {"target_year": 2024}, "en")
    assert words.endswith("higher score and better rank (2024, against 2022)"), words
    assert target_texts.target_text(e.loc["D1-improve-2023"].to_dict() | {"target_year": 2023}, "vi").endswith(
        "(năm 2023)"
    )
    # 2024 against 2022: D5 fell in 2023 (missed) and the outcomes of the two years are not copies of each other
    assert e.loc["D5-improve-2023", "outcome"] == "missed"
    assert (
        e.filter(like="-2023", axis=0)["outcome"].to_numpy() != e.filter(like="-2024", axis=0)["outcome"].to_numpy()
    ).any()


def test_the_forecast_year_of_a_merged_province_is_read_for_its_new_unit(seeds, panel34):
    """Bình Thuận 2022+: 2022-2024 on the 63 provinces, 2025 a forecast for Lâm Đồng (Bình Thuận + Lâm Đồng + Đắk Nông)."""
    bt = seeds[seeds["plan_id"] == "binh-thuan-2022"].set_index("target_year")
    assert list(bt.index) == [2022, 2023, 2024, 2025]
    lam_dong = provinces.resolve("Lâm Đồng", geography="34")
    assert bt.loc[2025, "geography"] == "34" and bt.loc[2025, "province_code"] == lam_dong
    assert provinces.resolve("Bình Thuận", geography="63") in provinces.old_provinces(lam_dong)
    assert bt.loc[2025, "province_as_written"] == "Bình Thuận" and "for Lâm Đồng" in bt.loc[2025, "note"]
    e = targets.evaluate_targets(targets.in_geography(seeds[seeds["plan_id"] == "binh-thuan-2022"], "34"), panel34)
    row = e.set_index("target_year").loc[2025]
    assert row["outcome"] == "pending" and 0 < row["probability"] < 1 and "4 years ahead" in row["notes"]
    assert row["province"] == "Lâm Đồng"


def test_following_years_stop_where_publication_stops(tmp_path, monkeypatch):
    path = _plan(
        tmp_path,
        [
            dict(target_id="a", target_year="2023+"),
            dict(target_id="b", target_year="2023+", geography="63"),
            dict(target_id="c", target_year="2026+", baseline_year=2024),
        ],
    )
    loaded = targets.load_targets(path)
    years = loaded.groupby("expanded_from")["target_year"].apply(list).to_dict()
    assert years == {"a": [2023, 2024, 2025], "b": [2023, 2024], "c": [2026]}  # written 63: ends with 2024
    # once a 34-province release for 2025 is imported, 2025 is judged and 2026 is the forecast
    fake_raw = tmp_path / "raw"
    (fake_raw / "papi34").mkdir(parents=True)
    (fake_raw / "papi34" / "scores_2025.csv").write_text("")
    monkeypatch.setattr(config, "DATA_RAW", fake_raw)
    assert targets.last_published_year("34") == 2025 and targets.last_published_year("63") == 2024
    again = targets.load_targets(path)
    assert again.loc[again["expanded_from"] == "a", "target_year"].tolist() == [2023, 2024, 2025, 2026]


@pytest.mark.parametrize("written", ["2023++", "+2023", "2021-2025", "năm 2023", "2023 và các năm tiếp theo"])
def test_a_malformed_target_year_says_how_to_write_it(tmp_path, written):
    path = _plan(tmp_path, [dict(target_id="ok"), dict(target_id="bad", target_year=written)])
    with pytest.raises(targets.TargetFileError) as err:
        targets.load_targets(path)
    message = str(err.value)
    assert "plan.csv, line 3" in message and "2023+" in message and "năm 2023 và các năm tiếp theo" in message
    assert repr(written) in message


def test_2023_plus_in_yaml(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan_id: mine\nprovince: Cao Bằng\nbaseline_year: 2022\ntargets:\n"
        "  - {indicator: D1, kind: improve_score_and_rank, target_year: 2023+}\n",
        encoding="utf-8",
    )
    loaded = targets.load_targets(path)
    assert (
        loaded["target_year"].tolist() == [2023, 2024, 2025]
        and (loaded["expanded_from"] == "D1-improve_score_and_rank").all()
    )


# --------------------------------------------------------------------------- the geography a target year implies


def test_a_target_year_from_2025_is_read_on_the_34_provinces(tmp_path):
    path = _plan(
        tmp_path,
        [
            dict(
                target_id="qn",
                province="Quảng Nam",
                baseline_year=2024,
                target_year=2026,
                kind="rank_at_most",
                target_value="10",
            ),
            dict(
                target_id="dn",
                province="Đà Nẵng",
                baseline_year=2024,
                target_year=2026,
                kind="rank_at_most",
                target_value="10",
            ),
            dict(target_id="old", province="Quảng Nam", baseline_year=2023, target_year=2024),
            dict(target_id="recast", province="Đà Nẵng", baseline_year=2023, target_year=2024, geography="34"),
        ],
    )
    t = targets.load_targets(path).set_index("target_id")
    da_nang_34, quang_nam_63 = provinces.resolve("Đà Nẵng", geography="34"), provinces.resolve("Quảng Nam")
    assert (t.loc["qn", "geography"], t.loc["qn", "province_code"]) == ("34", da_nang_34)
    assert t.loc["qn", "province_as_written"] == "Quảng Nam" and "which Quảng Nam is part of" in t.loc["qn", "note"]
    assert (t.loc["dn", "geography"], t.loc["dn", "province_code"]) == ("34", da_nang_34)
    assert (t.loc["old", "geography"], t.loc["old", "province_code"]) == ("63", quang_nam_63)
    assert (t.loc["recast", "geography"], t.loc["recast", "province_code"]) == ("34", da_nang_34)  # written wins


def test_geography_63_with_a_target_year_from_2025_is_refused_with_the_reason(tmp_path):
    path = _plan(tmp_path, [dict(target_id="x", baseline_year=2024, target_year=2025, geography="63")])
    with pytest.raises(targets.TargetFileError) as err:
        targets.load_targets(path)
    message = str(err.value)
    assert "plan.csv, line 2" in message and "last surveyed in 2024" in message and "Write geography 34" in message


def test_on_the_63_provinces_targets_from_2025_are_set_aside_and_counted(seeds):
    cao_bang = seeds[seeds["plan_id"] == "cao-bang-2023"]
    on63 = targets.in_geography(cao_bang, "63")
    assert len(on63) == len(cao_bang) - 8 and on63.attrs["set_aside_34"] == [2025] * 8
    chosen = targets.filter_targets(on63, "Cao Bằng", 0, "63")  # what notebook 02 does
    from papi_analysis.report.texts import targets as target_texts

    (en,) = target_texts.geography_points(chosen, "Cao Bằng", "63", "en")
    assert en.startswith("8 targets for 2025 are not evaluated here") and "geography 34" in en
    (vi,) = target_texts.geography_points(chosen, "Cao Bằng", "63", "vi")
    assert vi.startswith("8 mục tiêu cho năm 2025")
    with pytest.raises(ParameterError, match="34 provinces"):
        targets.filter_targets(on63, "Cao Bằng", 2025, "63")
    assert (
        target_texts.geography_points(
            targets.in_geography(seeds[seeds["plan_id"] == "dak-lak-2018"], "63"), "Đắk Lắk", "63", "en"
        )
        == []
    )
    on34 = targets.in_geography(cao_bang, "34")
    assert len(on34) == len(cao_bang) and set(on34["province"]) == {"Cao Bằng"}


def test_a_plan_only_for_2025_on_is_refused_on_the_63(tmp_path):
    loaded = targets.load_targets(_plan(tmp_path, [dict(target_id="x", baseline_year=2024, target_year=2025)]))
    with pytest.raises(targets.TargetFileError, match="evaluate it with geography 34"):
        targets.in_geography(loaded, "63")


def test_names_in_both_geographies_map_to_themselves():
    """A name in both registries, read on the 34 directly, is the unit its old province became part of."""
    new = provinces.registry(geography="34")
    for name in new["name_vi"]:
        try:
            old = provinces.resolve(name, geography="63")
        except provinces.UnknownProvinceError:
            continue
        assert provinces.successor(old) == provinces.resolve(name, geography="34"), name


# --------------------------------------------------------------------------- plan checks on real seeds


def test_the_seed_checks_are_unchanged_by_expansion(seeds, panel):
    """A 2023+ row is checked once under its written id; the 2025 rows (34 provinces) are not checked on the 63."""
    issues = targets.check_targets(seeds, panel)
    assert not issues["target_id"].str.contains(r"-20\d\d$").any()
    assert len(issues) == 10 and set(issues["check"]) == {"baseline", "baseline rank", "target arithmetic"}


def _seed_row(seeds, plan_id, target_id, **changes):
    row = seeds[(seeds["plan_id"] == plan_id) & (seeds["target_id"] == target_id)].iloc[0].copy()
    for key, value in changes.items():
        row[key] = value
    return row


def test_every_plan_check_the_issue_lists_fires_on_a_real_seed(seeds, panel):
    """Seed rows changed the way real plans go wrong; each check fires once, on its row, and the seed itself passes."""
    hue = dict(plan_id="thua-thien-hue-2024")
    rows = pd.DataFrame(
        [
            # Huế was first in 2023: no place left to gain
            _seed_row(seeds, **hue, target_id="total-top10", kind="rank_gain_at_least", target_value="1"),
            # Huế D6 2023 plus 3 points passes 10
            _seed_row(seeds, **hue, target_id="D6-maintain", target_value="3"),
            # a score target under its published baseline (Cao Bằng D6: 6.69 published; "reach 6.5" asks for no gain)
            _seed_row(
                seeds, "cao-bang-2023", "D6-score", target_value="6.5", planned_change_stated="", baseline_stated=""
            ),
            # rank 63 of 61 ranked (Cao Bằng total 2022)
            _seed_row(
                seeds, "cao-bang-2023", "total-improve", kind="rank_at_most", target_value="63", baseline_rank_stated=""
            ),
            # Quảng Nam's plan (August 2021) starting from 2021, which PAPI had not published
            _seed_row(seeds, "quang-nam-2021", "D1-score", baseline_year=2021, planned_change_stated=""),
            # ... and from 2019, when 2020 was out
            _seed_row(seeds, "quang-nam-2021", "D5-score", baseline_year=2019, planned_change_stated=""),
        ]
    )
    issues = targets.check_targets(rows, panel)
    found = sorted(zip(issues["plan_id"], issues["target_id"], issues["check"]))
    assert found == sorted(
        [
            ("thua-thien-hue-2024", "total-top10", "rank gain beyond first place"),
            ("thua-thien-hue-2024", "D6-maintain", "target above the scale"),
            ("cao-bang-2023", "D6-score", "target not above baseline"),
            ("cao-bang-2023", "total-improve", "rank beyond ranked"),
            ("quang-nam-2021", "D1-score", "baseline not yet published"),
            ("quang-nam-2021", "D5-score", "baseline year"),
        ]
    )
    by = issues.set_index(["target_id", "check"])["message"]
    hue_d6 = float(panel.query("year == 2023 and province_code == 46 and dimension == 'D6'")["score"].iloc[0])
    assert (
        f"{hue_d6:.2f} plus 3 is {hue_d6 + 3:.2f}, above the top of the scale (10)"
        in by[("D6-maintain", "target above the scale")]
    )
    assert "from rank 1 in 2023 would go past first place" in by[("total-top10", "rank gain beyond first place")]
    assert "had not yet published" in by[("D1-score", "baseline not yet published")]
    from papi_analysis.report.texts import targets as target_texts

    assert set(issues["check"]) <= set(target_texts.CHECK_NAMES)  # every check has a name in both languages
    assert "2020 was already published" in by[("D5-score", "baseline year")]
    assert "only 61 provinces were ranked" in by[("total-improve", "rank beyond ranked")]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": "group_at_least", "target_value": "trung bình cao"}, "high_average (nhóm trung bình cao)"),
        ({"kind": "not_in_group", "target_value": "bottom"}, "lowest (nhóm thấp nhất)"),
        ({"kind": "score_at_least", "indicator": "total", "target_value": "85"}, "outside the total range"),
        ({"kind": "score_at_least", "indicator": "D3", "target_value": "10.5"}, "outside the D3 range"),
        (
            {
                "kind": "rank_at_most",
                "target_value": "40",
                "geography": "34",
                "baseline_year": 2024,
                "target_year": 2025,
            },
            "a rank target on the 34 provinces is a whole number 1-34",
        ),
    ],
)
def test_unknown_groups_and_values_off_the_scale_are_refused_with_how_to_write_them(tmp_path, change, message):
    with pytest.raises(targets.TargetFileError) as err:
        targets.load_targets(_plan(tmp_path, [dict(target_id="x", **change)]))
    assert message in str(err.value) and "plan.csv, line 2" in str(err.value)


def test_the_latest_plan_of_a_province_respects_each_rows_geography(seeds):
    """Codes overlap between geographies (48 is Đà Nẵng in both): the Quảng Nam plan's 2025 row, read for the new
    Đà Nẵng, must not make it the plan of the old city."""

    def plan(name, geography):
        return targets.latest_plan_for(provinces.resolve(name, geography=geography), geography, seeds)

    assert plan("Đà Nẵng", "63") is None and plan("Lâm Đồng", "63") is None
    assert plan("Quảng Nam", "63") == "quang-nam-2021" and plan("Bình Thuận", "63") == "binh-thuan-2022"
    # issue 27: a plan belongs to the unit that wrote it; a merged unit gets an old province's plan only when asked
    assert plan("Đà Nẵng", "34") is None and plan("Lâm Đồng", "34") is None
    assert plan("Cao Bằng", "63") == plan("Cao Bằng", "34") == "cao-bang-2023" and plan("Hà Nội", "34") is None


def test_the_report_quotes_the_following_years_sentence_once(panel):
    from papi_analysis.report.texts import targets as target_texts

    chosen = targets.in_geography(targets.select_plan("binh-thuan-2022"), "63")
    e = targets.evaluate_targets(chosen, panel, lang="en")
    text = target_texts.verdicts_html(e, "en", chosen)
    assert text.count("trong năm 2022 và những năm tiếp theo") == 1  # the sentence once, on its first year
    assert "(2022 and following years: one target per year, each against 2021)" in text
    assert text.count("One of the years of &quot;2022 and following years&quot;") == 2  # 2023 and 2024


def test_a_check_on_a_2023_plus_row_is_labelled_with_its_years(seeds, panel):
    from papi_analysis.report.texts import targets as target_texts

    # Cao Bằng D8 2023+, read as "gain 62 places": from 62nd of 62 in 2022 at most 61 are possible
    chosen = targets.in_geography(seeds[seeds["expanded_from"] == "D8-improve"], "63").copy()
    chosen["kind"], chosen["target_value"] = "rank_gain_at_least", "62"
    issues = targets.check_targets(chosen, panel)
    assert list(issues["target_id"]) == ["D8-improve"] and list(issues["check"]) == ["rank gain beyond first place"]
    e = targets.evaluate_targets(chosen, panel, lang="vi")
    table = target_texts.checks_table(issues, e, "vi")
    assert table["target_id"].iloc[0].endswith("(năm 2023+)") and table["check"].iloc[0].startswith("Số bậc tăng")


def test_on_the_34_a_plan_written_for_an_old_province_is_checked_against_its_published_scores(
    seeds, panel, panel34, tmp_path
):
    """Quảng Nam 2021 read for the new Đà Nẵng: the plan's stated 2020 figures are about Quảng Nam, so the checks are
    those of the 63 provinces (against Quảng Nam's published 43.26), not differences with the Đà Nẵng + Quảng Nam recast."""
    from papi_analysis.report.texts import targets as target_texts

    plan = seeds[seeds["plan_id"] == "quang-nam-2021"].copy()
    # the plan's own 43.28 is the sum of the published dimension scores (no plan error): state another baseline
    plan.loc[plan["target_id"] == "total-score", "baseline_stated"] = "43.50"
    on34 = targets.check_targets(targets.in_geography(plan, "34"), panel34)
    on63 = targets.check_targets(targets.in_geography(plan, "63"), panel)
    columns = ["target_id", "check", "stated", "found"]
    pd.testing.assert_frame_equal(on34[columns], on63[columns])
    assert set(on34["checked_on"]) == {"63"} and list(on34["found"]) == ["43.2623", "45.82"]  # baseline, arithmetic
    # a plan written on the 34 is checked on the recast scores, and the report marks them as estimates
    mine = targets.load_targets(_yaml_plan(panel34, tmp_path))
    issues = targets.check_targets(targets.in_geography(mine, "34"), panel34)
    assert list(issues["checked_on"]) == ["34"]
    e = targets.evaluate_targets(targets.in_geography(mine, "34"), panel34)
    assert target_texts.checks_table(issues, e, "en")["found"].iloc[0].endswith("(recast, estimate)")


def _yaml_plan(panel34, folder):
    da_nang = provinces.resolve("Đà Nẵng", geography="34")  # noqa: F841  (used in the query string)
    base = float(panel34.query("year == 2024 and province_code == @da_nang and dimension == 'D1'")["score"].iloc[0])
    path = folder / "da-nang.yaml"
    path.write_text(
        "plan_id: da-nang-2026\nprovince: Đà Nẵng\ngeography: 34\nbaseline_year: 2024\ntarget_year: 2025\n"
        f"targets:\n  - {{indicator: D1, kind: score_at_least, target_value: {base + 0.3:.2f}, "
        f"baseline_stated: {base + 0.1:.2f}}}\n",
        encoding="utf-8",
    )
    return path
