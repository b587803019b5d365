"""Display names of PAPI's sub-dimensions, by code and span of years, corrected where the source misspells them."""

from __future__ import annotations

from ...params import check_lang

#: (code, first year, last year) -> (Vietnamese, English).
#: Codes were reused for different sub-dimensions when PAPI redesigned its indicators (2016, 2018),
#: so a label belongs to a code *and* a span of years. English spelling corrected from the source
#: ("Opportunties", "Land Tittle", "E-Reponsiveness").
SUBDIMENSION_LABELS: dict[tuple[str, int, int], tuple[str, str]] = {
    ("D1.1", 2011, 2016): ("Tri thức công dân", "Civic Knowledge"),
    ("D1.2", 2011, 2016): ("Cơ hội tham gia", "Opportunities for Participation"),
    ("D1.3", 2011, 2016): ("Chất lượng bầu cử", "Quality of Elections"),
    ("D1.4", 2011, 2016): ("Đóng góp tự nguyện", "Voluntary Contributions"),
    ("D2.1", 2011, 2016): ("Danh sách hộ nghèo", "Poverty Lists"),
    ("D2.2", 2011, 2016): ("Thu, chi ngân sách cấp xã/phường", "Communal Budget and Expenditure"),
    ("D2.3", 2011, 2016): ("Quy hoạch, kế hoạch sử dụng đất; khung giá đất", "Land-Use Plans and Price Frames"),
    ("D3.1", 2011, 2016): ("Tiếp xúc với chính quyền", "Interactions with Local Authorities"),
    ("D3.2", 2011, 2015): ("Ban Thanh tra nhân dân", "People's Inspection Boards"),
    ("D3.2", 2016, 2016): ("Giải đáp khiếu nại, tố cáo của người dân", "Responsiveness to Citizen Actions"),
    ("D3.3", 2011, 2015): ("Ban Giám sát đầu tư cộng đồng", "Community Investment Supervision Boards"),
    ("D3.3", 2016, 2016): ("Ban Thanh tra nhân dân", "People's Inspection Boards"),
    ("D4.1", 2011, 2016): ("Kiểm soát tham nhũng trong khu vực công", "Limits on Public Sector Corruption"),
    ("D4.2", 2011, 2016): (
        "Kiểm soát tham nhũng trong cung ứng dịch vụ công",
        "Limits on Corruption in Service Delivery",
    ),
    ("D4.3", 2011, 2016): ("Công bằng trong tuyển dụng", "Equity in Employment"),
    ("D4.4", 2011, 2016): ("Quyết tâm chống tham nhũng", "Willingness to Fight Corruption"),
    ("D5.1", 2011, 2016): ("Dịch vụ chứng thực, xác nhận", "Certification Procedures"),
    ("D5.2", 2011, 2016): ("Thủ tục cấp phép xây dựng", "Construction Permits"),
    ("D5.3", 2011, 2016): ("Thủ tục về quyền sử dụng đất", "Land-Use Rights Procedures"),
    ("D5.4", 2011, 2016): ("Thủ tục hành chính cá nhân", "Personal Procedures"),
    ("D6.1", 2011, 2016): ("Y tế công lập", "Public Health"),
    ("D6.2", 2011, 2016): ("Giáo dục tiểu học công lập", "Public Primary Education"),
    ("D6.3", 2011, 2016): ("Cơ sở hạ tầng căn bản", "Basic Infrastructure"),
    ("D6.4", 2011, 2016): ("An ninh, trật tự khu dân cư", "Law and Order"),
    ("D1.1", 2017, 2099): ("Tri thức công dân", "Civic Knowledge"),
    ("D1.2", 2017, 2099): ("Cơ hội tham gia", "Opportunities for Participation in Elections"),
    ("D1.3", 2017, 2099): ("Chất lượng bầu cử", "Quality of Village Head Elections"),
    ("D1.4", 2017, 2099): ("Đóng góp tự nguyện", "Voluntary Contributions"),
    ("D2.1", 2017, 2099): ("Tiếp cận thông tin", "Access to Information"),
    ("D2.2", 2017, 2099): ("Công khai danh sách hộ nghèo", "Poverty List Transparency"),
    ("D2.3", 2017, 2099): ("Công khai thu, chi ngân sách cấp xã/phường", "Communal Budget Transparency"),
    ("D2.4", 2017, 2099): (
        "Quy hoạch, kế hoạch sử dụng đất; giá bồi thường thu hồi đất",
        "Land-Use Plans and Compensation Prices",
    ),
    ("D3.1", 2017, 2099): ("Mức độ và hiệu quả trong tiếp xúc với chính quyền", "Interactions with Local Authorities"),
    ("D3.2", 2017, 2099): (
        "Giải đáp khiếu nại, tố cáo, khúc mắc của người dân",
        "Government Responsiveness to Citizen Appeals",
    ),
    ("D3.3", 2017, 2099): ("Tiếp cận dịch vụ tư pháp", "Access to Justice Services"),
    ("D4.1", 2017, 2099): (
        "Kiểm soát tham nhũng trong chính quyền địa phương",
        "Limits on Corruption in Local Governments",
    ),
    ("D4.2", 2017, 2099): (
        "Kiểm soát tham nhũng trong cung ứng dịch vụ công",
        "Limits on Corruption in Service Delivery",
    ),
    ("D4.3", 2017, 2099): ("Công bằng trong tuyển dụng vào khu vực công", "Equity in State Employment"),
    ("D4.4", 2017, 2099): ("Quyết tâm chống tham nhũng của chính quyền địa phương", "Willingness to Fight Corruption"),
    ("D5.1", 2017, 2099): ("Dịch vụ chứng thực, xác nhận của chính quyền", "Certification Procedures"),
    ("D5.2", 2017, 2099): ("Thủ tục xin cấp phép xây dựng", "Construction Permit Services"),
    ("D5.3", 2017, 2099): ("Thủ tục liên quan đến giấy chứng nhận quyền sử dụng đất", "Land Title Procedures"),
    ("D5.4", 2017, 2099): ("Dịch vụ hành chính cấp xã/phường", "Personal Procedures"),
    ("D6.1", 2017, 2099): ("Y tế công lập", "Public Healthcare"),
    ("D6.2", 2017, 2099): ("Giáo dục tiểu học công lập", "Primary Education"),
    ("D6.3", 2017, 2099): ("Cơ sở hạ tầng căn bản", "Basic Infrastructure"),
    ("D6.4", 2017, 2099): ("An ninh, trật tự khu dân cư", "Law and Order"),
    ("D7.1", 2017, 2099): ("Nghiêm túc trong bảo vệ môi trường", "Environmental Protection"),
    ("D7.2", 2017, 2099): ("Chất lượng không khí", "Quality of Air"),
    ("D7.3", 2017, 2099): ("Chất lượng nước", "Quality of Water"),
    ("D8.1", 2017, 2099): (
        "Sử dụng cổng thông tin điện tử của chính quyền địa phương",
        "Access to E-Government Portals",
    ),
    ("D8.2", 2017, 2099): ("Tiếp cận và sử dụng Internet tại địa phương", "Access to the Internet"),
    ("D8.3", 2017, 2099): (
        "Phúc đáp của chính quyền qua cổng thông tin điện tử",
        "E-Responsiveness of Provincial Authorities",
    ),
}
SUBDIMENSION_MARK_NOTE = {
    "vi": "* Chỉ số thành phần được đánh dấu * trong tệp số liệu PAPI chính thức (tệp không giải thích dấu này; "
    "xem báo cáo PAPI của năm đó).",
    "en": "* Marked with an asterisk in the official PAPI data file (the file does not explain the mark; "
    "see that year's PAPI report).",
}


def subdimension_label(code: str, year: int, lang: str, source_label: str | None = None) -> str:
    """Full display name of a sub-dimension in a survey year ("D5.3", 2023 -> "Land Title Procedures").

    ``source_label`` (the ``label`` column of the sub-dimension table): where the official file marks
    the sub-dimension with "*", the name keeps the mark; explain it with :data:`SUBDIMENSION_MARK_NOTE`.
    """
    lang = check_lang(lang)
    for (c, first, last), (vi, en) in SUBDIMENSION_LABELS.items():
        if c == code and first <= int(year) <= last:
            return (vi if lang == "vi" else en) + ("*" if source_label and "*" in source_label else "")
    raise KeyError(f"No display label for sub-dimension {code} in {year}: add it to report.tables.SUBDIMENSION_LABELS.")
