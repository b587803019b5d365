from __future__ import annotations

import pytest

from papi_analysis.data import provinces


@pytest.mark.parametrize(
    "spelling, code",
    [
        ("Thừa Thiên Huế", 46),
        ("TT-Huế", 46),
        ("Thua Thien-Hue", 46),
        ("thua thien hue", 46),
        ("Huế", 46),
        ("TP. Hồ Chí Minh", 79),
        ("HCMC", 79),
        ("Ho Chi Minh City", 79),
        ("tp hcm", 79),
        ("Ba Ria-Vung Tau", 77),
        ("Bà Rịa - Vũng Tàu", 77),
        ("Đắc Lắc", 66),
        ("Dak Lak", 66),
        ("ĐẮK LẮK", 66),
        ("Hoà Bình", 17),
        ("Hòa Bình", 17),
        ("Khánh Hoà", 56),
        ("Quảng Nam", 49),
        ("quang nam", 49),
        ("Cao Bằng", 4),
        ("Bình Thuận", 60),
        ("Cà Mau", 96),
        ("cà mau", 96),
        (49, 49),
        ("49", 49),
    ],
)
def test_resolve_accepts_the_spellings_users_write(spelling, code):
    assert provinces.resolve(spelling) == code


def test_unknown_name_lists_closest_matches():
    with pytest.raises(provinces.UnknownProvinceError) as err:
        provinces.resolve("Quang Nom")
    assert "Quảng Nam" in str(err.value)
    assert "papi-analysis provinces" in str(err.value)


def test_unknown_code_is_refused():
    with pytest.raises(provinces.UnknownProvinceError):
        provinces.resolve(3)


def test_registry_has_63_provinces_in_6_regions_and_34_after_2025():
    table = provinces.registry()
    assert len(table) == 63 and table.index.is_unique
    assert table["region_code"].value_counts().sort_index().tolist() == [14, 11, 14, 5, 6, 13]
    assert table["province_2025_code"].nunique() == 34
    assert table["slug"].is_unique


def test_2025_mapping():
    assert provinces.province_2025("Quảng Nam") == 48  # merged into Đà Nẵng
    assert provinces.get("Quảng Nam").name_2025_vi == "Đà Nẵng"
    assert provinces.province_2025("Bình Dương") == 79
    assert provinces.get("Tiền Giang").name_2025_vi == "Đồng Tháp"
    assert provinces.get("Thừa Thiên Huế").name_2025_vi == "Huế"
    assert provinces.province_2025("Cao Bằng") == 4  # not merged


def test_region_members():
    members = provinces.region_members("Đắk Lắk")
    assert sorted(provinces.name(c) for c in members) == sorted(
        ["Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng"]
    )


def test_slugify_and_names():
    assert provinces.slugify("Thừa Thiên Huế") == "thua-thien-hue"
    assert provinces.name(46, "en") == "Thua Thien Hue"


# --------------------------------------------------------------------------- the 34 provinces since 1 July 2025


def test_registry_34_has_34_units_covering_the_63_once():
    table = provinces.registry(geography="34")
    assert len(table) == 34 and table.index.is_unique and table["slug"].is_unique
    old = [int(c) for codes in table["old_province_codes"] for c in codes.split("|")]
    assert sorted(old) == sorted(provinces.registry().index)
    assert (table["n_old_provinces"] == 1).sum() == 11
    assert not set(table["slug"]) & set(provinces.registry()["slug"])  # reports never share a folder


@pytest.mark.parametrize(
    "spelling, code",
    [
        ("Đà Nẵng", 48),
        ("TP Đà Nẵng", 48),
        ("Huế", 46),
        ("TP Huế", 46),
        ("Thành phố Huế", 46),
        ("Thừa Thiên Huế", 46),
        ("Tây Ninh", 80),
        ("An Giang", 91),
        ("Đắk Lắk", 66),
        ("TP HCM", 79),
        ("Khánh Hoà", 56),
        (80, 80),
    ],
)
def test_resolve_34(spelling, code):
    assert provinces.resolve(spelling, geography="34") == code


@pytest.mark.parametrize(
    "name_in_both, code_63, code_34",
    [
        ("Tây Ninh", 72, 80),
        ("An Giang", 89, 91),
        ("Đắk Lắk", 66, 66),
        ("Đà Nẵng", 48, 48),
        ("Cần Thơ", 92, 92),
    ],
)
def test_a_name_in_both_geographies_means_the_unit_of_the_geography_asked(name_in_both, code_63, code_34):
    assert provinces.resolve(name_in_both) == code_63
    assert provinces.resolve(name_in_both, geography="34") == code_34


def test_an_old_province_asked_among_the_34_says_what_it_became_and_how_to_ask():
    with pytest.raises(provinces.UnknownProvinceError) as err:
        provinces.resolve("Quảng Nam", geography="34")
    message = str(err.value)
    assert "63 provinces" in message and "part of Đà Nẵng" in message
    assert "--geography 34" in message and "--geography 63" in message


def test_a_code_means_a_province_within_its_geography():
    assert provinces.name(80) == "Long An"
    assert provinces.name(80, geography="34") == "Tây Ninh"
    with pytest.raises(provinces.UnknownProvinceError, match="34 provinces"):
        provinces.resolve(49, geography="34")
    with pytest.raises(ValueError, match="'63'.*'34'"):
        provinces.resolve("Hà Nội", geography="35")


def test_composition_and_reform_sentences():
    assert provinces.old_provinces("Phú Thọ") == [17, 25, 26]
    assert provinces.successor("Đắk Nông") == 68
    assert provinces.reform_sentence("Đắk Nông", "en") == "Since 1 July 2025 Dak Nong is part of Lam Dong."
    assert provinces.reform_sentence("Đắk Nông", "vi") == "Từ ngày 1/7/2025, Đắk Nông là một phần của Lâm Đồng."
    assert "Quảng Nam" in provinces.composition_sentence("Đà Nẵng", "vi")
    assert "larger unit" in provinces.name_change_note("Đà Nẵng", "en")
    assert provinces.name_change_note("Quảng Nam", "en") is None  # its name no longer names a province
    assert provinces.name_change_note("Cao Bằng", "en") is None  # unchanged
    # the namesake first, even where the unit kept the other province's code (Quảng Trị keeps Quảng Bình's 44)
    assert "(former Quang Tri and Quang Binh)" in provinces.name_change_note("Quảng Trị", "en")
    assert provinces.composition_sentence("Quảng Trị", "vi").endswith("cũ Quảng Trị và Quảng Bình.")
    record = provinces.get("Đà Nẵng", geography="34")
    assert record.merged and record.old_codes == (48, 49) and record.slug == "da-nang-34"
    assert provinces.region_members("Đắk Lắk", geography="34") == [66, 68]


def test_a_name_only_in_the_34_geography_asked_among_the_63_says_so():
    with pytest.raises(provinces.UnknownProvinceError, match="34 provinces since 1 July 2025.*--geography 34"):
        provinces.resolve("da-nang-34")
