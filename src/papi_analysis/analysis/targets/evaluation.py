"""Tables of the backtest (:mod:`.backtest`): scores per kind of target and block of years, the competitors, the cells
left out, merged and unmerged units. Every interval resamples whole years.

The blocks (:data:`BLOCKS`) are fixed by issue 26: 2016-2021, and 2022-2024, which no design rule saw (every rule
is chosen at each origin from earlier years, :mod:`.forecast`); :data:`ALL_YEARS` is both together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .events import COVERAGE_FAMILIES, FAMILIES, FIRST_YEAR, SCORE_FAMILIES
from .relative import TAIL_CHOICES
from .scoring import ece, share_interval, skill_interval, year_bootstrap

BLOCKS: tuple[tuple[int, int], ...] = ((FIRST_YEAR, 2021), (2022, 2024))
ALL_YEARS: tuple[int, int] = (FIRST_YEAR, 2024)
#: fixed bars of issue 26 for the bands over 2016-2024 (each block is judged against its own noise, :mod:`.judge`)
BAND_BARS = {"band50": (0.47, 0.53), "band90": (0.87, 0.93)}
SKILL_FAMILIES = ("change_at_least", "gain", "score_at_least", "group_at_least")
COMPETITORS = {"p_base": "position base rate", "p_rw": "Student-t random walk"}


def block_label(years: tuple[int, int] | None) -> str:
    return "all" if years is None else f"{years[0]}-{years[1]}"


def _in(predictions: pd.DataFrame, years: tuple[int, int] | None) -> pd.DataFrame:
    p = predictions[predictions["family"] != "not_assessable"]
    return p if years is None else p[p["year"].between(*years)]


_SLIM = ["year", "dimension", "province_code", "units", "family", "event", "p_model", "p_base", "p_rw", "outcome"]


def family_table(
    predictions: pd.DataFrame, years: tuple[int, int] | None = None, forecast: str = "p_model"
) -> pd.DataFrame:
    """Per family: n (events scored), years, mean forecast, observed rate (with a 95% interval resampling years),
    Brier of the model and of both competitors, Brier skill against each with its year-resampled 95% interval, ECE
    (10 bins). Coverage families (``band50``, ``band90``, ``advice``) give their coverage in ``observed``.

    The report's tables and sentences ask for the same table many times: kept in memory by the rows' content."""
    from ..cache import remembered

    slim = predictions[[c for c in dict.fromkeys(_SLIM + [forecast]) if c in predictions.columns]]
    return remembered(
        "family_table", lambda: _family_table(slim, years, forecast), slim, years=years, forecast=forecast
    )


def _family_table(predictions: pd.DataFrame, years: tuple[int, int] | None, forecast: str) -> pd.DataFrame:
    p = _in(predictions, years)
    rows = []
    for family in FAMILIES + COVERAGE_FAMILIES:
        f = p[p["family"] == family].dropna(subset=[forecast])
        if f.empty:
            continue
        observed, low, high = share_interval(f)
        row = dict(
            family=family,
            n=len(f),
            years=f"{int(f['year'].min())}-{int(f['year'].max())}",
            n_years=f["year"].nunique(),
            mean_forecast=f[forecast].mean(),
            observed=observed,
            observed_low=low,
            observed_high=high,
        )
        if family not in COVERAGE_FAMILIES:
            row |= dict(brier=((f[forecast] - f["outcome"]) ** 2).mean())
            for column, name in (("p_base", "base"), ("p_rw", "rw")):
                if column not in f or f[column].isna().all():
                    continue
                skill, lo, hi = skill_interval(f, forecast, reference=column)
                g = f.dropna(subset=[column])
                row |= {f"brier_{name}": ((g[column] - g["outcome"]) ** 2).mean(), f"n_{name}": len(g)}
                prefix = "skill" if name == "base" else "skill_rw"
                row |= {prefix: skill, f"{prefix}_low": lo, f"{prefix}_high": hi}
            row["ece"] = ece(f[forecast].to_numpy(), f["outcome"].to_numpy())
        rows.append(row)
    return pd.DataFrame(rows)


def dropped_cells(predictions: pd.DataFrame) -> pd.DataFrame:
    """Year-indicator cells the model could not forecast: year, indicator, units left out, reason."""
    d = predictions[predictions["family"] == "not_assessable"]
    return (
        d[["year", "dimension", "outcome", "event"]]
        .rename(columns={"outcome": "units", "event": "reason"})
        .astype({"units": int})
        .reset_index(drop=True)
    )


def compare_tails(predictions: pd.DataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """ECE and Brier on the score families, and band coverage, with the tail shape chosen at each origin and with
    each shape fixed (needs the ``alt_<tails>`` columns of ``backtest(..., compare_tails=True)``)."""
    p = _in(predictions, years)
    rows = []
    for tails, column in (("chosen at each origin", "p_model"),) + tuple((t, f"alt_{t}") for t in TAIL_CHOICES):
        if column not in p or p[column].isna().all():
            continue
        row: dict[str, object] = {"tails": tails}
        for family in SCORE_FAMILIES:
            f = p[p["family"] == family].dropna(subset=[column])
            row[f"ece_{family}"] = ece(f[column].to_numpy(), f["outcome"].to_numpy())
            row[f"brier_{family}"] = float(((f[column] - f["outcome"]) ** 2).mean())
        for band in ("band50", "band90"):
            f = p[p["family"] == band]
            row[f"coverage_{band}"] = float((f["outcome"] if column == "p_model" else f[column]).mean())
        crps = p[p["family"] == "band50"]
        row["crps"] = float(crps["crps_model"].mean()) if column == "p_model" else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def competitor_table(predictions: pd.DataFrame, blocks=BLOCKS + (ALL_YEARS,)) -> pd.DataFrame:
    """The model against the position base rate and the Student-t random walk, per block: for each event family the
    Brier score of each and the skill (1 - Brier(model) / Brier(competitor)) with its year-resampled 95% interval;
    for the scores (``family`` = ``crps``) the CRPS of the change (points per dimension) and the skill likewise.
    ``as_good``: the model's skill is ≥ 0 against both competitors (point estimate)."""
    rows = []
    for years in blocks:
        p = _in(predictions, years)
        for family in ("crps",) + FAMILIES:
            if family == "crps":
                f = p[p["family"] == "band50"].dropna(subset=["crps_model"])
                scores = {"p_model": "crps_model", "p_base": "crps_base", "p_rw": "crps_rw"}
            else:
                f = p[p["family"] == family]
                scores = None
            if f.empty:
                continue
            row = dict(block=block_label(years), family=family, n=len(f), n_years=f["year"].nunique())
            if scores is None:
                row["model"] = float(((f["p_model"] - f["outcome"]) ** 2).mean())
            else:
                row["model"] = float(f["crps_model"].mean())
            ok = True
            for column, name in (("p_base", "base"), ("p_rw", "rw")):
                if scores is None:
                    g = f.dropna(subset=[column])
                    if g.empty:
                        continue
                    skill, lo, hi = skill_interval(g, "p_model", reference=column)
                    row[name] = float(((g[column] - g["outcome"]) ** 2).mean())
                else:
                    sums = f.groupby("year")[["crps_model", scores[column]]].sum()
                    skill = 1 - sums.iloc[:, 0].sum() / sums.iloc[:, 1].sum()
                    lo, hi = year_bootstrap(sums, lambda s: 1 - s[:, 0] / s[:, 1])
                    row[name] = float(f[scores[column]].mean())
                row |= {f"skill_{name}": skill, f"skill_{name}_low": lo, f"skill_{name}_high": hi}
                ok &= bool(skill >= 0)
            row["as_good"] = ok
            rows.append(row)
    return pd.DataFrame(rows)


