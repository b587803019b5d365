"""What one sentence says: its subjects (indices, dimensions, sets of them, the province), what it asks of them
(numbers, groups, ranks), its years and its words of intent, found with the phrase table and bound to each other.

A sentence is cut into segments at the words that start a new aim ("phấn đấu", "để", "nhằm", "đồng thời"); a
predicate takes the nearest subject before it in its segment, else the nearest after it, else the index the sentence
is about. Subjects written next to each other ("chỉ số PAR INDEX, SIPAS, PAPI", "Chỉ số nội dung “Quản trị điện
tử”", "08 nội dung đánh giá của PAPI") are one compound subject. Nothing here decides whether a statement is a
target or a result, or what row it becomes: that is :mod:`.reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import phrases
from .phrases import UPPER, Match, for_matching, number_text

SUBJECT_CATEGORIES = ("index", "dimension", "dimensions", "parts", "plural", "unsupported")
_SEGMENT = re.compile(r",\s*(?=phấn đấu|đồng thời|để|nhằm)|\s+(?=để\s|nhằm\s)", re.IGNORECASE)
_JOINER = re.compile(r"^[\s,/“”\"'():–-]*(?:(?:và|hoặc|của|and|or|of|the)\b[\s,/“”\"'():–-]*)*$", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w.])D([1-8])(?![\w.])")
_PROVINCE = re.compile(rf"(?<!\w)(?:tỉnh|Tỉnh|thành phố|Thành phố|TP\.?)\s+(?=[{UPPER}])")
_NAME_WORDS = re.compile(rf"(?:[{UPPER}][\w-]*\s?){{1,4}}")


@dataclass
class Subject:
    start: int
    end: int
    kind: str  # index, dimension, dimensions, parts, plural, unsupported, province
    meaning: str  # papi / D3 / {n} or all / par_index / indices / criteria / province
    count: int | None = None
    reason: str = ""
    text: str = ""


@dataclass
class Predicate:
    start: int
    end: int
    meaning: str  # a kind, or a reading rule of the phrase table (change, higher, raise, ...)
    text: str
    value: str = ""  # as the schema keeps it ("5.30"); a group's code for group wordings
    maximum: str = ""
    count: int | None = None  # {n}
    of: int | None = None  # {m}
    reading: str = ""
    negative: bool = False  # "giảm": a fall (results)
    group_words: str = ""


@dataclass
class Year:
    start: int
    end: int
    meaning: str  # target, following, baseline, period, date
    year: int
    text: str


@dataclass
class Statement:
    text: str
    subjects: list[Subject] = field(default_factory=list)
    predicates: list[Predicate] = field(default_factory=list)
    years: list[Year] = field(default_factory=list)
    markers: list[Match] = field(default_factory=list)
    references: list[tuple[int, int]] = field(default_factory=list)  # spans naming other documents
    segments: list[tuple[int, int]] = field(default_factory=list)

    def segment_of(self, position: int) -> tuple[int, int]:
        for start, end in self.segments:
            if start <= position < end:
                return start, end
        return 0, len(self.text)

    def in_reference(self, position: int) -> bool:
        return any(a <= position < b for a, b in self.references)

    def has_marker(self, meaning: str = "target", start: int = 0, end: int | None = None) -> bool:
        end = len(self.text) if end is None else end
        return any(m.phrase.meaning == meaning and start <= m.start < end for m in self.markers)


def analyse(text: str) -> Statement:
    """Subjects, predicates, years, markers, references and segments of one sentence."""
    seen = for_matching(text)
    st = Statement(text)
    st.subjects = _subjects(text, seen)
    st.predicates = [_predicate(m) for m in phrases.find(text, "target", seen)]
    st.references = _references(text, seen)
    st.years = [
        Year(m.start, m.end, m.phrase.meaning, int(m.slots["year"]), m.text)
        for m in phrases.find(text, "year", seen)
        if "year" in m.slots and not st.in_reference(m.start)  # a title's year is the title's
    ]
    st.markers = phrases.find(text, "marker", seen)
    cuts = [0] + [m.start() for m in _SEGMENT.finditer(seen)] + [len(text)]
    st.segments = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    return st


def _subjects(text: str, seen: str) -> list[Subject]:
    found: list[Match] = []
    for category in SUBJECT_CATEGORIES:
        found += phrases.find(text, category, seen)
    kept: list[Match] = []
    for m in sorted(found, key=lambda m: -(m.end - m.start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    subjects = []
    for m in kept:
        p = m.phrase
        if p.category == "dimension" and not _names_a_dimension(seen, m.start, m.end):
            continue  # "nâng cao trách nhiệm giải trình": words of the dimension's name, not the dimension
        if p.category == "parts" and not re.search(r"(?i)lĩnh vực", seen[max(0, m.start - 12) : m.end]):
            continue
        count = int(m.slots["n"]) if "n" in m.slots else None
        subjects.append(Subject(m.start, m.end, p.category, p.meaning, count, p.reading, m.text))
    for code in _CODE.finditer(seen):
        if not any(s.start <= code.start() < s.end for s in subjects):
            subjects.append(Subject(code.start(), code.end(), "dimension", f"D{code.group(1)}", text=code.group(0)))
    for province in _PROVINCE.finditer(text):
        end = province.end()
        words = _NAME_WORDS.match(text[end:])
        if words and not any(s.start <= province.start() < s.end for s in subjects):
            subjects.append(
                Subject(province.start(), end + len(words.group(0).rstrip()), "province", "province", text="")
            )
    return sorted(subjects, key=lambda s: s.start)


def _names_a_dimension(seen: str, start: int, end: int) -> bool:
    """A dimension's words name the dimension when quoted, or after "chỉ số (nội dung)" / "nội dung" / "dimension"."""
    before = seen[max(0, start - 30) : start].lower().rstrip()
    after = seen[end : end + 3]
    if before.endswith(("“", '"', "'", "‘")) or after.lstrip().startswith(("”", '"', "’")):
        return True
    return bool(re.search(r"(chỉ số nội dung|chỉ số|nội dung|dimension)[\s:“\"]*$", before))


