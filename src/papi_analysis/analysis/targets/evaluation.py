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
from .scoring import BETTER, WORSE, brier_comparison, ece, score_comparison, share_interval

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
    Brier of the model and of both competitors, ECE (10 bins), and against each competitor (``base``: the position
    base rate, ``rw``: the random walk; :func:`.scoring.brier_comparison`): ``diff_<name>`` the mean Brier
    difference per forecast (competitor - model; positive: the model is better) with ``diff_<name>_low``/``_high``
    its 95% interval resampling whole years, ``verdict_<name>`` (better / not distinguishable / worse, from that
    interval), and the Brier skill as a point estimate only (``skill`` against the base rate, ``skill_rw``).
    Coverage families (``band50``, ``band90``, ``advice``) give their coverage in ``observed``.

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
                c = brier_comparison(f, forecast, reference=column)
                g = f.dropna(subset=[column])
                row |= {f"brier_{name}": ((g[column] - g["outcome"]) ** 2).mean(), f"n_{name}": len(g)}
                row |= {"skill" if name == "base" else "skill_rw": c["skill"]}
                row |= {f"diff_{name}{end}": c[f"diff{end}"] for end in ("", "_low", "_high")}
                row[f"verdict_{name}"] = c["verdict"]
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
    """The model against the position base rate (``base``) and the Student-t random walk (``rw``), per block: for
    each event family the Brier score of each, for the scores (``family`` = ``crps``) the CRPS of the change (points
    per dimension). Against each competitor (:func:`.scoring.score_comparison`): ``diff_<name>`` the mean score
    difference per forecast (competitor - model; positive: the model is better) with ``diff_<name>_low``/``_high``
    its 95% interval resampling whole years, ``verdict_<name>`` from that interval (better / not distinguishable /
    worse), ``skill_<name>`` = 1 - score(model) / score(competitor) as a point estimate of the relative size (no
    interval: with a near-zero denominator its bootstrap is not usable).
    ``as_good``: the model is not worse than either competitor (neither interval lies below 0); ``better``: it is
    better than both (both intervals above 0)."""
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
            verdicts = []
            for column, name in (("p_base", "base"), ("p_rw", "rw")):
                if scores is None:
                    g = f.dropna(subset=[column])
                    if g.empty:
                        continue
                    c = brier_comparison(g, "p_model", reference=column)
                    row[name] = float(((g[column] - g["outcome"]) ** 2).mean())
                else:
                    c = score_comparison(f, "crps_model", scores[column])
                    row[name] = float(f[scores[column]].mean())
                row |= {f"skill_{name}": c["skill"]}
                row |= {f"diff_{name}{end}": c[f"diff{end}"] for end in ("", "_low", "_high")}
                row[f"verdict_{name}"] = c["verdict"]
                verdicts.append(c["verdict"])
            row["as_good"] = WORSE not in verdicts
            row["better"] = bool(verdicts) and all(v == BETTER for v in verdicts)
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
