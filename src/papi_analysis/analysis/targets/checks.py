"""Stated numbers against published ones: baselines, ranks and the plan's own arithmetic."""

from __future__ import annotations

import math

import pandas as pd

from ...data import provinces, schema
from .. import ranking
from .plans import written_geography
from .simulate import rank_gain


def _decimals(text: str) -> int:
    text = str(text).strip().replace(",", ".")
    return len(text.split(".")[1]) if "." in text else 0


def _rounds_to(value: float, stated: str) -> bool:
    """Whether a published value, rounded as the plan rounds, gives the stated figure."""
    d = _decimals(stated)
    return abs(value - float(str(stated).replace(",", "."))) <= 0.5 * 10 ** (-d) + 1e-9


#: decimals PAPI publishes a dimension score with in its reports and dashboards
PUBLISHED_DECIMALS = 2


def _total_of_published_dimensions(ranked: pd.DataFrame, year: int, code: int) -> float:
    """The total as a reader of PAPI's report adds it up: the sum of the dimension scores as published (rounded to
    :data:`PUBLISHED_DECIMALS`). It can differ from the exact total by up to 0.005 per dimension (Quảng Nam 2020:
    43.28 against 43.2623), a difference below the published precision, not a plan error. NaN when one is missing."""
    parts = []
    for dim in schema.dimensions_in(min(int(year), 2024)):
        key = (year, code, dim)
        if key not in ranked.index or pd.isna(ranked.loc[key, "score"]):
            return math.nan
        parts.append(round(float(ranked.loc[key, "score"]), PUBLISHED_DECIMALS))
    return round(sum(parts), PUBLISHED_DECIMALS)


def _baseline_matches(ranked: pd.DataFrame, row, score: float) -> bool:
    """A stated baseline matches the published score rounded as the plan rounds it, or (for the total) the sum of
    the published dimension scores."""
    if _rounds_to(score, row.baseline_stated):
        return True
    if row.indicator == schema.TOTAL:
        summed = _total_of_published_dimensions(ranked, row.baseline_year, row.province_code)
        return not math.isnan(summed) and _rounds_to(summed, row.baseline_stated)
    return False


