"""Province identity in two geographies: the 63 provinces (2004-2025) and the 34 since 1 July 2025.

A province is identified by its GSO code *within a geography* (``"63"`` or
``"34"``); names are labels. The new GSO codes reuse old ones (code 1 is Hà Nội
in both, code 80 is Long An among the 63 but the new Tây Ninh among the 34), so
a code means nothing without its geography. Registries (built by
``papi-analysis import-raw`` from the official PAPI release, the 2025 crosswalk
and the curated alias tables below): ``data/raw/reference/provinces.csv`` (63)
and ``data/raw/reference/provinces_34.csv`` (34).

Names resolve within the geography asked for. A name found in both (Đà Nẵng,
Đắk Lắk, Tây Ninh...) means the unit of that geography; a name that exists only
in the other geography raises :class:`UnknownProvinceError` saying so.

>>> resolve("TT-Huế")
46
>>> resolve("HCMC")
79
>>> name(resolve("Dak Lak"))
'Đắk Lắk'
>>> resolve("Quảng Nam", geography="34")
Traceback (most recent call last):
...
papi_analysis.data.provinces.UnknownProvinceError: 'Quảng Nam' is one of the 63 provinces before 1 July 2025; since then it is part of Đà Nẵng (code 48 among the 34). Ask for 'Đà Nẵng' with geography '34' (--geography 34), or for 'Quảng Nam' with geography '63' (--geography 63).
>>> old_provinces(48)
[48, 49]
>>> reform_sentence("Đắk Nông", "en")
'Since 1 July 2025 Dak Nong is part of Lam Dong.'
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
    79: (
        "Hồ Chí Minh",
        "TP Hồ Chí Minh",
        "TP HCM",
        "TPHCM",
        "HCMC",
        "HCM",
        "Sài Gòn",
        "Saigon",
        "Ho Chi Minh",
        "Thành phố Hồ Chí Minh",
    ),
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

#: The two geographies: the 63 provinces of 2004-30 June 2025 and the 34 since 1 July 2025.
GEOGRAPHIES: tuple[str, ...] = ("63", "34")
REFORM_DATE = {"vi": "1/7/2025", "en": "1 July 2025"}

#: Spellings of the 34 provinces beyond the names of the old province they are named after
#: (whose names and aliases a new province inherits). Keyed by the new GSO code.
CURATED_ALIASES_34: dict[int, tuple[str, ...]] = {
    46: ("Huế", "Hue", "TP Huế", "Thành phố Huế", "Hue City"),
    79: ("TP HCM",),
}

_PREFIXES = ("thanh pho ", "tinh ", "tp ")
_SUFFIXES = (" city", " province")


class UnknownProvinceError(LookupError):
    """A province name or code that the registry does not know."""


def check_geography(geography: str | int) -> str:
    """``"63"`` or ``"34"`` (ints accepted); anything else is refused with the choices."""
    text = str(geography).strip()
    if text not in GEOGRAPHIES:
        raise ValueError(
            f"Unknown geography {geography!r}: use '63' (the 63 provinces, 2011-2024 PAPI) or "
            "'34' (the 34 provinces since 1 July 2025)."
        )
    return text


def registry_path(geography: str | int = "63") -> Path:
    """The registry file of a geography (the 34-province one sits beside the 63-province one)."""
    if check_geography(geography) == "63":
        return config.RAW_PROVINCES
    return config.RAW_PROVINCES.parent / "provinces_34.csv"


def normalize_key(text: str) -> str:
    """Lower-case ASCII key for matching: no diacritics, no punctuation, no 'TP.'/'tỉnh' prefix."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    text = text.replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\.\-_,/]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
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
    #: ``"63"`` or ``"34"``; for a 34-province unit ``code_2025`` is its own code.
    geography: str = "63"
    #: GSO codes (63-province geography) of the old provinces a unit is made of (itself for the 63).
    old_codes: tuple[int, ...] = ()

    @property
    def merged(self) -> bool:
        """True for a 34-province unit made of several old provinces."""
        return len(self.old_codes) > 1


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


def registry(path: Path | None = None, geography: str | int = "63") -> pd.DataFrame:
    """All provinces of a geography, indexed by GSO code (63: 2004-2025 boundaries; 34: since 1 July 2025)."""
    return _registry(path or registry_path(geography))[0]


def _other(geography: str) -> str:
    return "34" if geography == "63" else "63"


