"""Issue 27, items 1 and 2: a question about 2025 or later is answered on the 34 provinces (an old province for the
unit it became part of, said in the reader's language), and ranks run among the units that can be ranked, with one
sentence saying how many and why. Real data only: every expected list is computed from the panels."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from papi_analysis import config, load_scores, params, provinces
from papi_analysis.analysis import targets
from papi_analysis.data import schema
from papi_analysis.report.texts import advice as advice_texts
from papi_analysis.run import cli

#: a rank among the 63 provinces or the 61 published in 2024: never offered for 2025 or later
RANK_63 = re.compile(r"\b\d{1,2}/6[0-3]\b")


def _advise(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["advise", *argv])
    captured = capsys.readouterr()
    return code, captured.out, " ".join(captured.err.split())


def _unranked(panel: pd.DataFrame, year: int) -> list[int]:
    """Units of the panel's geography without a total score in ``year``, from the data."""
    geography = provinces.geography_of(panel)
    rows = panel[(panel["year"] == year) & (panel["dimension"] == schema.TOTAL)].dropna(subset=["score"])
    return [int(c) for c in provinces.registry(geography=geography).index if int(c) not in set(rows["province_code"])]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_advise_for_an_old_province_says_what_it_became_and_answers_for_the_new_unit(capsys, lang):
    code, out, err = _advise(capsys, "--province", "Quảng Nam", "--lang", lang)
    assert code == 0, err
    assert provinces.reform_sentence("Quảng Nam", lang) in out.replace("\n", " ")
    new_name = provinces.name(provinces.successor("Quảng Nam"), lang, geography="34")
    assert out.splitlines()[1].startswith(new_name) or f" {new_name}" in out.splitlines()[0]
    assert not RANK_63.search(out), RANK_63.search(out).group(0)
    n_34 = len(provinces.registry(geography="34"))
    n_ranked = n_34 - len(_unranked(load_scores(geography="34"), params.last_year()))
    assert f"/{n_ranked}" in out


@pytest.mark.parametrize("province", ["Cao Bằng", "Thừa Thiên Huế", "Đà Nẵng"])
def test_advise_for_2025_is_on_the_34_provinces_by_default_and_when_63_is_asked(capsys, province):
    for argv in (["--province", province], ["--province", province, "--geography", "63"]):
        code, out, err = _advise(capsys, *argv, "--lang", "en")
        assert code == 0, err
        assert "34 provinces" in " ".join(out.split()) and not RANK_63.search(out), out[:400]
    assert "not the 63" in " ".join(
        out.split()
    )  # --geography 63 for 2025: the reader is told why the answer is on the 34


def test_advise_for_a_unit_without_a_recast_baseline_says_which_old_province_is_missing(capsys):
    panel = load_scores(geography="34")
    year = params.last_year()
    missing = _unranked(panel, year)
    assert missing, "every unit has a baseline: nothing to test"
    unit = missing[0]
    old = load_scores(geography="63")
    published = set(old[(old["year"] == year) & old["score"].notna()]["province_code"])
    absent = [c for c in provinces.old_provinces(unit) if c not in published]
    for geography in ("34", None):
        argv = ["--province", provinces.name(unit, geography="34")] + (["--geography", geography] if geography else [])
        code, out, err = _advise(capsys, *argv, "--lang", "vi")
        assert code == 2
        assert "choose a later year" not in err
        for c in absent:
            assert provinces.name(c, geography="63") in err, err


def test_ranks_run_among_the_units_with_a_baseline_and_one_sentence_says_why(capsys):
    year = params.last_year()
    panel = load_scores(geography="34")
    missing = _unranked(panel, year)
    ranked = targets.ranked_units(panel, year)
    assert ranked["missing"] == missing and ranked["n"] == len(provinces.registry(geography="34")) - len(missing)
    old = load_scores(geography="63")
    published = set(
        old[(old["year"] == year) & old["score"].notna() & (old["dimension"] == schema.TOTAL)]["province_code"]
    )
    expected_old = [c for m in missing for c in provinces.old_provinces(m) if c not in published]
    assert ranked["because"] == expected_old
    for lang in ("vi", "en"):
        sentence = advice_texts.ranked_sentence(ranked, year, lang)
        assert str(ranked["n"]) in sentence and str(ranked["n_units"]) in sentence
        for c in missing:
            assert provinces.name(c, lang, geography="34") in sentence
        for c in expected_old:
            assert provinces.name(c, lang, geography="63") in sentence
    code, out, _ = _advise(capsys, "--province", "Huế")
    assert code == 0
    assert advice_texts.ranked_sentence(ranked, year, "vi").split(":")[0] in out.replace("\n  ", " ")


def test_on_the_63_the_unpublished_provinces_are_named():
    panel = load_scores(geography="63")
    year = params.last_year()
    ranked = targets.ranked_units(panel, year)
    sentence = advice_texts.ranked_sentence(ranked, year, "en")
    for c in _unranked(panel, year):
        assert provinces.name(c, "en") in sentence
    assert str(len(provinces.registry()) - len(_unranked(panel, year))) in sentence