def _predicate(m: Match) -> Predicate:
    slots = m.slots
    value = number_text(slots["value"]) if "value" in slots else ""
    negative = m.text.lower().startswith("giảm")
    group = ""
    if "group" in slots:
        p = phrases.group_of(slots["group"], m.phrase.lang)
        group = p.meaning if p is not None else ""
    return Predicate(
        m.start,
        m.end,
        m.phrase.meaning,
        m.text,
        value=group or value,
        maximum=number_text(slots["max"]) if "max" in slots else "",
        count=int(slots["n"]) if "n" in slots else None,
        of=int(slots["m"]) if "m" in slots else None,
        reading=m.phrase.reading,
        negative=negative,
        group_words=slots.get("group", ""),
    )


def _references(text: str, seen: str) -> list[tuple[int, int]]:
    """Spans that name another document ("Chỉ thị số 11-CT/TU … về …", "Kế hoạch cải thiện …"): their verbs are a
    title's words, not the plan's aims. A numbered document runs to the end of its clause; a title to its year."""
    spans = []
    for m in phrases.find(text, "reference", seen):
        rest = seen[m.end :]
        if m.phrase.meaning == "document":
            stop = re.search(rf"[;.](?:\s|$)|\s+và\s+(?=[{UPPER}])", rest)
            spans.append((m.start, m.end + (stop.start() if stop else len(rest))))
        elif re.match(rf"\s+(?:[{UPPER}]|cải thiện|nâng cao|duy trì|thực hiện|khắc phục)", rest):
            stop = re.search(r"năm\s+\d{4}|[;.:](?:\s|$)", rest[:250])
            spans.append((m.start, m.end + (stop.end() if stop else min(len(rest), 250))))
    return spans


def compound(subjects: list[Subject], text: str, start: int) -> list[Subject]:
    """The subjects written together with the one at index ``start`` (joined by commas, slashes, "và", "của",
    quotes)."""
    group = [subjects[start]]
    k = start
    while k + 1 < len(subjects) and _JOINER.match(text[subjects[k].end : subjects[k + 1].start]):
        k += 1
        group.append(subjects[k])
    k = start
    while k - 1 >= 0 and _JOINER.match(text[subjects[k - 1].end : subjects[k].start]):
        k -= 1
        group.insert(0, subjects[k])
    return group


def subject_of(st: Statement, predicate: Predicate) -> list[Subject] | None:
    """The compound subject a predicate is about (None: the sentence names none in the predicate's segment)."""
    seg_start, seg_end = st.segment_of(predicate.start)
    inside = [
        (k, s)
        for k, s in enumerate(st.subjects)
        if seg_start <= s.start < seg_end
        and not (predicate.start <= s.start < predicate.end and s.kind != "dimensions")
    ]
    if predicate.meaning == "raise":  # "nâng cao Chỉ số PAPI": the subject follows at once
        after = [(k, s) for k, s in enumerate(st.subjects) if s.start >= predicate.end - 1]
        return compound(st.subjects, st.text, after[0][0]) if after else None
    if predicate.meaning == "all_up":  # "tăng điểm 8 chỉ số nội dung": the set is inside the wording
        own = [(k, s) for k, s in enumerate(st.subjects) if predicate.start <= s.start < predicate.end]
        if own:
            return [own[0][1]]
    before = [(k, s) for k, s in inside if s.end <= predicate.start]
    if before:
        return compound(st.subjects, st.text, before[-1][0])
    after = [(k, s) for k, s in inside if s.start >= predicate.end]
    if after:
        return compound(st.subjects, st.text, after[0][0])
    return None
