"""Carry the published PAPI figures into the project's ``data/raw/`` (run once by a maintainer).

``papi-analysis import-raw`` runs the readers of :mod:`papi_analysis.data.readers` on the
official files and writes plain, diff-friendly CSV with a provenance sidecar and
a checksum file. Nothing in ``data/raw/`` is typed in: every number comes out of
a reader. The analysis pipeline (``build-data``) only *reads* ``data/raw/``;
this importer refuses to change an existing file unless told to (``--force``).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from .. import config
from . import context, provinces, raw_files, readers

CITATION = (
    "CECODES, VFF-CRT, RTA & UNDP, The Viet Nam Provincial Governance and Public "
    "Administration Performance Index (PAPI), yearly, papi.org.vn"
)


@dataclass(frozen=True)
class SourceFile:
    """One published file and how it is read."""

    relative_path: str
    reader: Callable[..., pd.DataFrame]
    years: tuple[int, ...]
    origin: str
    note: str = ""
    kwargs: dict = field(default_factory=dict)


SOURCES: tuple[SourceFile, ...] = (
    SourceFile(
        "papi/sources/PAPI_2011-2016.xlsx",
        readers.read_release_2011_2016,
        tuple(range(2011, 2017)),
        "official PAPI data release 2011-2016 (public copy: mdtrinh/vietnamdata)",
        kwargs={"years": tuple(range(2011, 2017))},
    ),
    SourceFile(
        "papi/sources/PAPI-2015-2023-eng.xlsm",
        readers.read_papi_workbook,
        (2017, 2018, 2019, 2022, 2023),
        "official PAPI 2015-2023 workbook, English labels (public copy: HungNT1st/CS571_Project)",
        note="sheets 2020, 2021, 2020_Process and 2021_Process repeat 2019 and are refused; "
        "2015-2016 are taken from the 2011-2016 release (the two agree, see tests)",
        kwargs={"years": (2017, 2018, 2019, 2022, 2023)},
    ),
    SourceFile(
        "papi/sources/agg_province_year_2020.csv",
        readers.read_province_year_csv,
        (2020,),
        "province-year export of the official 2020 results (public copy: tunah72/papi-dashboard)",
        note="dimension scores and unweighted total only; no sub-dimensions or CIs",
    ),
    SourceFile(
        "papi/sources/agg_province_year_2021.csv",
        readers.read_province_year_csv,
        (2021,),
        "province-year export of the official 2021 results (public copy: tunah72/papi-dashboard)",
        note="dimension scores and unweighted total only; no sub-dimensions or CIs",
    ),
    SourceFile(
        "papi/sources/agg_province_year_2024.csv",
        readers.read_province_year_csv,
        (2024,),
        "province-year export of the official 2024 results (public copy: tunah72/papi-dashboard)",
        note="dimension scores and unweighted total only; no sub-dimensions or CIs",
    ),
)

RELEASE_FOR_NAMES = "papi/sources/PAPI_2011-2016.xlsx"
REGIONS_SOURCE = "papi/sources/agg_province_year_2024.csv"
CROSSWALK_SOURCE = "reference/province_crosswalk_63_to_34_2025.csv"
GEO_SOURCE = "geo/vn_provinces_63.topojson"
GEO_SIMPLIFY_DEGREES = 0.002  # about 200 m: invisible on a national map, keeps the file near 400 kB
GEO_LICENCE = (
    "MIT licence, repository TaliaCao/Vietnam-Shape-Map; boundaries from Open Development Vietnam "
    "(63 provinces, 2004-2025)"
)


class RawDataChangeError(RuntimeError):
    """The importer would change a file already in data/raw/."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- provinces


