"""Plans evaluated in time linear in their rows (issue 29 item 6): what rows share is computed once per cell and the
numbers do not change; plans over MAX_TARGETS_DRAWN_IN_TURN targets share each cell's draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from papi_analysis.analysis import targets
from papi_analysis.analysis.targets import verdicts
from papi_analysis.analysis.targets.simulate import tied_ranks

#: seed plans covering score, change, group, not-in-group and rank targets, two and more years ahead, and a target
#: across the 2017/2018 methodology break (Đắk Lắk 2017 -> 2018)
PLANS = ["quang-nam-2021", "dak-lak-2018", "thua-thien-hue-2024"]


@pytest.fixture(scope="module")
def seed_plans():
    t = targets.load_targets()
    return t[t["plan_id"].isin(PLANS)].reset_index(drop=True)


def test_reusing_what_rows_share_changes_no_number_of_the_seed_plans(seed_plans, panel):
    cached = targets.evaluate_targets(seed_plans, panel)
    each_row = targets.evaluate_targets(seed_plans, panel, reuse_cells=False)
    assert len(cached) > 30 and cached["probability"].notna().sum() > 20  # a 2025 row is set aside on the 63
    pd.testing.assert_frame_equal(cached, each_row)


def test_shared_draws_do_not_depend_on_the_order_of_the_rows_and_agree_with_drawing_in_turn(seed_plans, panel):
    shared = targets.evaluate_targets(seed_plans, panel, shared_draws=True)
    backwards = targets.evaluate_targets(seed_plans.iloc[::-1].reset_index(drop=True), panel, shared_draws=True)
    pd.testing.assert_frame_equal(shared, backwards.iloc[::-1].reset_index(drop=True))
    in_turn = targets.evaluate_targets(seed_plans, panel)  # the seed plans are small: drawn in turn
    assert len(seed_plans) <= verdicts.MAX_TARGETS_DRAWN_IN_TURN
    gap = (shared["probability"] - in_turn["probability"]).abs()
    assert gap.max() < 0.05 and gap.max() > 0  # Monte Carlo noise of 8,000 draws, not another model


def test_tied_ranks_count_the_units_scoring_strictly_more():
    rng = np.random.default_rng(0)
    for sims in (rng.normal(size=(40, 63)), np.round(rng.normal(size=(40, 63)), 1), rng.integers(0, 4, (3, 5, 9))):
        ranks = tied_ranks(sims.astype(float))
        for i in range(sims.shape[-1]):
            assert (ranks[..., i] == (sims > sims[..., i : i + 1]).sum(axis=-1) + 1).all()


def test_a_long_yaml_plan_without_aliases_is_not_an_alias_bomb(tmp_path):
    rows = "".join(
        f"- {{plan_id: p, target_id: t{i}, province: Quảng Nam, baseline_year: 2020, target_year: 2021, "
        f"indicator: total, kind: score_at_least, target_value: 45.6, note: row {i}}}\n"
        for i in range(1200)  # ~22,000 values written, none added by aliases
    )
    path = tmp_path / "long.yaml"
    path.write_text(rows, encoding="utf-8")
    assert len(targets.load_targets(path)) == 1200
