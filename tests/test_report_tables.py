"""Tables for people: headers, translated values, number formats, missing values, xlsx, sub-dimension labels."""

from __future__ import annotations

import math
import re

import openpyxl
import pandas as pd
import pytest

from papi_analysis import config
from papi_analysis.report import tables


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_id": ["D1-score", "total-rank"],
            "kind": ["score_at_least", "rank_at_most"],
            "baseline": [4.4949, math.nan],
            "required_change": [0.81, -0.001],
            "probability_%": [8.0, 30.0],
            "p_low_%": [2.0, 20.0],
            "p_high_%": [16.0, 41.0],
            "outcome": ["met", "pending"],
            "rank": [21, 5],
            "n_ranked": [63, pd.NA],
        }
    )


@pytest.mark.parametrize(
    "lang, headers, values",
    [
        (
            "en",
            ["Target", "Kind of target", "Baseline score", "Probability (90% interval)", "Outcome", "Rank"],
            ["Score at least", "8% (2–16%)", "Met", "Not yet published", "21/63", "4.49", "—"],
        ),
        (
            "vi",
            ["Mục tiêu", "Loại mục tiêu", "Điểm năm gốc", "Xác suất đạt (khoảng 90%)", "Kết quả", "Thứ hạng"],
            ["Điểm tối thiểu", "8% (2–16%)", "Đạt", "Chưa công bố", "21/63", "4,49", "—"],
        ),
    ],
)
def test_a_table_has_human_headers_translated_values_and_report_formats(lang, headers, values):
    shown, _, any_missing = tables.display_frame(_frame(), lang)
    assert list(shown.columns)[:2] == headers[:2] and all(h in shown.columns for h in headers)
    cells = set(shown.to_numpy().ravel())
    assert all(v in cells for v in values), cells
    assert any_missing
    assert not any(c in shown.columns for c in ("p_low_%", "n_ranked"))  # folded into their columns
    assert "-0.00" not in cells and "-0,00" not in cells and "0.00" in cells | {"0,00"} or "0,00" in cells


def test_styled_html_has_no_index_column_nan_or_identifiers_and_colours_outcomes():
    html = tables.styled_table(_frame(), "en", caption="Targets").to_html()
    for bad in ("NaN", "<NA>", "score_at_least", "row_heading", "nan"):
        assert bad not in html
    assert tables.COLOURS["met"] in html and "Targets" in html


def test_an_unknown_column_is_refused_rather_than_shown_as_an_identifier():
    with pytest.raises(KeyError, match="No display header for column 'beyond_the_pale'"):
        tables.display_frame(pd.DataFrame({"beyond_the_pale": [1]}), "en")
    shown, _, _ = tables.display_frame(
        pd.DataFrame({"x_y": [1.234]}), "en", headers={"x_y": "X"}, kinds={"x_y": "points"}
    )
    assert shown.iloc[0, 0] == "1.23"


