"""Recast the 63-province PAPI history (2011-2024) onto the 34 provinces of 1 July 2025.

These are this project's estimates, not PAPI publications. A provincial PAPI
score estimates the mean over the province's population, so the score of a
merged province is the population-weighted mean of its old provinces' scores:

    score_new = Σ w_i · score_i,   w_i = pop_i / Σ pop_j   (old provinces i of the new unit)

* Weights: ``TotalPOP`` (average population, thousand persons; GSO via the
  provincial panel in ``data/raw/context/``) of the same year for 2012-2021;
  2011 uses 2012's weights and 2022-2024 use 2021's (the nearest year
  published; column ``weight_year`` says which).
* Totals are the sum of the recast dimensions (which equals the weighted mean of
  the old totals, as weights sum to 1).
* Standard errors, where every old province's SE is published, are combined as
  ``sqrt(Σ w_i² · se_i²)`` (independent samples per old province; population
  weights taken as known). Published CIs are not recast.
* If any old province of a merged unit has no published score that year, the
  merged score is missing, and ``missing_reason`` names the old province —
  never a partial average presented as the whole.
* An unmerged province keeps its published figures (``score_source`` as in the
  63-province panel); a merged one has ``score_source = "recast"``.

Columns of the 34-province panel: those of the 63-province panel
(:data:`papi_analysis.data.schema.PANEL_COLUMNS`, with ``province_code`` the new
GSO code) plus :data:`EXTRA_COLUMNS`: ``geography`` (``"34"``),
``n_old_provinces`` (constituents), ``effective_size`` (``1 / Σ w_i²``, the
effective number of equally weighted old provinces: 1 for an unmerged one;
the residual spread of a merged unit's year-to-year change is expected to
shrink with it) and ``weight_year``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import provinces, schema

RECAST = "recast"
EXTRA_COLUMNS: list[str] = ["geography", "n_old_provinces", "effective_size", "weight_year"]
WEIGHT_YEARS = range(2012, 2022)  # years with TotalPOP in data/raw/context/
RECAST_UNCERTAINTY = "recast: SE = sqrt(sum of w^2 * published SE^2)"
RECAST_NOTE = {
    "en": (
        "Scores of merged provinces before 2025 are this project's estimates (population-weighted means of "
        "the published scores of their former provinces), not PAPI publications."
    ),
    "vi": (
        "Điểm của các tỉnh, thành phố hợp nhất trước năm 2025 là ước tính của dự án này (bình quân gia quyền "
        "theo dân số của điểm đã công bố của các tỉnh cũ), không phải số liệu PAPI công bố."
    ),
}


def has_recast(rows: pd.DataFrame) -> bool:
    """True when any of ``rows`` is a recast score (``score_source`` == :data:`RECAST`): this project's estimate,
    never to be called published or actual. False for rows without ``score_source`` (the 63-province panel)."""
    return "score_source" in rows.columns and bool((rows["score_source"].astype(str) == RECAST).any())


def weight_year(year: int) -> int:
    """The population year whose figures weight survey ``year`` (nearest year with data, 2012-2021)."""
    return min(max(int(year), WEIGHT_YEARS.start), WEIGHT_YEARS.stop - 1)


def population_weights(population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weight of each old province within its 34-province unit, per population year 2012-2021.

    ``population``: long table with ``year``, ``province_code``, ``value`` (``TotalPOP``,
    thousand persons); default :func:`papi_analysis.data.context.load_context`.
    Columns: ``weight_year``, ``province_code_34``, ``province_code`` (old), ``population``
    (thousand persons), ``weight`` (0-1, sums to 1 within unit and year).
    """
    if population is None:
        from .context import load_context

        population = load_context(["TotalPOP"])
    old = provinces.registry(geography="63")
    pop = population[["year", "province_code", "value"]].rename(columns={"year": "weight_year", "value": "population"})
    got = pop.groupby("weight_year")["province_code"].nunique()
    if pop["population"].isna().any() or (got != len(old)).any() or sorted(got.index) != list(WEIGHT_YEARS):
        raise ValueError(
            "TotalPOP must be published for all 63 provinces in each year 2012-2021 "
            "to weight the recast; re-import data/raw/context/ with 'papi-analysis import-raw'."
        )
    pop["province_code_34"] = pop["province_code"].map(old["province_2025_code"]).astype("int64")
    pop["weight"] = pop["population"] / pop.groupby(["weight_year", "province_code_34"])["population"].transform("sum")
    columns = ["weight_year", "province_code_34", "province_code", "population", "weight"]
    return pop[columns].sort_values(columns[:3]).reset_index(drop=True)