def merged_units(panel: pd.DataFrame) -> pd.Series:
    """Per province_code: True for a merged unit (``n_old_provinces`` > 1 in the 34-province panel). Requires a
    panel with ``n_old_provinces`` (``load_scores(geography="34")``)."""
    if "n_old_provinces" not in panel.columns:
        raise ValueError(
            "The split by merged and unmerged units needs the 34-province panel "
            "(load_scores(geography='34')), which has the column n_old_provinces."
        )
    return panel.groupby("province_code")["n_old_provinces"].max() > 1


def family_table_by_unit_kind(
    predictions: pd.DataFrame, panel: pd.DataFrame, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """:func:`family_table` separately for merged units (``n_old_provinces`` > 1, 34-province panel) and the units
    that were not merged; column ``units`` is ``merged`` or ``unmerged``, ``n_units`` their number."""
    merged = merged_units(panel)
    p = predictions[predictions["family"] != "not_assessable"]
    is_merged = p["province_code"].map(merged)
    frames = []
    for units, mask in (("merged", is_merged == True), ("unmerged", is_merged == False)):  # noqa: E712
        n = int(merged.sum() if units == "merged" else (~merged).sum())
        frames.append(family_table(p[mask.to_numpy()], years).assign(units=units, n_units=n))
    return pd.concat(frames, ignore_index=True)
