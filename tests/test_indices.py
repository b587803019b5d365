"""PAR INDEX and SIPAS: the index model and table reader, the plans' targets as data, the plan checks,
and realism through the generic index path (exercised on the real PAPI panel written as an index table)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from papi_analysis.analysis import index_checks, targets
from papi_analysis.data import index_targets, indices


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def plan_targets():
    return index_targets.load_index_targets()


@pytest.fixture(scope="module")
def checks(plan_targets):
    return index_checks.plan_checks(plan_targets)


@pytest.fixture(scope="module")
def papi_table_file(panel, tmp_path_factory):
    path = tmp_path_factory.mktemp("tables") / "papi_as_index.csv"
    return indices.write_index_table(indices.from_panel(panel, "papi"), path)


# --------------------------------------------------------------------------- targets as data


def test_every_index_target_quote_is_found_verbatim_in_its_seed(plan_targets, sources_dir):
    assert plan_targets.groupby("plan_id").size().to_dict() == {
        "cao-bang-2023": 22,
        "dak-lak-2018": 1,
        "binh-thuan-2022": 2,
    }
    seed_dir = sources_dir.parent / "seeds"
    for row in plan_targets.itertuples():
        text = _norm((seed_dir / row.source_file).read_text())
        for part in row.quote.split(" … "):
            assert _norm(part) in text, (row.plan_id, row.target_id, part)


def test_numbers_in_the_csv_are_the_numbers_in_the_quote(plan_targets):
    # each stated figure, written with the plan's decimal comma, occurs in the quoted table row
    for row in plan_targets[plan_targets["plan_id"] == "cao-bang-2023"].itertuples():
        quote = _norm(row.quote)
        for value in (row.baseline_stated, row.max_stated, row.planned_change_stated, row.target_value):
            if value:
                assert value.replace(".", ",") in quote, (row.target_id, value)


def test_a_malformed_targets_file_is_refused_with_file_and_line(plan_targets, tmp_path):
    raw = pd.read_csv(index_targets.INDEX_TARGETS_DIR / "index_targets.csv", dtype=str, keep_default_na=False)
    raw.loc[3, "component"] = "F9"
    bad = tmp_path / "bad_targets.csv"
    raw.to_csv(bad, index=False)
    with pytest.raises(index_targets.IndexTargetFileError, match=r"bad_targets.csv, line 5: component 'F9'"):
        index_targets.load_index_targets(bad)


# --------------------------------------------------------------------------- plan checks on the seeds


def test_the_cao_bang_inconsistencies_are_found(checks):
    bad = index_checks.inconsistencies(checks)
    found = set(zip(bad["plan_id"], bad["component"], bad["check"]))
    assert found == {
        ("cao-bang-2023", "F5", "parts sum"),  # 4,75 + 6,79 = 11,54, not 11,49
        ("cao-bang-2023", "F8", "parts sum"),  # 7,73 + 3,38 = 11,11, not 10,82
        ("cao-bang-2023", "F8.sipas", "same baseline twice"),  # 7,73 in table 2.1, 7,43 in footnote 1
    }
    messages = bad.set_index(["component", "check"])["message"]
    assert "11.54" in messages[("F5", "parts sum")] and "11.49" in messages[("F5", "parts sum")]
    f8 = messages[("F8", "parts sum")]
    assert "7.43" in f8 and "10.81" in f8 and "10.82" in f8  # the footnote's SIPAS makes the field add up
    assert "0.30" in messages[("F8.sipas", "same baseline twice")]


def test_the_checks_that_pass_are_reported_too(checks):
    ok = checks[checks["ok"]].set_index(["component", "check", "stated"])
    # the 8 fields sum to the footnote's 77,55 and their maxima to 100
    assert ("total", "parts sum", "7.97 + 9.11 + 11.87 + 9.52 + 11.49 + 8.76 + 8.01 + 10.82 -> 77.55") in ok.index
    assert ("total", "parts sum", "9.5 + 10 + 13 + 10.5 + 15 + 12 + 13.5 + 16.5 -> 100") in ok.index
    arithmetic = checks[checks["check"] == "target arithmetic"]
    assert len(arithmetic) == 8 and arithmetic["ok"].all()
    assert checks[checks["check"] == "within maximum"]["ok"].all()


def test_vietnamese_messages_use_the_decimal_comma(plan_targets):
    bad = index_checks.inconsistencies(index_checks.plan_checks(plan_targets, lang="vi"))
    f5 = bad[bad["component"] == "F5"]["message"].iloc[0]
    assert "11,54" in f5 and "Cải cách chế độ công vụ" in f5


def test_headroom_without_a_national_table(plan_targets):
    room = index_checks.headroom(plan_targets).set_index("target_id")
    f5 = room.loc["F5-score"]
    assert f5["gap_to_max"] == pytest.approx(15 - 11.49) and f5["required_change"] == pytest.approx(1.46)
    assert room.loc["F7.survey-change", "share_of_headroom"] == pytest.approx(1.0)  # 0,75 + 0,25 = the maximum 1
    assert room.loc["par-total-percent", "target"] == pytest.approx(80.0)  # 80% of 100 points
    assert room["probability"].isna().all()
    assert all("read_index_table" in note for note in room["note"])
    vi = index_checks.evaluate_index_targets(plan_targets, index="sipas", lang="vi")
    assert set(vi["target_id"]) == {"sipas-improve"} and "toàn quốc" in vi["note"].iloc[0]


# --------------------------------------------------------------------------- national tables


def test_papi_round_trips_through_the_index_layout(panel, papi_table_file):
    table = indices.read_index_table(papi_table_file, "papi")
    assert len(table) == len(panel) == 7056
    back = indices.to_panel(table, "papi")
    columns = ["year", "province_code", "province", "dimension", "score", "se", "methodology_period", "n_dimensions"]
    pd.testing.assert_frame_equal(back[columns], panel[columns])
    assert indices.from_panel(back, "papi").equals(indices.from_panel(panel, "papi"))


def test_targets_evaluated_through_the_generic_path_equal_the_direct_evaluation(panel, papi_table_file):
    seeds = targets.load_targets()
    seeds = seeds[seeds["plan_id"].isin(["cao-bang-2023", "quang-nam-2021"])]
    direct = targets.evaluate_targets(seeds, panel)
    generic = index_checks.evaluate_on_table(seeds, indices.read_index_table(papi_table_file, "papi"), "papi")
    pd.testing.assert_frame_equal(generic, direct)
    assert generic["probability"].notna().sum() >= 20  # probabilities, not just empty rows


def _table_lines(path):
    return path.read_text().splitlines()  # lines[i] is line i + 1 of the file


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda lines: lines.__setitem__(5, lines[5].replace("Hà Nội", "Hà Nộii")),
            r"line 6: Unknown province 'Hà Nộii'",
        ),
        (lambda lines: lines.__setitem__(2, "2011,Hà Nội,D2,10.5,10.0,13,"), r"line 3: score 10.5 is outside 0-10"),
        (lambda lines: lines.__setitem__(3, lines[3].replace("5.728503", "6.728503")), r"line 8: .*parts .* sum to"),
        (lambda lines: lines.append(lines[1]), r"lines 2, \d+: 2011 Hà Nội D1 appears more than once"),
        (
            lambda lines: lines.__setitem__(4, lines[4].replace(",D4,", ",D9,")),
            r"line 5: component 'D9' is not part of papi",
        ),
    ],
)
def test_a_malformed_table_is_refused_naming_file_and_line(papi_table_file, tmp_path, edit, message):
    lines = _table_lines(papi_table_file)[:200]
    edit(lines)
    bad = tmp_path / "malformed.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(indices.IndexTableError, match=r"malformed.csv, " + message):
        indices.read_index_table(bad, "papi")


def test_the_cao_bang_plan_table_written_in_the_layout_is_refused_at_field_5(plan_targets, tmp_path):
    cb = plan_targets[(plan_targets["plan_id"] == "cao-bang-2023") & (plan_targets["index"] == "par_index")]
    rows = [
        dict(
            year=2022,
            province="Cao Bằng",
            component=r.component,
            score=r.baseline_stated,
            max=r.max_stated,
            rank=r.baseline_rank_stated,
        )
        for r in cb.itertuples()
    ]
    path = tmp_path / "cao_bang_par_2022.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    line = 2 + [r["component"] for r in rows].index("F5")
    with pytest.raises(indices.IndexTableError, match=rf"cao_bang_par_2022.csv, line {line}: 2022 Cao Bằng F5 = 11.49"):
        indices.read_index_table(path, "par_index")


def test_a_missing_column_names_the_layout(tmp_path):
    path = tmp_path / "no_max.csv"
    path.write_text("year,province,component,score\n2022,Cao Bằng,total,7.43\n")
    with pytest.raises(indices.IndexTableError, match=r"no_max.csv: missing column\(s\) \['max'\]"):
        indices.read_index_table(path, "sipas")


def test_the_calibration_report_through_the_generic_path_is_papis(panel, papi_table_file):
    # backtest (every year predicted from earlier years only) and its reliability table, on the panel
    # rebuilt from the index table: the same report a PAR INDEX table would get
    generic = indices.to_panel(indices.read_index_table(papi_table_file, "papi"), "papi")
    direct_bt, generic_bt = targets.backtest(panel), targets.backtest(generic)
    pd.testing.assert_frame_equal(generic_bt, direct_bt)
    assert len(generic_bt) > 10000
    pd.testing.assert_frame_equal(targets.reliability(generic_bt), targets.reliability(direct_bt))


def test_plan_targets_reach_the_engine_through_a_table_in_the_layout(plan_targets, tmp_path):
    # the Cao Bằng plan's own 2022 figures for the total and fields 1-4 (consistent ones; F5 is not),
    # written as a national table: a partial table (fields 5-8 absent) is accepted, the engine runs on it
    cb = plan_targets[(plan_targets["plan_id"] == "cao-bang-2023") & (plan_targets["index"] == "par_index")]
    keep = cb[cb["component"].str.match(r"^(total|F[1-4](\..*)?)$")]
    path = tmp_path / "cao_bang_partial.csv"
    pd.DataFrame(
        [
            dict(
                year=2022,
                province="Cao Bằng",
                component=r.component,
                score=r.baseline_stated,
                max=r.max_stated,
                rank=r.baseline_rank_stated,
            )
            for r in keep.itertuples()
        ]
    ).to_csv(path, index=False)
    table = indices.read_index_table(path, "par_index")
    chosen, dropped = index_checks.engine_targets(cb, table, "par_index")
    assert set(dropped["target_id"]) == {"par-total-footnote"}
    sub = chosen.set_index("target_id")
    assert float(sub.loc["F5.survey-change", "target_value"]) == pytest.approx(6.79 + 1.21)
    assert sub.loc["F1-score", ["indicator", "kind", "target_value"]].tolist() == ["F1", "score_at_least", "8.97"]
    result = index_checks.evaluate_index_targets(cb, table, "par_index").set_index("target_id")
    assert result.loc["F1-score", "baseline"] == pytest.approx(7.97)
    assert result.loc["F1-score", "required_change"] == pytest.approx(1.0)
    assert result["probability"].isna().all()  # one province, one year: no history of changes to learn from
    assert result.loc["F1-score", "gap_to_max"] == pytest.approx(9.5 - 7.97)
