"""National results and figures are computed once and reused only while their inputs are unchanged (issue: speed)."""

from __future__ import annotations

import pandas as pd
import pytest

from papi_analysis.analysis import cache, rank_uncertainty
from papi_analysis.report import figures
from papi_analysis.report.figures import rendering


@pytest.fixture
def scratch_caches(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(rendering, "FIGURE_CACHE", tmp_path / "figure_cache")
    return tmp_path


def test_a_national_result_is_computed_once_and_read_back_exactly(panel, scratch_caches):
    calls = []

    def compute():
        calls.append(1)
        return rank_uncertainty._rank_intervals(panel, 2024, "total", 500, 1, 0.05, "gaps", True)

    first = cache.cached("test_intervals", compute, panel, year=2024)
    second = cache.cached("test_intervals", compute, panel, year=2024)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)  # exact: dtypes and floats survive the store
    cache.cached("test_intervals", compute, panel, year=2023)  # other inputs: computed again
    changed = panel.copy()
    changed.loc[changed.index[0], "score"] += 0.01
    cache.cached("test_intervals", compute, changed, year=2024)  # other data: computed again
    assert len(calls) == 3


def test_cached_rank_intervals_equal_a_fresh_computation(panel, scratch_caches):
    cold = rank_uncertainty.rank_intervals(panel, 2022, "D4", n_draws=500)
    warm = rank_uncertainty.rank_intervals(panel, 2022, "D4", n_draws=500)
    fresh = rank_uncertainty._rank_intervals(
        panel, 2022, "D4", 500, rank_uncertainty.DEFAULT_SEED, rank_uncertainty.ALPHA, "gaps", True
    )
    pd.testing.assert_frame_equal(cold, fresh)
    pd.testing.assert_frame_equal(warm, fresh)


def test_a_national_figure_is_drawn_once_and_its_files_equal_a_direct_drawing(panel, scratch_caches):
    figures.apply_style()
    from papi_analysis import links

    matrix = links.correlation_matrix(links.pooled_correlation(panel, 2018, 2024, draws=0))
    calls = []

    def heatmap(*args, **kwargs):
        calls.append(1)
        return figures.plot_correlation_heatmap(*args, **kwargs)

    out = scratch_caches / "out"
    a = figures.save_figure(figures.national(heatmap, matrix, 2018, 2024, "Pearson", "en"), "a", directory=out / "a")
    b = figures.save_figure(figures.national(heatmap, matrix, 2018, 2024, "Pearson", "en"), "b", directory=out / "b")
    direct = figures.save_figure(
        figures.plot_correlation_heatmap(matrix, 2018, 2024, "Pearson", "en"), "c", directory=out / "c"
    )
    assert len(calls) == 1
    for x, y, z in zip(a, b, direct):
        assert x.read_bytes() == y.read_bytes() == z.read_bytes()
    figures.save_figure(figures.national(heatmap, matrix, 2018, 2024, "Pearson", "vi"), "d", directory=out / "d")
    assert len(calls) == 2  # another argument, another drawing


def test_national_figure_arguments_must_be_hashable_data():
    with pytest.raises(TypeError, match="national figure arguments"):
        rendering.figure_key(figures.national(figures.plot_correlation_heatmap, object()), ("png",))


def test_a_links_result_that_is_not_one_table_is_stored_exactly(panel, tmp_path, monkeypatch):
    from papi_analysis import config
    from papi_analysis.analysis import links

    monkeypatch.setattr(config, "DATA_PROCESSED", tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return links.partial_correlation(panel, 2018, 2024)  # a table and a count

    (first, n_first), (second, n_second) = (
        links.cached("partial", compute, panel, fmt="pickle", start=2018, end=2024) for _ in range(2)
    )
    assert len(calls) == 1 and [p.suffix for p in tmp_path.glob("links_*")] == [".pkl"]
    fresh, n_fresh = links.partial_correlation(panel, 2018, 2024)
    assert n_first == n_second == n_fresh
    pd.testing.assert_frame_equal(second, fresh)  # exact, like a fresh computation
    with pytest.raises(ValueError, match="'csv' or 'pickle'"):
        links.cached("partial", compute, panel, fmt="parquet", start=2018, end=2024)


def test_a_computed_result_leaves_no_lock_file(tmp_path):
    """make test used to leave a .lock file beside every cached result (2,105 after a few runs)."""
    from papi_analysis.analysis import cache

    path = tmp_path / "cache" / "result.pkl"
    first = cache.load_or_compute(path, lambda: pd.DataFrame({"a": [1, 2]}))
    assert path.exists() and list(path.parent.glob(".*.lock")) == []
    assert cache.load_or_compute(path, lambda: pd.DataFrame({"a": [3]})).equals(first)  # read, not recomputed
