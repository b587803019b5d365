"""Checks of a whole release, whatever its layout: every problem found, each one sentence naming file, row, column.

* every one of the 34 provinces, each once, with every dimension of the year and the unweighted total;
* scores within their scale: dimensions (weighted or not) 1-10 points, totals that of their period (8-80 since
  2018); standard errors positive and within the scale; variances not negative;
* respondents: a whole number of people, at least 1;
* confidence intervals: both bounds or neither, only beside a score, low <= score <= high (swapped bounds are named
  as such), centred on the score (PAPI publishes score ± z·SE), and where the SE is published the same z for every
  interval of the file, one of PAPI's (1.645 for its 90% intervals, which its sheets label "95%", or 1.96);
* the unweighted total equal to the sum of the dimensions, and published only where every dimension is.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from .. import provinces, schema
from .layout import TOTAL_TOLERANCE, Problems

#: z of the intervals PAPI publishes: score ± 1.645 SE in every year with intervals (2019, 2022, 2023), 1.96 allowed.
INTERVAL_Z: tuple[float, ...] = (1.645, 1.96)
#: Two-decimal transcriptions move a bound by up to 0.005: CI checks allow this much (points).
ROUNDING = 0.011
MAX_RESPONDENTS = 1_000_000


def _scale(indicator: str, year: int) -> tuple[float, float]:
    if indicator.startswith("total_"):
        return schema.period_of(year).total_range
    return schema.DIMENSION_SCORE_RANGE


def _fmt(value: float) -> str:
    return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"


def check_release(records: list[dict], year: int, problems: Problems) -> None:
    """Add every problem of a release's ``records`` (dicts with a ``where`` key) to ``problems``."""
    dims = schema.dimensions_in(year)
    by_key: dict[tuple[int, str, str], dict] = {}
    flagged: set[int] = set()  # provinces with a figure already refused: their total is not checked again
    for r in records:
        by_key[(r["province_code"], r["indicator"], r["statistic"])] = r
        if not _check_value(r, year, problems):
            flagged.add(r["province_code"])
    _check_coverage(records, year, dims, problems)
    _check_intervals(by_key, year, problems)
    _check_totals({k: r for k, r in by_key.items() if k[0] not in flagged}, dims, problems)
    if records and not any(r["statistic"] == "score" and r["value"] == r["value"] for r in records):
        problems.add(problems.label, "no published score at all (every score cell is empty).")


def _check_value(r: dict, year: int, problems: Problems) -> bool:
    """False (and a problem added) when the figure is impossible on its own."""
    value, statistic, indicator = r["value"], r["statistic"], r["indicator"]
    if value != value:  # missing stays missing
        return True
    where = r["where"]
    found = len(problems.found)
    if statistic == "n":
        if not float(value).is_integer():
            problems.add(where, f"{_fmt(value)} respondents is not a whole number of people.")
        elif not 1 <= value <= MAX_RESPONDENTS:
            problems.add(where, f"{_fmt(value)} respondents is not a number of people interviewed in a province.")
        return len(problems.found) == found
    lo, hi = _scale(indicator, year)
    name = schema.TOTAL if indicator == "total_unweighted" else indicator
    if statistic in ("score", "ci_low", "ci_high") and not lo <= value <= hi:
        what = "score" if statistic == "score" else f"CI {statistic[3:]} bound"
        problems.add(where, f"{name} {what} {_fmt(value)} is outside its scale, {lo:g}-{hi:g} points.")
    elif statistic == "se" and not 0 < value <= hi - lo:
        problems.add(where, f"standard error {_fmt(value)} of {name} is not between 0 and {hi - lo:g} points.")
    elif statistic == "variance" and value < 0:
        problems.add(where, f"variance {_fmt(value)} of {name} is negative.")
    return len(problems.found) == found


def _check_coverage(records: list[dict], year: int, dims: tuple[str, ...], problems: Problems) -> None:
    found = {r["province_code"] for r in records}
    if not found:
        return
    expected = set(provinces.registry(geography="34").index)
    absent = sorted(expected - found)
    if absent:
        names = ", ".join(provinces.name(c, geography="34") for c in absent)
        problems.add(problems.label, f"{len(found)} provinces, expected the 34; missing {names}.")
    scored = {r["indicator"] for r in records if r["statistic"] == "score"}
    for indicator in (*dims, "total_unweighted"):
        if indicator not in scored:
            what = "the unweighted total" if indicator == "total_unweighted" else indicator
            problems.add(
                problems.label, f"no row or column for {what}; a {year} release has {', '.join(dims)} and the total."
            )
    extra = sorted({r["indicator"].removesuffix("_weighted") for r in records} & set(schema.DIMENSIONS) - set(dims))
    for indicator in extra:
        problems.add(
            problems.label, f"{indicator} is not a PAPI dimension in {year} (the dimensions are {', '.join(dims)})."
        )