def build_province_table(source_root: Path) -> pd.DataFrame:
    """The 63-province registry from the official release, the 2025 crosswalk and the curated aliases."""
    release = source_root / RELEASE_FOR_NAMES
    wb = openpyxl.load_workbook(release, read_only=True, data_only=True)
    ws = wb["2016_PAPI"]
    rows = [r[:3] for r in ws.iter_rows(min_row=3, values_only=True) if r[0] not in (None, 999)]
    wb.close()
    table = pd.DataFrame(rows, columns=["province_code", "release_name_en", "release_name_vi"])
    table["province_code"] = table["province_code"].astype(int)
    if len(table) != 63 or table["province_code"].duplicated().any():
        raise readers.SourceFormatError(
            f"{release.name}: expected 63 distinct provinces in sheet 2016_PAPI, found {len(table)}."
        )
    table["name_vi"] = [
        provinces.CANONICAL_NAME_VI.get(c, n.strip()) for c, n in zip(table["province_code"], table["release_name_vi"])
    ]
    table["name_en"] = [
        provinces.CANONICAL_NAME_EN.get(c, n.strip()) for c, n in zip(table["province_code"], table["release_name_en"])
    ]
    table["slug"] = table["name_en"].map(provinces.slugify)

    keys: dict[str, int] = {}
    for row in table.itertuples(index=False):
        aliases = provinces.CURATED_ALIASES.get(row.province_code, ())
        for n in (row.name_vi, row.name_en, row.release_name_vi, row.release_name_en, *aliases):
            keys[provinces.normalize_key(n)] = row.province_code

    def code_of(label: str, where: str) -> int:
        key = provinces.normalize_key(label)
        if key not in keys:
            raise readers.SourceFormatError(
                f"{where}: province {label!r} does not match the 63 provinces of the release."
            )
        return keys[key]

    regions_path = source_root / REGIONS_SOURCE
    regions = pd.read_csv(regions_path, dtype=str)
    region_of = {code_of(r.province_vi, regions_path.name): r.region for r in regions.itertuples()}
    unknown_regions = set(region_of.values()) - set(provinces.REGIONS)
    if unknown_regions or len(region_of) != 63:
        raise readers.SourceFormatError(f"{regions_path.name}: unexpected regions {unknown_regions} or province count.")
    table["region_vi"] = table["province_code"].map(region_of)
    table["region_code"] = table["region_vi"].map(lambda r: provinces.REGIONS[r][0])
    table["region_en"] = table["region_vi"].map(lambda r: provinces.REGIONS[r][1])

    crosswalk_path = source_root / CROSSWALK_SOURCE
    crosswalk = pd.read_csv(crosswalk_path)
    crosswalk = crosswalk.set_index("old_gso_code")
    if sorted(crosswalk.index) != sorted(table["province_code"]):
        raise readers.SourceFormatError(f"{crosswalk_path.name}: old codes do not match the 63 provinces.")
    by_code = table.set_index("province_code")
    new_code = table["province_code"].map(crosswalk["new_gso_code"]).astype(int)
    new_name_en = table["province_code"].map(crosswalk["new_province"])

    def new_name_vi(name_en: str) -> str:
        if name_en in provinces.NEW_PROVINCE_NAME_VI:
            return provinces.NEW_PROVINCE_NAME_VI[name_en]
        return by_code.loc[code_of(name_en, crosswalk_path.name), "name_vi"]

    table["province_2025_code"] = new_code
    table["province_2025_name_vi"] = new_name_en.map(new_name_vi)
    table["province_2025_name_en"] = new_name_en
    if table["province_2025_code"].nunique() != 34:
        raise readers.SourceFormatError(f"{crosswalk_path.name}: expected 34 provinces after the 2025 reform.")

    def alias_list(row) -> str:
        """Release spellings and curated aliases, other than the canonical names themselves."""
        out: list[str] = []
        for n in (
            row.release_name_vi.strip(),
            row.release_name_en.strip(),
            *provinces.CURATED_ALIASES.get(row.province_code, ()),
        ):
            if n not in out and n not in (row.name_vi, row.name_en):
                out.append(n)
        return "|".join(out)

    table["aliases"] = [alias_list(r) for r in table.itertuples(index=False)]
    columns = [
        "province_code",
        "name_vi",
        "name_en",
        "slug",
        "region_code",
        "region_vi",
        "region_en",
        "aliases",
        "province_2025_code",
        "province_2025_name_vi",
        "province_2025_name_en",
    ]
    return table[columns].sort_values("province_code").reset_index(drop=True)


# --------------------------------------------------------------------------- boundaries


