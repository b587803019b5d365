"""Plan files as careless or hostile users write them (issue 29, plan input; issue 28, the shipped example): each is
refused with one sentence naming the file and where in it, or read as it should be; never a traceback."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from papi_analysis import config, load_scores, params
from papi_analysis.analysis import targets
from papi_analysis.data.plan_reader import schema as plan_schema
from papi_analysis.run import cli, runner

HEADER = "plan_id,target_id,province,baseline_year,target_year,indicator,kind,target_value\n"
GOOD = "quang-nam-2021,t1,Quảng Nam,2020,2021,total,score_at_least,45.6\n"


def _csv(tmp_path, body: str, name: str = "plan.csv", header: str = HEADER):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def _refused(path, *needles: str) -> str:
    with pytest.raises(targets.TargetFileError) as err:
        targets.load_targets(path)
    message = str(err.value)
    for needle in needles:
        assert needle in message, message
    assert len(message) < 700, message  # one sentence, not a dump of the file
    return message


# --------------------------------------------------------------------------- ids: "/" is text, 309 characters are not


def test_a_slash_in_plan_and_target_ids_is_text_and_never_a_file_name(tmp_path):
    path = _csv(tmp_path, "45/KH-UBND,D1/score,Quảng Nam,2020,2021,D1,score_at_least,5.3\n")
    loaded = targets.load_targets(path)
    assert list(loaded["plan_id"]) == ["45/KH-UBND"] and list(loaded["target_id"]) == ["D1/score"]
    label = runner.plan_label(str(path))  # what the report's file names use
    assert "/" not in label and label == params.file_slug("45/KH-UBND") and label.startswith("45-KH-UBND-")
    assert runner.plan_label("45-KH-UBND") != label  # two ids never share a file name
    with pytest.raises(targets.TargetFileError, match="No plan '45/KH-UBND'"):  # a seed-plan id, not a path
        targets.select_plan("45/KH-UBND")


def test_a_309_character_plan_id_is_refused_with_where_and_how_long(tmp_path):
    long_id = "kế-hoạch-" + "x" * 300
    message = _refused(
        _csv(tmp_path, f"{long_id},t1,Quảng Nam,2020,2021,total,score_at_least,45.6\n"),
        "plan.csv, line 2, column 1 (plan_id)",
        "309 characters long; at most 80",
    )
    assert long_id not in message  # echoed at most 80 characters


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "kind, value, column",
    [
        ("score_at_least", "nan", "target_value"),
        ("change_at_least", "inf", "target_value"),
        ("score_at_least", "-inf", "target_value"),
        ("rank_at_most", "inf", "target_value"),
        ("rank_gain_at_least", "NaN", "target_value"),
    ],
)
def test_nan_and_inf_are_refused_with_file_line_and_column(tmp_path, kind, value, column):
    path = _csv(tmp_path, f"p,t1,Quảng Nam,2020,2021,total,{kind},{value}\n")
    _refused(path, "plan.csv, line 2, column 8 (target_value)", "finite number" if kind != "rank_at_most" else "")


def test_a_baseline_rank_that_is_not_a_rank_is_refused(tmp_path):
    header = HEADER.strip() + ",baseline_rank_stated\n"
    path = _csv(tmp_path, "p,t1,Quảng Nam,2020,2021,total,rank_at_most,10,inf/63\n", header=header)
    _refused(path, "column 9 (baseline_rank_stated)", "53 or 53/63")


def test_a_value_of_100_kb_is_echoed_in_80_characters(tmp_path):
    path = _csv(tmp_path, f"p,t1,Quảng Nam,2020,2021,total,score_at_least,{'9' * 100_000}x\n")
    message = _refused(path, "(100,001 characters)")
    assert len(message) < 400


# --------------------------------------------------------------------------- YAML


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for k, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[k]
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines.append("targets: *i")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 600  # 9^9 = 387 million values once expanded
    _refused(bomb, "bomb.yaml", "aliases", "20,000 values")


def test_a_yaml_alias_that_refers_to_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("targets: &t [*t]\n", encoding="utf-8")
    _refused(path, "loop.yaml, line 1", "refers to itself")


def test_yaml_python_tags_are_refused(tmp_path):
    path = tmp_path / "tag.yaml"
    path.write_text("targets:\n  - !!python/object/apply:os.system [echo hi]\n", encoding="utf-8")
    _refused(path, "tag.yaml, line 2", "is not allowed")


def test_a_yaml_list_of_strings_says_what_a_target_looks_like(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- D1 score 5.3\n- total rank 10\n", encoding="utf-8")
    _refused(path, "list.yaml, line 1", "target 1 is 'D1 score 5.3', not a mapping", "{indicator: D1")


def test_yaml_values_keep_their_decimals_and_errors_their_line_and_column(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "plan_id: p\nprovince: Quảng Nam\nbaseline_year: 2020\ntarget_year: 2021\ntargets:\n"
        "  - {indicator: D1, kind: score_at_least, target_value: 5.30}\n"
        "  - {indicator: D1, kind: score_at_least, target_value: nan}\n",
        encoding="utf-8",
    )
    column = path.read_text(encoding="utf-8").splitlines()[6].index("nan") + 1
    _refused(path, f"mine.yaml, line 7, column {column} (target_value)", "finite number")
    path.write_text(path.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", encoding="utf-8")
    assert list(targets.load_targets(path)["target_value"]) == ["5.30"]  # "5.30", not 5.3: checks keep the rounding


# --------------------------------------------------------------------------- files


def test_a_folder_named_like_a_csv_is_refused(tmp_path):
    folder = tmp_path / "plan.csv"
    folder.mkdir()
    _refused(folder, "is a folder, not a targets file")


def test_a_header_only_plan_says_no_targets_in_the_file_not_another_province(tmp_path, capsys):
    path = _csv(tmp_path, "", name="header.csv")
    _refused(path, "no targets in header.csv")
    assert cli.main(["report", "--province", "Quảng Nam", "--notebooks", "targets", "--plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "no targets in header.csv" in err and "Đà Nẵng" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    "encoding, note",
    [("cp1258", "Điểm năm gốc kế hoạch ghi"), ("latin-1", "Bà café")],  # Vietnamese Windows; Western Excel
)
def test_windows_1258_and_latin_1_files_name_the_file_and_how_to_save_as_utf8(tmp_path, encoding, note):
    text = HEADER.strip() + ",note\n" + GOOD.strip().replace("Quảng Nam", "Quang Nam") + f",{note}\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(b"".join(_legacy(ch, encoding) for ch in text))
    _refused(path, "excel.csv is not saved as UTF-8 (line 2", "Windows-1258 or Latin-1", "CSV UTF-8")


def _legacy(ch: str, encoding: str) -> bytes:
    """A character as a legacy code page writes it: Windows-1258 keeps a few precomposed vowels and writes tone
    marks as combining characters after them."""
    try:
        return ch.encode(encoding)
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        return unicodedata.normalize("NFC", parts[:-1]).encode(encoding) + parts[-1].encode(encoding)


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_files_are_read(tmp_path, bom):
    path = tmp_path / "unicode.csv"
    text = HEADER + GOOD
    path.write_bytes((codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le"))
    loaded = targets.load_targets(path)
    assert list(loaded["province"]) == ["Quảng Nam"] and list(loaded["target_value"]) == ["45.6"]


def test_an_existing_upper_case_csv_is_a_file_not_a_plan_id(tmp_path, monkeypatch):
    _csv(tmp_path, GOOD, name="Good.CSV")
    monkeypatch.chdir(tmp_path)
    chosen = targets.select_plan("Good.CSV")
    assert list(chosen["target_id"]) == ["t1"]
    assert runner.plan_label("Good.CSV") == "quang-nam-2021"


def test_a_plan_document_passed_as_a_plan_says_to_read_it_first(tmp_path):
    doc = tmp_path / "plan.docx"
    doc.write_bytes(b"not really")
    with pytest.raises(targets.TargetFileError, match="read-plan plan.docx"):
        targets.select_plan(str(doc))


# --------------------------------------------------------------------------- size


def test_a_large_plan_is_read_and_evaluated_not_refused(tmp_path, panel):
    """Issue 29 item 6: evaluation is linear in the rows, so a plan of thousands of targets is evaluated. 2,000 rows
    here (the 5,000 of the issue are timed by benchmarks/plan_size.py: about 40 CPU seconds with reading)."""
    rows = "".join(f"p,t{i},Quảng Nam,2020,2021,total,score_at_least,45.6\n" for i in range(2000))
    plan = targets.load_targets(_csv(tmp_path, rows))
    evaluation = targets.evaluate_targets(plan, panel)
    assert len(evaluation) == 2000 and list(evaluation["target_id"][:2]) == ["t0", "t1"]
    # one cell's shared draws: the same target has the same number wherever it stands in the plan
    assert evaluation["probability"].nunique() == 1 and 0 < evaluation["probability"].iloc[0] < 1


def test_a_plan_above_the_stated_limit_is_refused_with_a_sentence_before_any_row_is_read(tmp_path):
    # every row names an unknown province: had a row been read, that would be the message
    n = plan_schema.MAX_TARGETS + 1
    rows = "".join(f"p,t{i},Nowhere,2020,2021,total,score_at_least,45.6\n" for i in range(n))
    message = _refused(_csv(tmp_path, rows), f"has {n:,} targets", f"at most {plan_schema.MAX_TARGETS}")
    assert "Nowhere" not in message and message.endswith("Split it into one file per province or plan.")


def test_following_years_count_towards_the_limit(tmp_path):
    rows = "".join(
        f"p,t{i},Quảng Nam,2020,2021+,total,change_at_least,0\n" for i in range(plan_schema.MAX_TARGETS // 2)
    )
    _refused(_csv(tmp_path, rows), "once 'and following years' rows are read")


# --------------------------------------------------------------------------- issue 28: the example and rounding


def test_the_shipped_example_passes_its_own_plan_checks():
    example = config.ROOT / "examples" / "my_plan.yaml"
    chosen = targets.in_geography(targets.load_targets(example), "34")
    assert targets.check_targets(chosen, load_scores(geography="34")).empty


def test_a_total_stated_as_the_sum_of_the_published_dimensions_is_not_a_plan_error(panel):
    """Quảng Nam 2020: PAPI's total is 43.2623; its eight dimension scores as published (2 decimals) add up to the
    plan's 43.28. A difference below the published precision is no error; 43.30 is one."""
    seeds = targets.load_targets()
    qn = seeds[(seeds["plan_id"] == "quang-nam-2021") & (seeds["target_id"] == "total-score")].copy()
    assert targets.check_targets(qn, panel).empty
    qn["baseline_stated"] = "43.30"
    assert list(targets.check_targets(qn, panel)["check"]) == ["baseline", "target arithmetic"]


def test_every_refusal_is_a_sentence_in_the_cli_never_a_traceback(tmp_path, capsys):
    cases = {
        "nan.csv": HEADER + "p,t1,Quảng Nam,2020,2021,total,score_at_least,nan\n",
        "bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\ntargets: *e\n",
        "strings.yaml": "- a\n- b\n",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert cli.main(["report", "--province", "Quảng Nam", "--notebooks", "targets", "--plan", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("papi-analysis report: error: ") and name in err and "Traceback" not in err


def test_plan_schema_groups_are_the_rankings_groups():
    from papi_analysis.analysis import ranking

    assert plan_schema.GROUPS == ranking.GROUPS
    assert set(plan_schema.KINDS) == set(plan_schema.KIND_WORDS)


def test_a_long_id_in_a_yaml_file_names_its_line_and_column(tmp_path):
    path = tmp_path / "ids.yaml"
    path.write_text(
        f"plan_id: {'p' * 90}\nprovince: Quảng Nam\nbaseline_year: 2020\ntarget_year: 2021\n"
        "targets:\n  - {indicator: D1, kind: score_at_least, target_value: 5.3}\n",
        encoding="utf-8",
    )
    _refused(path, "ids.yaml, line 1, column 10 (plan_id)", "90 characters long")
