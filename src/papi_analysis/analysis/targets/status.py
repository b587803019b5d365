"""What the noise-aware judgement (:mod:`.judge`) means for verdicts and advice: the calibration status of each kind
of target (for the verdicts' weak-calibration label, per class of unit on the 34 provinces) with its misses, and the
advisor's record in each block of years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .events import FAMILIES, SCORE_FAMILIES
from .judge import JUDGED_BLOCKS, judgement

# --------------------------------------------------------------------------- status for verdicts


def calibration_misses(predictions: pd.DataFrame) -> pd.DataFrame:
    """Every test outside the consistency band of a correct model, for the kinds that are flagged: family, units,
    block, measure, event, observed, null_low, null_high, n; kinds not backtested as measure ``not backtested``."""
    j = judgement(predictions)
    tests, kinds = j["tests"], j["kinds"]
    rows = []
    present = set(kinds["family"])
    for family in FAMILIES:
        if family not in present:
            rows.append(dict(family=family, units="all", measure="not backtested"))
    flagged = kinds[kinds["flagged"]]
    for r in flagged.itertuples():
        mine = tests[
            (tests["units"] == r.units)
            & tests["block"].isin(JUDGED_BLOCKS)
            & ~tests["inside"]
            & (
                (tests["family"] == r.family)
                | (tests["family"].isin(["band50", "band90"]) & (r.family in SCORE_FAMILIES))
            )
        ]
        if mine.empty:  # flagged by the combination of tests each just inside: name the smallest p-value
            own = tests[(tests["units"] == r.units) & (tests["family"] == r.family)]
            mine = own.nsmallest(1, "p_value")
        for t in mine.itertuples():
            rows.append(
                dict(
                    family=r.family,
                    units=r.units,
                    block=t.block,
                    measure=t.measure,
                    event=t.event,
                    observed=t.observed,
                    null_low=t.null_low,
                    null_high=t.null_high,
                    n=t.n,
                    source=t.family,
                )
            )
    columns = ["family", "units", "block", "measure", "event", "observed", "null_low", "null_high", "n", "source"]
    return pd.DataFrame(rows, columns=columns)


def _miss_words(r) -> str:
    if r.measure == "not backtested":
        return "not backtested"
    what = f"ECE {r.observed:.3f}" if r.measure == "ece" else f"{r.event} covers {r.observed:.1%}".replace("band", "")
    what = what.replace("50 covers", "50% band covers").replace("90 covers", "90% band covers")
    return (
        f"{what} in {r.block}, beyond what a correct model gives ({r.null_low:.3g}-{r.null_high:.3g}, n = {int(r.n)})"
    )


def calibration_status(predictions: pd.DataFrame, units: str = "all") -> pd.DataFrame:
    """Per family: calibrated (not flagged by the noise-aware judgement) and the misses in words."""
    misses = calibration_misses(predictions)
    kinds = judgement(predictions)["kinds"].set_index(["family", "units"])
    rows = []
    for family in FAMILIES:
        mine = misses[
            (misses["family"] == family) & (misses["units"].isin([units, "all"] if units == "all" else [units]))
        ]
        known = (family, units) in kinds.index
        calibrated = known and not bool(kinds.loc[(family, units), "flagged"])
        rows.append(
            dict(
                family=family,
                calibrated=calibrated,
                misses="" if calibrated else "; ".join(_miss_words(r) for r in mine.itertuples()) or "not backtested",
            )
        )
    return pd.DataFrame(rows)


def calibration_status_by_unit_kind(predictions: pd.DataFrame, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`calibration_status` for merged and unmerged units apart (34-province panel): columns units, family,
    calibrated, misses."""
    frames = [calibration_status(predictions, units).assign(units=units) for units in ("merged", "unmerged")]
    return pd.concat(frames, ignore_index=True)[["units", "family", "calibrated", "misses"]]


# --------------------------------------------------------------------------- the advisor per block


def advice_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """How often the advisor's 90/70/50% scores were reached, per block (and units class on the 34 provinces): n,
    met with a year-resampled 95% interval, the consistency band of a correct model, and ``reading``: ``cautious``
    (met more often than a correct model would), ``optimistic`` (less often) or ``as stated``."""
    t = judgement(predictions)["tests"]
    a = t[t["family"] == "advice"].copy()
    a["chance"] = a["event"].str.extract(r"(\d+)%").astype(float)[0] / 100
    a["reading"] = np.where(
        a["observed"] > a["null_high"], "cautious", np.where(a["observed"] < a["null_low"], "optimistic", "as stated")
    )
    return (
        a[
            [
                "units",
                "block",
                "chance",
                "n",
                "n_years",
                "observed",
                "observed_low",
                "observed_high",
                "null_low",
                "null_high",
                "reading",
            ]
        ]
        .rename(columns={"observed": "met", "observed_low": "met_low", "observed_high": "met_high"})
        .reset_index(drop=True)
    )
