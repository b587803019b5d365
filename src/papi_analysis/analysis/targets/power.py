"""How sharp the noise-aware judgement (:mod:`.judge`) is: how often it flags a correct synthetic forecaster (false
alarms) and wrong ones (power), on the backtest's own forecasts (this project's n)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .events import COVERAGE_FAMILIES, SCORE_FAMILIES
from .judge import (
    ALPHA,
    REPS,
    SHIFT,
    WIDE_FAMILIES,
    Null,
    Prepared,
    kinds_of,
    make_tests,
    slim_rows,
    statistics,
    stored,
)

# --------------------------------------------------------------------------- false alarms and power


def flag_rates(
    predictions: pd.DataFrame, reps: int = REPS, worlds: int = 1000, seed: int = 2026, blocks=None
) -> pd.DataFrame:
    """:func:`simulate_flag_rates`, stored by the rows' content (data/processed/cache/)."""
    rows = slim_rows(predictions)
    inputs = dict(reps=reps, worlds=worlds, seed=seed, blocks=list(blocks) if blocks else None)
    return stored("flag_rates", rows, lambda: simulate_flag_rates(rows, reps, worlds, seed, blocks), **inputs).copy()


def simulate_flag_rates(
    predictions: pd.DataFrame, reps: int = REPS, worlds: int = 400, seed: int = 2026, blocks=None
) -> pd.DataFrame:
    """How often the judgement flags a kind of target when the truth is the model itself and the forecaster is
    ``correct``, ``optimistic`` (probabilities 0.05 above the truth), ``pessimistic`` (0.05 below) or, for the bands,
    ``too wide`` (bands 15% wider than the truth's): per scenario, family and units class, the share of ``worlds``
    simulated worlds flagged, with a 95% binomial interval. At this project's n: the backtest's own forecasts."""
    prep = Prepared(predictions)
    tests = make_tests(prep.cells)
    rng = np.random.default_rng(seed)
    null = Null(statistics(tests, prep.cells, prep.outcome_sums(rng, reps))[0])
    kinds = kinds_of(tests, blocks)
    event = ~prep.rows["family"].isin(COVERAGE_FAMILIES + WIDE_FAMILIES).to_numpy()
    scenarios = {"correct": (prep.lo, prep.hi)}
    for name, sign in (("optimistic", -1.0), ("pessimistic", 1.0)):  # the truth's probability: p - 0.05 / p + 0.05
        lo, hi = prep.lo.copy(), prep.hi.copy()
        upper = event & ~prep.negate
        lo[upper] = np.clip(lo[upper] - sign * SHIFT, 0, 1)
        neg = event & prep.negate  # the event is outside [lo, hi): widen or narrow it by half the shift each side
        lo[neg] = np.clip(lo[neg] + sign * SHIFT / 2, 0, 1)
        hi[neg] = np.clip(hi[neg] - sign * SHIFT / 2, 0, 1)
        hi[neg] = np.maximum(hi[neg], lo[neg])
        scenarios[name] = (lo, hi)
    lo, hi = prep.lo.copy(), prep.hi.copy()
    twins = _wide_twins(prep.rows)
    for i, k in twins:
        lo[i], hi[i] = prep.lo[k], prep.hi[k]
    scenarios["too wide"] = (lo, hi)
    rows = []
    for name, (lo, hi) in scenarios.items():
        stat = statistics(tests, prep.cells, prep.outcome_sums(rng, worlds, lo, hi))[0]
        p = null.p_values(stat)
        for (family, units), ids in kinds.items():
            if name == "too wide" and family not in ("band50", "band90") + SCORE_FAMILIES:
                continue
            if name in ("optimistic", "pessimistic") and family in COVERAGE_FAMILIES:
                continue
            flagged = null.combined(p, ids) <= ALPHA
            share = float(flagged.mean())
            half = 1.96 * np.sqrt(share * (1 - share) / worlds)
            rows.append(
                dict(
                    scenario=name,
                    family=family,
                    units=units,
                    flagged=share,
                    low=max(0, share - half),
                    high=min(1, share + half),
                    worlds=worlds,
                )
            )
    return pd.DataFrame(rows)


def _wide_twins(rows: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """Row positions of each band and of its 15%-wider twin (same year, indicator, unit)."""
    key = ["year", "dimension", "province_code"]
    out = []
    for band in ("band50", "band90"):
        a = rows[rows["family"] == band].reset_index()
        b = rows[rows["family"] == f"{band}_wide"].reset_index()
        both = a.merge(b, on=key, suffixes=("", "_wide"))
        out.append((both["index"].to_numpy(), both["index_wide"].to_numpy()))
    return out
