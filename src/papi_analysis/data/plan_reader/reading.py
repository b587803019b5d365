"""A plan document read into target rows of the plan schema, each with its exact quote, a confidence, how it was
read and, where a sentence allows two readings, both; and the sentences that look like targets but were not read,
with the reason.

How a sentence becomes rows (:func:`_read_sentence`): its predicates (what it asks: a score, a change, a group, a
rank, ...) are bound to subjects (:mod:`.statements`); a statement about a year the plan had already seen published
(or in a footnote, or said to be published) is a *result*, whose numbers become the stated baseline of the targets
on the same indicator; the rest is a target when a word of intent or the heading above says so. Years come from the
sentence, else the headings above, else the targets read before it in the same section, else the year after the
stated baseline, else the plan's year, and every year not read from the sentence itself is flagged. Rows stating the
same target are merged (their quotes joined with " … "); a general aim ("nâng cao Chỉ số PAPI") already covered by
the plan's own targets for those years is listed, not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import schema as papi_schema
from ..index_targets import COLUMNS as INDEX_COLUMNS
from .candidates import Candidate, NotRead
from .documents import Document, read_document
from .facts import Facts, document_facts
from .meanings import rows_for, subjects_of, unsupported
from .merging import settle
from .outline import Paragraph, Table, outline, sentences
from .schema import REVIEW_COLUMNS, TARGET_COLUMNS
from .statements import Predicate, Statement, analyse, subject_of
from .tables import read_table

_KIND_WORDS = {
    "score_at_least": "score",
    "change_at_least": "change",
    "group_at_least": "group",
    "not_in_group": "not-in-group",
    "rank_at_most": "rank",
    "rank_gain_at_least": "rank-gain",
    "improve_score_and_rank": "improve",
    "all_up": "all-up",
    "percent_at_least": "percent",
    "planned_change": "change",
    "stated_baseline": "baseline",
}


@dataclass
class PlanReading:
    """What :func:`read_plan_document` found: PAPI rows (plan schema), PAR INDEX and SIPAS rows (index targets
    schema), both with the review columns, and the sentences not read."""

    document: Document
    facts: Facts
    rows: pd.DataFrame
    index_rows: pd.DataFrame
    not_read: pd.DataFrame
    uncertain: dict = field(default_factory=dict)  # (sheet, row) -> fields to check

    @property
    def source(self) -> str:
        return self.document.name


@dataclass
class _Context:
    facts: Facts
    source: str
    section_year: dict = field(default_factory=dict)  # top heading -> last target year read under it
    pending: dict = field(default_factory=dict)  # heading paragraph id -> (sentence, predicates) for its children
    children: dict = field(default_factory=dict)  # heading paragraph id -> dimensions read under it


def read_plan_document(
    path: str | Path | None = None, text: str | None = None, province: str | None = None, name: str | None = None
) -> PlanReading:
    """Read a plan document (.docx, .pdf with a text layer, .txt) or ``text`` (standard input) into target rows."""
    document = read_document(path, text=text, name=name or "standard input")
    tree = outline(document)
    facts = document_facts(document, tree, province)
    ctx = _Context(facts, document.name if document.kind != "text" else "")
    candidates: list[Candidate] = []
    not_read: list[NotRead] = []
    for k, block in enumerate(tree.blocks):
        order = 1000 * (k + 1)
        if isinstance(block, Table):
            found, missed = read_table(block, _heading_index(block.parent), order)
            candidates += found
            not_read += missed
            continue
        if block.text == facts.plan_document.split(" (Số:")[0] or _is_title(block, facts):
            continue
        for s, sentence in enumerate(sentences(block.text)):
            found, missed = _read_sentence(sentence, block, ctx, order + 10 * s)
            candidates += found
            not_read += missed
    candidates, more = settle(candidates, facts, {k: (ctx.pending[k][1], ctx.children[k]) for k in ctx.pending})
    return _reading(document, facts, candidates, not_read + more)


# --------------------------------------------------------------------------- one sentence


def _is_title(paragraph: Paragraph, facts: Facts) -> bool:
    """The plan's own title ("Cải thiện, nâng cao Chỉ số PAPI tỉnh …"): its verbs name the plan, not a target."""
    return (
        bool(paragraph.text)
        and paragraph.level == 6
        and facts.plan_document.endswith(paragraph.text.strip())
        or (bool(facts.plan_document) and paragraph.text.strip() in facts.plan_document and len(paragraph.text) > 20)
    )


