"""The notebooks run with papermill for any province and language, and refuse bad parameters."""

from __future__ import annotations

import papermill
import pytest

from papi_analysis import config
from papi_analysis.run import runner


def _run(tmp_path, name, **parameters):
    out = tmp_path / f"{name}.ipynb"
    return runner.execute(config.NOTEBOOKS / runner.NOTEBOOKS[name], out, parameters)


@pytest.mark.parametrize("province, lang, slug", [("Cà Mau", "en", "ca-mau"), ("TT-Huế", "vi", "thua-thien-hue")])
def test_trends_notebook_runs_and_writes_figures(tmp_path, province, lang, slug):
    _run(tmp_path, "trends", province=province, lang=lang)
    folder = config.FIGURES / slug
    assert (folder / f"trend_total_{lang}.png").exists()
    assert (folder / f"map_total_2024_{lang}.svg").exists()


def test_trends_notebook_shows_gaps_for_a_province_with_missing_years(tmp_path):
    out = _run(tmp_path, "trends", province="Bắc Giang", start_year=2018, lang="en", map_year=2021)
    text = out.read_text()
    assert "no total: D1, D2, D3, D4, D5, D6, D7, D8 not published" in text and "Not assessable" in text
    # the error bars are promised only for the years in which this province has a standard error
    assert "standard error for this province: 2019 and 2023." in text


def test_trends_notebook_on_the_34_provinces_shows_the_former_provinces(tmp_path):
    out = _run(tmp_path, "trends", province="Đà Nẵng", geography="34", lang="en")
    text = out.read_text()
    assert "is made of the former provinces Da Nang and Quang Nam" in text
    assert "Former province" in text and "What the recast history can and cannot tell" in text
    assert (config.FIGURES / "da-nang-34" / "map_total_2024_en.png").exists()


def test_trends_notebook_stops_on_an_unknown_province(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        _run(tmp_path, "trends", province="Quang Nom")
    assert "Unknown province 'Quang Nom'" in str(err.value) and "Quảng Nam" in str(err.value)


def test_trends_notebook_stops_on_bad_years(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="start_year=2009"):
        _run(tmp_path, "trends", province="Cà Mau", start_year=2009)


def test_trends_notebook_refuses_an_empty_province(tmp_path):
    import nbformat

    nb = nbformat.read(config.NOTEBOOKS / runner.NOTEBOOKS["trends"], as_version=4)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]  # committed run's
    bare = tmp_path / "bare.ipynb"
    nbformat.write(nb, bare)
    with pytest.raises(papermill.PapermillExecutionError, match="province is required"):
        runner.execute(bare, tmp_path / "out.ipynb")


def test_committed_notebooks_are_clean():
    import nbformat

    for name in runner.NOTEBOOKS.values():
        nb = nbformat.read(config.NOTEBOOKS / name, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert "parameters" in first_code.metadata.get("tags", [])
        text = (config.NOTEBOOKS / name).read_text()
        for marker in ("/work/", "/tmp/", "/root/", "/home/", "start_time", "end_time"):
            assert marker not in text, f"{name} contains {marker!r}"
        assert any("NBVAL_CHECK_OUTPUT" in c.source for c in nb.cells)


@pytest.mark.parametrize(
    "plan, province",
    [
        ("quang-nam-2021", "Quảng Nam"),
        ("cao-bang-2023", "Cao Bằng"),
        ("thua-thien-hue-2024", "Thừa Thiên Huế"),
        ("dak-lak-2018", "Đắk Lắk"),
        ("binh-thuan-2022", "Bình Thuận"),
    ],
)
def test_target_notebook_runs_for_every_seed_plan(tmp_path, plan, province):
    out = _run(tmp_path, "targets", plan=plan, province=province, lang="en")
    text = out.read_text()
    assert "papi-summary" in text and "Out-of-sample backtest by kind of target" in text and "Traceback" not in text


def test_target_notebook_refuses_an_empty_province(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="province is required"):
        _run(tmp_path, "targets", plan="cao-bang-2023", lang="en")


def test_target_notebook_reads_an_old_provinces_plan_on_the_34_provinces(tmp_path):
    out = _run(tmp_path, "targets", plan="quang-nam-2021", province="Đà Nẵng", geography="34", lang="en")
    text = out.read_text()
    # issue 27: an old province's plan asked for on the 34 says whose it is, and that its outcomes are estimates
    assert "Plan of the former Quang Nam province, read for the new Da Nang" in text
    assert "estimate (recast)" in text
    assert "merged and unmerged units apart" in text


def test_target_notebook_runs_for_a_users_targets_file(tmp_path):
    mine = tmp_path / "my_plan.yaml"
    mine.write_text(
        "plan_id: quang-tri-2025\nprovince: Quang Tri\nbaseline_year: 2024\ntarget_year: 2025\ntargets:\n"
        "  - {indicator: D2, kind: score_at_least, target_value: 5.6, planned_change_stated: 0.2}\n"
        "  - {indicator: total, kind: rank_at_most, target_value: 10}\n"
    )
    # a target year from 2025 is read on the 34 provinces (Quảng Trị + Quảng Bình since 1 July 2025)
    out = _run(tmp_path, "targets", plan=str(mine), province="Quảng Trị", lang="vi", geography="34")
    text = out.read_text()
    assert "pending" in text and "Chưa công bố" in text
    assert (config.FIGURES / "quang-tri-34" / "target_quang-tri-2025_D2-score_at_least_vi.png").exists()


def test_target_notebook_refuses_a_province_not_in_the_plan(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="no targets for Cà Mau"):
        _run(tmp_path, "targets", plan="cao-bang-2023", province="Cà Mau")


@pytest.mark.parametrize("start, end, province", [(2011, 2017, "Đà Nẵng"), (2018, 2024, "Bắc Giang")])
def test_links_notebook_runs_for_both_eras(tmp_path, start, end, province):
    out = _run(tmp_path, "links", start_year=start, end_year=end, province=province, lang="en", method="spearman")
    assert "Traceback" not in out.read_text()


def test_links_notebook_refuses_a_period_across_the_break(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="spans the 2017/2018"):
        _run(tmp_path, "links", start_year=2016, end_year=2019, province="Cà Mau")


def test_links_notebook_refuses_a_dimension_not_in_the_period(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="pair_x must be one of"):
        _run(tmp_path, "links", start_year=2011, end_year=2017, pair_x="D7", province="Cà Mau")


def test_links_notebook_refuses_an_empty_province(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="province is required"):
        _run(tmp_path, "links", lang="en")


def test_links_notebook_on_the_34_provinces_labels_estimates_and_skips_pci(tmp_path):
    out = _run(tmp_path, "links", province="Đà Nẵng", geography="34", lang="en")
    text = out.read_text()
    assert "Traceback" not in text
    assert "this project's estimates" in text and "not PAPI publications" in text
    assert "computed on the 63 provinces only" in text  # PCI is not recast