def resolve(name_or_code: str | int, path: Path | None = None, geography: str | int = "63") -> int:
    """GSO code (within ``geography``) of a province written any common way (diacritics optional, aliases, code).

    Raises :class:`UnknownProvinceError` listing the closest known names, or
    saying that the name belongs to the other geography and how to ask for it.
    """
    geography = check_geography(geography)
    table, keys = _registry(path or registry_path(geography))
    if isinstance(name_or_code, (int,)) and not isinstance(name_or_code, bool):
        if name_or_code in table.index:
            return int(name_or_code)
        raise UnknownProvinceError(
            f"{name_or_code} is not a GSO province code of the {geography} provinces. "
            f"Run 'papi-analysis provinces --geography {geography}' to list them."
        )
    key = normalize_key(str(name_or_code))
    if key in keys:
        return keys[key]
    if path is None:
        _raise_if_other_geography(str(name_or_code), key, geography)
    close = difflib.get_close_matches(key, list(keys), n=5, cutoff=0.6)
    suggestions = []
    for k in close:
        label = table.loc[keys[k], "name_vi"]
        if label not in suggestions:
            suggestions.append(label)
    hint = f" Closest matches: {', '.join(suggestions)}." if suggestions else ""
    listing = "papi-analysis provinces" + ("" if geography == "63" else " --geography 34")
    raise UnknownProvinceError(
        f"Unknown province {str(name_or_code)!r}.{hint} "
        f"Run '{listing}' to list the {geography} provinces and their accepted spellings."
    )


def _raise_if_other_geography(text: str, key: str, geography: str) -> None:
    other = _other(geography)
    try:
        other_table, other_keys = _registry(registry_path(other))
    except FileNotFoundError:
        return
    if key not in other_keys:
        return
    code = other_keys[key]
    if geography == "34":  # an old province's name, asked among the 34
        row = other_table.loc[code]
        new = int(row["province_2025_code"])
        raise UnknownProvinceError(
            f"{text!r} is one of the 63 provinces before {REFORM_DATE['en']}; since then it is part of "
            f"{row['province_2025_name_vi']} (code {new} among the 34). Ask for "
            f"{row['province_2025_name_vi']!r} with geography '34' (--geography 34), or for {text!r} with "
            "geography '63' (--geography 63)."
        )
    row = other_table.loc[code]
    raise UnknownProvinceError(
        f"{text!r} is one of the 34 provinces since {REFORM_DATE['en']} ({row['name_vi']}, made of "
        f"{_old_names(row)}); it has no 63-province counterpart under that name. Ask for it with geography "
        "'34' (--geography 34), or for one of its old provinces with geography '63'."
    )


def _old_names(row: pd.Series) -> str:
    old = registry(geography="63")
    return " + ".join(old.loc[int(c), "name_vi"] for c in str(row["old_province_codes"]).split("|"))


def get(name_or_code: str | int, geography: str | int = "63") -> Province:
    """Full record of a province of ``geography``."""
    geography = check_geography(geography)
    code = resolve(name_or_code, geography=geography)
    row = registry(geography=geography).loc[code]
    if geography == "34":
        return Province(
            code=code,
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            slug=row["slug"],
            region_code=int(row["region_code"]),
            region_vi=row["region_vi"],
            region_en=row["region_en"],
            code_2025=code,
            name_2025_vi=row["name_vi"],
            name_2025_en=row["name_en"],
            geography="34",
            old_codes=tuple(int(c) for c in str(row["old_province_codes"]).split("|")),
        )
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
        geography="63",
        old_codes=(code,),
    )


def name(code: int, lang: str = "vi", geography: str | int = "63") -> str:
    """Display name of a province in Vietnamese (``vi``) or English (``en``)."""
    row = registry(geography=geography).loc[resolve(code, geography=geography)]
    return row["name_vi"] if lang == "vi" else row["name_en"]


def province_2025(name_or_code: str | int) -> int:
    """GSO code of the province (34 after the 1 July 2025 reform) that this province belongs to."""
    return get(name_or_code).code_2025


def region_members(name_or_code: str | int, geography: str | int = "63") -> list[int]:
    """GSO codes of the provinces in the same socio-economic region (including this one)."""
    region = get(name_or_code, geography=geography).region_code
    table = registry(geography=geography)
    return sorted(int(c) for c in table.index[table["region_code"] == region])


# --------------------------------------------------------------------------- between the geographies


def old_provinces(name_or_code: str | int) -> list[int]:
    """GSO codes (63-province geography) of the old provinces that make up a 34-province unit."""
    return list(get(name_or_code, geography="34").old_codes)


def successor(name_or_code: str | int) -> int:
    """GSO code (34-province geography) of the unit an old province belongs to since 1 July 2025."""
    return get(name_or_code, geography="63").code_2025


