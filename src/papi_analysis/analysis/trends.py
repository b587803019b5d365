"""Where a province stands and how it moved: scores, national distribution, ranks, groups, changes.

All scores are PAPI points (dimensions 1-10; totals 6-60 until 2017, 8-80 since
2018). Methodology breaks are data: every change carries ``crosses_break``, and
a change of the *total* across 2017/2018 is never computed (6 and 8 dimensions
are different scales).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import provinces, schema
from . import ranking

Z_95 = 1.959964  # two-sided 95% normal quantile


def national_distribution(panel: pd.DataFrame) -> pd.DataFrame:
    """Per year and dimension: provinces with data (``n``), min, 25th percentile, median, 75th percentile, max, mean."""
    scored = panel.dropna(subset=["score"])
    grouped = scored.groupby(["year", "dimension"])["score"]
    out = pd.DataFrame(
        {
            "n": grouped.count(),
            "min": grouped.min(),
            "q25": grouped.quantile(0.25),
            "median": grouped.median(),
            "q75": grouped.quantile(0.75),
            "max": grouped.max(),
            "mean": grouped.mean(),
        }
    )
    return out.reset_index()


def _changes(ranked: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change of every province and dimension (from the previous survey year only)."""
    keyed = ranked.set_index(["province_code", "dimension", "year"])
    prev = keyed[["score", "se", "rank"]].copy()
    prev.index = prev.index.set_levels(prev.index.levels[2] + 1, level=2)
    prev.columns = ["prev_score", "prev_se", "prev_rank"]
    out = keyed.join(prev, how="left").reset_index()
    out["change"] = out["score"] - out["prev_score"]
    out["rank_change"] = (out["prev_rank"] - out["rank"]).astype("Int64")  # positive = moved up
    out["crosses_break"] = [
        schema.is_break_between(y - 1, y, d) if y > 2011 else False for y, d in zip(out["year"], out["dimension"])
    ]
    incomparable_total = (out["dimension"] == schema.TOTAL) & (out["year"] == 2018)
    out.loc[incomparable_total, ["change", "rank_change"]] = np.nan
    se_diff = np.sqrt(out["se"] ** 2 + out["prev_se"] ** 2)
    out["change_z"] = out["change"] / se_diff
    has_se = out["se"].notna() & out["prev_se"].notna() & out["change"].notna()
    out["change_beyond_noise"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out.loc[has_se, "change_beyond_noise"] = (out.loc[has_se, "change_z"].abs() > Z_95).to_numpy()
    out["noise_basis"] = np.where(
        has_se,
        "published SE in both years",
        np.where(out["change"].notna(), "no published SE for both years: sampling noise not assessable", ""),
    )
    out["change_percentile"] = out.groupby(["year", "dimension"])["change"].rank(pct=True) * 100
    return out


def panel_with_changes(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel with rank, group, national median and year-on-year change columns for every province (computed
    once per panel in a process: every province's trend reads it)."""
    from . import cache

    return cache.remembered("panel_with_changes", lambda: _panel_with_changes(panel), panel)


def _panel_with_changes(panel: pd.DataFrame) -> pd.DataFrame:
    ranked = ranking.rank_and_group(panel)
    changes = _changes(ranked)
    dist = national_distribution(panel).rename(
        columns={
            "median": "national_median",
            "q25": "national_q25",
            "q75": "national_q75",
            "min": "national_min",
            "max": "national_max",
            "mean": "national_mean",
            "n": "n_with_data",
        }
    )
    out = changes.merge(dist, on=["year", "dimension"], how="left")
    out["gap_to_median"] = out["score"] - out["national_median"]
    order = {d: i for i, d in enumerate(schema.INDICATORS)}
    return (
        out.assign(_o=out["dimension"].map(order))
        .sort_values(["province_code", "_o", "year"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def province_trend(
    panel: pd.DataFrame,
    province: str | int,
    start_year: int = 2011,
    end_year: int = 2024,
    dimensions: tuple[str, ...] | list[str] = schema.INDICATORS,
) -> pd.DataFrame:
    """One province's score, rank, group, national median and change by year and dimension.

    Only years in which PAPI scored a dimension appear (D7, D8 from 2018); a
    year without data for the province stays as a row with missing score.
    The province is resolved in the panel's geography (63, or 34 for ``load_scores(geography="34")``).
    """
    geography = provinces.geography_of(panel)
    code = provinces.resolve(province, geography=geography)
    full = panel_with_changes(panel)
    out = full[
        (full["province_code"] == code)
        & full["year"].between(start_year, end_year)
        & full["dimension"].isin(list(dimensions))
    ]
    columns = [
        "year",
        "province_code",
        "province",
        "dimension",
        "score",
        "se",
        "ci_low",
        "ci_high",
        "rank",
        "n_ranked",
        "group",
        "national_median",
        "national_q25",
        "national_q75",
        "national_min",
        "national_max",
        "gap_to_median",
        "change",
        "rank_change",
        "crosses_break",
        "change_z",
        "change_beyond_noise",
        "noise_basis",
        "change_percentile",
        "methodology_period",
        "missing_reason",
    ]
    columns += [c for c in ("score_source", "geography", "n_old_provinces", "effective_size") if c in out.columns]
    return out[columns].reset_index(drop=True)


def latest_year_with_data(trend: pd.DataFrame, dimension: str = schema.TOTAL) -> int | None:
    """Most recent year in which the province has a score for ``dimension``."""
    years = trend.loc[(trend["dimension"] == dimension) & trend["score"].notna(), "year"]
    return int(years.max()) if not years.empty else None


def standing_table(trend: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per dimension for ``year``: score, national median, gap, rank of n, group, change."""
    rows = trend[trend["year"] == year]
    out = rows[
        [
            "dimension",
            "score",
            "national_median",
            "gap_to_median",
            "rank",
            "n_ranked",
            "group",
            "change",
            "rank_change",
            "crosses_break",
            "change_beyond_noise",
        ]
    ].copy()
    return out.reset_index(drop=True)


def subdimension_gaps(subdimensions: pd.DataFrame, province: str | int, year: int | None = None) -> pd.DataFrame:
    """Sub-dimension scores of a province against the national median, largest shortfall first.

    Uses the latest year with sub-dimension data for the province unless ``year``
    is given. ``gap`` is in the sub-dimension's own points (scales differ).
    """
    code = provinces.resolve(province, geography=provinces.geography_of(subdimensions))
    subs = subdimensions.dropna(subset=["score"])
    own = subs[subs["province_code"] == code]
    if own.empty:
        return pd.DataFrame(
            columns=[
                "year",
                "dimension",
                "subdimension",
                "label_vi",
                "label_en",
                "score",
                "national_median",
                "gap",
                "rank",
                "n",
            ]
        )
    year = int(year or own["year"].max())
    cross = subs[subs["year"] == year]
    stats = cross.groupby("subdimension")["score"].agg(national_median="median", n="count")
    ranks = cross.assign(rank=cross.groupby("subdimension")["score"].rank(ascending=False, method="min"))
    mine = ranks[ranks["province_code"] == code].set_index("subdimension")
    out = mine[["dimension", "label", "score", "rank"]].join(stats)
    out["gap"] = out["score"] - out["national_median"]
    out["label_vi"], out["label_en"] = zip(*(split_label(l) for l in out["label"]))
    out["year"] = year
    out["rank"] = out["rank"].astype("Int64")
    out = out.reset_index().sort_values("gap")
    return out[
        ["year", "dimension", "subdimension", "label_vi", "label_en", "score", "national_median", "gap", "rank", "n"]
    ].reset_index(drop=True)


def split_label(label: str) -> tuple[str, str]:
    """(Vietnamese, English) parts of a published sub-dimension label such as 'Civic Knowledge | 1.1: Tri thức'."""
    parts = [p.strip() for p in str(label).split("|") if p.strip()]
    vi = en = ""
    for part in parts:
        text = part.split(":", 1)[1].strip() if ":" in part[:5] else part
        if any(ord(c) > 127 for c in text):
            vi = vi or text
        else:
            en = en or text
    return (vi or en, en or vi)


def peers(panel: pd.DataFrame, province: str | int, year: int, dimension: str = schema.TOTAL) -> pd.DataFrame:
    """The provinces of the same socio-economic region in ``year``: score, national rank and group."""
    geography = provinces.geography_of(panel)
    code = provinces.resolve(province, geography=geography)
    members = provinces.region_members(code, geography=geography)
    ranked = ranking.rank_and_group(panel)
    rows = ranked[
        (ranked["year"] == year) & (ranked["dimension"] == dimension) & ranked["province_code"].isin(members)
    ].copy()
    rows["selected"] = rows["province_code"] == code
    rows = rows.sort_values("score", ascending=False, na_position="last")
    columns = ["province_code", "province", "score", "rank", "n_ranked", "group", "selected"]
    columns += [c for c in ("geography",) if c in rows.columns]
    return rows[columns].reset_index(drop=True)


def history_table(trend: pd.DataFrame, dimension: str = schema.TOTAL) -> pd.DataFrame:
    """Year-by-year table for one dimension: score, national median, rank of n, group, change, and flags.

    Scores and changes rounded to 2 decimals (points) for copying into a report.
    """
    rows = trend[trend["dimension"] == dimension].sort_values("year")
    out = pd.DataFrame(
        {
            "year": rows["year"],
            "score": rows["score"].round(2),
            "national_median": rows["national_median"].round(2),
            "rank": rows["rank"].astype("string").where(rows["rank"].notna(), "–")
            + "/"
            + rows["n_ranked"].astype("string"),
            "group": rows["group"].fillna("no data"),
            "change": rows["change"].round(2),
            "methodology_break": np.where(rows["crosses_break"], "yes", ""),
            "beyond_noise": rows["change_beyond_noise"].map({True: "yes", False: "no"}).fillna("not assessable"),
            "note": rows["missing_reason"].fillna(""),
        }
    )
    if "score_source" in rows.columns:  # 34-province history: say which scores are this project's estimates
        estimate = (rows["score_source"] == "recast").to_numpy()
        out.loc[estimate, "note"] = "recast estimate (population-weighted mean of former provinces)"
    out.loc[rows["score"].isna().to_numpy(), "rank"] = "–"
    return out.reset_index(drop=True)
