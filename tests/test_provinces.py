from __future__ import annotations

import pytest

from papi_analysis.data import provinces


@pytest.mark.parametrize("spelling, code", [
    ("Thừa Thiên Huế", 46), ("TT-Huế", 46), ("Thua Thien-Hue", 46), ("thua thien hue", 46), ("Huế", 46),
    ("TP. Hồ Chí Minh", 79), ("HCMC", 79), ("Ho Chi Minh City", 79), ("tp hcm", 79),
    ("Ba Ria-Vung Tau", 77), ("Bà Rịa - Vũng Tàu", 77), ("Đắc Lắc", 66), ("Dak Lak", 66), ("ĐẮK LẮK", 66),
    ("Hoà Bình", 17), ("Hòa Bình", 17), ("Khánh Hoà", 56), ("Quảng Nam", 49), ("quang nam", 49),
    ("Cao Bằng", 4), ("Bình Thuận", 60), ("Cà Mau", 96), ("cà mau", 96), (49, 49), ("49", 49),
])
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
    assert sorted(provinces.name(c) for c in members) == sorted(["Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng"])


def test_slugify_and_names():
    assert provinces.slugify("Thừa Thiên Huế") == "thua-thien-hue"
    assert provinces.name(46, "en") == "Thua Thien Hue"
