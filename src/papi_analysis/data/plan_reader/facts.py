"""What a plan document says about itself: the province, its date and year, its title, and the indices it is about.

The province is the one the document names most often after "tỉnh" / "thành phố" (any spelling the province
registry knows; never a pattern written for one province). The plan's year is its date's year ("Quảng Nam, ngày …
tháng 8 năm 2021"), else the year in its title ("Kế hoạch … năm 2024"); the last PAPI year published before it is
that year minus one (PAPI publishes a year's results in the spring of the next).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .. import provinces
from . import phrases
from .documents import Document
from .outline import Outline, Paragraph
from .statements import analyse

_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)", re.IGNORECASE)
_DATE_SLASHES = re.compile(r"(?<!cập nhật )ngày\s+(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)", re.IGNORECASE)
_TITLE_YEAR = re.compile(
    r"(?:Kế hoạch|KẾ HOẠCH|Plan)[^.;:\n]{0,200}?năm\s+((?:19|20)\d\d)|\bPlan\b[^.;\n]{0,120}?((?:19|20)\d\d)"
)
_DOCUMENT_TYPES = ("KẾ HOẠCH", "THÔNG BÁO", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH", "BÁO CÁO", "CÔNG VĂN", "PLAN")
_NUMBER = re.compile(r"^Số:?\s*(\S*/\S+)")


@dataclass
class Facts:
    province: str = ""  # the registry's name (63 provinces, or the 34 when only they know it)
    geography: str = "63"
    province_note: str = ""
    plan_year: int | None = None
    plan_date: str = ""
    plan_document: str = ""
    number: str = ""  # "45/KH-UBND" as the document numbers itself
    indices: list[str] = field(default_factory=list)  # indices the plan is about, from its title and text

    @property
    def published_year(self) -> int | None:
        """The last PAPI year published before the plan (its baseline unless it says otherwise)."""
        return None if self.plan_year is None else self.plan_year - 1

    def plan_id(self) -> str:
        slug = provinces.slugify(self.province) if self.province else "plan"
        return f"{slug}-{self.plan_year}" if self.plan_year else slug


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=2)
def _province_names(geography: str) -> tuple[tuple[str, int], ...]:
    """(folded name, code) for every name and alias of the geography's provinces, longest first."""
    table = provinces.registry(geography=geography)
    names = []
    for row in table.itertuples():
        for name in [row.name_vi, row.name_en, *str(row.aliases).split("|")]:
            folded = " ".join(_fold(name).replace("-", " ").split())
            if len(folded) >= 3 and not folded.startswith(("tp ", "thanh pho ", "tinh ")) and not folded.isdigit():
                names.append((folded, int(row.province_code)))
    return tuple(sorted(set(names), key=lambda n: -len(n[0])))


def find_province(text: str) -> tuple[str, str, Counter]:
    """(name, geography, counts) of the province the text names most after "tỉnh"/"thành phố" ('' when none)."""
    folded = " ".join(_fold(text).replace("-", " ").split())
    for geography in ("63", "34"):
        counts: Counter = Counter()
        first: dict[int, int] = {}
        for name, code in _province_names(geography):
            pattern = rf"(?<![a-z])(?:(?:tinh|thanh pho|tp\.?|province of)\s+{re.escape(name)}|{re.escape(name)}\s+province)(?![a-z])"
            for m in re.finditer(pattern, folded):
                counts[code] += 1
                first.setdefault(code, m.start())
        if counts:
            best = max(counts, key=lambda c: (counts[c], -first[c]))
            return provinces.name(best, geography=geography), geography, counts
    return "", "63", Counter()


def document_facts(document: Document, tree: Outline, province: str | None = None) -> Facts:
    facts = Facts()
    head = [p for p in tree.paragraphs[:15]]
    for p in head:
        references = analyse(p.text).references
        dates = [
            d
            for d in list(_DATE_WORDS.finditer(p.text)) + list(_DATE_SLASHES.finditer(p.text))
            if not any(a <= d.start() < b for a, b in references)
            and "cập nhật" not in p.text[: d.start()].lower()[-15:]
        ]
        if dates:
            date = min(dates, key=lambda d: d.start())
            day, month, year = date.groups()
            facts.plan_date = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
            facts.plan_year = int(year)
            break
    text = document.text
    facts.plan_document = _title(head)
    titles = re.findall(r"(?:năm|in|for)\s+((?:19|20)\d\d)", facts.plan_document, re.IGNORECASE) or [
        y for pair in _TITLE_YEAR.findall(text) for y in pair if y
    ]
    if facts.plan_year is None and titles:
        facts.plan_year = int(titles[0])
        facts.plan_date = str(facts.plan_year)
    for p in head:
        m = _NUMBER.match(p.text)
        if m:
            facts.number = m.group(1)
    if facts.number and facts.plan_document:
        facts.plan_document += f" (Số: {facts.number})"
    found, geography, counts = find_province(text)
    if province:
        try:
            code = provinces.resolve(province)
            facts.province, facts.geography = provinces.name(code), "63"
        except provinces.UnknownProvinceError:
            code = provinces.resolve(province, geography="34")
            facts.province, facts.geography = provinces.name(code, geography="34"), "34"
        if found and found != facts.province:
            facts.province_note = f"the document names {found} most often; read for {facts.province} as asked"
    else:
        facts.province, facts.geography = found, geography
    title_text = " ".join(p.text for p in head[:4])
    indices = [m.phrase.meaning for m in phrases.find(title_text, "index") if m.phrase.meaning != "other"]
    if not indices:
        indices = [m.phrase.meaning for m in phrases.find(text, "index") if m.phrase.meaning != "other"]
    facts.indices = list(dict.fromkeys(indices)) or ["papi"]
    return facts


def _title(head: list[Paragraph]) -> str:
    """'Kế hoạch Cải thiện, nâng cao Chỉ số PAPI tỉnh Quảng Nam': the document type and the line after it."""
    for k, p in enumerate(head):
        if p.text.strip().upper() in _DOCUMENT_TYPES and k + 1 < len(head):
            return f"{p.text.strip().capitalize()} {head[k + 1].text.strip()}"
    for p in head:
        m = re.search(r"Kế hoạch[^.;:]{10,200}?năm \d{4}", p.text)
        if m:
            return m.group(0)
    return head[0].text.strip()[:200] if head else ""
