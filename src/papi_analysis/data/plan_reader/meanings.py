"""What each wording means for the subject it is about: the candidate rows a predicate makes (kinds, values,
doubts and second readings), or the reason it makes none. The schema's kinds are the meanings; the phrase table's
reading rules ("keep_or_raise", "higher", "raise", "group_or_rank", "not_in_group", "change") say how a wording that
allows more than one meaning is read, and the candidate says so."""

from __future__ import annotations

from .. import schema as papi_schema
from .candidates import Candidate
from .facts import Facts
from .schema import GROUPS
from .statements import Predicate, Statement, Subject

INDEX_NAMES = {"papi": "PAPI", "par_index": "PAR INDEX", "sipas": "SIPAS", "other": "another index"}


def unsupported(subjects: list[Subject]) -> str:
    reasons = [s.reason for s in subjects if s.kind == "unsupported" and s.reason]
    if reasons:
        return f"names {reasons[0].split(' are ')[0]}: {reasons[0]}"
    if any(s.kind == "index" and s.meaning == "other" for s in subjects):
        return (
            "a target of another index (PCI, ICT INDEX, DTI): not read (the plan schema holds PAPI, PAR INDEX, SIPAS)"
        )
    return ""


def subjects_of(st: Statement, p: Predicate, subject: list[Subject] | None, facts: Facts):
    """(index, indicator, count) the predicate is about, and a doubt or the reason it cannot be read."""
    if subject is None or all(s.kind == "province" for s in subject):
        before = [s for s in st.subjects if s.kind == "index" and s.meaning != "other" and s.start < p.start]
        anywhere = before or [s for s in st.subjects if s.kind == "index" and s.meaning != "other"]
        if anywhere:
            return [(anywhere[-1].meaning, "total", None)], ""
        if len(facts.indices) == 1:
            return [
                (facts.indices[0], "total", None)
            ], f"the sentence names no index: read as the plan's {INDEX_NAMES[facts.indices[0]]}"
        return [], "the sentence names no index, and the plan is about several"
    parts = [s for s in subject if s.kind in ("dimension", "dimensions", "parts", "unsupported")]
    if parts:
        if any(s.kind == "dimension" for s in parts):
            parts = [s for s in parts if not (s.kind == "dimensions" and s.meaning == "all" and s.count is None)]
        out: list[tuple[str, str, int | None]] = []
        why = ""
        for s in parts:
            if s.kind == "dimension":
                out.append(("papi", s.meaning, None))
            elif s.kind == "dimensions":
                out.append(("papi", "set", s.count))
            elif s.kind == "parts" and "par_index" in facts.indices + [x.meaning for x in subject if x.kind == "index"]:
                out.append(("par_index", "fields", None))
            elif s.kind == "unsupported":
                why = f"{s.text!r}: {s.reason}"
        return out, why
    indices = [s.meaning for s in subject if s.kind == "index"]
    if any(m == "other" for m in indices) and not [m for m in indices if m != "other"]:
        return [], unsupported(subject)
    indices = [m for m in indices if m != "other"]
    if indices:
        return [(m, "total", None) for m in dict.fromkeys(indices)], ""
    if any(s.kind == "plural" for s in subject):
        names = ", ".join(INDEX_NAMES[m] for m in facts.indices)
        return [
            (m, "total", None) for m in facts.indices
        ], f"'các chỉ số' (the indices): read as the ones the plan is about ({names})"
    return [], "no index or dimension the reader knows"