def test_a_published_baseline_on_the_34_is_not_called_recast():
    panel = load_scores(geography="34")
    year = params.last_year()
    assert targets.baseline_is_recast(panel, year)  # 2024 on the 34: merged units are recast
    released = panel[panel["year"] == year].assign(year=year + 1, score_source="published")
    assert not targets.baseline_is_recast(pd.concat([panel, released]), year + 1)
    for lang in ("vi", "en"):
        title = advice_texts.advice_title("Huế", year + 2, "34", lang, recast=False)
        assert not re.search("tính lại|recast|ước tính|estimate", title), title
        assert re.search("tính lại|recast", advice_texts.advice_title("Huế", year + 1, "34", lang, recast=True))


def test_the_last_year_is_read_from_the_data(monkeypatch):
    from papi_analysis.data import panel as panel_module

    real = panel_module.read_panel
    assert params.LAST_YEAR == max(int(load_scores(geography=g)["year"].max()) for g in ("63", "34"))

    def with_a_release(*args, geography="63", **kwargs):
        frame = real(*args, geography=geography, **kwargs)
        if geography != "34":
            return frame
        last = frame[frame["year"] == frame["year"].max()].assign(year=int(frame["year"].max()) + 1)
        return pd.concat([frame, last], ignore_index=True)

    monkeypatch.setattr(panel_module, "read_panel", with_a_release)
    assert params.LAST_YEAR == int(real(geography="34")["year"].max()) + 1
    assert targets.advisor.last_published_year() == params.LAST_YEAR


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_target_reports_advice_section_offers_no_2025_rank_among_the_63(lang):
    """Notebook 02, section 5, for an old province on the 63: the advice is Đà Nẵng's on the 34, and says so."""
    unit, panel, advice = targets.advice_question("Quảng Nam", geography="63")
    table, said = advice_texts.advice_report(unit, panel, advice, lang)
    assert unit.geography == "34" and unit.code == provinces.successor("Quảng Nam")
    cells = " ".join(table.astype(str).to_numpy().ravel())
    assert not RANK_63.search(cells) and not any(RANK_63.search(s) for s in said)
    assert any(provinces.reform_sentence("Quảng Nam", lang) in s for s in said)
    nb = json.loads((config.NOTEBOOKS / "02_target_realism.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    advice_cells = [s for s in sources if "advice" in s and "targets.advise" in s or "advice_question" in s]
    assert advice_cells and all("advice_question" in s for s in advice_cells)


def test_the_advice_texts_have_no_language_branches():
    import inspect

    source = inspect.getsource(advice_texts)
    assert not re.search(r"lang\s*==\s*['\"](vi|en)['\"]", source)
    assert not advice_texts.SAY.problems() and not advice_texts.HEADERS.problems()


def test_a_plan_form_for_2025_asked_for_an_old_province_is_its_new_units(tmp_path, capsys):
    out = tmp_path / "form.xlsx"
    for argv in ([], ["--geography", "63"]):
        code = cli.main(["plan-template", "--province", "Quảng Nam", *argv, "--out", str(out), "--lang", "vi"])
        printed = " ".join(capsys.readouterr().out.split())
        assert code == 0 and out.exists()
        assert provinces.reform_sentence("Quảng Nam", "vi") in printed
        new = provinces.name(provinces.successor("Quảng Nam"), geography="34")
        assert f'report --province "{new}"' in printed


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_recast_outcome_in_the_advice_is_an_estimate_never_actual(tmp_path, capsys, lang):
    """advise for a published year on the 34: a merged unit's result that year is a recast estimate."""
    panel = load_scores(geography="34")
    year = params.last_year()
    merged = panel[(panel["year"] == year) & (panel["score_source"] == "recast") & panel["score"].notna()]
    code = int(merged["province_code"].iloc[0])
    out = tmp_path / "advice.csv"
    argv = ["--province", provinces.name(code, geography="34"), "--geography", "34", "--year", str(year)]
    result, printed, err = _advise(capsys, *argv, "--lang", lang, "--csv", str(out))
    assert result == 0, err
    columns = list(pd.read_csv(out, encoding="utf-8-sig", nrows=0).columns)
    assert not [c for c in columns if c.startswith(("Thực tế", "Actual"))], columns
    assert [c for c in columns if re.search("tính lại|recast", c)]
    assert not re.search(r"\b(Thực tế|Actual)\b", printed)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_advise_for_an_unchanged_province_says_its_boundaries_did_not_change(capsys, lang):
    """Huế and Quảng Nam printed a line on the 1 July 2025 reform, Cao Bằng none (reader's pass, item 15)."""
    code, out, err = _advise(capsys, "--province", "Cao Bằng", "--lang", lang)
    assert code == 0, err
    assert provinces.reform_sentence("Cao Bằng", lang) in " ".join(out.split())
