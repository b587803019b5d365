"""Issue 28 items 1 and 7 for the target report: words a meeting understands. No variable letters ("thay đổi ít nhất
c", "tăng ít nhất k bậc"), no English abbreviation in Vietnamese text, no "Điểm (điểm)" axis label, "1 place" not
"1 places", the reliability figure's note readable and unambiguous, plan-check figures at the published precision,
and a glossary that explains every term once, in both languages."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from papi_analysis.analysis import targets
from papi_analysis.analysis.targets.backtest import FAMILY_NAMES
from papi_analysis.report import figures
from papi_analysis.report.figures import targets as target_figures
from papi_analysis.report.texts import calibration, glossary, spread, verdicts
from papi_analysis.report.texts import targets as texts

#: English abbreviations a Vietnamese reader must never meet
ABBREVIATIONS = re.compile(r"\b(SE|ECE|CRPS|issue \d+)\b")
#: a lone variable letter after a quantity word: "ít nhất c", "tăng ít nhất k bậc", "at least c"
VARIABLE = re.compile(r"(ít nhất|at least|of) [a-z]\b(?! \w)|\b[ck] (bậc|places)\b")


def _vietnamese_templates() -> list[tuple[str, str]]:
    tables = {
        "targets.TEXT": texts.TEXT,
        "targets.CAPTIONS": texts.CAPTIONS,
        "targets.CHECK_NAMES": texts.CHECK_NAMES,
        "verdicts.SAY": verdicts.SAY,
        "verdicts.WORDS": verdicts.WORDS,
        "verdicts.KIND_PHRASES": verdicts.KIND_PHRASES,
        "verdicts.AUTOMATIC": verdicts.AUTOMATIC,
        "calibration.SAY": calibration.SAY,
        "spread.SAY": spread.SAY,
        "glossary.TERMS": glossary.TERMS,
    }
    out = [(f"{name}[{key}]", table[key]["vi"]) for name, table in tables.items() for key in table]
    out += [(f"BACKTEST_HEADERS[{k}]", v) for k, v in calibration.BACKTEST_HEADERS["vi"].items()]
    out += [(f"VERDICT_HEADERS[{k}]", v) for k, v in verdicts.VERDICT_HEADERS["vi"].items()]
    out += [(f"FAMILY_NAMES[{k}]", v) for k, v in FAMILY_NAMES["vi"].items()]
    return out


def test_no_english_abbreviation_in_the_vietnamese_target_texts():
    found = [(where, text) for where, text in _vietnamese_templates() if ABBREVIATIONS.search(text)]
    assert not found, found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_kinds_of_target_are_named_without_variable_letters(lang):
    found = {k: v for k, v in FAMILY_NAMES[lang].items() if VARIABLE.search(v)}
    assert not found, found
    assert VARIABLE.search("thay đổi ít nhất c") and VARIABLE.search("tăng ít nhất k bậc")  # the check can fail


def _row(**values):
    base = dict(
        indicator="total", kind="rank_gain_at_least", target="1", target_year=2022, baseline_year=2021, notes=""
    )
    return pd.Series(base | values)


def test_a_rank_gain_of_one_place_is_singular():
    assert target_text_en("1") == "Total: up at least 1 place in rank (2022)"
    assert target_text_en("3") == "Total: up at least 3 places in rank (2022)"
    assert verdicts.target_text(_row(target="3"), "vi") == "Tổng điểm: tăng ít nhất 3 bậc (năm 2022)"


def target_text_en(places: str) -> str:
    return verdicts.target_text(_row(target=places), "en")


def test_plan_check_figures_keep_the_published_precision():
    """ "43.2623" was shown beside the plan's "43,28": the table writes at most the 2 decimals PAPI publishes, in the
    reader's marks, and the plan's arithmetic with an arrow and a real minus."""
    assert texts._figure("43.2623", "vi") == "43,26"
    assert texts._figure("43.28 + 2.32 -> 45.6", "vi") == "43,28 + 2,32 → 45,6"
    assert texts._figure("53/63", "vi") == "53/63"
    assert texts._figure("no published score", "vi") == "không có điểm công bố"
    issues = pd.DataFrame(
        dict(target_id=["t"], check=["baseline"], stated=["43.30"], found=["43.2623"], checked_on=["63"])
    )
    table = texts.checks_table(issues, pd.DataFrame(columns=["target_id"]), "vi")
    assert list(table.iloc[0]) == ["t", "Điểm năm gốc", "43,30", "43,26"]


def test_score_axes_do_not_say_points_twice():
    assert figures.label("score_axis", "vi") == "Điểm"
    assert figures.label("score_axis", "en") == "Score (points)"
    from pathlib import Path

    root = Path(target_figures.__file__).parent
    for path in root.glob("*.py"):
        assert "label('score', lang)} ({label('points'" not in path.read_text(), path.name


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_reliability_note_is_readable_and_says_on_above_and_below_apart(lang):
    curves = {
        "score_at_least": pd.DataFrame(dict(mean_forecast=[0.2, 0.5, 0.8], observed=[0.25, 0.5, 0.7], n=[100, 200, 50]))
    }
    fig = target_figures.plot_reliability_by_family(curves, lang)
    try:
        note = [t for t in fig.texts if t.get_text() == target_figures.RELIABILITY_LABELS[lang]["caption"]]
        assert note and note[0].get_fontsize() >= 11  # was 7 points: about 7 pixels on the page
        text = note[0].get_text()
        words = {
            "vi": ("đúng đường chéo", "thấp hơn đường chéo", "cao hơn đường chéo"),
            "en": ("on the dashed diagonal", "lower than the diagonal", "higher"),
        }[lang]
        assert all(w in text for w in words)
        if lang == "vi":
            assert "trên đường chéo" not in text and "Dưới đường chéo" not in text
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------- glossary


def test_the_glossary_is_complete_in_both_languages():
    assert glossary.TERMS.problems() == []
    for key in glossary.TARGET_TERMS:
        assert key in glossary.TERMS and f"{key}_means" in glossary.TERMS


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_glossary_explains_the_terms_of_the_target_report(lang):
    page = glossary.glossary_html(glossary.TARGET_TERMS, lang)
    assert page.count("<dt ") == len(glossary.TARGET_TERMS) == len(set(glossary.TARGET_TERMS))
    # the terms the issue names as unexplained are explained
    needed = {
        "vi": ["Xác suất đạt", "Sai lệch hiệu chỉnh", "Điểm Brier", "Kiểm định ngược", "Hiệu chỉnh yếu"],
        "en": ["Probability of reaching a target", "Calibration error (ECE)", "Brier score", "Backtest", "CRPS"],
    }[lang]
    for term in needed:
        assert f"<strong>{term}</strong>" in page


# --------------------------------------------------------------------------- the leadership part


@pytest.fixture(scope="module")
def quang_nam():
    from papi_analysis import load_scores, provinces, targets

    panel = load_scores(geography="63")
    chosen = targets.in_geography(targets.select_plan("quang-nam-2021"), "63")
    return panel, provinces.get("Quảng Nam"), chosen, targets.evaluate_targets(chosen, panel, lang="vi")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_table_gives_each_target_its_word_probability_and_outcome(quang_nam, lang):
    _, _, chosen, evaluation = quang_nam
    frame, headers, _ = texts.plain_table(evaluation, lang, chosen)
    assert list(frame.columns) == ["target", "baseline", "verdict", "probability", "outcome"]
    assert len(frame) == len(evaluation)
    words = set(__import__("papi_analysis").targets.VERDICTS[lang].values())
    for verdict in frame["verdict"]:
        word = verdict.split(" (")[0].lower()
        assert word in words and "–" not in verdict  # the word alone: the range is in the appendix's table
    assert all(p == "—" or re.fullmatch(r"\d+%", p) for p in frame["probability"])
    # "tiếp tục nâng cao" (a change of at least 0) reads as words, not "ít nhất 0,00 điểm"
    assert not frame["target"].str.contains("0,00|0.00").any()
    assert frame["target"].str.contains({"vi": "không thấp hơn năm gốc", "en": "no lower than"}[lang]).any()


def test_the_provinces_numbers_come_from_the_published_scores(quang_nam):
    panel, selected, _, evaluation = quang_nam
    frame, _, _, caption = texts.province_numbers(panel, selected.code, selected.name_vi, evaluation, "vi")
    latest = panel[(panel["province_code"] == selected.code) & panel["score"].notna()]
    year = int(latest["year"].max())
    assert f"Quảng Nam năm {year}" in caption
    total = latest[(latest["year"] == year) & (latest["dimension"] == "total")]["score"].iloc[0]
    assert frame.iloc[0]["indicator"] == "Tổng điểm" and frame.iloc[0]["score"] == pytest.approx(total)
    assert frame["rank"].str.fullmatch(r"\d+/\d+").all()


def test_one_target_is_singular(quang_nam):
    _, _, _, evaluation = quang_nam
    one = texts.summary_points(evaluation.head(1), "Quảng Nam", "en")[0]
    assert one.startswith("Quảng Nam: 1 target for 2021:"), one
    assert texts.summary_points(evaluation, "Quảng Nam", "en")[0].startswith(f"Quảng Nam: {len(evaluation)} targets")


def test_the_verdicts_in_words_give_one_word_and_the_numbers(quang_nam):
    """The list on the first pages: 'Tham vọng (hiệu chỉnh yếu¹): xác suất theo mô hình 26% (khoảng 8–49%)', not
    'Tham vọng (8–49%: rất tham vọng đến có thể đạt) …' (the words at both ends stay in the appendix's table)."""
    _, _, chosen, evaluation = quang_nam
    words = "|".join(targets.VERDICTS["vi"][k] for k in ("very", "ambitious", "possible"))
    spans = re.compile(rf"%: (?:{words}) đến ", re.IGNORECASE)
    listed = texts.verdicts_html(evaluation, "vi", chosen)
    assert not spans.search(listed) and "khoảng " in listed
    frame, _, _ = texts.verdict_table(evaluation, "vi")
    assert frame["verdict"].str.contains(spans).any()  # the appendix keeps them


def test_the_appendix_starts_each_verdict_with_the_first_tables_word(quang_nam):
    """Appendix B read "Khả thi – có thể đạt, 58–66%" where the first table said "Có thể đạt", and ranges ran high to
    low in words but low to high in numbers (reader's pass, item 5)."""
    _, _, chosen, evaluation = quang_nam
    first, _, _ = texts.plain_table(evaluation, "vi", chosen)
    appendix, _, _ = texts.verdict_table(evaluation, "vi")
    for word, cell in zip(first["verdict"], appendix["verdict"]):
        assert cell.startswith(word.split(" (")[0]), (word, cell)
    order = [targets.VERDICTS["vi"][k] for k in ("very", "ambitious", "possible", "likely")]
    for low, high in re.findall(r"%: ([^()]+?) đến ([^()]+?)\)", " ".join(appendix["verdict"])):
        assert order.index(low.strip()) < order.index(high.strip()), (low, high)


def test_the_summary_names_only_the_outcomes_some_target_has(quang_nam):
    _, _, _, evaluation = quang_nam
    first = texts.summary_points(evaluation, "Quảng Nam", "vi")[0]
    assert "0 chưa công bố" not in first and "0 không có số liệu" not in first and " đạt, " in first
    pending = evaluation.assign(outcome=["pending"] + list(evaluation["outcome"].iloc[1:]))
    assert ", 1 chưa công bố" in texts.summary_points(pending, "Quảng Nam", "vi")[0]


def test_each_glossary_term_stays_on_the_row_of_its_explanation():
    """The page theme floats <dt> at a fixed width: a term longer than that ('Năm kém, năm bình thường, năm tốt của cả
    nước') pushed every later explanation beside the next term (reader's pass, 4 Dec). A two-column grid keeps pairs."""
    page = glossary.glossary_html(glossary.TARGET_TERMS, "vi")
    assert "display:grid" in page and "float:none" in page
    terms, explanations = (
        re.findall(r"<dt style=\"[^\"]*grid-column:1\"", page),
        re.findall(r"<dd style=\"[^\"]*grid-column:2\"", page),
    )
    assert len(terms) == len(explanations) == len(glossary.TARGET_TERMS)
