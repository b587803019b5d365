"""`papi-analysis advise` in a terminal: about 100 columns, the same numbers as the CSV, in both languages."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from papi_analysis.report.texts import advice as advice_texts
from papi_analysis.run import cli


@pytest.mark.parametrize(
    "argv",
    [
        ["--province", "Quảng Nam", "--year", "2021", "--lang", "vi"],  # published year: actual column too
        ["--province", "Quang Nam", "--year", "2021", "--lang", "en"],
        ["--province", "Đà Nẵng", "--geography", "34", "--lang", "vi"],  # next year, recast 34 provinces
        ["--province", "Thừa Thiên Huế", "--lang", "en"],
    ],
)
def test_the_terminal_view_fits_100_columns_and_shows_the_csv_numbers(tmp_path, capsys, argv):
    out = tmp_path / "advice.csv"
    assert cli.main(["advise", *argv, "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert max(len(line) for line in lines) <= advice_texts.TERMINAL_WIDTH, max(lines, key=len)
    assert not re.search(r"\bnan\b|<NA>", printed, flags=re.IGNORECASE)
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    score70 = next(c for c in table.columns if "70%" in c and ("Điểm" in c or "Score" in c))
    rank70 = next(c for c in table.columns if "70%" in c and ("Thứ hạng" in c or "Rank" in c))
    scores_lines = [line for line in lines if re.match(r"(Tổng điểm|Total|D[1-8]) ", line)]
    n = len(table)
    assert len(scores_lines) == 2 * n  # one row per indicator in the scores table and in the ranks table
    for i, row in table.iterrows():
        score_line, rank_line = scores_lines[i], scores_lines[n + i]
        assert row[score70] in score_line.split(), (row[score70], score_line)
        assert row[rank70] in rank_line.split(), (row[rank70], rank_line)
    if "2021" in argv:
        actual = next(c for c in table.columns if c.startswith(("Thực tế", "Actual")))
        assert table.loc[0, actual].split(" ")[0] in scores_lines[0].split()


def test_without_csv_the_terminal_says_where_the_full_table_is(capsys):
    assert cli.main(["advise", "--province", "Cao Bằng", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "--csv FILE" in printed and "D8 E-governance" in printed  # dimension names once, above the tables


def test_a_merged_units_baseline_is_headed_as_an_estimate_and_a_score_past_the_threshold_says_so(tmp_path, capsys):
    """Đà Nẵng on the 34: its 2024 score and rank are recast (this project's estimate), so neither the terminal nor
    the CSV heads them "Điểm 2024"; an indicator at or above the top-quartile threshold (the advisor's room 0) reads
    "đã vượt" rather than a gap of 0,00."""
    out = tmp_path / "advice.csv"
    assert cli.main(["advise", "--province", "Đà Nẵng", "--geography", "34", "--lang", "vi", "--csv", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert table.columns[1] == "Ước tính (tính lại) 2024 (thứ hạng)"
    headers = [line for line in lines if line.startswith("Chỉ số  ")]  # the second header line of both tables
    assert len(headers) == 2 and all("(tính lại) 2024" in line for line in headers), headers
    assert not any(re.search(r"Điểm\s+2024|Hạng\s+2024", line) for line in lines)
    from papi_analysis import load_scores
    from papi_analysis.analysis import targets
    from papi_analysis.data import provinces

    code = provinces.get("Đà Nẵng", geography="34").code
    advice = targets.advise(load_scores(geography="34"), code, targets.advisor.last_published_year())
    above = [str(i) for i, room in zip(advice["indicator"], advice["room_to_top_quartile"]) if room == 0]
    assert above  # at least one indicator at or above the threshold (D6 in the 2024 data)
    room = next(c for c in table.columns if c.startswith("Khoảng cách"))
    cells = dict(zip(table[table.columns[0]], table[room]))
    assert all(cells[next(k for k in cells if k.startswith(i))] == "đã vượt" for i in above if i != "total")
    assert "0,00" not in table[room].tolist()
    assert all(
        next(line for line in lines if line.startswith(f"{i} ")).endswith("đã vượt") for i in above if i != "total"
    )