def _heading_index(paragraph: Paragraph | None) -> str | None:
    for p in ([paragraph] + paragraph.ancestors()) if paragraph is not None else []:
        indices = [s.meaning for s in analyse(p.text).subjects if s.kind == "index" and s.meaning != "other"]
        if indices:
            return indices[0]
    return None


def _target_context(paragraph: Paragraph) -> bool:
    """A heading above (or the paragraph itself) speaks of targets: "MỤC TIÊU", "CHỈ TIÊU", "phấn đấu", ..."""
    return any(analyse(p.text).has_marker("target") for p in [paragraph] + paragraph.ancestors())


def _years(st: Statement, position: int, published: int | None, meanings=("target", "following")) -> list:
    """Year mentions of the predicate's segment, then of the sentence, nearest first; only years after the last
    published one count as target years."""
    seg = st.segment_of(position)
    pool = [
        y
        for y in st.years
        if y.meaning in meanings
        and (published is None or y.year > published or y.meaning not in ("target", "following"))
    ]
    inside = sorted((y for y in pool if seg[0] <= y.start < seg[1]), key=lambda y: _nearness(y, position))
    rest = sorted((y for y in pool if not seg[0] <= y.start < seg[1]), key=lambda y: _nearness(y, position))
    return inside + rest


def _nearness(year, position: int) -> tuple[int, int]:
    """Years follow what they date ("nâng cao Chỉ số PAPI … năm 2021"): the nearest year after a predicate first,
    then the nearest before it."""
    return (0, year.start - position) if year.start >= position else (1, position - year.start)


def _read_sentence(sentence: str, paragraph: Paragraph, ctx: _Context, order: int) -> tuple[list, list]:
    st = analyse(sentence)
    facts = ctx.facts
    published = facts.published_year
    predicates = [p for p in st.predicates if not st.in_reference(p.start)]
    where = paragraph.where
    out: list[Candidate] = []
    missed: list[NotRead] = []
    if not predicates:
        heading = sentence.rstrip().endswith(":") or paragraph.children
        if (
            st.has_marker("target")
            and any(s.kind != "province" for s in st.subjects)
            and not paragraph.footnote
            and not heading
        ):
            reason = unsupported(st.subjects) or "a sentence of targets with no number, group or rank the reader knows"
            missed.append(NotRead(sentence, where, reason, order))
        _note_children(st, paragraph, ctx, [], order, sentence)
        return out, missed
    intent = st.has_marker("target") or st.has_marker("intent") or _target_context(paragraph)
    changes: dict[tuple[str, str], Predicate] = {}
    for p in predicates:
        stated = _stated_year(st, p)
        result = paragraph.footnote or (stated is not None and published is not None and stated <= published)
        result = result or (st.has_marker("result") and not st.has_marker("target"))
        if result and p.meaning not in ("score_at_least", "rank_at_most", "rank_first"):
            continue  # a change, group or rank gain of a past year: nothing a baseline column holds
        subject = subject_of(st, p)
        targets, why = subjects_of(st, p, subject, facts)
        if why and not targets:
            missed.append(NotRead(sentence, where, why, order))
            continue
        for index, indicator, count in targets:
            if p.meaning == "change" and not result:
                changes[(index, indicator)] = p
                continue
            made = rows_for(p, index, indicator, count, sentence, where, order, facts)
            if isinstance(made, str):
                missed.append(NotRead(sentence, where, made, order))
                continue
            for c in made:
                if why:
                    c.doubt("medium", why)
                c.result = bool(result)
                if result:
                    c.target_year = stated
                elif not intent:
                    missed.append(
                        NotRead(
                            sentence,
                            where,
                            "states a score, group or rank without a word of intent "
                            "(phấn đấu, mục tiêu, …) or a heading of targets above it: read as a "
                            "description, not a target",
                            order,
                        )
                    )
                    break
                else:
                    _set_years(c, st, p, paragraph, ctx)
                out.append(c)
    for (index, indicator), p in changes.items():
        mine = [c for c in out if (c.index, c.indicator) == (index, indicator) and c.kind == "score_at_least"]
        if mine:
            for c in mine:
                c.change = p.value if not p.negative else f"-{p.value}"
            continue
        made = rows_for(p, index, indicator, None, sentence, where, order, facts)
        if isinstance(made, str) or p.negative:
            missed.append(NotRead(sentence, where, made if isinstance(made, str) else "a fall, not a target", order))
            continue
        for c in made:
            _set_years(c, st, p, paragraph, ctx)
            out.append(c)
    _note_children(st, paragraph, ctx, out, order, sentence)
    return out, missed


