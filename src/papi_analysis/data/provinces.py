"""Province identity: GSO codes, names in Vietnamese and English, aliases, regions, 2025 mapping.

The registry is ``data/raw/reference/provinces.csv`` (built by ``papi-analysis
import-raw`` from the official PAPI release, the 2025 crosswalk and a curated
alias table). A province is identified by its GSO code (int); names are labels.

>>> resolve("TT-Huế")
46
>>> resolve("HCMC")
79
>>> name(resolve("Dak Lak"))
'Đắk Lắk'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config

#: Canonical Vietnamese spellings where the PAPI release uses another form.
CANONICAL_NAME_VI: dict[int, str] = {
    46: "Thừa Thiên Huế",
    77: "Bà Rịa - Vũng Tàu",
    79: "TP. Hồ Chí Minh",
}
CANONICAL_NAME_EN: dict[int, str] = {
    46: "Thua Thien Hue",
    77: "Ba Ria - Vung Tau",
    79: "Ho Chi Minh City",
}

#: Spellings users write that the names alone do not catch (keyed by GSO code).
#: Old and new tone-mark placement ("Hòa"/"Hoà") and "Đắc Lắc"-style spellings are
#: listed explicitly: NFC normalisation does not unify them.
CURATED_ALIASES: dict[int, tuple[str, ...]] = {
    1: ("Hà Nội", "Hanoi", "TP Hà Nội", "Thành phố Hà Nội", "HN"),
    17: ("Hoà Bình",),
    31: ("TP Hải Phòng", "Haiphong"),
    38: ("Thanh Hoá",),
    46: ("Thừa Thiên-Huế", "TT-Huế", "TT Huế", "TTH", "Thua Thien-Hue", "Huế", "Hue", "TP Huế", "Thành phố Huế"),
    48: ("TP Đà Nẵng", "Danang"),
    56: ("Khánh Hoà",),
    66: ("Đắc Lắc", "Đắk Lắc", "Đắc Lắk", "Daklak", "Dak Lak", "Darlac"),
    67: ("Đắc Nông", "Daknong"),
    77: ("Bà Rịa-Vũng Tàu", "Ba Ria-Vung Tau", "BR-VT", "BRVT", "Vũng Tàu"),
    79: ("Hồ Chí Minh", "TP Hồ Chí Minh", "TP HCM", "TPHCM", "HCMC", "HCM", "Sài Gòn", "Saigon",
         "Ho Chi Minh", "Thành phố Hồ Chí Minh"),
    92: ("TP Cần Thơ",),
}

#: The six GSO socio-economic regions (Vietnamese name → code, English name).
REGIONS: dict[str, tuple[int, str]] = {
    "Trung du và miền núi phía Bắc": (1, "Northern Midlands and Mountains"),
    "Đồng bằng sông Hồng": (2, "Red River Delta"),
    "Bắc Trung Bộ và Duyên hải miền Trung": (3, "North Central and Central Coast"),
    "Tây Nguyên": (4, "Central Highlands"),
    "Đông Nam Bộ": (5, "Southeast"),
    "Đồng bằng sông Cửu Long": (6, "Mekong River Delta"),
}

#: Names of the post-2025 provinces whose name is not an old province's name.
NEW_PROVINCE_NAME_VI: dict[str, str] = {"Hue": "Huế"}

_PREFIXES = ("thanh pho ", "tinh ", "tp ")
_SUFFIXES = (" city", " province")


class UnknownProvinceError(LookupError):
    """A province name or code that the registry does not know."""


def normalize_key(text: str) -> str:
    """Lower-case ASCII key for matching: no diacritics, no punctuation, no 'TP.'/'tỉnh' prefix."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    text = text.replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\.\-_,/]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


def slugify(text: str) -> str:
    """File-name slug: 'Thừa Thiên Huế' → 'thua-thien-hue'."""
    return normalize_key(text).replace(" ", "-")


@dataclass(frozen=True)
class Province:
    code: int
    name_vi: str
    name_en: str
    slug: str
    region_code: int
    region_vi: str
    region_en: str
    code_2025: int
    name_2025_vi: str
    name_2025_en: str


@lru_cache(maxsize=4)
def _registry(path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    if not path.exists():
        raise FileNotFoundError(
            f"The province registry {path} is missing. It is part of the repository; "
            "restore it with 'git checkout -- data/raw' or rebuild it with 'papi-analysis import-raw'."
        )
    table = pd.read_csv(path, dtype={"aliases": "str"}, keep_default_na=False)
    keys: dict[str, int] = {}
    for row in table.itertuples(index=False):
        names = [row.name_vi, row.name_en, row.slug, str(row.province_code)]
        names += [a for a in str(row.aliases).split("|") if a]
        for n in names:
            key = normalize_key(n)
            other = keys.get(key)
            if other is not None and other != row.province_code:
                raise ValueError(f"{path}: alias {n!r} names two provinces ({other} and {row.province_code}).")
            keys[key] = int(row.province_code)
    return table.set_index("province_code", drop=False), keys


def registry(path: Path | None = None) -> pd.DataFrame:
    """All 63 provinces (2004-2025 boundaries), indexed by GSO code."""
    return _registry(path or config.RAW_PROVINCES)[0]


def resolve(name_or_code: str | int, path: Path | None = None) -> int:
    """GSO code of a province written any common way (diacritics optional, aliases, code).

    Raises :class:`UnknownProvinceError` listing the closest known names.
    """
    table, keys = _registry(path or config.RAW_PROVINCES)
    if isinstance(name_or_code, (int,)) and not isinstance(name_or_code, bool):
        if name_or_code in table.index:
            return int(name_or_code)
        raise UnknownProvinceError(
            f"{name_or_code} is not a GSO province code of the 63 provinces. "
            "Run 'papi-analysis provinces' to list them."
        )
    key = normalize_key(str(name_or_code))
    if key in keys:
        return keys[key]
    close = difflib.get_close_matches(key, list(keys), n=5, cutoff=0.6)
    suggestions = []
    for k in close:
        label = table.loc[keys[k], "name_vi"]
        if label not in suggestions:
            suggestions.append(label)
    hint = f" Closest matches: {', '.join(suggestions)}." if suggestions else ""
    raise UnknownProvinceError(
        f"Unknown province {str(name_or_code)!r}.{hint} "
        "Run 'papi-analysis provinces' to list the 63 provinces and their accepted spellings."
    )


def get(name_or_code: str | int) -> Province:
    """Full record of a province."""
    code = resolve(name_or_code)
    row = registry().loc[code]
    return Province(
        code=code,
        name_vi=row["name_vi"],
        name_en=row["name_en"],
        slug=row["slug"],
        region_code=int(row["region_code"]),
        region_vi=row["region_vi"],
        region_en=row["region_en"],
        code_2025=int(row["province_2025_code"]),
        name_2025_vi=row["province_2025_name_vi"],
        name_2025_en=row["province_2025_name_en"],
    )


def name(code: int, lang: str = "vi") -> str:
    """Display name of a province in Vietnamese (``vi``) or English (``en``)."""
    row = registry().loc[resolve(code)]
    return row["name_vi"] if lang == "vi" else row["name_en"]


def province_2025(name_or_code: str | int) -> int:
    """GSO code of the province (34 after the 1 July 2025 reform) that this province belongs to."""
    return get(name_or_code).code_2025


def region_members(name_or_code: str | int) -> list[int]:
    """GSO codes of the provinces in the same socio-economic region (including this one)."""
    region = get(name_or_code).region_code
    table = registry()
    return sorted(int(c) for c in table.index[table["region_code"] == region])