def test_tables_workbook_has_one_sheet_per_table_with_the_same_headers(tmp_path):
    shown = tables.excel_frame(_frame(), "vi")
    path = tables.write_tables_xlsx([("02 mục tiêu", shown), ("02 mục tiêu", shown)], tmp_path / "tables.vi.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["02 mục tiêu", "02 mục tiêu (2)"]
    assert [c.value for c in book.active[1]] == list(shown.columns)
    assert tables.write_tables_xlsx([], tmp_path / "none.xlsx") is None and not (tmp_path / "none.xlsx").exists()


def test_every_published_subdimension_has_a_full_corrected_label_in_both_languages():
    raw = pd.read_csv(config.RAW_SUBDIMENSIONS, dtype=str, keep_default_na=False)
    pairs = raw[["indicator", "year", "label"]].drop_duplicates(["indicator", "year"])
    labels = {
        (r.indicator, int(r.year), lang): tables.subdimension_label(r.indicator, int(r.year), lang, r.label)
        for r in pairs.itertuples()
        for lang in ("vi", "en")
    }
    assert len(labels) == 2 * len(pairs) > 0
    text = " ".join(labels.values())
    for typo in ("Opportunties", "Tittle", "Reponsiveness", "..."):
        assert typo not in text
    assert labels[("D5.3", 2023, "en")] == "Land Title Procedures"
    assert labels[("D8.3", 2023, "en")] == "E-Responsiveness of Provincial Authorities"
    assert labels[("D1.2", 2022, "en")] == "Opportunities for Participation in Elections"
    # the source's mark is kept and explained
    assert labels[("D6.3", 2019, "vi")] == "Cơ sở hạ tầng căn bản*" and "*" in tables.SUBDIMENSION_MARK_NOTE["vi"]
    assert labels[("D6.3", 2023, "vi")] == "Cơ sở hạ tầng căn bản"  # marked only where the source marks it
    # a code reused for another sub-dimension after a redesign gets the label of its own years
    assert labels[("D2.1", 2013, "en")] == "Poverty Lists"


def test_link_tables_show_correlations_with_their_interval_and_dimension_names(panel):
    from papi_analysis import links

    pooled = links.pooled_correlation(panel, 2018, 2024, "pearson")
    shown, _, _ = tables.display_frame(pooled, "en")
    first = pooled.iloc[0]
    assert shown["Correlation (95% CI)"].iloc[0] == f"{first['r']:.2f} ({first['ci_low']:.2f} – {first['ci_high']:.2f})"
    assert shown["Dimension"].iloc[0].startswith(f"{first['dim_a']} ") and "ci_low" not in "".join(shown.columns)


def test_subdimension_figure_uses_the_label_table_and_says_which_subset_it_shows():
    import matplotlib.pyplot as plt

    from papi_analysis import trends
    from papi_analysis.data.panel import read_subdimensions
    from papi_analysis.report import figures

    gaps = trends.subdimension_gaps(read_subdimensions(), "Cà Mau")
    fig = figures.plot_subdimension_gaps(gaps, "Cà Mau", "en")
    ax = fig.axes[0]
    names = " ".join(t.get_text() for t in ax.get_yticklabels())
    assert f"the 12 weakest of {len(gaps)}" in ax.get_title()
    assert "Opportunities for Participation in Elections" in names and "Opportunties" not in names
    assert "..." not in names and figures.figure_alt_text(fig) == ax.get_title()
    plt.close(fig)


def _shown_names() -> set[str]:
    """The names every notebook shows its tables under (show_table's second argument, read from the code's syntax
    tree): f-strings expanded for the unit groups, both branches of a language choice, an index's short name."""
    import ast

    import nbformat

    from papi_analysis.analysis import index_checks

    def names_of(node: ast.expr) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.JoinedStr):  # f"backtest {units}"
            template = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            return {template.format(u) for u in ("merged", "unmerged")}
        if isinstance(node, ast.IfExp):
            return names_of(node.body) | names_of(node.orelse)
        return set(index_checks.SHORT_NAMES.values()) - {"PAPI"}  # 04: the index's short name

    names: set[str] = set()
    for path in sorted(config.NOTEBOOKS.glob("0*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                called = getattr(getattr(node, "func", None), "attr", None) or getattr(
                    getattr(node, "func", None), "id", None
                )
                if isinstance(node, ast.Call) and called in ("show_table", "show_reader_table") and len(node.args) > 1:
                    names |= names_of(node.args[1])
    return names


def test_every_report_table_has_a_short_sheet_label_that_fits_whole():
    """Reader's pass item 9: sheet names were captions cut mid-phrase ("Điểm từng chỉ số nội dung theo") and
    "(2)"-numbered. Each table a notebook shows has a label in both languages, a whole phrase Excel accepts."""
    shown = _shown_names()
    assert {"standing", "rank by year", "backtest merged", "bands unmerged", "lagged effects"} <= shown
    assert not shown - set(tables.SHEET_LABELS), sorted(shown - set(tables.SHEET_LABELS))
    for name, labels in tables.SHEET_LABELS.items():
        for label in labels:
            assert 0 < len(label) <= tables.SHEET_LABEL_LENGTH and label == tables._clean(label), (name, label)
    for lang in (0, 1):  # within one report two tables never share a label
        for group in (("backtest", "bands and advice", "backtest merged", "bands merged", "backtest unmerged"),):
            assert len({tables.SHEET_LABELS[n][lang] for n in group}) == len(group)


def _report_table(name: str, number: int, source: str, caption: str = "") -> pd.DataFrame:
    frame = tables.excel_frame(pd.DataFrame({"year": [2023], "score": [4.5]}), "vi")
    frame.attrs.update(name=name, number=number, source=source, caption=caption)
    return frame


def test_report_sheets_are_named_by_report_table_and_label(tmp_path):
    """ "<report>.<table> <label>": the report's number from its file, a letter per plan when two target reports
    share a workbook, never "(2)"; a table without a label keeps its caption only when it fits whole."""
    found = [
        ("", _report_table("standing", 1, "01_trends.vi")),
        ("", _report_table("rank", 2, "01_trends.vi", "Quảng Trị 2023")),
        ("", _report_table("province numbers", 1, "02_target_realism.plan-a.vi")),
        ("", _report_table("province numbers", 1, "02_target_realism.plan-b.vi")),
        ("", _report_table("new table", 3, "01_trends.vi", "Một chú thích rất dài, dài hơn tên một trang tính")),
        ("", _report_table("new table", 4, "01_trends.vi", "Chú thích ngắn")),
    ]
    assert tables.report_sheet_names(found, "vi") == [
        "1.1 Vị trí hiện tại",
        "1.2 Độ chắc chắn của thứ hạng",
        "2a.1 Số liệu của tỉnh",
        "2b.1 Số liệu của tỉnh",
        "Bảng 1.3",
        "1.4 Chú thích ngắn",
    ]
    path = tables.write_tables_xlsx(found, tmp_path / "tables.vi.xlsx", lang="vi", readme={"descriptions": []})
    assert openpyxl.load_workbook(path).sheetnames[1:3] == ["1.1 Vị trí hiện tại", "1.2 Độ chắc chắn của thứ hạng"]


@pytest.mark.parametrize(
    ("title", "cells", "expected"),
    [
        # a rank with its interval, the level said once in the header (no "KTC" in the cell)
        (
            "Thứ hạng (khoảng tin cậy 95%)",
            ["26 (11–45) / 61"],
            [
                ("Thứ hạng (khoảng tin cậy 95%)", "rank", [26]),
                ("Thứ hạng (khoảng tin cậy 95%): cận dưới", "rank", [11]),
                ("Thứ hạng (khoảng tin cậy 95%): cận trên", "rank", [45]),
                ("Thứ hạng (khoảng tin cậy 95%): trên tổng số tỉnh", "int", [61]),
            ],
        ),
        # one cell, three percentages: three columns named by their part of the header
        (
            "Năm kém / bình thường / tốt của cả nước",
            ["2% / 10% / 43%", None],
            [
                ("Năm kém / bình thường / tốt của cả nước: kém", "share", [0.02, None]),
                ("Năm kém / bình thường / tốt của cả nước: bình thường", "share", [0.10, None]),
                ("Năm kém / bình thường / tốt của cả nước: tốt", "share", [0.43, None]),
            ],
        ),
        # years beside a word: the years integers, the word in a column of its own
        (
            "Năm",
            ["2018", "2019", "Gộp cả giai đoạn"],
            [("Năm", "cells", [2018, 2019, None]), ("Năm: dạng chữ", "text", [None, None, "Gộp cả giai đoạn"])],
        ),
    ],
)
def test_cells_holding_several_numbers_become_columns_of_numbers(title, cells, expected):
    """Reader's pass item 9: "2% / 10% / 43%" and years beside "Gộp cả giai đoạn" were text in the workbook."""
    got = tables._numbers_in_text(title, cells, "vi")
    assert [(h, k) for h, k, _ in got] == [(h, k) for h, k, _ in expected]
    for (_, kind, values), (_, _, wanted) in zip(got, expected, strict=True):
        values = [v[0] if kind == "cells" and v is not None else v for v in values]
        assert values == [pytest.approx(w) if isinstance(w, float) else w for w in wanted]


def test_the_rank_key_value_table_reaches_the_workbook_as_numbers(panel, tmp_path):
    """Reader's pass items 9 and 10, on Quảng Trị 2023: the rank table of the trends report said "26 (KTC 95%: 11–45)
    / 61" and its workbook sheet held every value as text ("94%", "0,324 điểm", "+11 (37 → 26)"). Now the cell is
    "26 (11–45) / 61" under a header that spells out the interval, and the sheet holds numbers in their own columns
    (value, low, high, out of, from, to) with display formats, words in a column of their own."""
    from papi_analysis.analysis import frontier, rank_change, rank_uncertainty
    from papi_analysis.data import provinces
    from papi_analysis.report.texts import ranks as rank_texts

    code = provinces.get("Quảng Trị").code
    intervals = rank_texts.label_recast_se(rank_uncertainty.rank_intervals(panel, 2023, "total"), panel)
    moves = rank_change.rank_change_decomposition(panel, 2022, 2023, "total")
    table = rank_texts.rank_summary_table(
        intervals,
        code,
        "vi",
        rank_change.rank_change_noise(panel, 2022, 2023, "total"),
        moves,
        frontier.distance_to_frontier(panel, code, 2023, ["total"]).iloc[0],
    )
    move = moves.set_index("province_code").loc[code]
    cells = table.to_numpy().ravel().tolist()
    assert not any("KTC" in str(c) for c in cells) and "khoảng tin cậy 95%" in table.iloc[0, 0]
    assert table.iloc[0, 1].endswith(") / 61") and "(" in table.iloc[0, 1]
    sheet = tables.excel_frame(
        table, "vi", headers={c: c for c in table.columns}, kinds=dict.fromkeys(table.columns, "text")
    )
    sheet.attrs.update(name="rank", number=1, source="01_trends.vi")
    book = openpyxl.load_workbook(tables.write_tables_xlsx([("", sheet)], tmp_path / "t.xlsx", lang="vi"))
    rows = list(book["1.1 Độ chắc chắn của thứ hạng"].iter_rows(values_only=False))
    headers = [c.value for c in rows[0]]
    assert headers[:2] == ["Nội dung", "Giá trị"] and "Giá trị: cận dưới" in headers and "Giá trị: dạng chữ" in headers
    by_item = {r[0].value: r for r in rows[1:]}
    value = headers.index("Giá trị")
    rank_cell = rows[1][value]
    assert isinstance(rank_cell.value, int) and rank_cell.number_format == "[$-42A]0"
    shares = [r[value] for item, r in by_item.items() if item.startswith("Xác suất thật sự thuộc nhóm")]
    assert len(shares) == 4 and all(
        isinstance(c.value, (int, float)) and c.number_format == "[$-42A]0%" for c in shares
    )
    assert sum(c.value for c in shares) == pytest.approx(1, abs=0.02)
    se = by_item["Sai số chuẩn"][value]
    assert isinstance(se.value, float) and se.number_format == '[$-42A]#,##0.000" điểm"'
    change = next(r for item, r in by_item.items() if item.startswith("Thay đổi thứ hạng"))
    assert (
        change[value].value == move["rank_change"] and change[headers.index("Giá trị: từ")].value == move["rank_from"]
    )
    assert change[headers.index("Giá trị: đến")].value == move["rank_to"]
    # no number left as text: a text cell is words (a sentence may quote a year or a rank)
    numeric_text = [
        c.value
        for r in rows[1:]
        for c in r[1:]
        if isinstance(c.value, str) and re.fullmatch(r"[\d%,.+\-–…/() →]+", c.value)
    ]
    assert not numeric_text


def test_a_period_becomes_two_years_and_its_words_stay_beside_them():
    """The backtest's "Giai đoạn" ("2016–2021", "2016–2024 (cả hai giai đoạn)") was text: now from and to years,
    integers, and the words in a column of their own; no empty column for a value no cell has."""
    got = tables._numbers_in_text("Giai đoạn", ["2016–2021", "2022–2024", "2016–2024 (cả hai giai đoạn)"], "vi")
    assert [(h, k) for h, k, _ in got] == [
        ("Giai đoạn: từ", "cells"),
        ("Giai đoạn: đến", "cells"),
        ("Giai đoạn: dạng chữ", "text"),
    ]
    assert [v for v, _ in got[0][2]] == [2016, 2022, 2016] and [v for v, _ in got[1][2]] == [2021, 2024, 2024]
    assert got[2][2] == [None, None, "cả hai giai đoạn"]
    bounds = tables._numbers_in_text("Mô hình đúng cho", ["42–57%", "83–94%", "—"], "vi")
    assert [v for v, _ in bounds[0][2][:2]] == [0.42, 0.83] and bounds[0][2][0][1] == "0%"  # "42" is 42%, not 42


def test_the_readme_sheet_says_which_section_of_the_report_holds_each_table(tmp_path):
    """Each table knows the heading it sits under, in the report's language, the appendix's title in front of an
    appendix section: the README sheet gives it beside the sheet's name and caption."""
    import nbformat

    def table_output(name: str) -> dict:
        payload = {
            "name": name,
            "caption": f"Quảng Trị: {name}",
            "columns": ["Năm"],
            "kinds": ["year"],
            "rows": [[2024]],
        }
        return nbformat.v4.new_output("display_data", data={tables.TABLE_MIME: payload, "text/plain": name})

    nb = nbformat.v4.new_notebook(
        metadata={"papermill": {"parameters": {"lang": "vi"}}},
        cells=[
            nbformat.v4.new_markdown_cell("# Xu hướng PAPI", metadata={"tags": ["vi"]}),
            nbformat.v4.new_markdown_cell("## 8. Thứ hạng chắc chắn đến đâu?", metadata={"tags": ["vi"]}),
            nbformat.v4.new_markdown_cell("## 8. How sure is the rank?", metadata={"tags": ["en"]}),
            nbformat.v4.new_code_cell(outputs=[table_output("rank")]),
            nbformat.v4.new_markdown_cell(
                "# Phụ lục cho người phân tích\n\n## A. Khoảng của thứ hạng", metadata={"tags": ["vi"]}
            ),
            nbformat.v4.new_code_cell(outputs=[table_output("rank by year")]),
        ],
    )
    found = tables.tables_in_notebook(nb, source="01_trends.vi")
    assert [t.attrs["section"] for _, t in found] == [
        "8. Thứ hạng chắc chắn đến đâu?",
        "Phụ lục cho người phân tích — A. Khoảng của thứ hạng",
    ]
    path = tables.write_tables_xlsx(
        found,
        tmp_path / "t.xlsx",
        lang="vi",
        readme={"columns": ("Trang tính", "Nội dung"), "descriptions": ["a", "b"]},
    )
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[2] == ("Trang tính", "Nội dung", "Mục trong báo cáo")
    assert rows[4] == ("1.2 Khoảng thứ hạng theo năm", "b", "Phụ lục cho người phân tích — A. Khoảng của thứ hạng")


def test_a_gap_to_the_next_group_that_rounds_to_zero_is_not_shown_as_zero():
    """Cà Mau's D2 in 2024 is 0.0009 points under the top group's threshold: "0,001", not "0,00" (a province with no
    distance left would be in the group)."""
    from papi_analysis.analysis import frontier
    from papi_analysis.data import provinces
    from papi_analysis.data.panel import read_panel
    from papi_analysis.report.numbers import number
    from papi_analysis.report.texts import ranks

    rows = frontier.distance_to_frontier(read_panel(), provinces.get("Cà Mau").code, 2024)
    d2 = rows.set_index("dimension").loc["D2"]
    assert 0 < d2["gap_to_next_group"] < 0.005
    table = ranks.frontier_table(rows, "vi").set_index("Chỉ số")
    gaps = table["Cách ngưỡng nhóm kế trên (điểm)"]
    assert gaps.filter(like="D2").iloc[0] == number(d2["gap_to_next_group"], "vi", 3) != "0,000"
    assert "0,00" not in gaps.tolist()