def _stated_year(st: Statement, p: Predicate) -> int | None:
    """The year a statement is about: a year named in the predicate's segment (nearest), else the year after its
    "so với năm …", else the same in the whole sentence."""
    seg = st.segment_of(p.start)
    for inside in (True, False):
        pool = [y for y in st.years if (seg[0] <= y.start < seg[1]) == inside or not inside]
        named = sorted((y for y in pool if y.meaning in ("target", "following")), key=lambda y: _nearness(y, p.start))
        if named:
            return named[0].year
        base = sorted((y for y in pool if y.meaning == "baseline"), key=lambda y: _nearness(y, p.start))
        if base:
            return base[0].year + 1
    return None


def _set_years(c: Candidate, st: Statement, p: Predicate, paragraph: Paragraph, ctx: _Context) -> None:
    """Target and baseline years of a target, and where they came from (flagged unless read in the sentence)."""
    published = ctx.facts.published_year
    top = _top(paragraph)
    found = _years(st, p.start, published)
    periods = [y for y in st.years if y.meaning == "period"]
    seg = st.segment_of(p.start)
    base = [y for y in _years(st, p.start, None, meanings=("baseline",)) if seg[0] <= y.start < seg[1]]
    if found:
        c.target_year, c.following = found[0].year, found[0].meaning == "following"
    else:
        above = [
            y
            for a in paragraph.ancestors()
            for y in analyse(a.text).years
            if y.meaning in ("target", "following") and (published is None or y.year > published)
        ]
        if above:
            c.target_year, c.following = above[0].year, above[0].meaning == "following"
        elif top in ctx.section_year:
            c.target_year = ctx.section_year[top]
            c.readings.append(f"target year {c.target_year} from the targets stated before it in the same section")
            if base and base[0].year + 1 != c.target_year:
                c.doubt("medium", "", "target_year")
        elif base:
            c.target_year = base[0].year + 1
            c.doubt(
                "medium", f"no target year in the sentence: the year after its baseline ({base[0].year})", "target_year"
            )
        else:
            c.target_year = ctx.facts.plan_year
            c.doubt("medium", f"no target year in the sentence: the plan's year ({c.target_year})", "target_year")
        if periods:
            c.doubt("low", f"the sentence speaks of a period ({periods[0].text}), not a year", "target_year")
    if found and not c.following:
        ctx.section_year[top] = c.target_year
    if base:
        c.baseline_year = base[0].year
    elif c.target_year is not None:
        c.baseline_year = min(c.target_year - 1, published) if published else c.target_year - 1


def _top(paragraph: Paragraph) -> int:
    chain = [paragraph] + paragraph.ancestors()
    return id(chain[-1])


def _note_children(
    st: Statement, paragraph: Paragraph, ctx: _Context, out: list[Candidate], order: int, sentence: str
) -> None:
    """A heading that gives a group to "05 chỉ số nội dung" keeps it for the dimensions listed under it; a
    dimension's sentence under such a heading gets the heading's target too (quote: heading … sentence)."""
    sets = [c for c in out if c.indicator.startswith("set:")]
    n_dims = len(papi_schema.dimensions_in(min(ctx.facts.plan_year or 2024, 2024)))
    for c in sets:
        count = c.indicator.split(":")[1]
        if count == "all" or int(count) == n_dims:
            continue
        if paragraph.children:
            ctx.pending[id(paragraph)] = (paragraph, c)
            ctx.children[id(paragraph)] = []
    for a in paragraph.ancestors():
        if id(a) in ctx.pending:
            heading, template = ctx.pending[id(a)]
            dims = list(dict.fromkeys(c.indicator for c in out if c.index == "papi" and c.indicator.startswith("D")))
            dims = dims or [s.meaning for s in st.subjects if s.kind == "dimension"]
            for d in dims:
                ctx.children[id(a)].append(d)
                c = Candidate(
                    "papi",
                    d,
                    template.kind,
                    f"{template.quote} … {sentence}",
                    paragraph.where,
                    order + 1,
                    value=template.value,
                    target_year=template.target_year,
                    following=template.following,
                    baseline_year=template.baseline_year,
                    confidence=template.confidence,
                    readings=list(template.readings) + [f"the group is named in the heading above ({heading.where})"],
                    other_reading=template.other_reading,
                    uncertain=set(template.uncertain),
                )
                same = [x for x in out if x.indicator == d and x.index == "papi" and x.target_year]
                if same:
                    c.target_year, c.following, c.baseline_year = (
                        same[0].target_year,
                        same[0].following,
                        same[0].baseline_year,
                    )
                    c.uncertain.discard("target_year")
                out.append(c)
            break


