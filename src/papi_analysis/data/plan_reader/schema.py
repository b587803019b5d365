"""The plan schema as data: columns, kinds, groups, years, limits and the column headers in both languages.

The targets file layout is documented in ``data/raw/targets/README.md``; the PAR INDEX and SIPAS layout in
``data/raw/targets/INDEX_TARGETS.md`` (:mod:`papi_analysis.data.index_targets`). Everything here is plain data, so
the document reader (this package), the plan validator (:mod:`papi_analysis.analysis.targets.plans`) and the plan
forms (:mod:`papi_analysis.report.plan_forms`) share one definition.
"""

from __future__ import annotations

#: rules that pick dimensions from the published baseline: in the lowest or low-average group; fell last year
RULES: tuple[str, ...] = ("low_groups", "fell_last_year")
KINDS: tuple[str, ...] = (
    "score_at_least",
    "change_at_least",
    "group_at_least",
    "rank_at_most",
    "improve_score_and_rank",
    "rank_gain_at_least",
    "not_in_group",
    "all_up",
    "other_index",
)
#: PAPI's four performance groups, best first (the same names as ``analysis.ranking.GROUPS``, checked by a test)
GROUPS: tuple[str, ...] = ("highest", "high_average", "low_average", "lowest")
TARGET_COLUMNS: list[str] = [
    "plan_id",
    "target_id",
    "province",
    "plan_document",
    "plan_date",
    "source_file",
    "baseline_year",
    "target_year",
    "indicator",
    "kind",
    "target_value",
    "baseline_stated",
    "baseline_rank_stated",
    "planned_change_stated",
    "quote",
    "note",
    "geography",
]
REQUIRED_COLUMNS: list[str] = ["plan_id", "province", "baseline_year", "target_year", "indicator", "kind"]
#: columns the plan reader adds for review; a targets file may keep them (they are read and ignored)
REVIEW_COLUMNS: list[str] = ["confidence", "reading", "other_reading", "where"]
#: the last year PAPI surveyed the 63 provinces; from REFORM_YEAR on it covers the 34 provinces of 1 July 2025
LAST_PUBLISHED_YEAR = 2024
REFORM_YEAR = 2025

#: Limits on what a targets file may hold. A provincial plan has 10-80 targets. Evaluation is linear in the rows
#: (what rows share is computed once per cell, :class:`papi_analysis.analysis.targets.simulate.PlanCells`): 5,000
#: generated targets are read and evaluated in about 27 s on an idle two-core machine (``benchmarks/plan_size.py``),
#: so a file of the most targets allowed takes about a minute.
MAX_TARGETS = 10_000
MAX_ID_LENGTH = 80  # plan_id and target_id name the plan in reports; ids are text, never file names
MAX_FILE_BYTES = 5_000_000
MAX_YAML_VALUES = 20_000  # values YAML aliases may add to those written (a 500-byte alias bomb adds millions)
MAX_ECHO = 80  # characters of a user's value repeated in a message

#: how a group is written, with the plans' Vietnamese words (for messages)
GROUP_NAMES = (
    "highest (nhóm cao nhất), high_average (nhóm trung bình cao), low_average (nhóm trung bình thấp), "
    "lowest (nhóm thấp nhất)"
)

