"""The rows of a whole plan settled: sets of dimensions expanded, published results kept apart as the baselines of
the targets on the same indicator, general aims checked against the plan's own targets, the same target stated
twice merged into one row with both quotes, same quantities linked (``same_as``)."""

from __future__ import annotations

from .. import schema as papi_schema
from .candidates import Candidate, NotRead
from .facts import Facts
from .meanings import INDEX_NAMES


def settle(candidates: list[Candidate], facts: Facts, headings: dict) -> tuple[list[Candidate], list[NotRead]]:
    """Sets of dimensions expanded, results kept apart as baselines, general aims checked against the targets,
    the same target stated twice merged, baselines attached, same quantities linked."""
    missed: list[NotRead] = []
    expanded: list[Candidate] = []
    for c in candidates:
        if not c.indicator.startswith("set:"):
            expanded.append(c)
            continue
        count = c.indicator.split(":")[1]
        dims = papi_schema.dimensions_in(min(c.target_year or facts.plan_year or 2024, 2024))
        if count != "all" and int(count) != len(dims):
            if not any(c.quote in x.quote for x in candidates if x is not c and x.indicator.startswith("D")):
                missed.append(NotRead(c.quote, c.where, f"speaks of {count} dimensions without saying which", c.order))
            continue
        for d in dims:
            x = Candidate(**{**c.__dict__, "indicator": d, "readings": list(c.readings), "uncertain": set(c.uncertain)})
            x.doubt(x.confidence, f"'{count if count != 'all' else 'every'}' dimensions: each of {dims[0]}-{dims[-1]}")
            expanded.append(x)
    for template, dims in headings.values():
        count = template.indicator.split(":")[1]
        if count.isdigit() and len(set(dims)) != int(count):
            for x in expanded:
                if x.quote.startswith(template.quote + " … "):
                    x.doubt(
                        "medium",
                        f"the heading counts {int(count)} dimensions, {len(set(dims))} are listed under it",
                        "indicator",
                    )
    results = [c for c in expanded if c.result]
    targets = [c for c in expanded if not c.result]
    kept: list[Candidate] = []
    for c in sorted(targets, key=lambda c: c.order):
        if c.target_year is None or not 2011 <= (c.baseline_year or 0) < c.target_year <= 2035:
            missed.append(
                NotRead(
                    c.quote,
                    c.where,
                    f"no usable years (baseline {c.baseline_year}, target {c.target_year}): PAPI covers 2011 on, plans up to 2035",
                    c.order,
                )
            )
            continue
        if c.vague:
            cover = [
                x
                for x in targets
                if not x.vague and x.index == c.index and x.indicator == c.indicator and _covers(x, c)
            ]
            if cover:
                missed.append(
                    NotRead(
                        c.quote,
                        c.where,
                        f"a general aim, already covered by the targets read from {cover[0].where}",
                        c.order,
                    )
                )
                continue
            if c.index != "papi":
                missed.append(
                    NotRead(
                        c.quote,
                        c.where,
                        f"a general aim for {INDEX_NAMES[c.index]} with no number: the index targets file has no such kind",
                        c.order,
                    )
                )
                continue
            if "target_year" in c.uncertain:
                missed.append(NotRead(c.quote, c.where, "a general aim without a year", c.order))
                continue
        same = [
            x
            for x in kept
            if (x.index, x.indicator, x.kind, x.value) == (c.index, c.indicator, c.kind, c.value)
            and x.second == c.second
            and (_covers(x, c) or _covers(c, x))
        ]
        if same:
            _merge(same[0], c)
            continue
        kept.append(c)
    stated: dict[tuple, Candidate] = {}
    for r in results:
        if r.kind == "score_at_least":
            r.baseline, r.value = r.value, ""
        elif r.kind == "rank_at_most" and not r.rank:
            r.rank = r.value
        key = (r.index, r.indicator, r.target_year)
        if key in stated:  # one sentence, several numbers: one statement
            first = stated[key]
            first.baseline, first.rank = first.baseline or r.baseline, first.rank or r.rank
            first.maximum = first.maximum or r.maximum
            continue
        stated[key] = r
    for r in stated.values():
        if r.index != "papi":
            r.kind, r.value, r.change = "stated_baseline", "", ""
            r.baseline_year, r.target_year = r.target_year, facts.plan_year
            r.readings.append("a published result the plan states (its baseline), not a target")
            kept.append(r)
            continue
        mine = [
            c for c in kept if c.index == "papi" and c.indicator == r.indicator and c.baseline_year == r.target_year
        ]
        for c in mine:
            said = False
            if r.baseline and not c.baseline:
                c.baseline, said = r.baseline, True
            if r.rank and not c.rank:
                c.rank, said = r.rank, True
            if said:
                as_stated = " ".join(x for x in (r.baseline, f"rank {r.rank}" if r.rank else "") if x)
                c.readings.append(f"baseline {as_stated} as the plan states it in {r.where}: {r.quote[:100]}…")
    for c in kept:
        if c.index == "papi" and c.kind == "score_at_least" and c.baseline and c.change and c.value:
            total = float(c.baseline) + float(c.change)
            if abs(total - float(c.value)) > 0.011:
                c.doubt(
                    "medium",
                    f"the numbers do not add up: {c.baseline} + {c.change} = {total:.2f}, not {c.value} (kept as written)",
                    "target_value",
                )
    sipas = [c for c in kept if c.index == "sipas" and c.kind == "stated_baseline"]
    for c in kept:
        if c.index == "par_index" and c.indicator == "F8.sipas" and sipas and sipas[0].baseline_year == c.baseline_year:
            c.same_as = sipas[0]
    return sorted(kept, key=lambda c: c.order), missed


def _covers(wide: Candidate, narrow: Candidate) -> bool:
    """Whether ``wide``'s years include every year of ``narrow`` (2022+ covers 2022 and 2022+; 2022 covers 2022)."""
    if wide.target_year is None or narrow.target_year is None:
        return False
    if wide.following:
        return narrow.target_year >= wide.target_year
    return not narrow.following and narrow.target_year == wide.target_year


def _merge(kept: Candidate, other: Candidate) -> None:
    """One target stated twice: one row, both quotes (in the document's order), the surer reading."""
    if other.following and not kept.following:
        kept.target_year, kept.following = other.target_year, True
    parts = kept.quote.split(" … ")
    for part in other.quote.split(" … "):
        if not any(part in p for p in parts):
            parts.append(part)
    kept.quote = " … ".join(parts)
    if not kept.baseline and other.baseline:
        kept.baseline = other.baseline
    if other.confidence == "high" or ("target_year" in kept.uncertain and "target_year" not in other.uncertain):
        kept.uncertain.discard("target_year")
    kept.readings.append(f"also stated in {other.where}")