def rows_for(p: Predicate, index: str, indicator: str, count, sentence: str, where: str, order: int, facts: Facts):
    """The candidate rows one predicate makes for one subject, or the reason there are none."""

    def make(kind: str, value: str = "", ind: str = indicator, **extra) -> Candidate:
        return Candidate(index, ind, kind, sentence, where, order, value=value, **extra)

    m = p.meaning
    if indicator == "set":
        made = rows_for(p, index, "D1", None, sentence, where, order, facts)
        if isinstance(made, str):
            return made
        n_dims = len(papi_schema.dimensions_in(min(facts.plan_year or 2024, 2024)))
        for c in made:
            if c.kind == "all_up":  # one target for the set: every dimension up together
                if count not in (None, n_dims):
                    return f"'{p.text}': {count} of {n_dims} dimensions, not named"
                c.indicator = "all"
                continue
            c.indicator = f"set:{count or 'all'}"
        return made
    if indicator == "fields":
        if m != "improve_score_and_rank":
            return f"'{p.text}' for every field of PAR INDEX: the index targets file holds no such target"
        return [make(m, "", ind=f"F{k}") for k in range(1, 9)]
    if index in ("par_index", "sipas"):
        if m in ("score_at_least", "percent_at_least"):
            return [make(m, p.value, maximum=p.maximum)]
        if m == "improve_score_and_rank":
            return [make(m)]
        if m in ("raise", "keep_or_raise", "higher"):
            return [make("change_at_least", "0", vague=True)]
        if m == "change":
            return f"a planned change of {INDEX_NAMES[index]} without its baseline: write it by hand"
        if m in ("rank_at_most", "rank_first"):
            return [
                make(
                    "rank_at_most",
                    "1" if m == "rank_first" else str(p.count or ""),
                    rank=f"{p.count}/{p.of}" if p.of else "",
                )
            ]
        return f"'{p.text}': {INDEX_NAMES[index]} has no groups in the plan schema"
    # PAPI
    if m == "score_at_least":
        lo, hi = scale(indicator, facts)
        value = float(p.value or "nan")
        if not lo <= value <= hi:
            return f"{p.value} is outside the {indicator} scale ({lo:g}-{hi:g}): not read"
        c = make(m, p.value, maximum=p.maximum)
        if p.maximum and float(p.maximum) != hi:
            c.doubt("medium", f"'/{p.maximum}' is not the {indicator} scale ({hi:g})", "target_value")
        return [c]
    if m == "percent_at_least":
        return "PAPI is scored in points, not per cent: not read"
    if m == "change":
        return [
            make("change_at_least", p.value).doubt(
                "medium", "a planned change with no score beside it: read as a change target", "kind"
            )
        ]
    if m == "group_at_least":
        if p.value == "average":
            first = make(m, "low_average").doubt(
                "medium", p.reading + ": read as low-average or better (either average group)", "target_value"
            )
            first.other_reading = "high_average or better, if 'trung bình' means the high-average group"
            return [first]
        c = make(m, p.value).doubt("medium", f"'{p.text}': read as this group or a better one", "target_value")
        c.other_reading = "exactly this group: a province that rose to a better group would not count as meeting it"
        return [c]
    if m == "not_in_group":
        if p.value in ("lowest", "highest", "average", ""):
            return [make(m, p.value or "lowest")]
        better = GROUPS[GROUPS.index(p.value) - 1]
        first = make("group_at_least", better).doubt(
            "medium",
            f"'{p.text}': read as {better} or better (neither this group nor a lower one, as the plan's aim)",
            "kind",
            "target_value",
        )
        first.other_reading = f"literally not in the {p.value} group: a lower group would meet it (the next row)"
        second = make("not_in_group", p.value, second=True).doubt(
            "low", f"second reading of '{p.text}': literally not in the {p.value} group", "kind", "target_value"
        )
        second.other_reading = f"{better} or better (the row above)"
        return [first, second]
    if m == "group_or_rank":
        n = p.count or 0
        if 1 <= n <= 4:
            first = make("group_at_least", GROUPS[n - 1]).doubt(
                "low", f"'{p.text}': {p.reading}; read first as group {n} ({GROUPS[n - 1]})", "kind", "target_value"
            )
            first.other_reading = f"rank {n} or better (the next row)"
            second = make("rank_at_most", str(n), second=True).doubt(
                "low", f"second reading of '{p.text}': the top {n} provinces", "kind", "target_value"
            )
            second.other_reading = f"group {n} ({GROUPS[n - 1]}) or better (the row above)"
            return [first, second]
        return [make("rank_at_most", str(n)).doubt("medium", f"'{p.text}': read as the top {n}", "kind")]
    if m in ("rank_at_most", "rank_first"):
        n = 1 if m == "rank_first" else (p.count or 0)
        limit = 34 if facts.geography == "34" else 63
        if not n or not 1 <= n <= limit:
            return f"'{p.text}': no rank 1-{limit}"
        c = make("rank_at_most", str(n), rank="" if not p.of else f"{n}/{p.of}")
        if p.of:
            c.doubt("medium", f"'{p.text}': read as rank {n} or better", "kind")
        return [c]
    if m == "rank_gain_at_least":
        limit = 34 if facts.geography == "34" else 63
        if p.negative:
            return "a fall in rank, not a target"
        if p.count is not None and not 1 <= p.count < limit:
            return f"'{p.text}': a gain of {p.count} places is not possible among {limit} provinces"
        return [make(m, str(p.count) if p.count else "")]
    if m in ("improve_score_and_rank", "all_up"):
        return [make(m, "", ind="all" if m == "all_up" else indicator)]
    if m in ("keep_or_raise", "higher", "raise"):
        c = make("change_at_least", "0", vague=m == "raise").doubt(
            "medium", p.reading or f"'{p.text}': read as a change of at least 0", "kind", "target_value"
        )
        if m == "higher":
            c.other_reading = (
                "a strict rise (a change above 0): the schema's change of at least 0 counts an unchanged score as met"
            )
        return [c]
    return f"'{p.text}': not a kind of target the schema holds"


def scale(indicator: str, facts: Facts) -> tuple[float, float]:
    if indicator == papi_schema.TOTAL:
        year = min(facts.plan_year or 2024, 2024)
        return papi_schema.period_of(year).total_range
    return papi_schema.DIMENSION_SCORE_RANGE