#: Column headers of the plan workbooks (the review workbook of ``read-plan`` and the ``plan-template`` form), per
#: language. A workbook with headers in either language, or the column names themselves, is read.
HEADERS: dict[str, dict[str, str]] = {
    "plan_id": {"vi": "Mã kế hoạch", "en": "Plan id"},
    "target_id": {"vi": "Mã mục tiêu", "en": "Target id"},
    "province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "plan_document": {"vi": "Văn bản kế hoạch", "en": "Plan document"},
    "plan_date": {"vi": "Ngày ban hành", "en": "Plan date"},
    "source_file": {"vi": "Tệp nguồn", "en": "Source file"},
    "baseline_year": {"vi": "Năm gốc", "en": "Baseline year"},
    "target_year": {"vi": "Năm mục tiêu", "en": "Target year"},
    "indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "kind": {"vi": "Loại mục tiêu", "en": "Kind of target"},
    "target_value": {"vi": "Giá trị mục tiêu", "en": "Target value"},
    "baseline_stated": {"vi": "Điểm năm gốc kế hoạch ghi", "en": "Baseline score as stated"},
    "baseline_rank_stated": {"vi": "Hạng năm gốc kế hoạch ghi", "en": "Baseline rank as stated"},
    "planned_change_stated": {"vi": "Mức tăng kế hoạch ghi", "en": "Planned change as stated"},
    "quote": {"vi": "Trích dẫn nguyên văn", "en": "Quote (exact words)"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "geography": {"vi": "Địa giới (63 hoặc 34)", "en": "Geography (63 or 34)"},
    "confidence": {"vi": "Độ tin cậy", "en": "Confidence"},
    "reading": {"vi": "Cách hiểu", "en": "How it was read"},
    "other_reading": {"vi": "Cách hiểu khác", "en": "Other reading"},
    "where": {"vi": "Vị trí trong văn bản", "en": "Where in the document"},
}

#: what each kind and group means, in a word or two per language (drop-down lists of the forms: "code · words")
KIND_WORDS: dict[str, dict[str, str]] = {
    "score_at_least": {"vi": "đạt ít nhất số điểm", "en": "score at least"},
    "change_at_least": {"vi": "tăng ít nhất số điểm (0 = không giảm)", "en": "change of at least (0 = not lower)"},
    "group_at_least": {"vi": "nằm trong nhóm này trở lên", "en": "in this group or better"},
    "rank_at_most": {"vi": "xếp hạng này trở lên", "en": "rank this or better"},
    "improve_score_and_rank": {"vi": "tăng cả điểm số và thứ hạng", "en": "higher score and better rank"},
    "rank_gain_at_least": {"vi": "tăng ít nhất số bậc", "en": "up at least this many places"},
    "not_in_group": {"vi": "không nằm trong nhóm", "en": "not in this group"},
    "all_up": {"vi": "mọi chỉ số nêu tên cùng tăng", "en": "every named dimension up"},
    "other_index": {"vi": "mục tiêu của chỉ số khác", "en": "a target of another index"},
}
GROUP_WORDS: dict[str, dict[str, str]] = {
    "highest": {"vi": "nhóm cao nhất", "en": "highest group"},
    "high_average": {"vi": "nhóm trung bình cao", "en": "high-average group"},
    "low_average": {"vi": "nhóm trung bình thấp", "en": "low-average group"},
    "lowest": {"vi": "nhóm thấp nhất", "en": "lowest group"},
}
#: separator between a code and its words in a drop-down value ("score_at_least · đạt ít nhất số điểm")
CHOICE_SEPARATOR = " · "

CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")
CONFIDENCE_WORDS: dict[str, dict[str, str]] = {
    "high": {"vi": "cao", "en": "high"},
    "medium": {"vi": "trung bình: xem lại", "en": "medium: check it"},
    "low": {"vi": "thấp: cần xem lại", "en": "low: must be checked"},
}


class TargetFileError(ValueError):
    """A targets file that cannot be used as written (the message names the file and where in it)."""


def shown(value: object, limit: int = MAX_ECHO) -> str:
    """A user's value as a message repeats it: quoted, at most ``limit`` characters (then "…" and the length)."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return repr(text[: limit - 1] + "…") + f" ({len(text):,} characters)"


def choice(code: str, words: dict[str, dict[str, str]], lang: str) -> str:
    """A drop-down value: the code, then its words in ``lang`` ("high_average · nhóm trung bình cao")."""
    return f"{code}{CHOICE_SEPARATOR}{words[code][lang]}" if code in words else code


def code_of(value: str) -> str:
    """The code of a drop-down value (the words after :data:`CHOICE_SEPARATOR` are dropped)."""
    return str(value).split(CHOICE_SEPARATOR, 1)[0].strip()


def column_of(header: str) -> str | None:
    """The schema column a workbook header names (either language, or the column name itself), or None."""
    text = " ".join(str(header).split()).strip().lower()
    for column, names in HEADERS.items():
        if text == column or text in (n.lower() for n in names.values()):
            return column
    return None
