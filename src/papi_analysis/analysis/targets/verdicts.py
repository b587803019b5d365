"""Evaluating a plan's targets: one row per target, outcome where published, and a verdict in plain words.

The verdict's word always comes from the model probability (rounded to a whole percent first, so the word follows
the number a reader sees): *likely* (≥ 60%), *possible* (30-59%), *ambitious* (10-29%), *very ambitious* (< 10%).
Beside it:

* its **interval**: the lowest and highest of the probability with the national part at its 10th and 90th
  percentile (a poor and a good year for the whole country, :mod:`.forecast`) and of the calibration range (the
  probability moved by how far, with its year-resampled 95% interval, the backtest's forecasts of the same kind and
  level turned out, :func:`calibration_range`). Where it spans two or more words, the range and the words at its
  ends follow the word, lowest first ("ambitious (5–15%: very ambitious to ambitious)");
* a **qualifier** ("weak calibration") where the noise-aware judgement of the backtest (:mod:`.judge`) flags the
  target's kind (on the 34 provinces, for its own class of unit, merged or not), or where the kind is not
  backtested; its reason goes to a footnote. It never replaces the word.

The empirical share of historical changes is a separate column, labelled as that.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...data import provinces
from .. import ranking
from .backtest import backtest_cached, unit_kinds
from .evaluation import ALL_YEARS
from .plans import GROUP_ORDER, in_geography, load_targets, written_geography
from .scoring import bin_of, year_bootstrap
from .simulate import PlanCells, Prediction, _shared, empirical_view, predict_target, rank_gain
from .status import calibration_status, calibration_status_by_unit_kind

VERDICTS = {
    "en": {
        "likely": "likely",
        "possible": "possible",
        "ambitious": "ambitious",
        "very": "very ambitious",
        "na": "not assessable",
        "qualifier": "weak calibration",
        "to": "to",
    },
    "vi": {
        "likely": "khả thi",
        "possible": "có thể đạt",
        "ambitious": "tham vọng",
        "very": "rất tham vọng",
        "na": "không đánh giá được",
        "qualifier": "hiệu chỉnh yếu",
        "to": "đến",
    },
}
#: lower bounds (whole percent) of each category
CATEGORY_BOUNDS: tuple[tuple[str, int], ...] = (("likely", 60), ("possible", 30), ("ambitious", 10), ("very", 0))
ORDER = [key for key, _ in CATEGORY_BOUNDS]


def category_of(probability: float) -> str:
    """``likely`` (≥ 60%), ``possible`` (30-59%), ``ambitious`` (10-29%), ``very`` (< 10%) from the probability
    rounded to a whole percent; ``na`` when there is none."""
    if probability is None or math.isnan(probability):
        return "na"
    percent = round(probability * 100)
    return next(key for key, bound in CATEGORY_BOUNDS if percent >= bound)


def verdict_words(probability: float, low: float, high: float, lang: str = "en", qualified: bool = False) -> str:
    """The words of a verdict cell: the word of ``probability`` first, always (the word the report's first table
    gives); where ``low``-``high`` spans several words, the range after it, lowest first in numbers and words alike
    ("ambitious (5–15%: very ambitious to ambitious)"); the qualifier beside it."""
    words = VERDICTS[lang]
    key = category_of(probability)
    if key == "na":
        return words["na"]
    text = words[key]
    if not (math.isnan(low) or math.isnan(high)):
        bottom, top = category_of(low), category_of(high)
        if top != bottom:
            text += f" ({round(low * 100)}–{round(high * 100)}%: {words[bottom]} {words['to']} {words[top]})"
    return f"{text} ({words['qualifier']})" if qualified else text


def verdict(
    probability: float,
    lang: str = "en",
    calibrated: bool = True,
    low: float = math.nan,
    high: float = math.nan,
) -> str:
    """Plain-language verdict a non-statistician can quote: the words (:func:`verdict_words`) and the model
    probability they come from."""
    if category_of(probability) == "na":
        return VERDICTS[lang]["na"]
    words = verdict_words(probability, low, high, lang, qualified=not calibrated)
    percent = round(probability * 100)
    return f"{words}: model probability {percent}%" if lang == "en" else f"{words}: xác suất theo mô hình {percent}%"


def historical_text(share: float, n: int, reached: int, lang: str = "en") -> str:
    """The empirical share as its own statement: 'historical share: 12 of 246 comparable changes (4.9%)'."""
    if n == 0 or math.isnan(share):
        return ""
    if lang == "en":
        return (
            f"historical share: {reached} of {n} comparable cases ({share:.1%})"
            if reached
            else f"historical share: none of {n} comparable cases"
        )
    return (
        f"tỷ lệ lịch sử: {reached}/{n} trường hợp so sánh được ({share:.1%})"
        if reached
        else f"tỷ lệ lịch sử: không trường hợp nào trong {n} trường hợp so sánh được"
    )


def outcome_of(panel: pd.DataFrame, target: pd.Series, cells: PlanCells | None = None) -> tuple[str, float, str]:
    """(``met`` | ``missed`` | ``pending`` | ``no data``, actual score, actual rank/group text). ``cells``: what the
    rows of a plan share (:class:`.simulate.PlanCells`)."""
    year = int(target["target_year"])
    if year > _shared(cells, ("last_year",), lambda: int(panel["year"].max())):
        return "pending", math.nan, ""
    dim, code = target["indicator"], int(target["province_code"])
    ranked = _shared(cells, ("ranked_rows", dim), lambda: ranking.rank_and_group(panel[panel["dimension"] == dim]))
    rows = _shared(
        cells, ("outcome_rows", dim, code), lambda: ranked[ranked["province_code"] == code].set_index("year")
    )
    if year not in rows.index or pd.isna(rows.loc[year, "score"]):
        return "no data", math.nan, ""
    actual = rows.loc[year]
    detail = f"rank {int(actual['rank'])}/{int(actual['n_ranked'])}, {actual['group']}"
    base = rows.loc[int(target["baseline_year"])] if int(target["baseline_year"]) in rows.index else None
    kind = target["kind"]
    if kind == "score_at_least":
        met = actual["score"] >= float(target["target_value"])
    elif kind == "change_at_least":
        if base is None or pd.isna(base["score"]):
            return "no data", float(actual["score"]), detail
        met = actual["score"] - base["score"] >= float(target["target_value"])
    elif kind == "group_at_least":
        met = GROUP_ORDER[actual["group"]] <= GROUP_ORDER[target["target_value"]]
    elif kind == "not_in_group":
        met = actual["group"] != target["target_value"]
    elif kind == "rank_at_most":
        met = int(actual["rank"]) <= int(float(target["target_value"]))
    elif kind == "rank_gain_at_least":
        if base is None or pd.isna(base["score"]):
            return "no data", float(actual["score"]), detail
        met = int(base["rank"]) - int(actual["rank"]) >= rank_gain(target["target_value"])
    else:
        if base is None or pd.isna(base["score"]):
            return "no data", float(actual["score"]), detail
        met = (actual["score"] > base["score"]) and (int(actual["rank"]) < int(base["rank"]))
    return ("met" if met else "missed"), float(actual["score"]), detail


def calibration_range(
    predictions: pd.DataFrame, family: str, probability: float, units: str = ""
) -> tuple[float, float, int]:
    """How far the backtest's forecasts of this kind and level turned out (2016-2024, units of the same class on
    the 34 provinces): ``probability`` moved by (observed - mean forecast) of its 10-point bin, at both ends of the
    observed rate's 95% interval resampling whole years; with the bin's number of forecasts (NaN, NaN, 0 when the kind
    is not backtested or the bin is empty)."""
    if math.isnan(probability):
        return math.nan, math.nan, 0
    key = (id(predictions), family, units)
    if key not in _BINS:
        if len(_BINS) > 256:
            _BINS.clear()
        p = predictions[(predictions["family"] == family) & predictions["year"].between(*ALL_YEARS)]
        if units:
            p = p[p["units"] == units]
        table = {}
        if len(p):
            which = bin_of(p["p_model"].to_numpy())
            for b in np.unique(which):
                f = p[which == b]
                sums = f.groupby("year")[["p_model", "outcome"]].agg(["sum", "size"])
                per_year = pd.DataFrame(
                    {"p": sums[("p_model", "sum")], "y": sums[("outcome", "sum")], "n": sums[("outcome", "size")]}
                )
                lo, hi = year_bootstrap(per_year, lambda x: (x[:, 1] - x[:, 0]) / x[:, 2])
                table[int(b)] = (lo, hi, len(f))
        _BINS[key] = (predictions, table)  # the frame is kept so that its id is not reused
    lo, hi, n = _BINS[key][1].get(int(bin_of(np.array([probability]))[0]), (math.nan, math.nan, 0))
    return float(np.clip(probability + lo, 0, 1)), float(np.clip(probability + hi, 0, 1)), n


_BINS: dict[tuple, tuple] = {}

#: Plans of up to this many targets (every real plan: a provincial plan has 10-80; the limit of a targets file before
#: issue 29) draw each target's simulation in turn from the one generator, as they always have, so their numbers
#: never change. Larger plans share each cell's draws (:class:`.simulate.PlanCells`): same model and number of draws,
#: Monte Carlo differences only, and time linear in the rows.
MAX_TARGETS_DRAWN_IN_TURN = 400


def evaluate_targets(
    targets: pd.DataFrame | None = None,
    panel: pd.DataFrame | None = None,
    seed: int = 20250701,
    lang: str = "en",
    calibration: pd.DataFrame | None = None,
    shared_draws: bool | None = None,
    reuse_cells: bool = True,
) -> pd.DataFrame:
    """One row per target: published baseline, required change, its percentile among historical changes, the model
    probability (0-1), the probability in a poor, a typical and a good year for the whole country (``p_poor``,
    ``p_typical``, ``p_good``), the calibration range (``calibration_low``/``calibration_high``), the verdict's
    interval (``probability_low``/``probability_high``: the lowest and highest of those), 50%/90% predictive bands of
    the score, the backtest family, the qualifier (``qualified``, ``qualifier_reason``; ``family_calibrated`` is its
    opposite), the historical share (its own column), outcome (met / missed / pending / no data) and a verdict whose
    words come from the model probability and its interval.

    ``panel`` may be any tidy panel (year, province_code, dimension, score, ...); ``calibration`` is
    :func:`.status.calibration_status` (default: from the cached backtest of ``panel``). On the 34-province panel
    (which has ``n_old_provinces``) the default is :func:`.status.calibration_status_by_unit_kind`: a target is
    judged by the calibration of its own class of units, merged or unmerged. Deterministic for a given ``seed``.

    Time is linear in the rows: what rows share is computed once per cell (:class:`.simulate.PlanCells`;
    ``reuse_cells=False`` recomputes it for every row, with identical results). ``shared_draws`` (default: for
    plans of more than :data:`MAX_TARGETS_DRAWN_IN_TURN` targets) judges every target of a cell on the cell's own
    draws instead of drawing each target in turn.
    """
    from ...data.panel import read_panel
    from .model import one_panel

    panel = read_panel() if panel is None else panel
    targets = load_targets() if targets is None else targets
    with one_panel(panel):  # the panel's hash, which caches are keyed by, made once
        return _evaluate(targets, panel, seed, lang, calibration, shared_draws, reuse_cells)


def _evaluate(
    targets: pd.DataFrame,
    panel: pd.DataFrame,
    seed: int,
    lang: str,
    calibration: pd.DataFrame | None,
    shared_draws: bool | None,
    reuse_cells: bool,
) -> pd.DataFrame:
    from .rules import expand_rules

    geography = provinces.geography_of(panel)
    if "geography" in targets.columns and (written_geography(targets) != geography).any():
        # rows written for the other geography (a 2025 row of a 63-province plan is on the 34) are read within
        # the panel's: mapped to the new provinces, or set aside on the 63 (see plans.in_geography)
        targets = in_geography(targets, geography)
    targets = expand_rules(targets, panel)
    predictions = backtest_cached(panel)
    if calibration is None:
        calibration = (
            calibration_status_by_unit_kind(predictions, panel)
            if "n_old_provinces" in panel.columns
            else calibration_status(predictions)
        )
    by_kind = "units" in calibration.columns
    kind_of = unit_kinds(panel) if by_kind else None
    calibrated = {((r.units,) if by_kind else ()) + (r.family,): bool(r.calibrated) for r in calibration.itertuples()}
    misses = {((r.units,) if by_kind else ()) + (r.family,): r.misses for r in calibration.itertuples()}
    rng = np.random.default_rng(seed)
    ranked = ranking.rank_and_group(panel).set_index(["year", "province_code", "dimension"])
    if shared_draws is None:
        shared_draws = len(targets) > MAX_TARGETS_DRAWN_IN_TURN
    cells = PlanCells(panel, seed, shared_draws) if reuse_cells or shared_draws else None
    order: list[int] = list(range(len(targets)))
    if shared_draws:  # cell by cell, so that each cell's draws are made once (the table keeps the plan's order)
        cell_of = list(targets[list(_CELL)].astype(str).itertuples(index=False, name=None))
        order = sorted(order, key=cell_of.__getitem__)
    rows = {}
    for i in order:
        target = targets.iloc[i]
        key = (int(target["baseline_year"]), int(target["province_code"]), target["indicator"])
        base = ranked.loc[key] if key in ranked.index else None
        baseline = float(base["score"]) if base is not None else math.nan
        kind = target["kind"]
        required = (
            float(target["target_value"]) - baseline
            if kind == "score_at_least"
            else float(target["target_value"])
            if kind == "change_at_least"
            else math.nan
        )
        if kind == "other_index" or str(target["indicator"]).startswith("rule:"):
            reason = (
                f"needs {target['indicator']} data: kept as written, not evaluated here"
                if kind == "other_index"
                else f"{target['indicator']} picked no dimension from the published {int(target['baseline_year'])} scores"
            )
            nan = math.nan
            prediction = Prediction(nan, nan, (nan, nan), (nan, nan), nan, nan, nan, "none", kind, [reason])
            percentile, share, n_changes, n_reached = nan, nan, 0, 0
            outcome, actual, actual_detail = ("not evaluated" if kind == "other_index" else "no data"), nan, reason
        elif kind == "all_up":
            own = cells.rng(*(str(target[c]) for c in _CELL + ("target_value",))) if cells and shared_draws else rng
            prediction, (percentile, share, n_changes, n_reached), (outcome, actual, actual_detail) = _all_up(
                panel, target, own
            )
        else:
            prediction = predict_target(panel, target, rng, cells=cells)
            percentile, share, n_changes, n_reached = empirical_view(panel, target, cells)
            outcome, actual, actual_detail = outcome_of(panel, target, cells)
        units = (kind_of.get(int(target["province_code"]), ""),) if kind_of is not None else ()
        assessable = not math.isnan(prediction.probability)
        ok = bool(calibrated.get(units + (prediction.family,), False))
        cal_lo, cal_hi, _ = calibration_range(
            predictions, prediction.family, prediction.probability, units[0] if units else ""
        )
        ends = [
            v for v in (prediction.probability_low, prediction.probability_high, cal_lo, cal_hi) if not math.isnan(v)
        ]
        low, high = (
            (min(ends + [prediction.probability]), max(ends + [prediction.probability]))
            if assessable
            else (
                math.nan,
                math.nan,
            )
        )
        notes = list(prediction.notes)
        if (
            kind == "group_at_least"
            and base is not None
            and isinstance(base["group"], str)
            and GROUP_ORDER.get(base["group"], 9) <= GROUP_ORDER[target["target_value"]]
        ):
            notes.insert(0, f"keep: already {base['group']} in {int(target['baseline_year'])}")
        reason = ""
        if not ok and assessable:
            of_units = f" on {units[0]} units" if units else ""
            reason = f"backtest of '{prediction.family}' targets{of_units}: " + misses.get(
                units + (prediction.family,), "not backtested"
            )
            notes.append(reason)
        national = prediction.national
        rows[i] = dict(
            plan_id=target["plan_id"],
            target_id=target["target_id"],
            province_code=int(target["province_code"]),
            province=provinces.name(int(target["province_code"]), geography=geography),
            units=units[0] if units else "",
            baseline_year=int(target["baseline_year"]),
            target_year=int(target["target_year"]),
            indicator=target["indicator"],
            kind=kind,
            target=target["target_value"],
            baseline=baseline,
            baseline_rank=(
                f"{int(base['rank'])}/{int(base['n_ranked'])}" if base is not None and pd.notna(base["rank"]) else ""
            ),
            baseline_group=(base["group"] if base is not None and isinstance(base["group"], str) else ""),
            required_change=required,
            required_change_percentile=percentile,
            historical_share=share,
            historical_n=n_changes,
            historical_reached=n_reached,
            predicted_mean=prediction.mean,
            predicted_sd=prediction.sd,
            band50_low=prediction.band50[0],
            band50_high=prediction.band50[1],
            band90_low=prediction.band90[0],
            band90_high=prediction.band90[1],
            probability=prediction.probability,
            probability_low=low,
            probability_high=high,
            p_poor=national[0],
            p_typical=national[1],
            p_good=national[2],
            calibration_low=cal_lo,
            calibration_high=cal_hi,
            method=prediction.method,
            family=prediction.family,
            family_calibrated=ok,
            qualified=assessable and not ok,
            qualifier_reason=reason,
            verdict_category=category_of(prediction.probability),
            verdict_low=category_of(low),
            verdict_high=category_of(high),
            outcome=outcome,
            actual=actual,
            actual_detail=actual_detail,
            verdict=verdict(prediction.probability, lang, calibrated=ok, low=low, high=high),
            historical=historical_text(share, n_changes, n_reached, lang),
            notes="; ".join(dict.fromkeys(notes)),
        )
    return pd.DataFrame([rows[i] for i in range(len(targets))])


#: what a cell of shared draws is (:class:`.simulate.PlanCells`)
_CELL = ("indicator", "baseline_year", "target_year")


def _all_up(panel: pd.DataFrame, target: pd.Series, rng: np.random.Generator):
    """Prediction, historical view and outcome of an ``all_up`` target (:mod:`.joint`)."""
    from .joint import dimensions_of, historical_all_up, min_change, outcome_all_up, predict_all_up

    p, marginal, notes, scenarios = predict_all_up(panel, target, rng)
    if marginal:
        notes = notes + ["each dimension on its own: " + ", ".join(f"{d} {v:.0%}" for d, v in marginal.items())]
    dims = dimensions_of(target["indicator"], int(target["target_year"]))
    share, n, reached = historical_all_up(panel, dims, int(target["baseline_year"]), min_change(target["target_value"]))
    nan = math.nan
    prediction = Prediction(
        nan,
        nan,
        (nan, nan),
        (nan, nan),
        p,
        min(scenarios),
        max(scenarios),
        "joint draw of every named dimension (national parts and relative errors drawn together)",
        "all_up",
        notes,
        scenarios,
    )
    return prediction, (nan, share, n, reached), outcome_all_up(panel, target)


def summary_table(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The evaluation rounded for reading and copying: points to 2 decimals, probabilities as percentages."""
    out = evaluation[
        [
            "target_id",
            "indicator",
            "kind",
            "target",
            "baseline",
            "baseline_rank",
            "required_change",
            "required_change_percentile",
            "probability",
            "probability_low",
            "probability_high",
            "historical_share",
            "verdict_category",
            "qualified",
            "outcome",
            "actual",
        ]
    ].copy()
    for column in ("baseline", "required_change", "actual"):
        out[column] = out[column].round(2)
    out["required_change_percentile"] = out["required_change_percentile"].round(0)
    for column in ("probability", "probability_low", "probability_high", "historical_share"):
        out[column] = (out[column] * 100).round(0)
    return out.rename(
        columns={
            "probability": "probability_%",
            "probability_low": "p_low_%",
            "probability_high": "p_high_%",
            "required_change_percentile": "percentile",
            "historical_share": "historical_share_%",
        }
    )


def verdict_lines(evaluation: pd.DataFrame) -> list[str]:
    """One plain-language line per target (verdict, historical share, outcome where published), plus notes."""
    lines = []
    for row in evaluation.itertuples():
        result = ""
        if row.outcome != "pending":
            result = f" → {row.outcome}"
            if pd.notna(row.actual):
                result += f" ({row.actual:.2f}, {row.actual_detail})"
        history = f" [{row.historical}]" if row.historical else ""
        lines.append(f"{row.target_id} [{row.kind} {row.target}]: {row.verdict}{history}{result}")
        if row.notes:
            lines.append(f"    note: {row.notes}")
    return lines