def reform_sentence(name_or_code: str | int, lang: str = "vi") -> str:
    """What an old province became on 1 July 2025, as one sentence (``vi`` or ``en``).

    >>> reform_sentence("Quảng Nam")
    'Từ ngày 1/7/2025, Quảng Nam là một phần của Đà Nẵng.'
    >>> reform_sentence("Cao Bằng", "en")
    'Since 1 July 2025 Cao Bang is one of the 34 provinces, with its boundaries unchanged.'
    """
    old = get(name_or_code, geography="63")
    new = get(old.code_2025, geography="34")
    if not new.merged:
        if new.name_vi != old.name_vi:
            return (
                f"Từ ngày {REFORM_DATE['vi']}, {old.name_vi} mang tên {new.name_vi}, địa giới không đổi."
                if lang == "vi"
                else f"Since {REFORM_DATE['en']} {old.name_en} is named {new.name_en}, its boundaries unchanged."
            )
        return (
            f"Từ ngày {REFORM_DATE['vi']}, {old.name_vi} là một trong 34 tỉnh, thành phố, địa giới không đổi."
            if lang == "vi"
            else f"Since {REFORM_DATE['en']} {old.name_en} is one of the 34 provinces, with its boundaries unchanged."
        )
    if normalize_key(new.name_vi) == normalize_key(old.name_vi):  # namesake: "Cà Mau is part of Cà Mau" reads wrong
        others = " và ".join(name(c, geography="63") for c in new.old_codes if c != old.code)
        others_en = " and ".join(name(c, "en", geography="63") for c in new.old_codes if c != old.code)
        return (
            f"Từ ngày {REFORM_DATE['vi']}, {old.name_vi} hợp nhất với {others} thành {new.name_vi} mới."
            if lang == "vi"
            else f"Since {REFORM_DATE['en']} {old.name_en} is merged with {others_en} into a new, larger {new.name_en}."
        )
    return (
        f"Từ ngày {REFORM_DATE['vi']}, {old.name_vi} là một phần của {new.name_vi}."
        if lang == "vi"
        else f"Since {REFORM_DATE['en']} {old.name_en} is part of {new.name_en}."
    )


def composition_sentence(name_or_code: str | int, lang: str = "vi") -> str:
    """Which old provinces a 34-province unit is made of, as one sentence (``vi`` or ``en``).

    >>> composition_sentence("Đà Nẵng", "en")
    'Da Nang (since 1 July 2025) is made of the former provinces Da Nang and Quang Nam.'
    """
    new = get(name_or_code, geography="34")
    names = [name(c, lang, geography="63") for c in _namesake_first(new)]
    if not new.merged:
        return (
            f"{new.name_vi} (từ ngày {REFORM_DATE['vi']}) giữ nguyên địa giới của tỉnh, thành phố {names[0]} cũ."
            if lang == "vi"
            else f"{new.name_en} (since {REFORM_DATE['en']}) has the same boundaries as the former {names[0]}."
        )
    joined_vi = ", ".join(names[:-1]) + " và " + names[-1]
    joined_en = ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"{new.name_vi} (từ ngày {REFORM_DATE['vi']}) gồm các tỉnh, thành phố cũ {joined_vi}."
        if lang == "vi"
        else f"{new.name_en} (since {REFORM_DATE['en']}) is made of the former provinces {joined_en}."
    )


def _namesake_first(new: Province) -> list[int]:
    old = registry(geography="63")
    # the former province of the same name first; only without one, the province whose code the unit kept (Quảng Trị
    # keeps Quảng Bình's code 44, yet "former Quảng Trị and Quảng Bình" is the order a reader expects)
    same = [c for c in new.old_codes if old.loc[c, "name_vi"] == new.name_vi] or [
        c for c in new.old_codes if c == new.code
    ]
    return same[:1] + [c for c in new.old_codes if c not in same[:1]]


def name_change_note(name_or_code: str | int, lang: str = "vi") -> str | None:
    """For a 63-province report: a warning when the province's name now means a larger province, else None.

    >>> name_change_note("Đà Nẵng", "en")
    'Since 1 July 2025 the name Da Nang means a larger unit (former Da Nang and Quang Nam); this report is on the former Da Nang (63-province geography). Reports on the new unit use the 34-province geography.'
    """
    old = get(name_or_code, geography="63")
    new = get(old.code_2025, geography="34")
    if not new.merged or normalize_key(new.name_vi) != normalize_key(old.name_vi):
        return None
    parts = [name(c, lang, geography="63") for c in _namesake_first(new)]
    if lang == "vi":
        return (
            f"Từ ngày {REFORM_DATE['vi']}, tên {old.name_vi} chỉ một đơn vị lớn hơn (gồm {' và '.join(parts)} cũ); "
            f"báo cáo này về {old.name_vi} cũ (63 tỉnh, thành phố). Báo cáo về đơn vị mới dùng địa giới 34 tỉnh, thành "
            "phố."
        )
    return (
        f"Since {REFORM_DATE['en']} the name {old.name_en} means a larger unit (former {' and '.join(parts)}); "
        f"this report is on the former {old.name_en} (63-province geography). Reports on the new unit use the "
        "34-province geography."
    )


def geography_of(frame: pd.DataFrame) -> str:
    """The geography of a table of province rows: its ``geography`` column (34-province panel), else ``"63"``."""
    if "geography" in frame.columns and len(frame):
        values = set(frame["geography"].dropna().astype(str))
        if len(values) > 1:
            raise ValueError(f"A table mixes geographies {sorted(values)}: analyse one geography at a time.")
        if values:
            return check_geography(values.pop())
    return "63"