def build_geojson(source_root: Path) -> bytes:
    """63 province boundaries as GeoJSON keyed by GSO code (simplified, coordinates to 4 decimals)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    path = source_root / GEO_SOURCE
    shapes = gpd.read_file(path)
    if "ten_tinh" not in shapes.columns:
        raise readers.SourceFormatError(f"{path.name}: expected a 'ten_tinh' (province name) property.")
    shapes["province_code"] = [
        readers._resolve_province(n, f"file {path.name}, feature {i}") for i, n in enumerate(shapes["ten_tinh"])
    ]
    if sorted(shapes["province_code"]) != sorted(provinces.registry().index):
        raise readers.SourceFormatError(f"{path.name}: expected exactly one shape for each of the 63 provinces.")
    features = []
    for code, geom in sorted(zip(shapes["province_code"], shapes.geometry), key=lambda item: item[0]):
        geom = geom.simplify(GEO_SIMPLIFY_DEGREES, preserve_topology=True)
        geom = shapely.make_valid(shapely.transform(geom, lambda c: np.round(c, 4)))
        features.append(
            {"type": "Feature", "properties": {"province_code": int(code)}, "geometry": shapely.geometry.mapping(geom)}
        )
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, separators=(",", ":")) + "\n").encode()


# --------------------------------------------------------------------------- scores


def read_all_sources(source_root: Path) -> pd.DataFrame:
    """Raw records of every year 2011-2024, each year from exactly one published file."""
    frames = []
    for source in SOURCES:
        frame = source.reader(source_root / source.relative_path, **source.kwargs)
        got = sorted(frame["year"].unique())
        if got != sorted(source.years):
            raise readers.SourceFormatError(f"{source.relative_path}: expected years {source.years}, read {got}.")
        frames.append(frame)
    records = pd.concat(frames, ignore_index=True)
    order = ["year", "province_code", "indicator", "statistic"]
    return records.sort_values(order, kind="stable").reset_index(drop=True)


def _provenance(source_root: Path) -> dict:
    sources = []
    for source in SOURCES:
        path = source_root / source.relative_path
        sources.append(
            dict(
                file=Path(source.relative_path).name,
                years=list(source.years),
                reader=f"papi_analysis.data.readers.{source.reader.__name__}",
                sha256=sha256_of(path),
                bytes=path.stat().st_size,
                origin=source.origin,
                note=source.note,
            )
        )
    reference = []
    for rel, what in (
        (RELEASE_FOR_NAMES, "GSO codes and names"),
        (REGIONS_SOURCE, "GSO socio-economic regions"),
        (CROSSWALK_SOURCE, "63 -> 34 province mapping, Resolution 202/2025/QH15"),
        (GEO_SOURCE, "province boundaries for maps; " + GEO_LICENCE),
    ):
        path = source_root / rel
        reference.append(dict(file=Path(rel).name, used_for=what, sha256=sha256_of(path), bytes=path.stat().st_size))
    return {
        "producer": "CECODES, VFF-CRT, RTA and UNDP Viet Nam",
        "citation": CITATION,
        "url": "https://papi.org.vn",
        "licence": "published statistics; cite PAPI as above",
        "produced_by": "papi-analysis import-raw (papi_analysis.data.importer)",
        "outputs": {
            "papi/scores.csv": "dimension and total scores, CI, SE, variance and respondents, 2011-2024",
            "papi/subdimensions.csv": "sub-dimension scores where published (2011-2019, 2022, 2023)",
            "reference/provinces.csv": "the 63 provinces: GSO code, names, aliases, region, 2025 province",
            "geo/provinces_63.geojson": "63 province boundaries keyed by GSO code (simplified); " + GEO_LICENCE,
            str(context.RAW_CONTEXT): "PCI and its sub-indices, population, GRDP, income by province, 2012-2021",
        },
        "score_sources": sources,
        "reference_sources": reference,
        "context_sources": [
            dict(
                file=Path(context.SOURCE).name,
                years=list(context.YEARS),
                reader="papi_analysis.data.context.read_provincial_panel",
                sha256=sha256_of(source_root / context.SOURCE),
                bytes=(source_root / context.SOURCE).stat().st_size,
                origin="research panel of PCI (VCCI) and GSO statistics by province "
                "(public copy: letrinhandn/Citizen-Participation-and-Local-Economic-Growth-in-Vietnam)",
                note="PCI composite and sub-indices, population, GRDP at 2010 prices, income; units in "
                "papi_analysis.data.context",
            )
        ],
    }


def score_outputs(source_root: Path) -> dict[str, bytes]:
    """Bytes of the score files and provenance, keyed by path relative to data/raw/.

    The readers resolve province names against the registry in data/raw/reference/,
    so :func:`import_raw` writes that first.
    """
    records = read_all_sources(source_root)
    is_sub = records["indicator"].str.contains(".", regex=False)
    return {
        "papi/scores.csv": _csv_bytes(records[~is_sub]),
        "papi/subdimensions.csv": _csv_bytes(records[is_sub]),
        "geo/provinces_63.geojson": build_geojson(source_root),
        str(context.RAW_CONTEXT): _csv_bytes(context.read_provincial_panel(source_root / context.SOURCE)),
        "provenance.json": (json.dumps(_provenance(source_root), indent=2, ensure_ascii=False) + "\n").encode(),
    }


def _write_checked(raw_dir: Path, outputs: dict[str, bytes], force: bool) -> None:
    """Write the files that differ, atomically and never through a symbolic link (raw_files.write_raw_files)."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    current = {rel: raw_files.read_raw_file(raw_dir, rel) for rel in outputs}
    changed = [rel for rel, data in outputs.items() if current[rel] is not None and current[rel] != data]
    if changed and not force:
        raise RawDataChangeError(
            f"Importing would change {', '.join(changed)} in {raw_dir}. Raw data changes only on purpose: "
            "review the difference and re-run with --force."
        )
    raw_files.write_raw_files(raw_dir, {rel: data for rel, data in outputs.items() if current[rel] != data})


