"""Does a link survive scrutiny? Leave-one-year-out, leave-one-region-out, within/between provinces
(Mundlak), a specification table, and a verdict per finding.

A correlation is called **robust** when (a) its province-cluster bootstrap 95 % interval excludes 0,
(b) all eight specifications (levels or changes, Pearson or Spearman, with or without year effects)
have the same sign with intervals excluding 0, (c) every leave-one-year-out and leave-one-region-out
estimate keeps the sign, and (d) the within-province and between-province correlations keep it too.

A lagged effect is called **robust** when (a) its placebo-calibrated p-value, Holm-adjusted across all
pairs, is below 0.05 and so is its wild cluster bootstrap p-value (unadjusted), (b) the lead placebo is
not significant (t(G-1), 5 %), and (c) every leave-one-year-out and leave-one-region-out fit keeps the
sign with p < 0.05 (t(G-1)).
"""

from __future__ import annotations

import itertools
import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from ...data import provinces
from . import fe
from .correlations import cluster_correlations
from .lagged import lag_frame_wide
from .periods import wide_changes

SPECIFICATIONS = [
    (kind, method, year_effects)
    for kind in ("levels", "changes")
    for method in ("pearson", "spearman")
    for year_effects in (True, False)
]


def region_of(codes) -> np.ndarray:
    """GSO socio-economic region code of each province code."""
    table = provinces.registry()
    return table.loc[list(codes), "region_code"].to_numpy()


def _groups(wide: pd.DataFrame, by: str) -> tuple[np.ndarray, list]:
    if by == "year":
        keys = wide.index.get_level_values("year").to_numpy()
    elif by == "region":
        keys = region_of(wide.index.get_level_values("province_code"))
    else:
        raise ValueError("by must be 'year' or 'region'.")
    return keys, sorted(set(keys.tolist()))


def leave_one_out_correlations(
    wide: pd.DataFrame, pairs: list[tuple[str, str]], by: str, method: str = "pearson", kind: str = "levels"
) -> pd.DataFrame:
    """Pooled year-centred correlation of each pair with one year (or one region's provinces) left out.
    ``kind='changes'``: changes are computed first, then the group is left out."""
    data = wide_changes(wide) if kind == "changes" else wide
    keys, groups = _groups(data, by)
    parts = []
    for group in groups:
        table = cluster_correlations(data[keys != group], method, pairs, draws=0)
        table.insert(0, "left_out", group)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def within_between(wide: pd.DataFrame, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Mundlak's split of a pooled link: ``within`` (deviations from each province's own mean and each year's
    mean: do a province's good years on one go with good years on the other?) and ``between`` (province
    means over the period, year effects removed first: are provinces that are high on one high on the other?).
    The between correlation has one observation per province, so its Fisher interval is right."""
    rows = []
    centred = wide - wide.groupby(level="year").transform("mean")
    for a, b in pairs:
        both = wide[[a, b]].dropna()
        d = fe.design(
            both.index.get_level_values("province_code").to_numpy(), both.index.get_level_values("year").to_numpy()
        )
        wa, wb = d.annihilator @ both[a].to_numpy(), d.annihilator @ both[b].to_numpy()
        within = float(np.corrcoef(wa, wb)[0, 1])
        means = centred.loc[both.index, [a, b]].groupby(level="province_code").mean()
        between = float(np.corrcoef(means[a], means[b])[0, 1])
        n = len(means)
        half = NormalDist().inv_cdf(0.975) / math.sqrt(n - 3)
        rows.append(
            dict(
                dim_a=a,
                dim_b=b,
                within=within,
                between=between,
                between_ci_low=math.tanh(math.atanh(between) - half),
                between_ci_high=math.tanh(math.atanh(between) + half),
                n=len(both),
                n_provinces=n,
            )
        )
    return pd.DataFrame(rows)


def specification_table(
    wide: pd.DataFrame, pairs: list[tuple[str, str]], draws: int = 499, seed: int = 0
) -> pd.DataFrame:
    """Each pair's pooled correlation under the eight specifications, with cluster bootstrap intervals."""
    change_wide = wide_changes(wide)
    parts = []
    for kind, method, year_effects in SPECIFICATIONS:
        data = wide if kind == "levels" else change_wide
        table = cluster_correlations(data, method, pairs, year_effects=year_effects, draws=draws, seed=seed)
        table.insert(0, "year_effects", year_effects)
        table.insert(0, "method", method)
        table.insert(0, "kind", kind)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def correlation_verdicts(
    wide: pd.DataFrame,
    pairs: list[tuple[str, str]] | None = None,
    draws: int = 499,
    seed: int = 0,
    method: str = "pearson",
) -> pd.DataFrame:
    """One row per pair (default: every pair of ``wide``'s columns, in column order): the headline (levels, year
    effects removed) correlation and interval, each check and ``robust`` (all checks pass)."""
    pairs = pairs if pairs is not None else list(itertools.combinations(wide.columns, 2))
    specs = specification_table(wide, pairs, draws, seed)
    headline = specs[(specs["kind"] == "levels") & (specs["method"] == method) & specs["year_effects"]]
    loyo = leave_one_out_correlations(wide, pairs, "year", method)
    loro = leave_one_out_correlations(wide, pairs, "region", method)
    wb = within_between(wide, pairs).set_index(["dim_a", "dim_b"])
    rows = []
    for row in headline.itertuples():
        key = (row.dim_a, row.dim_b)
        sign = np.sign(row.r)
        variants = specs[(specs["dim_a"] == row.dim_a) & (specs["dim_b"] == row.dim_b)]
        same = lambda t: bool(
            (np.sign(t.loc[(t["dim_a"] == row.dim_a) & (t["dim_b"] == row.dim_b), "r"]) == sign).all()  # noqa: B023  (called in this iteration)
        )
        checks = dict(
            interval_excludes_0=bool(row.ci_low > 0 or row.ci_high < 0),
            all_specifications=bool(
                ((np.sign(variants["r"]) == sign) & ((variants["ci_low"] > 0) | (variants["ci_high"] < 0))).all()
            ),
            leave_one_year_out=same(loyo),
            leave_one_region_out=same(loro),
            within_and_between=bool(np.sign(wb.loc[key, "within"]) == sign and np.sign(wb.loc[key, "between"]) == sign),
        )
        loo = pd.concat([loyo, loro])
        loo = loo[(loo["dim_a"] == row.dim_a) & (loo["dim_b"] == row.dim_b)]["r"]
        rows.append(
            dict(
                dim_a=row.dim_a,
                dim_b=row.dim_b,
                r=row.r,
                ci_low=row.ci_low,
                ci_high=row.ci_high,
                r_leave_one_out_min=float(loo.min()),
                r_leave_one_out_max=float(loo.max()),
                within=float(wb.loc[key, "within"]),
                between=float(wb.loc[key, "between"]),
                r_changes=float(
                    variants[
                        (variants["kind"] == "changes") & (variants["method"] == method) & variants["year_effects"]
                    ]["r"].iloc[0]
                ),
                **checks,
                robust=all(checks.values()),
            )
        )
    return pd.DataFrame(rows)