def check_targets(targets: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Every inconsistency between what the plans state and the published scores (:func:`_check_on`), with
    ``checked_on``: the geography whose scores were used.

    On the 34 provinces, targets written for one of the 63 (``geography_as_written``, from
    :func:`.plans.in_geography`) are checked against the 63-province panel, with the code they were written for:
    the plan's stated scores and ranks ("53/63") are about the old province, and comparing them with a merged unit's
    recast score would report differences the plan did not make.
    """
    geography = provinces.geography_of(panel)
    if geography == "34" and "geography_as_written" in targets.columns:
        written63 = targets["geography_as_written"].astype(str) == "63"
        if written63.any():
            from ...data.panel import read_panel

            old = targets[written63].copy()
            old["province_code"], old["geography"] = old["province_code_as_written"].astype(int), "63"
            old["province"] = old["province_as_written"]
            parts = [
                _check_on(old, read_panel(geography="63")).assign(checked_on="63"),
                _check_on(targets[~written63], panel).assign(checked_on="34"),
            ]
            return pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    return _check_on(targets, panel).assign(checked_on=geography)


def _check_on(targets: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Every inconsistency between what the plans state and the published scores.

    Checks each stated baseline against the published score (rounded as the
    plan rounds it; a total may also be the sum of the dimension scores as published, which differs from the exact
    total below the published precision), each stated rank against the rank computed from published
    scores, each target against stated baseline + planned change, and, where the
    baseline is not stated, the baseline implied by target - planned change. Also what real plans get wrong: a
    score target not above the published baseline (it asks for no gain), a change that would take the score past
    the top of the scale (10 for a dimension, the period's maximum for the total), a rank target not below the
    number of ranked provinces, a rank gain larger than the places above the baseline rank, and a baseline year
    that is not the last PAPI year published before the plan's date (older, or not yet published). (A score
    target off the scale, an unknown group name and malformed values are refused when the file is read, with how
    to write them: :func:`.plans.load_targets`.)

    Only targets on the panel's geography are checked (on the 63 provinces, targets from 2025 are on the 34:
    :func:`.plans.in_geography`); a target written ``2023+`` is checked once, under the id it was written with.
    """
    targets = _once_per_written_row(targets, provinces.geography_of(panel))
    ranked = ranking.rank_and_group(panel).set_index(["year", "province_code", "dimension"])
    issues = []

    def add(row, check, stated, found, message):
        issues.append(
            dict(
                plan_id=row.plan_id,
                target_id=row.target_id,
                province=row.province,
                indicator=row.indicator,
                check=check,
                stated=stated,
                found=found,
                message=message,
            )
        )

    for row in targets.itertuples():
        key = (row.baseline_year, row.province_code, row.indicator)
        published = ranked.loc[key] if key in ranked.index else None
        score = float(published["score"]) if published is not None else math.nan
        if row.baseline_stated:
            if math.isnan(score):
                add(
                    row,
                    "baseline",
                    row.baseline_stated,
                    "no published score",
                    f"the plan states a {row.baseline_year} baseline of {row.baseline_stated} but PAPI published none",
                )
            elif not _baseline_matches(ranked, row, score):
                add(
                    row,
                    "baseline",
                    row.baseline_stated,
                    f"{score:.4f}",
                    f"stated {row.baseline_year} baseline {row.baseline_stated} differs from the published "
                    f"{score:.2f} by {float(row.baseline_stated) - score:+.2f} points",
                )
        if row.baseline_rank_stated and published is not None and pd.notna(published["rank"]):
            stated_rank = int(str(row.baseline_rank_stated).split("/")[0])
            if stated_rank != int(published["rank"]):
                add(
                    row,
                    "baseline rank",
                    row.baseline_rank_stated,
                    f"{int(published['rank'])}/{int(published['n_ranked'])}",
                    f"stated {row.baseline_year} rank {row.baseline_rank_stated} differs from the rank "
                    f"{int(published['rank'])}/{int(published['n_ranked'])} computed from published scores "
                    "(among provinces with data)",
                )
        if row.kind == "score_at_least" and row.planned_change_stated:
            change = float(row.planned_change_stated)
            target = float(row.target_value)
            if row.baseline_stated:
                implied_target = float(row.baseline_stated) + change
                tolerance = (
                    0.5
                    * 10
                    ** (
                        -max(
                            _decimals(row.baseline_stated),
                            _decimals(row.planned_change_stated),
                            _decimals(row.target_value),
                        )
                    )
                    + 1e-9
                )
                if abs(implied_target - target) > tolerance:
                    add(
                        row,
                        "target arithmetic",
                        f"{row.baseline_stated} + {row.planned_change_stated} -> {row.target_value}",
                        f"{implied_target:.2f}",
                        f"stated baseline {row.baseline_stated} plus planned change {row.planned_change_stated} is "
                        f"{implied_target:.2f}, not the stated target {row.target_value}",
                    )
            elif not math.isnan(score):
                implied_baseline = target - change
                tolerance = 0.5 * 10 ** (-max(_decimals(row.planned_change_stated), _decimals(row.target_value)))
                if abs(implied_baseline - score) > tolerance + 1e-9:
                    add(
                        row,
                        "implied baseline",
                        f"{row.target_value} − {row.planned_change_stated} = {implied_baseline:.2f}",
                        f"{score:.4f}",
                        f"target minus planned change implies a {row.baseline_year} baseline of "
                        f"{implied_baseline:.2f}, but PAPI published {score:.2f}",
                    )
    published_years = sorted(int(y) for y in panel["year"].unique())
    for row in targets.itertuples():
        key = (row.baseline_year, row.province_code, row.indicator)
        published = ranked.loc[key] if key in ranked.index else None
        if (
            row.kind == "score_at_least"
            and published is not None
            and pd.notna(published["score"])
            and float(row.target_value) <= float(published["score"])
        ):
            add(
                row,
                "target not above baseline",
                row.target_value,
                f"{float(published['score']):.2f}",
                f"the target {row.target_value} is not above the published {row.baseline_year} score "
                f"{float(published['score']):.2f}: it asks for no gain",
            )
        if (
            row.kind == "rank_at_most"
            and published is not None
            and float(row.target_value) >= int(published["n_ranked"])
        ):
            add(
                row,
                "rank beyond ranked",
                row.target_value,
                str(int(published["n_ranked"])),
                f"rank {row.target_value} is not a target: only {int(published['n_ranked'])} provinces were ranked "
                f"in {row.baseline_year}",
            )
        if (
            row.kind == "rank_gain_at_least"
            and published is not None
            and pd.notna(published["rank"])
            and rank_gain(row.target_value) >= int(published["rank"])
        ):
            add(
                row,
                "rank gain beyond first place",
                str(rank_gain(row.target_value)),
                str(int(published["rank"])),
                f"a gain of {rank_gain(row.target_value)} place(s) from rank {int(published['rank'])} in "
                f"{row.baseline_year} would go past first place: at most {int(published['rank']) - 1}",
            )
        if row.kind in ("change_at_least", "all_up") and str(row.target_value).strip():
            for dim in _dimensions(row):
                dim_key = (row.baseline_year, row.province_code, dim)
                base = float(ranked.loc[dim_key, "score"]) if dim_key in ranked.index else math.nan
                top = _scale_top(dim, int(row.target_year))
                change = float(str(row.target_value).replace(",", "."))
                if not math.isnan(base) and base + change > top + 1e-9:
                    add(
                        row,
                        "target above the scale",
                        f"{dim} +{change:g}",
                        f"{base:.2f} + {change:g} > {top:g}",
                        f"{dim}: the published {row.baseline_year} score {base:.2f} plus {change:g} is "
                        f"{base + change:.2f}, above the top of the scale ({top:g})",
                    )
        plan_year = str(row.plan_date)[:4]
        if plan_year.isdigit():
            # PAPI publishes a year's results in the spring of the next year: a plan dated in year P can build on P - 1
            # (a plan dated only by its year is given the benefit of the doubt: P - 2 is accepted too)
            latest = max((y for y in published_years if y <= int(plan_year) - 1), default=None)
            if latest is not None and row.baseline_year < latest - (1 if len(str(row.plan_date)) == 4 else 0):
                add(
                    row,
                    "baseline year",
                    str(row.baseline_year),
                    str(latest),
                    f"the plan ({row.plan_date}) starts from {row.baseline_year}, but PAPI {latest} was already "
                    "published before it",
                )
            elif row.baseline_year > int(plan_year) - 1:
                add(
                    row,
                    "baseline not yet published",
                    str(row.baseline_year),
                    str(latest) if latest else "",
                    f"the plan ({row.plan_date}) starts from {row.baseline_year}, which PAPI had not yet published "
                    f"(a year's results come out in the spring of the next year)",
                )
    return pd.DataFrame(
        issues, columns=["plan_id", "target_id", "province", "indicator", "check", "stated", "found", "message"]
    )


def _once_per_written_row(targets: pd.DataFrame, geography: str) -> pd.DataFrame:
    """Targets on ``geography`` (rows without a ``geography`` column are on the 63), one row per row as written:
    the years of a ``2023+`` row share its baseline and value, so it is checked once, under its written id."""
    out = targets
    if "geography" in out.columns:
        out = out[written_geography(out) == geography]
    if "expanded_from" in out.columns:
        expanded = out["expanded_from"].astype(str) != ""
        repeat = expanded & out.duplicated(["plan_id", "expanded_from"])
        out = out[~repeat].copy()
        first = out["expanded_from"].astype(str) != ""
        out.loc[first, "target_id"] = out.loc[first, "expanded_from"]
    return out


def _dimensions(row) -> list[str]:
    if row.kind != "all_up":
        return [row.indicator]
    named = str(row.indicator).strip()
    return (
        list(schema.dimensions_in(min(int(row.target_year), 2024)))
        if named.lower() == "all"
        else [d.strip() for d in named.split(",")]
    )


def _scale_top(indicator: str, year: int) -> float:
    if indicator == schema.TOTAL:
        return float(schema.period_of(min(year, 2024)).total_range[1])
    return float(schema.DIMENSION_SCORE_RANGE[1])