def _reading(document: Document, facts: Facts, candidates: list[Candidate], missed: list[NotRead]) -> PlanReading:
    plan_id = facts.plan_id()
    papi: list[dict] = []
    index: list[dict] = []
    ids: dict[str, int] = {}
    uncertain = {}

    def new_id(base: str) -> str:
        ids[base] = ids.get(base, 0) + 1
        return base if ids[base] == 1 else f"{base}-{ids[base]}"

    for c in candidates:
        review = dict(
            confidence=c.confidence,
            reading="; ".join(dict.fromkeys(r for r in c.readings if r)),
            other_reading=c.other_reading,
            where=c.where,
        )
        common = dict(
            plan_id=plan_id,
            province=facts.province,
            plan_document=facts.plan_document,
            plan_date=facts.plan_date,
            source_file=document.name if document.kind != "text" else "",
            baseline_year=c.baseline_year or "",
            quote=c.quote,
        )
        if c.index == "papi":
            target_year = f"{c.target_year}+" if c.following else (c.target_year or "")
            row = dict(
                common,
                target_id=new_id("all-up" if c.kind == "all_up" else f"{c.indicator}-{_KIND_WORDS[c.kind]}"),
                target_year=target_year,
                indicator=c.indicator,
                kind=c.kind,
                target_value=c.value,
                baseline_stated=c.baseline,
                baseline_rank_stated=c.rank,
                planned_change_stated=c.change,
                note=_note(c, facts),
                geography="" if facts.geography == "63" else "34",
                **review,
            )
            uncertain[("papi", len(papi))] = sorted(c.uncertain)
            papi.append(row)
        else:
            prefix = {"par_index": "par-total", "sipas": "sipas"}[c.index] if c.indicator == "total" else c.indicator
            row = dict(
                common,
                target_id=new_id(f"{prefix}-{_KIND_WORDS[c.kind]}"),
                index=c.index,
                component=c.indicator,
                target_year=c.target_year or "",
                kind=c.kind,
                target_value=c.value,
                baseline_stated=c.baseline,
                baseline_rank_stated=c.rank,
                max_stated=c.maximum,
                planned_change_stated=c.change,
                same_as="",
                note=_note(c, facts),
                **review,
            )
            c._row = row  # type: ignore[attr-defined]
            uncertain[("index", len(index))] = sorted(c.uncertain)
            index.append(row)
    for c in candidates:
        if isinstance(c.same_as, Candidate):
            c._row["same_as"] = c.same_as._row["target_id"]  # type: ignore[attr-defined]
    rows = pd.DataFrame(papi, columns=TARGET_COLUMNS + REVIEW_COLUMNS)
    index_rows = pd.DataFrame(index, columns=INDEX_COLUMNS + REVIEW_COLUMNS)
    unread: dict[str, dict] = {}
    for m in sorted(missed, key=lambda m: m.order):
        if m.quote in unread:  # one sentence, one line: its first reason (the others are alike)
            continue
        unread[m.quote] = dict(where=m.where, quote=m.quote, reason=m.reason)
    not_read = pd.DataFrame(list(unread.values()), columns=["where", "quote", "reason"])
    return PlanReading(document, facts, rows, index_rows, not_read, uncertain)


def _note(c: Candidate, facts: Facts) -> str:
    parts = [f"read automatically from {c.where}; confidence {c.confidence}"]
    if c.following and c.index != "papi":
        parts.append(f"{c.target_year} and following years: the index targets file holds one year")
    if facts.province_note:
        parts.append(facts.province_note)
    return "; ".join(parts)