def leave_one_out_lagged(wide: pd.DataFrame, pairs: list[tuple[str, str]], by: str) -> pd.DataFrame:
    """The lagged coefficient (t(G-1) p-value) of each (outcome, predictor) with one year or one region left out
    (a year left out also removes the rows whose lag is that year)."""
    keys, groups = _groups(wide, by)
    rows = []
    for group in groups:
        part = wide[keys != group]
        for outcome, predictor in pairs:
            frame = lag_frame_wide(part, outcome, predictor)
            d = fe.design(frame["province_code"].to_numpy(), frame["year"].to_numpy())
            res = fe.fit(d, frame["y"].to_numpy(), frame[["x_lag", "y_lag"]].to_numpy())
            rows.append(
                dict(
                    left_out=group,
                    outcome=outcome,
                    predictor=predictor,
                    coef=float(res["coef"][0, 0]),
                    p_value=float(fe.p_value_t(res["t"][0, 0], int(res["df"]))),
                    n=d.n,
                )
            )
    return pd.DataFrame(rows)


def lagged_verdicts(wide: pd.DataFrame, lagged: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The lagged table with each check and ``robust``. Leave-one-out fits are run for the pairs that pass
    the first check only (the others cannot be robust)."""
    table = lagged.copy()
    p_adjusted = (
        table["p_calibrated_holm"]
        if "p_calibrated_holm" in table and table["p_calibrated_holm"].notna().all()
        else table["p_holm"]
    )
    table["significant_after_calibration"] = (p_adjusted < alpha) & (table["p_wild"].fillna(0) < alpha)
    table["lead_placebo_clear"] = ~(table["lead_p"] < alpha)
    candidates = table[table["significant_after_calibration"]]
    pairs = list(zip(candidates["outcome"], candidates["predictor"]))
    table["leave_one_out_min_coef"] = np.nan
    table["leave_one_out_max_p"] = np.nan
    table["leave_one_out"] = False
    if pairs:
        loo = pd.concat([leave_one_out_lagged(wide, pairs, "year"), leave_one_out_lagged(wide, pairs, "region")])
        for (outcome, predictor), part in loo.groupby(["outcome", "predictor"]):
            index = table.index[(table["outcome"] == outcome) & (table["predictor"] == predictor)][0]
            sign = np.sign(table.loc[index, "coef"])
            table.loc[index, "leave_one_out_min_coef"] = float((part["coef"] * sign).min() * sign)
            table.loc[index, "leave_one_out_max_p"] = float(part["p_value"].max())
            table.loc[index, "leave_one_out"] = bool(
                (np.sign(part["coef"]) == sign).all() and (part["p_value"] < alpha).all()
            )
    table["robust"] = table["significant_after_calibration"] & table["lead_placebo_clear"] & table["leave_one_out"]
    return table