def _with_weights(frame_63: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """``frame_63`` (63-province rows) with the 34-province code, the weight year and the population weight."""
    old = provinces.registry(geography="63")
    rows = frame_63.copy()
    rows["province_code_34"] = rows["province_code"].map(old["province_2025_code"]).astype("int64")
    rows["weight_year"] = rows["year"].map(weight_year)
    rows = rows.merge(
        weights[["weight_year", "province_code", "weight"]],
        on=["weight_year", "province_code"],
        how="left",
        validate="many_to_one",
    )
    if rows["weight"].isna().any():
        r = rows[rows["weight"].isna()].iloc[0]
        raise ValueError(f"No population weight for province {r['province_code']} in {r['weight_year']}.")
    return rows


def recast_panel(panel_63: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """The 34-province panel from the validated 63-province panel and :func:`population_weights`."""
    new = provinces.registry(geography="34")
    rows = _with_weights(panel_63, weights)
    rows["old_name"] = rows["province_code"].map(provinces.registry(geography="63")["name_vi"])
    keys = ["year", "province_code_34", "dimension"]
    out = []
    for (year, code, dim), part in rows.groupby(keys, sort=True):
        out.append(_combine(int(year), int(code), str(dim), part))
    recast = pd.DataFrame(out)
    recast = _totals_as_sums(recast)
    recast["province"] = recast["province_code"].map(new["name_vi"])
    recast["methodology_period"] = recast["year"].map(lambda y: schema.period_of(int(y)).label)
    recast["n_dimensions"] = recast["year"].map(lambda y: len(schema.dimensions_in(int(y))))
    recast["geography"] = "34"
    order = {d: i for i, d in enumerate(schema.INDICATORS)}
    recast = recast.assign(_order=recast["dimension"].map(order)).sort_values(["year", "province_code", "_order"])

    recast = recast[schema.PANEL_COLUMNS + EXTRA_COLUMNS].reset_index(drop=True)
    recast["n_respondents"] = recast["n_respondents"].astype("Int64")
    return recast


def _combine(year: int, code: int, dimension: str, part: pd.DataFrame) -> dict:
    w = part["weight"].to_numpy(float)
    row: dict = dict(
        year=year,
        province_code=code,
        dimension=dimension,
        n_old_provinces=len(part),
        effective_size=float(1.0 / np.sum(w**2)),
        weight_year=int(part["weight_year"].iloc[0]),
    )
    if len(part) == 1:  # an unmerged province: its published figures, unchanged
        only = part.iloc[0]
        for column in ("score", "se", "ci_low", "ci_high", "n_respondents"):
            row[column] = only[column]
        for column in ("uncertainty_source", "score_source", "missing_reason"):
            row[column] = only[column]
        return row
    missing = part[part["score"].isna()]
    row.update(ci_low=np.nan, ci_high=np.nan)
    if not missing.empty:
        why = "; ".join(f"{r.old_name}: {r.missing_reason or 'not published'}" for r in missing.itertuples())
        row.update(
            score=np.nan,
            se=np.nan,
            n_respondents=pd.NA,
            uncertainty_source="",
            score_source="",
            missing_reason=f"not recast: no published {dimension} {year} for old province(s) {why}",
        )
        return row
    row["score"] = float(np.sum(w * part["score"].to_numpy(float)))
    row["score_source"] = RECAST
    row["missing_reason"] = ""
    se = part["se"].to_numpy(float)
    if np.all(np.isfinite(se)):
        row["se"] = float(np.sqrt(np.sum(w**2 * se**2)))
        row["uncertainty_source"] = RECAST_UNCERTAINTY
    else:
        row["se"] = np.nan
        row["uncertainty_source"] = ""
    n = part["n_respondents"]
    row["n_respondents"] = int(n.sum()) if n.notna().all() else pd.NA
    return row


def _totals_as_sums(recast: pd.DataFrame) -> pd.DataFrame:
    """Recast totals: the sum of the recast dimensions (missing if any dimension is missing)."""
    merged = recast["n_old_provinces"] > 1
    is_total = recast["dimension"] == schema.TOTAL
    dims = recast[~is_total & merged]
    grouped = dims.groupby(["year", "province_code"])
    summed = grouped["score"].sum(min_count=1)
    complete = grouped["score"].apply(lambda s: s.notna().all())
    gaps = dims[dims["score"].isna()].groupby(["year", "province_code"])["dimension"].agg(", ".join)
    recast = recast.copy()
    for index in recast.index[is_total & merged]:
        key = (recast.at[index, "year"], recast.at[index, "province_code"])
        weighted_total = recast.at[index, "score"]
        if complete.get(key, False):
            recast.at[index, "score"] = float(summed[key])
            recast.at[index, "score_source"] = RECAST
            recast.at[index, "missing_reason"] = ""
            if pd.notna(weighted_total) and abs(weighted_total - summed[key]) > 1e-3:
                raise ValueError(
                    f"{key}: the recast total {summed[key]:.4f} differs from the weighted mean of the "
                    f"old totals {weighted_total:.4f}; the 63-province totals are not sums."
                )
        else:
            recast.at[index, "score"] = np.nan
            recast.at[index, "se"] = np.nan
            recast.at[index, "uncertainty_source"] = ""
            recast.at[index, "score_source"] = ""
            recast.at[index, "missing_reason"] = f"dimension(s) missing: {gaps.get(key, '')}"
    return recast


# --------------------------------------------------------------------------- for readers


def constituent_table(
    panel_63: pd.DataFrame,
    province_34: str | int,
    year: int,
    dimension: str = schema.TOTAL,
    weights: pd.DataFrame | None = None,
    lang: str = "vi",
) -> pd.DataFrame:
    """A merged province's old provinces in ``year``: population, weight and published score of ``dimension``.

    Human headers in ``lang``; the last row is the recast (weighted) score, labelled as this
    project's estimate. Missing scores stay empty (the recast is then missing too).
    """
    record = provinces.get(province_34, geography="34")
    weights = population_weights() if weights is None else weights
    wy = weight_year(year)
    w = weights[(weights["weight_year"] == wy) & (weights["province_code_34"] == record.code)]
    scores = panel_63[(panel_63["year"] == year) & (panel_63["dimension"] == dimension)].set_index("province_code")
    rows = []
    for r in w.itertuples():
        rows.append(
            {
                "old": provinces.name(r.province_code, lang),
                "population": r.population,
                "weight": r.weight,
                "score": scores["score"].get(r.province_code, np.nan),
            }
        )
    table = pd.DataFrame(rows)
    complete = table["score"].notna().all()
    estimate = float((table["weight"] * table["score"]).sum()) if complete else np.nan
    label = {
        "vi": f"{record.name_vi} (ước tính, bình quân gia quyền)",
        "en": f"{record.name_en} (estimate, weighted mean)",
    }[lang]
    table.loc[len(table)] = {"old": label, "population": table["population"].sum(), "weight": 1.0, "score": estimate}
    headers = {
        "vi": {
            "old": "Tỉnh, thành phố cũ",
            "population": f"Dân số {wy} (nghìn người)",
            "weight": "Trọng số",
            "score": f"Điểm {year}",
        },
        "en": {
            "old": "Former province",
            "population": f"Population {wy} (thousand)",
            "weight": "Weight",
            "score": f"Score {year}",
        },
    }[lang]
    return table.rename(columns=headers)


def recast_subdimensions(subdimensions_63: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Sub-dimension scores on the 34 provinces: the same population-weighted mean (this project's estimates).

    A merged unit's sub-dimension is missing when any old province has none that year
    (``missing_reason`` names it). Columns: those of the 63-province table plus
    ``score_source`` (``recast`` / ``published``), ``geography`` and ``n_old_provinces``.
    """
    old, new = provinces.registry(geography="63"), provinces.registry(geography="34")
    rows = _with_weights(subdimensions_63, weights)
    rows["weighted"] = rows["weight"] * rows["score"]
    keys = ["year", "province_code_34", "subdimension"]
    grouped = rows.groupby(keys, sort=True)
    out = grouped.agg(
        dimension=("dimension", "first"),
        label=("label", "first"),
        score=("weighted", "sum"),
        n_scored=("score", "count"),
        methodology_period=("methodology_period", "first"),
    ).reset_index()
    # constituents are counted from the registry: an old province with no row at all is missing too
    out["n_old_provinces"] = out["province_code_34"].map(new["n_old_provinces"]).astype("int64")
    scored = rows[rows["score"].notna()].groupby(keys)["province_code"].agg(set)
    complete = out["n_scored"] == out["n_old_provinces"]
    out.loc[~complete, "score"] = np.nan

    def absent(key: tuple) -> str:
        members = [int(c) for c in str(new.loc[key[1], "old_province_codes"]).split("|")]
        have = scored.get(key, set())
        return ", ".join(old.loc[c, "name_vi"] for c in members if c not in have)

    out["missing_reason"] = [
        ""
        if ok
        else ("not published" if n == 1 else f"not recast: no published score for old province(s) {absent(tuple(k))}")
        for ok, n, k in zip(complete, out["n_old_provinces"], out[keys].itertuples(index=False))
    ]
    out["score_source"] = np.where(~complete, "", np.where(out["n_old_provinces"] > 1, RECAST, "published"))
    out = out.rename(columns={"province_code_34": "province_code"})
    out["province"] = out["province_code"].map(new["name_vi"])
    out["geography"] = "34"
    columns = [
        "year",
        "province_code",
        "province",
        "dimension",
        "subdimension",
        "label",
        "score",
        "missing_reason",
        "methodology_period",
        "score_source",
        "geography",
        "n_old_provinces",
    ]
    return out[columns].reset_index(drop=True)


RECAST_CAVEATS = {
    "en": (
        "What the recast history can and cannot tell. Before 2025 PAPI surveyed the 63 old provinces, each with "
        "its own sample; the score shown for a merged province is this project's estimate: the population-weighted "
        "mean of its former provinces' published scores (weights: average population of the same year, 2012-2021; "
        "2011 uses 2012 and 2022-2024 use 2021). It shows how the people of the new province's territory rated "
        "governance on average, as well as separate surveys allow. It cannot show differences within the new "
        "province beyond its former provinces, and it is missing whenever one former province has no published "
        "score. Its year-to-year changes are smaller than a single province's because it averages several "
        "samples. The first PAPI release on the 34 provinces (new samples, possibly new weighting) may differ "
        "from the 2024 estimate for reasons that are not a change in governance."
    ),
    "vi": (
        "Chuỗi số liệu tính lại cho biết gì và không cho biết gì. Trước năm 2025, PAPI khảo sát 63 tỉnh, thành phố "
        "cũ, mỗi tỉnh một mẫu riêng; điểm của một tỉnh hợp nhất ở đây là ước tính của dự án này: bình quân gia "
        "quyền theo dân số của điểm đã công bố của các tỉnh cũ (trọng số: dân số trung bình cùng năm, 2012-2021; "
        "năm 2011 dùng dân số 2012, các năm 2022-2024 dùng dân số 2021). Số liệu này cho thấy người dân trên địa "
        "bàn tỉnh mới đánh giá quản trị trung bình ra sao, trong giới hạn của các cuộc khảo sát riêng rẽ. Nó không "
        "cho thấy khác biệt bên trong tỉnh mới ngoài khác biệt giữa các tỉnh cũ, và bị bỏ trống khi một tỉnh cũ "
        "không có điểm công bố. Mức thay đổi hằng năm của nó nhỏ hơn của một tỉnh đơn lẻ vì là bình quân của "
        "nhiều mẫu. Kết quả PAPI đầu tiên theo 34 tỉnh, thành phố (mẫu mới, có thể cách gia quyền mới) có thể "
        "khác ước tính năm 2024 vì những lý do không phải là thay đổi trong quản trị."
    ),
}


def recast_caveats(lang: str = "vi") -> str:
    """The paragraph a reader of a 34-province report needs about the recast history (``vi`` or ``en``)."""
    if lang not in RECAST_CAVEATS:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}.")
    return RECAST_CAVEATS[lang]