def checksum_text(raw_dir: Path, relative_paths: list[str]) -> str:
    return "".join(f"{sha256_of(raw_dir / rel)}  {rel}\n" for rel in sorted(relative_paths))


def import_raw(source_root: Path | None = None, raw_dir: Path | None = None, force: bool = False) -> list[str]:
    """Write data/raw/ from the official files; returns the relative paths written or confirmed.

    An existing file whose content would change is not touched unless
    ``force`` is true: raw data changes only on purpose.
    """
    source_root = Path(source_root or config.source_dir())
    raw_dir = Path(raw_dir or config.DATA_RAW)
    if not (source_root / RELEASE_FOR_NAMES).exists():
        raise FileNotFoundError(
            f"The official PAPI files were not found under {source_root}. "
            "Pass --sources DIR (the folder holding papi/sources/) or set PAPI_SOURCES."
        )
    registry_out = {"reference/provinces.csv": _csv_bytes(build_province_table(source_root))}
    _write_checked(raw_dir, registry_out, force)
    registry_34 = outputs_34(source_root, raw_dir)
    _write_checked(raw_dir, registry_34, force)
    registry_out.update(registry_34)
    provinces._registry.cache_clear()
    previous = config.RAW_PROVINCES
    config.RAW_PROVINCES = raw_dir / "reference" / "provinces.csv"
    try:
        scores_out = score_outputs(source_root)
        scores_out[GEOJSON_34] = build_geojson_34(source_root, raw_dir / PROVINCES_34)
    finally:
        config.RAW_PROVINCES = previous
    provenance = json.loads(scores_out["provenance.json"])
    extra = provenance_34(source_root)
    provenance["outputs"].update(extra["outputs"])
    provenance["reference_sources"].append(extra["reference"])
    scores_out["provenance.json"] = (json.dumps(provenance, indent=2, ensure_ascii=False) + "\n").encode()
    _write_checked(raw_dir, scores_out, force)
    written = sorted(registry_out) + sorted(scores_out)
    # plan targets are transcribed by hand (with quotes), not imported, but are pinned the same way;
    # so are 34-province releases imported with 'papi-analysis import-release34'
    curated = sorted(
        str(p.relative_to(raw_dir))
        for p in [*(raw_dir / "targets").glob("*"), *(raw_dir / "targets" / "indices").glob("*")]
        if p.suffix in {".csv", ".yaml", ".yml"}
    )
    curated += sorted(
        str(p.relative_to(raw_dir)) for p in (raw_dir / RELEASE34_DIR).glob("*") if p.suffix in {".csv", ".json"}
    )
    raw_files.write_raw_files(raw_dir, {"SHA256SUMS": checksum_text(raw_dir, written + curated).encode()})
    return written


# --------------------------------------------------------------------------- the 34 provinces (since 1 July 2025)

GEO_SOURCE_34 = "geo/vn_provinces_34.topojson"
GEO_LICENCE_34 = (
    "MIT licence, repository TaliaCao/Vietnam-Shape-Map; boundaries from Open Development Vietnam "
    "(34 provinces since 1 July 2025)"
)
PROVINCES_34 = "reference/provinces_34.csv"
GEOJSON_34 = "geo/provinces_34.geojson"
#: Imported 34-province PAPI releases (papi_analysis.data.release34), pinned like every raw file.
RELEASE34_DIR = "papi34"