def _check_intervals(by_key: dict, year: int, problems: Problems) -> None:
    z_seen: list[tuple[float, str]] = []
    blocks = {(code, indicator) for (code, indicator, statistic) in by_key if statistic in ("ci_low", "ci_high")}
    for code, indicator in sorted(blocks):
        # a cell's record, or None where the file leaves it out (then its value reads as NaN below)
        low: Any = by_key.get((code, indicator, "ci_low"))
        high: Any = by_key.get((code, indicator, "ci_high"))
        score: Any = by_key.get((code, indicator, "score"))
        se: Any = by_key.get((code, indicator, "se"))
        v_low = low["value"] if low else math.nan
        v_high = high["value"] if high else math.nan
        if v_low != v_low and v_high != v_high:
            continue
        where = (low if v_low == v_low else high)["where"]
        if (v_low != v_low) or (v_high != v_high):
            problems.add(where, "only one bound of the confidence interval is given; give both or neither.")
            continue
        if v_low > v_high:
            problems.add(
                low["where"],
                f"the CI low bound {_fmt(v_low)} is above the high bound {_fmt(v_high)}; the bounds are swapped.",
            )
            continue
        v_score = score["value"] if score else math.nan
        if v_score != v_score:
            problems.add(where, "a confidence interval is given for a score that is not published.")
            continue
        if not v_low - ROUNDING / 2 <= v_score <= v_high + ROUNDING / 2:
            problems.add(
                score["where"],
                f"the score {_fmt(v_score)} lies outside its confidence interval {_fmt(v_low)}-{_fmt(v_high)}.",
            )
            continue
        if abs((v_score - v_low) - (v_high - v_score)) > ROUNDING:
            problems.add(
                low["where"],
                f"the confidence interval {_fmt(v_low)}-{_fmt(v_high)} is not centred on the score {_fmt(v_score)} "
                "(PAPI publishes score ± z·SE).",
            )
            continue
        v_se = se["value"] if se else math.nan
        if v_se == v_se and v_se > 0:
            z = (v_high - v_low) / 2 / v_se
            z_seen.append((z, low["where"]))
            tolerance = 0.02 + ROUNDING / v_se
            if not any(abs(z - known) <= tolerance for known in INTERVAL_Z):
                problems.add(
                    low["where"],
                    f"the half-width of the confidence interval is {z:.2f} standard errors ({_fmt(v_se)}); "
                    f"PAPI's intervals are score ± {' or '.join(map(str, INTERVAL_Z))} SE.",
                )
    plausible = [(z, w) for z, w in z_seen if any(abs(z - k) < 0.1 for k in INTERVAL_Z)]
    if plausible:
        first = min(INTERVAL_Z, key=lambda k: abs(plausible[0][0] - k))
        for z, where in plausible:
            if min(INTERVAL_Z, key=lambda k: abs(z - k)) != first:
                problems.add(
                    where,
                    f"this interval is score ± {z:.2f} SE but the file's first one is ± {first} SE; one confidence "
                    "level per file.",
                )
                break


def _check_totals(by_key: dict, dims: tuple[str, ...], problems: Problems) -> None:
    by_province: dict[int, dict[str, dict]] = defaultdict(dict)
    for (code, indicator, statistic), r in by_key.items():
        if statistic == "score":
            by_province[code][indicator] = r
    for _code, scores in sorted(by_province.items()):
        total = scores.get("total_unweighted")
        if total is None or total["value"] != total["value"]:
            continue
        values = [scores[d]["value"] if d in scores else math.nan for d in dims]
        missing = [d for d, v in zip(dims, values) if v != v]
        if missing:
            problems.add(
                total["where"],
                f"a total is given but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not; the total is "
                "the sum of the dimensions.",
            )
        elif abs(total["value"] - sum(values)) > TOTAL_TOLERANCE:
            problems.add(
                total["where"],
                f"the total {total['value']:.4f} is not the sum of the dimensions ({sum(values):.4f}).",
            )
