"""The one table of wordings the plan reader knows, in Vietnamese and English. Adding a wording is one line.

Each line is a :class:`Phrase`: a category, what it means, the language and the wording as plans write it. A wording
is matched case-insensitively, with any run of spaces for a space and the old or new tone-mark placement ("hoà" or
"hòa"); in it

* ``{value}`` is a number as plans write it ("45,6", "5,30", "+ 0,34", "45.6"), ``{max}`` the number after a "/"
  ("5,3/10 điểm"), ``{n}`` and ``{m}`` whole numbers ("01 bậc", "nhóm 10", "53/63"), ``{year}`` and ``{year2}``
  years, ``{group}`` any wording of category ``group`` in the same language;
* ``…`` is a gap of a few words inside the same clause ("nằm trong nhóm … trung bình cao" matches "nằm trong nhóm
  tỉnh, thành phố đạt điểm trung bình cao");
* ``{subject}`` (at the end) asks that an index or a set of dimensions follows ("nâng cao {subject}": "nâng cao
  Chỉ số PAPI").

Categories: ``index`` (which index), ``dimension`` (D1-D8), ``dimensions`` (a set of PAPI dimensions: ``all`` or a
counted ``{n}``), ``part`` (PAR INDEX fields and their parts), ``parts`` (all fields of PAR INDEX), ``plural``
("các chỉ số": the indices the plan is about), ``unsupported`` (what the schema cannot hold, with the reason), ``group``
(PAPI's four groups), ``target`` (what a sentence asks for: its meaning is a kind of target, or a reading rule
below), ``year`` (target year, baseline year, "and following years", periods), ``marker`` (words of intent, words
of result), ``column`` (table headers), ``reference`` (names of other documents: what follows them is a title, not a
target).

Readings of ``target`` wordings (``meaning``): the schema's kinds, and ``change`` (a planned change beside a score, or
a change target alone), ``keep_or_raise``, ``higher``, ``raise`` (read as a change of at least 0), ``group_or_rank``
("nhóm 2": two readings), ``percent_at_least`` (PAR INDEX and SIPAS), ``rank_first`` ("dẫn đầu cả nước": rank 1).
``reading`` says how a wording is read when it allows more than one meaning; rows read from it are flagged.

``data/raw/targets/README.md`` shows this table (:func:`markdown_table`; a test keeps them equal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Phrase:
    category: str
    meaning: str
    lang: str
    wording: str
    reading: str = ""


P = Phrase
PHRASES: tuple[Phrase, ...] = (
    # --------------------------------------------------------------- indices
    P("index", "papi", "vi", "Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh"),
    P("index", "papi", "vi", "Chỉ số Hiệu quả quản trị và hành chính công"),
    P("index", "papi", "vi", "Chỉ số PAPI"),
    P("index", "papi", "vi", "PAPI"),
    P("index", "papi", "en", "Provincial Governance and Public Administration Performance Index"),
    P("index", "par_index", "vi", "Chỉ số Cải cách hành chính"),
    P("index", "par_index", "vi", "Chỉ số CCHC"),
    P("index", "par_index", "vi", "PAR INDEX"),
    P("index", "par_index", "vi", "PAR-INDEX"),
    P("index", "par_index", "en", "Public Administration Reform Index"),
    P("index", "sipas", "vi", "Chỉ số hài lòng về sự phục vụ hành chính"),
    P("index", "sipas", "vi", "Chỉ số hài lòng của người dân, tổ chức"),
    P("index", "sipas", "vi", "SIPAS"),
    P("index", "other", "vi", "PCI"),
    P("index", "other", "vi", "ICT INDEX"),
    P("index", "other", "vi", "DTI"),
    # --------------------------------------------------------------- PAPI dimensions
    P("dimension", "D1", "vi", "Tham gia của người dân ở cấp cơ sở"),
    P("dimension", "D1", "vi", "Tham gia của người dân"),
    P("dimension", "D1", "en", "Participation at local levels"),
    P("dimension", "D2", "vi", "Công khai, minh bạch trong việc ra quyết định ở địa phương"),
    P("dimension", "D2", "vi", "Công khai, minh bạch trong ra quyết định"),
    P("dimension", "D2", "vi", "Công khai, minh bạch"),
    P("dimension", "D2", "vi", "Công khai minh bạch"),
    P("dimension", "D2", "en", "Transparency in local decision-making"),
    P("dimension", "D2", "en", "Transparency"),
    P("dimension", "D3", "vi", "Trách nhiệm giải trình với người dân"),
    P("dimension", "D3", "vi", "Trách nhiệm giải trình"),
    P("dimension", "D3", "en", "Vertical accountability"),
    P("dimension", "D4", "vi", "Kiểm soát tham nhũng trong khu vực công"),
    P("dimension", "D4", "vi", "Kiểm soát tham nhũng"),
    P("dimension", "D4", "en", "Control of corruption in the public sector"),
    P("dimension", "D4", "en", "Control of corruption"),
    P("dimension", "D5", "vi", "Thủ tục hành chính công"),
    P("dimension", "D5", "en", "Public administrative procedures"),
    P("dimension", "D6", "vi", "Cung ứng dịch vụ công"),
    P("dimension", "D6", "en", "Public service delivery"),
    P("dimension", "D7", "vi", "Quản trị môi trường"),
    P("dimension", "D7", "en", "Environmental governance"),
    P("dimension", "D8", "vi", "Quản trị điện tử"),
    P("dimension", "D8", "en", "E-governance"),
    # --------------------------------------------------------------- sets of PAPI dimensions
    P("dimensions", "{n}", "vi", "{n} chỉ số nội dung"),
    P("dimensions", "{n}", "vi", "{n} nội dung đánh giá"),
    P("dimensions", "{n}", "vi", "{n} nội dung"),
    P("dimensions", "all", "vi", "các chỉ số nội dung"),
    P("dimensions", "all", "vi", "Chỉ số nội dung"),
    P("dimensions", "{n}", "en", "{n} dimensions"),
    P("dimensions", "all", "en", "all dimensions"),
    P("dimensions", "all", "en", "every dimension"),
    # --------------------------------------------------------------- PAR INDEX fields and their parts
    P("part", "F1", "vi", "Công tác chỉ đạo, điều hành CCHC"),
    P("part", "F1", "vi", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    P("part", "F2", "vi", "Cải cách thể chế"),
    P("part", "F3", "vi", "Cải cách TTHC"),
    P("part", "F3", "vi", "Cải cách thủ tục hành chính"),
    P("part", "F4", "vi", "Cải cách tổ chức bộ máy hành chính"),
    P("part", "F4", "vi", "Cải cách tổ chức bộ máy"),
    P("part", "F5", "vi", "Cải cách chế độ công vụ"),
    P("part", "F6", "vi", "Cải cách tài chính công"),
    P("part", "F7", "vi", "Xây dựng, phát triển chính quyền điện tử, chính quyền số"),
    P("part", "F7", "vi", "Xây dựng và phát triển chính quyền điện tử"),
    P("part", "F8", "vi", "Tác động của CCHC đến sự hài lòng của người dân, tổ chức và phát triển kinh tế - xã hội"),
    P("part", "F8", "vi", "Tác động của cải cách hành chính"),
    P("part", "implementation", "vi", "Điểm thực hiện"),
    P("part", "survey", "vi", "Điều tra XHH"),
    P("part", "survey", "vi", "Điều tra xã hội học"),
    P("part", "sipas", "vi", "Chỉ số SIPAS"),
    P("part", "socioeconomic", "vi", "Tác động đến phát triển kinh tế - xã hội"),
    P("parts", "par_index", "vi", "các lĩnh vực"),
    P("parts", "par_index", "vi", "lĩnh vực"),
    # --------------------------------------------------------------- several indices, what the schema cannot hold
    P("plural", "indices", "vi", "các chỉ số"),
    P("plural", "indices", "en", "the indices"),
    P("unsupported", "criteria", "vi", "tiêu chí thành phần", "criteria of an index are not in the plan schema"),
    P("unsupported", "criteria", "vi", "tiêu chí", "criteria of an index are not in the plan schema"),
    P("unsupported", "criteria", "vi", "chỉ số thành phần", "sub-dimensions are not in the plan schema"),
    P("unsupported", "criteria", "vi", "nội dung thành phần", "sub-dimensions are not in the plan schema"),
    P("unsupported", "criteria", "vi", "lĩnh vực đánh giá", "SIPAS areas are not in the plan schema"),
    P("unsupported", "criteria", "en", "sub-dimensions", "sub-dimensions are not in the plan schema"),
    # --------------------------------------------------------------- PAPI's groups
    P("group", "highest", "vi", "cao nhất"),
    P("group", "highest", "vi", "nhóm đầu"),
    P("group", "high_average", "vi", "trung bình cao"),
    P("group", "high_average", "vi", "trung bình khá"),
    P("group", "low_average", "vi", "trung bình thấp"),
    P("group", "lowest", "vi", "thấp nhất"),
    P("group", "average", "vi", "trung bình", "'trung bình' (average) names no single group"),
    P("group", "highest", "en", "highest"),
    P("group", "highest", "en", "top group"),
    P("group", "high_average", "en", "high-average"),
    P("group", "high_average", "en", "high average"),
    P("group", "low_average", "en", "low-average"),
    P("group", "low_average", "en", "low average"),
    P("group", "lowest", "en", "lowest"),
    # --------------------------------------------------------------- what a sentence asks for
    P("target", "score_at_least", "vi", "đạt từ {value}/{max} điểm trở lên"),
    P("target", "score_at_least", "vi", "đạt từ {value} điểm trở lên"),
    P("target", "score_at_least", "vi", "đạt {value}/{max} điểm"),
    P("target", "score_at_least", "vi", "đạt {value} điểm"),
    P("target", "score_at_least", "vi", "đạt tối thiểu {value} điểm"),
    P("target", "score_at_least", "vi", "đạt ít nhất {value} điểm"),
    P("target", "score_at_least", "vi", "với {value} điểm"),
    P("target", "score_at_least", "en", "reach {value} points"),
    P("target", "score_at_least", "en", "reach at least {value} points"),
    P("target", "score_at_least", "en", "score of at least {value}"),
    P("target", "score_at_least", "en", "at least {value} points"),
    P("target", "score_at_least", "en", "{value} points"),
    P("target", "percent_at_least", "vi", "đạt từ {value}% trở lên"),
    P("target", "percent_at_least", "vi", "đạt {value}%"),
    P("target", "percent_at_least", "en", "at least {value}%"),
    P("target", "change", "vi", "tăng ít nhất {value} điểm"),
    P("target", "change", "vi", "tăng {value} điểm"),
    P("target", "change", "vi", "giảm {value} điểm"),
    P("target", "change", "en", "up {value} points"),
    P("target", "change", "en", "an increase of {value} points"),
    P("target", "change", "en", "increase by {value} points"),
    P("target", "group_at_least", "vi", "nằm trong nhóm … {group}", "in that group or a better one"),
    P("target", "group_at_least", "vi", "nằm trong top … {group}", "in that group or a better one"),
    P("target", "group_at_least", "vi", "thuộc nhóm … {group}", "in that group or a better one"),
    P("target", "group_at_least", "vi", "nhóm … {group} trở lên", "in that group or a better one"),
    P("target", "group_at_least", "en", "in the {group} group", "in that group or a better one"),
    P("target", "group_at_least", "en", "among the {group}", "in that group or a better one"),
    P("target", "not_in_group", "vi", "không nằm trong nhóm … {group}"),
    P("target", "not_in_group", "vi", "không thuộc nhóm … {group}"),
    P("target", "not_in_group", "vi", "thoát khỏi nhóm … {group}"),
    P("target", "not_in_group", "en", "not in the {group} group"),
    P("target", "not_in_group", "en", "out of the {group} group"),
    P("target", "rank_at_most", "vi", "nhóm {n} địa phương dẫn đầu"),
    P("target", "rank_at_most", "vi", "nhóm {n} tỉnh, thành phố dẫn đầu"),
    P("target", "rank_at_most", "vi", "{n} địa phương dẫn đầu"),
    P("target", "rank_at_most", "vi", "{n} tỉnh, thành phố dẫn đầu"),
    P("target", "rank_at_most", "vi", "top {n}"),
    P("target", "rank_at_most", "vi", "nhóm {n}/{m}"),
    P("target", "rank_at_most", "vi", "xếp hạng {n}/{m}"),
    P("target", "rank_at_most", "vi", "xếp hạng: {n}/{m}"),
    P("target", "rank_at_most", "vi", "xếp thứ {n}"),
    P("target", "rank_at_most", "vi", "thứ hạng {n}/{m}"),
    P("target", "rank_at_most", "en", "top {n}"),
    P("target", "rank_at_most", "en", "rank {n} or better"),
    P("target", "rank_at_most", "en", "ranked {n}/{m}"),
    P("target", "rank_first", "vi", "dẫn đầu toàn quốc"),
    P("target", "rank_first", "vi", "dẫn đầu cả nước"),
    P("target", "rank_first", "en", "first in the country"),
    P("target", "group_or_rank", "vi", "nhóm {n}", "'nhóm N' is either PAPI's N-th group or the top N provinces"),
    P("target", "rank_gain_at_least", "vi", "tăng ít nhất {n} bậc"),
    P("target", "rank_gain_at_least", "vi", "tăng {n} bậc"),
    P("target", "rank_gain_at_least", "vi", "tăng {n} hạng"),
    P("target", "rank_gain_at_least", "vi", "giảm {n} bậc"),
    P("target", "rank_gain_at_least", "vi", "cải thiện thứ hạng"),
    P("target", "rank_gain_at_least", "en", "up {n} places"),
    P("target", "rank_gain_at_least", "en", "up at least {n} places"),
    P("target", "rank_gain_at_least", "en", "improve its rank"),
    P("target", "improve_score_and_rank", "vi", "tăng cả điểm số và thứ hạng"),
    P("target", "improve_score_and_rank", "vi", "tăng điểm số, tăng thứ hạng"),
    P("target", "improve_score_and_rank", "vi", "tăng điểm số và thứ hạng"),
    P("target", "improve_score_and_rank", "vi", "cải thiện điểm số, thứ hạng"),
    P("target", "improve_score_and_rank", "vi", "cải thiện điểm số và thứ hạng"),
    P("target", "improve_score_and_rank", "vi", "cải thiện … về số điểm số và thứ bậc"),
    P("target", "improve_score_and_rank", "vi", "cải thiện … về điểm số và thứ hạng"),
    P("target", "improve_score_and_rank", "en", "higher score and rank"),
    P("target", "improve_score_and_rank", "en", "improve both score and rank"),
    P("target", "all_up", "vi", "tăng điểm {n} chỉ số nội dung"),
    P("target", "all_up", "vi", "tăng điểm tất cả các chỉ số nội dung"),
    P("target", "all_up", "en", "every dimension up"),
    P("target", "keep_or_raise", "vi", "duy trì, nâng cao điểm số", "keep or raise: read as not lower (change ≥ 0)"),
    P("target", "keep_or_raise", "vi", "duy trì và nâng cao điểm số", "keep or raise: read as not lower (change ≥ 0)"),
    P("target", "keep_or_raise", "vi", "giữ vững điểm số", "keep: read as not lower (change ≥ 0)"),
    P("target", "keep_or_raise", "vi", "không giảm điểm", "not lower (change ≥ 0)"),
    P("target", "keep_or_raise", "en", "not lower than", "not lower (change ≥ 0)"),
    P("target", "keep_or_raise", "en", "maintain its score", "keep: read as not lower (change ≥ 0)"),
    P(
        "target",
        "higher",
        "vi",
        "có điểm số cao hơn",
        "'higher': read as a change of at least 0, as the schema writes 'higher'; a strict rise also fails at 0",
    ),
    P(
        "target",
        "higher",
        "vi",
        "điểm số cao hơn",
        "'higher': read as a change of at least 0, as the schema writes 'higher'; a strict rise also fails at 0",
    ),
    P("target", "higher", "en", "a higher score than", "'higher': read as a change of at least 0"),
    P("target", "raise", "vi", "cải thiện, nâng cao {subject}", "a general aim to raise the index: change ≥ 0"),
    P("target", "raise", "vi", "nâng cao {subject}", "a general aim to raise the index: change ≥ 0"),
    P("target", "raise", "vi", "nâng điểm {subject}", "a general aim to raise the index: change ≥ 0"),
    P("target", "raise", "vi", "cải thiện kết quả {subject}", "a general aim to improve the index: change ≥ 0"),
    P("target", "raise", "vi", "cải thiện {subject}", "a general aim to improve the index: change ≥ 0"),
    P("target", "raise", "en", "improve {subject}", "a general aim to improve the index: change ≥ 0"),
    P("target", "raise", "en", "raise {subject}", "a general aim to raise the index: change ≥ 0"),
    # --------------------------------------------------------------- years
    P("year", "following", "vi", "năm {year} và các năm tiếp theo"),
    P("year", "following", "vi", "năm {year} và những năm tiếp theo"),
    P("year", "following", "vi", "từ năm {year} trở đi"),
    P("year", "following", "en", "{year} and the following years"),
    P("year", "following", "en", "{year} and following years"),
    P("year", "following", "en", "from {year} on"),
    P("year", "baseline", "vi", "so với năm {year}"),
    P("year", "baseline", "vi", "cao hơn năm {year}"),
    P("year", "baseline", "vi", "so với cùng kỳ năm {year}"),
    P("year", "baseline", "en", "compared with {year}"),
    P("year", "baseline", "en", "than in {year}"),
    P("year", "baseline", "en", "from its {year}"),
    P("year", "baseline", "en", "from {year}"),
    P("year", "period", "vi", "giai đoạn {year} - {year2}", "a period, not a target year"),
    P("year", "period", "vi", "giai đoạn {year}-{year2}", "a period, not a target year"),
    P("year", "period", "en", "{year}-{year2}", "a period, not a target year"),
    P("year", "date", "vi", "tháng {n} năm {year}"),
    P("year", "date", "vi", "{n} tháng năm {year}"),
    P("year", "date", "vi", "tháng năm {year}"),
    P("year", "date", "vi", "tháng {n}/{year}"),
    P("year", "date", "vi", "{n}/{m}/{year}"),
    P("year", "target", "vi", "năm {year}"),
    P("year", "target", "en", "in {year}"),
    P("year", "target", "en", "by {year}"),
    # --------------------------------------------------------------- intent (strong: a target; weak: an aim) and result
    P("marker", "target", "vi", "phấn đấu"),
    P("marker", "target", "vi", "mục tiêu"),
    P("marker", "target", "vi", "chỉ tiêu"),
    P("marker", "target", "vi", "đặt ra"),
    P("marker", "target", "vi", "dự kiến"),
    P("marker", "target", "vi", "phải được"),
    P("marker", "target", "vi", "mục đích"),
    P("marker", "target", "en", "aim"),
    P("marker", "target", "en", "aims"),
    P("marker", "target", "en", "target"),
    P("marker", "target", "en", "targets"),
    P("marker", "target", "en", "objectives"),
    P("marker", "target", "en", "goals"),
    P("marker", "target", "en", "strive"),
    P("marker", "intent", "vi", "tiếp tục"),
    P("marker", "intent", "vi", "nhằm"),
    P("marker", "intent", "vi", "để"),
    P("marker", "intent", "vi", "duy trì"),
    P("marker", "intent", "vi", "nâng cao"),
    P("marker", "intent", "vi", "cải thiện"),
    P("marker", "intent", "vi", "phải"),
    P("marker", "intent", "en", "will"),
    P("marker", "intent", "en", "to reach"),
    P("marker", "result", "vi", "công bố"),
    P("marker", "result", "vi", "đã đạt"),
    P("marker", "result", "en", "published"),
    # --------------------------------------------------------------- table headers
    P("column", "rank", "vi", "Xếp hạng"),
    P("column", "rank", "vi", "Thứ hạng"),
    P("column", "rank", "en", "Rank"),
    P("column", "max", "vi", "Điểm tối đa"),
    P("column", "max", "vi", "Điểm theo Bộ tiêu chí"),
    P("column", "max", "vi", "Thang điểm"),
    P("column", "max", "en", "Maximum"),
    P("column", "change", "vi", "tăng điểm"),
    P("column", "change", "vi", "Dự kiến tăng"),
    P("column", "change", "en", "Planned change"),
    P("column", "target", "vi", "Mục tiêu"),
    P("column", "target", "vi", "Chỉ tiêu"),
    P("column", "target", "en", "Target"),
    P("column", "score", "vi", "Điểm"),
    P("column", "score", "en", "Score"),
    P("column", "number", "vi", "STT"),
    P("column", "number", "vi", "TT"),
    P("column", "number", "en", "No."),
    # --------------------------------------------------------------- names of other documents
    P("reference", "document", "vi", "Kế hoạch số"),
    P("reference", "document", "vi", "Chương trình số"),
    P("reference", "document", "vi", "Chỉ thị số"),
    P("reference", "document", "vi", "Nghị quyết số"),
    P("reference", "document", "vi", "Quyết định số"),
    P("reference", "document", "vi", "Thông báo số"),
    P("reference", "document", "vi", "Công văn số"),
    P("reference", "document", "vi", "Báo cáo số"),
    P("reference", "document", "vi", "Nghị định số"),
    P("reference", "title", "vi", "Kế hoạch"),
    P("reference", "title", "vi", "Đề án"),
    P("reference", "title", "en", "Plan to"),
)

# ----------------------------------------------------------------------------- matching

NUMBER = r"[+-]?\s?\d+(?:[.,]\d+)?"
#: Vietnamese capital letters, for character classes (a range such as À-Ỹ would hold small letters too)
UPPER = "A-ZĐÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸ"
_SLOTS = {
    "value": rf"(?P<value>{NUMBER})",
    "max": r"(?P<max>\d+(?:[.,]\d+)?)",
    "n": r"(?P<n>\d{1,3})",
    "m": r"(?P<m>\d{1,3})",
    "year": r"(?P<year>(?:19|20)\d\d)",
    "year2": r"(?P<year2>(?:19|20)\d\d)",
}
GAP = r"[^.;:!?\n]{0,70}?"
#: old and new tone-mark placement: the reader matches on the old one ("hòa"); same length, so positions hold
_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_TONES.update({k.upper(): v.upper() for k, v in list(_TONES.items())})
_TONES.update({k[0].upper() + k[1]: v[0].upper() + v[1] for k, v in list(_TONES.items()) if k.islower()})
_TONE_RE = re.compile("|".join(map(re.escape, _TONES)))


def for_matching(text: str) -> str:
    """``text`` as the patterns see it, character for character the same length: NFC already assumed, the new
    tone-mark placement as the old one, markup (``<i>``) and footnote marks (¹) as spaces."""
    text = _TONE_RE.sub(lambda m: _TONES[m.group(0)], text)
    text = re.sub(r"</?[a-zA-Z]{1,6}>", lambda m: " " * len(m.group(0)), text)
    return re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*]", " ", text)


def _literal(text: str) -> str:
    out = []
    for piece in re.split(r"(\s+|,|-)", text):
        if not piece:
            continue
        if piece.isspace():
            out.append(r"\s+")
        elif piece == ",":
            out.append(r"\s*,\s*")
        elif piece == "-":
            out.append(r"\s*-\s*")
        else:
            out.append(re.escape(for_matching(piece)))
    return "".join(out)


def compile_wording(wording: str, lang: str) -> re.Pattern:
    """The regular expression of one wording (see the module docstring)."""
    parts = []
    for token in re.split(r"(\{[a-z0-9]+\}|…)", wording):
        if not token:
            continue
        if token == "…":
            parts.append(r"\s*" + GAP + r"\s*")
        elif token == "{group}":
            names = sorted((p.wording for p in PHRASES if p.category == "group" and p.lang == lang), key=len)
            parts.append("(?P<group>" + "|".join(_literal(n) for n in reversed(names)) + ")")
        elif token == "{subject}":
            parts.append(r"(?=\s*(?:" + subject_pattern(lang) + "))")
        elif token.startswith("{"):
            parts.append(_SLOTS[token[1:-1]])
        else:
            parts.append(_literal(token))
    pattern = "".join(parts)
    start = r"(?<![\w])" if re.match(r"\w", wording) else ""
    end = r"(?![\w])" if re.search(r"[\w}]$", wording) and not wording.endswith("{subject}") else ""
    return re.compile(start + pattern + end, re.IGNORECASE)


@lru_cache(maxsize=4)
def subject_pattern(lang: str) -> str:
    """Any index, set of dimensions, PAR INDEX parts or 'các chỉ số' (for ``{subject}``)."""
    names = [
        p.wording
        for p in PHRASES
        if p.category in ("index", "dimensions", "parts", "plural") and p.lang == lang and "{" not in p.wording
    ]
    names += [
        p.wording.replace("{n}", r"\d{1,2}") for p in PHRASES if p.category == "dimensions" and "{n}" in p.wording
    ]
    return "|".join(
        _literal(n) if "\\d" not in n else _literal(n.replace(r"\d{1,2}", "NUM")).replace("NUM", r"\d{1,2}")
        for n in sorted(names, key=len, reverse=True)
    )


@dataclass(frozen=True)
class Match:
    """One wording found in a text: where, which phrase, and its slots as written."""

    start: int
    end: int
    phrase: Phrase
    slots: dict

    @property
    def text(self) -> str:
        return self.slots.get("_text", "")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[Phrase, re.Pattern], ...]:
    return tuple((p, compile_wording(p.wording, p.lang)) for p in PHRASES)


def find(text: str, category: str, matching: str | None = None) -> list[Match]:
    """Every wording of ``category`` in ``text`` (longest first where two overlap; ``matching`` is
    :func:`for_matching` of ``text`` when already computed), in text order."""
    seen = for_matching(text) if matching is None else matching
    found = []
    for phrase, pattern in _compiled():
        if phrase.category != category:
            continue
        for hit in pattern.finditer(seen):
            slots = {k: v for k, v in hit.groupdict().items() if v is not None}
            slots["_text"] = text[hit.start() : hit.end()]
            found.append(Match(hit.start(), hit.end(), phrase, slots))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for m in sorted(found, key=lambda m: -(m.end - m.start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def group_of(words: str, lang: str) -> Phrase | None:
    """The group a wording names ("trung bình cao" -> high_average)."""
    key = for_matching(" ".join(words.split())).lower()
    for p in PHRASES:
        if p.category == "group" and p.lang == lang and for_matching(p.wording).lower() == key:
            return p
    for p in PHRASES:
        if p.category == "group" and for_matching(p.wording).lower() == key:
            return p
    return None


def number_text(written: str) -> str:
    """A number as plans write it, as the schema keeps it: '5,30' -> '5.30', '+ 0,34' -> '0.34', '01' -> '1'
    (decimals kept: checks respect the plan's rounding)."""
    text = written.replace(" ", "").replace(",", ".").lstrip("+≥")
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _, decimals = text.partition(".")
    whole = whole.lstrip("0") or "0"
    out = f"{whole}.{decimals}" if decimals else whole
    return f"-{out}" if negative and out.strip("0.") else out


# ----------------------------------------------------------------------------- documentation


def markdown_table() -> str:
    """The phrase table as the Markdown table in ``data/raw/targets/README.md`` (one line per meaning)."""
    lines = ["| category | meaning | Vietnamese | English |", "|---|---|---|---|"]
    keys: dict[tuple[str, str], dict[str, list[str]]] = {}
    for p in PHRASES:
        keys.setdefault((p.category, p.meaning), {"vi": [], "en": []})[p.lang].append(p.wording)
    for (category, meaning), words in keys.items():
        cells = ["; ".join(f"“{w}”" for w in words[lang]) for lang in ("vi", "en")]
        lines.append(f"| {category} | {meaning} | {cells[0]} | {cells[1]} |".replace("  ", " "))
    return "\n".join(lines)