def build_province_table_34(table_63: pd.DataFrame) -> pd.DataFrame:
    """The 34-province registry derived from the 63-province one (which carries each old province's 2025 unit).

    Names: those of the old province the new one is named after (Huế: its own). Aliases: that old
    province's names and aliases plus :data:`provinces.CURATED_ALIASES_34`. Region: the region of
    the old province whose GSO code the new province kept (the seat of the merged province).
    Slug: the name's slug with ``-34`` appended, so reports on the two geographies never share a folder.
    """
    old = table_63.set_index("province_code")
    rows = []
    for code, members in old.groupby("province_2025_code"):
        code = int(code)
        first = members.iloc[0]
        name_vi, name_en = first["province_2025_name_vi"], first["province_2025_name_en"]
        if code not in old.index:
            raise readers.SourceFormatError(
                f"{CROSSWALK_SOURCE}: new code {code} is not an old GSO code; cannot place its region."
            )
        seat = old.loc[code]
        # an unmerged province keeps all its spellings (Thừa Thiên Huế -> Huế); a merged one its namesake's
        namesake = (
            list(members.index)
            if len(members) == 1
            else [
                c
                for c in members.index
                if provinces.normalize_key(old.loc[c, "name_en"]) == provinces.normalize_key(name_en)
            ]
        )
        aliases: list[str] = []
        if name_vi == "TP. Hồ Chí Minh":
            name_en = old.loc[79, "name_en"]
        for c in namesake:
            for n in (old.loc[c, "name_vi"], old.loc[c, "name_en"], *str(old.loc[c, "aliases"]).split("|")):
                if n and n not in aliases and n not in (name_vi, name_en):
                    aliases.append(n)
        for n in provinces.CURATED_ALIASES_34.get(code, ()):
            if n not in aliases and n not in (name_vi, name_en):
                aliases.append(n)
        codes = sorted(int(c) for c in members.index)
        rows.append(
            dict(
                province_code=code,
                name_vi=name_vi,
                name_en=name_en,
                slug=provinces.slugify(name_en) + "-34",
                region_code=int(seat["region_code"]),
                region_vi=seat["region_vi"],
                region_en=seat["region_en"],
                aliases="|".join(aliases),
                old_province_codes="|".join(str(c) for c in codes),
                n_old_provinces=len(codes),
            )
        )
    table = pd.DataFrame(rows).sort_values("province_code").reset_index(drop=True)
    if len(table) != 34 or table["old_province_codes"].str.split("|").map(len).sum() != 63:
        raise readers.SourceFormatError(f"{CROSSWALK_SOURCE}: expected 63 old provinces in 34 new ones.")
    return table


def build_geojson_34(source_root: Path, registry_34: Path) -> bytes:
    """34 province boundaries as GeoJSON keyed by the new GSO code (simplified, coordinates to 4 decimals)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    path = source_root / GEO_SOURCE_34
    shapes = gpd.read_file(path)
    if "ten_tinh" not in shapes.columns:
        raise readers.SourceFormatError(f"{path.name}: expected a 'ten_tinh' (province name) property.")
    codes = []
    for i, label in enumerate(shapes["ten_tinh"]):
        try:
            codes.append(provinces.resolve(label, path=registry_34, geography="34"))
        except provinces.UnknownProvinceError as err:
            raise readers.SourceFormatError(f"{path.name}, feature {i}: {err}") from None
    if sorted(codes) != sorted(provinces.registry(registry_34, geography="34").index):
        raise readers.SourceFormatError(f"{path.name}: expected exactly one shape for each of the 34 provinces.")
    features = []
    for code, geom in sorted(zip(codes, shapes.geometry), key=lambda item: item[0]):
        geom = geom.simplify(GEO_SIMPLIFY_DEGREES, preserve_topology=True)
        geom = shapely.make_valid(shapely.transform(geom, lambda c: np.round(c, 4)))
        features.append(
            {"type": "Feature", "properties": {"province_code": int(code)}, "geometry": shapely.geometry.mapping(geom)}
        )
    return (json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n").encode()


def outputs_34(source_root: Path, raw_dir: Path) -> dict[str, bytes]:
    """The 34-province registry and boundaries, built after the 63-province registry is in ``raw_dir``."""
    table_63 = pd.read_csv(raw_dir / "reference" / "provinces.csv", keep_default_na=False)
    registry = _csv_bytes(build_province_table_34(table_63))
    return {PROVINCES_34: registry}


def provenance_34(source_root: Path) -> dict:
    """Provenance entries for the 34-province outputs (merged into provenance.json by import_raw)."""
    path = source_root / GEO_SOURCE_34
    return {
        "outputs": {
            PROVINCES_34: "the 34 provinces since 1 July 2025: new GSO code, names, aliases, region of the seat, "
            "old provinces (derived from reference/provinces.csv and the 2025 crosswalk)",
            GEOJSON_34: "34 province boundaries keyed by the new GSO code (simplified); " + GEO_LICENCE_34,
        },
        "reference": dict(
            file=path.name,
            used_for="34 province boundaries for maps; " + GEO_LICENCE_34,
            sha256=sha256_of(path),
            bytes=path.stat().st_size,
        ),
    }
