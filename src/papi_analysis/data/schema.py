"""What PAPI measures: dimensions, scales and methodology periods.

Facts here come from the PAPI reports (papi.org.vn) and the source README:
6 dimensions 2011-2017, 8 since 2018 (D7 environmental governance,
D8 e-governance); a partial redesign of indicators in 2016; each dimension is
scored 1-10 and the unweighted total is their sum (6-60 until 2017, 8-80 since
2018). PAPI discourages comparing totals across 2017/2018, and its 2016 report
compares 2011-2016 only for D2, D4 and D6.
"""

from __future__ import annotations

from dataclasses import dataclass

DIMENSIONS: tuple[str, ...] = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")
TOTAL = "total"
INDICATORS: tuple[str, ...] = DIMENSIONS + (TOTAL,)

DIMENSION_NAMES: dict[str, dict[str, str]] = {
    "D1": {"en": "Participation at local levels", "vi": "Tham gia của người dân ở cấp cơ sở"},
    "D2": {"en": "Transparency in local decision-making", "vi": "Công khai, minh bạch"},
    "D3": {"en": "Vertical accountability", "vi": "Trách nhiệm giải trình với người dân"},
    "D4": {"en": "Control of corruption in the public sector", "vi": "Kiểm soát tham nhũng trong khu vực công"},
    "D5": {"en": "Public administrative procedures", "vi": "Thủ tục hành chính công"},
    "D6": {"en": "Public service delivery", "vi": "Cung ứng dịch vụ công"},
    "D7": {"en": "Environmental governance", "vi": "Quản trị môi trường"},
    "D8": {"en": "E-governance", "vi": "Quản trị điện tử"},
    "total": {"en": "PAPI total (unweighted)", "vi": "Chỉ số PAPI tổng hợp (không trọng số)"},
}

DIMENSION_SCORE_RANGE: tuple[float, float] = (1.0, 10.0)


@dataclass(frozen=True)
class MethodologyPeriod:
    """A run of years scored with one questionnaire design."""

    label: str
    first_year: int
    last_year: int | None
    dimensions: tuple[str, ...]
    note: str

    def contains(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    @property
    def total_range(self) -> tuple[float, float]:
        """Possible range of the unweighted total (points)."""
        k = len(self.dimensions)
        return (1.0 * k, 10.0 * k)


PERIODS: tuple[MethodologyPeriod, ...] = (
    MethodologyPeriod(
        "2011-2015",
        2011,
        2015,
        DIMENSIONS[:6],
        "original design: 6 dimensions, total 6-60",
    ),
    MethodologyPeriod(
        "2016-2017",
        2016,
        2017,
        DIMENSIONS[:6],
        "partial redesign of indicators in 2016 (D1, D3, D5 changed; PAPI compares D2, D4, D6 with 2011-2015)",
    ),
    MethodologyPeriod(
        "2018-",
        2018,
        None,
        DIMENSIONS,
        "8 dimensions (D7, D8 added), total 8-80; totals not comparable with 2011-2017",
    ),
)

#: Dimensions PAPI itself compares across the 2015/2016 redesign.
COMPARABLE_ACROSS_2016: frozenset[str] = frozenset({"D2", "D4", "D6"})


def period_of(year: int) -> MethodologyPeriod:
    """The methodology period a survey year belongs to."""
    for period in PERIODS:
        if period.contains(year):
            return period
    raise ValueError(f"PAPI has no methodology period for {year}: the index starts in 2011.")


def dimensions_in(year: int) -> tuple[str, ...]:
    """Dimensions PAPI scored in a survey year."""
    return period_of(year).dimensions


def is_break_between(year_a: int, year_b: int, indicator: str) -> bool:
    """True when a change of ``indicator`` from ``year_a`` to ``year_b`` crosses a methodology break.

    The 2017/2018 break affects every indicator (new questionnaire, new total
    scale); the 2015/2016 break affects all but D2, D4 and D6.
    """
    lo, hi = sorted((year_a, year_b))
    if period_of(lo).label == period_of(hi).label:
        return False
    crosses_2018 = lo <= 2017 < hi
    crosses_2016 = lo <= 2015 < hi
    if crosses_2018:
        return True
    return crosses_2016 and indicator not in COMPARABLE_ACROSS_2016


#: Columns of the tidy panel (``load_scores``), in order; :mod:`papi_analysis.data.panel` documents units.
PANEL_COLUMNS: list[str] = [
    "year",
    "province_code",
    "province",
    "dimension",
    "score",
    "se",
    "ci_low",
    "ci_high",
    "n_respondents",
    "uncertainty_source",
    "score_source",
    "missing_reason",
    "methodology_period",
    "n_dimensions",
]
SUBDIMENSION_COLUMNS: list[str] = [
    "year",
    "province_code",
    "province",
    "dimension",
    "subdimension",
    "label",
    "score",
    "missing_reason",
    "methodology_period",
]
