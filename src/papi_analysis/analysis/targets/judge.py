"""Calibration judged against its own noise (issue 26, item 3).

With few forecast years a correct model can look miscalibrated: every forecast of a year shares that year's
national change. So each kind of target is compared with what the model itself would produce on **the same
forecasts**: outcomes are simulated from the model (:mod:`.backtest` keeps every event's probability by stratum of
the national part), the national draw shared by all indicators of a year (a multivariate t with the year's degrees
of freedom and equicorrelation, :mod:`.national`), each unit's quantile shared by the events of its own change
(or of its standing among the others). :data:`REPS` such worlds give each statistic's **consistency band**.

Tests (per kind of target, per class of unit on the 34 provinces, per block of :data:`.evaluation.BLOCKS`):

* event families: the ECE (10 bins), one-sided (a larger ECE is worse);
* coverage families (``band50``, ``band90``, each chance of ``advice``): ``|coverage - nominal|``; the score families
  are also judged on the two bands (their spread is the bands').

A kind is **flagged** when its smallest test p-value is smaller than that of all but :data:`ALPHA` of the model's
own worlds (a min-p test calibrated on the same simulated worlds), so a correct model is flagged 5% of the time,
whatever the number of tests. :func:`.power.flag_rates` checks this on synthetic forecasters: correct,
probabilities off by 0.05 either way, bands 15% too wide (truth = the model; forecasts shifted, or bands taken 15%
wider).

Approximations, each making the band wider (more lenient) or narrower as said: the national quantiles of a year's
indicators are drawn with one equicorrelation, the total included (as a dimension); the events of a unit's standing
share one quantile (ranks are not exactly a function of it); a two-year target's stratum is its target year's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .evaluation import ALL_YEARS, BLOCKS, block_label
from .events import COVERAGE_FAMILIES, FAMILIES, GRID_HI, GRID_LO, SCORE_FAMILIES
from .forecast import N_STRATA
from .scoring import bin_of, share_interval

REPS = 1000
ALPHA = 0.05
CHUNK = 25
SHIFT = 0.05  # "probabilities off by 0.05"
WIDE_FAMILIES = ("band50_wide", "band90_wide")


# --------------------------------------------------------------------------- simulating outcomes from the model


class Prepared:
    """The backtest rows in the arrays the simulation needs."""

    def __init__(self, predictions: pd.DataFrame):
        keep = predictions["family"].isin(FAMILIES + COVERAGE_FAMILIES + WIDE_FAMILIES) & predictions["year"].between(
            *ALL_YEARS
        )
        rows = predictions[keep].dropna(subset=[GRID_LO[0]]).reset_index(drop=True)
        self.rows = rows
        self.lo = rows[GRID_LO].to_numpy(dtype=np.float32)
        self.hi = rows[GRID_HI].to_numpy(dtype=np.float32)
        self.negate = rows["negate"].astype(bool).to_numpy()
        indicator = np.where(rows["family"] == "all_up", "common", rows["dimension"].astype(str))
        pairs = pd.Series(rows["year"].astype(int).astype(str) + ":" + indicator)
        self.nat_index, nat_pairs = pd.factorize(pairs)
        self.pair_year = np.array([int(p.split(":")[0]) for p in nat_pairs])
        self.pair_common = np.array([p.endswith(":common") for p in nat_pairs])
        years = rows.groupby("year")[["nat_df", "nat_rho"]].first()
        self.df = years["nat_df"].reindex(self.pair_year).to_numpy(dtype=float)
        self.rho = years["nat_rho"].reindex(self.pair_year).to_numpy(dtype=float)
        key = (
            rows["year"].astype(str)
            + ":"
            + rows["dimension"].astype(str)
            + ":"
            + rows["province_code"].astype(str)
            + ":"
            + rows["coupling"].astype(str)
        )
        self.coupling, keys = pd.factorize(key)
        self.n_keys = len(keys)
        coverage = rows["family"].isin(COVERAGE_FAMILIES + WIDE_FAMILIES).to_numpy()
        cells = pd.DataFrame(
            {
                "family": rows["family"],
                "event": np.where(coverage, rows["event"], ""),
                "units": rows["units"].fillna("").astype(str),
                "year": rows["year"].astype(int),
                "bin": np.where(coverage, 0, bin_of(rows["p_model"].to_numpy())),
            }
        )
        self.cell, self.cells = _factorize_frame(cells)
        self.cells["n"] = np.bincount(self.cell, minlength=len(self.cells))
        self.cells["p_sum"] = np.bincount(self.cell, rows["p_model"].to_numpy(dtype=float), minlength=len(self.cells))
        self.cells["y_sum"] = np.bincount(self.cell, rows["outcome"].to_numpy(dtype=float), minlength=len(self.cells))

    def national_uniforms(self, rng: np.random.Generator, reps: int) -> np.ndarray:
        """(reps, pairs): the quantile of every (year, indicator)'s national part, shared within a year."""
        from scipy import stats

        out = np.empty((reps, len(self.pair_year)))
        for year in np.unique(self.pair_year):
            cols = np.flatnonzero(self.pair_year == year)
            df, rho = self.df[cols[0]], self.rho[cols[0]]
            if np.isnan(df):
                out[:, cols] = rng.random((reps, len(cols)))
                continue
            z0 = rng.standard_normal((reps, 1))
            v = rng.chisquare(df, size=(reps, 1)) / df
            x = (np.sqrt(rho) * z0 + np.sqrt(1 - rho) * rng.standard_normal((reps, len(cols)))) / np.sqrt(v)
            u = stats.t.cdf(x, df)
            common = self.pair_common[cols]
            u[:, common] = stats.norm.cdf(np.repeat(z0, common.sum(), axis=1))
            out[:, cols] = u
        return out

    def outcome_sums(self, rng: np.random.Generator, reps: int, lo=None, hi=None) -> np.ndarray:
        """(reps, cells): outcomes simulated from the model (or from the grids ``lo``/``hi`` given), summed by cell."""
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        n, n_cells = len(self.rows), len(self.cells)
        out = np.empty((reps, n_cells))
        at = np.arange(n)[None, :]
        for start in range(0, reps, CHUNK):
            c = min(CHUNK, reps - start)
            u = self.national_uniforms(rng, c)[:, self.nat_index]
            j = np.minimum((u * N_STRATA).astype(np.int64), N_STRATA - 1)
            own = rng.random((c, self.n_keys))[:, self.coupling]
            hit = (lo[at, j] <= own) & (own < hi[at, j])
            hit ^= self.negate[None, :]
            index = (np.arange(c)[:, None] * n_cells + self.cell[None, :]).ravel()
            out[start : start + c] = np.bincount(index, hit.ravel(), minlength=c * n_cells).reshape(c, n_cells)
        return out


def _factorize_frame(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    if frame.empty:  # no backtest rows (a PAR INDEX or SIPAS table with one year): nothing to judge
        return np.empty(0, dtype=np.int64), frame.reset_index(drop=True)
    key = frame.astype(str).agg("|".join, axis=1)
    codes, uniques = pd.factorize(key)
    first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
    return codes, frame.iloc[first].reset_index(drop=True)


# --------------------------------------------------------------------------- the tests


def unit_classes(cells: pd.DataFrame) -> list[str]:
    present = sorted(u for u in cells["units"].unique() if u)
    return ["all"] + present


def make_tests(cells: pd.DataFrame) -> pd.DataFrame:
    """Every test: kind family, units class, block, measure, event, nominal; and the cells it aggregates."""
    rows = []
    for units in unit_classes(cells):
        in_units = np.ones(len(cells), bool) if units == "all" else (cells["units"] == units).to_numpy()
        for years in BLOCKS + (ALL_YEARS,):
            in_block = cells["year"].between(*years).to_numpy()
            for family in FAMILIES:
                mask = in_units & in_block & (cells["family"] == family).to_numpy()
                if mask.any():
                    rows.append(
                        dict(family=family, units=units, block=block_label(years), measure="ece", event="", mask=mask)
                    )
            for family in COVERAGE_FAMILIES + WIDE_FAMILIES:
                for event in sorted(cells.loc[cells["family"] == family, "event"].unique()):
                    mask = (
                        in_units
                        & in_block
                        & (cells["family"] == family).to_numpy()
                        & (cells["event"] == event).to_numpy()
                    )
                    if mask.any():
                        rows.append(
                            dict(
                                family=family,
                                units=units,
                                block=block_label(years),
                                measure="coverage",
                                event=event,
                                mask=mask,
                            )
                        )
    tests = pd.DataFrame(rows)
    tests["nominal"] = [
        float(cells.loc[m, "p_sum"].sum() / cells.loc[m, "n"].sum()) if meas == "coverage" else np.nan
        for m, meas in zip(tests["mask"], tests["measure"])
    ]
    return tests


def statistics(tests: pd.DataFrame, cells: pd.DataFrame, y_sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(statistic, value) for every test and row of ``y_sums`` (reps, cells): the ECE, or |coverage - nominal| and
    the coverage."""
    y_sums = np.atleast_2d(y_sums)
    stat = np.empty((len(y_sums), len(tests)))
    value = np.empty_like(stat)
    bins = cells["bin"].to_numpy()
    n_cell, p_cell = cells["n"].to_numpy(dtype=float), cells["p_sum"].to_numpy()
    for t, (mask, measure, nominal) in enumerate(zip(tests["mask"], tests["measure"], tests["nominal"])):
        idx = np.flatnonzero(mask)
        n = n_cell[idx].sum()
        if measure == "coverage":
            value[:, t] = y_sums[:, idx].sum(axis=1) / n
            stat[:, t] = np.abs(value[:, t] - nominal)
            continue
        gap = np.zeros(len(y_sums))
        for b in np.unique(bins[idx]):
            k = idx[bins[idx] == b]
            gap += np.abs(p_cell[k].sum() - y_sums[:, k].sum(axis=1))
        value[:, t] = stat[:, t] = gap / n
    return stat, value


#: the blocks a kind is judged on (:func:`kinds_of`): each block and both together. Chosen with
#: :func:`.power.flag_rates`, which never sees an outcome: adding 2016-2024 to the two blocks raised the power against
#: bands 15% too wide from 65% / 51% (50% / 90% band) to 72% / 63% and left the false alarms at 3.5-6%; adding
#: calibration in the large to the ECE changed no power by more than 0.05.
JUDGED_BLOCKS: tuple[str, ...] = tuple(block_label(b) for b in BLOCKS + (ALL_YEARS,))


def kinds_of(tests: pd.DataFrame, blocks=None) -> dict[tuple[str, str], list[int]]:
    """The tests each kind (family, units) is judged on: its own in each of ``blocks`` (default
    :data:`JUDGED_BLOCKS`); the score families also on the bands' coverage."""
    blocks = JUDGED_BLOCKS if blocks is None else blocks
    out: dict[tuple[str, str], list[int]] = {}
    in_blocks = tests["block"].isin(blocks)
    for (family, units), part in tests[in_blocks & ~tests["family"].isin(WIDE_FAMILIES)].groupby(["family", "units"]):
        ids = list(part.index)
        if family in SCORE_FAMILIES:
            bands = tests[in_blocks & tests["family"].isin(["band50", "band90"]) & (tests["units"] == units)]
            ids += list(bands.index)
        out[(family, units)] = ids
    return out


class Null:
    """The statistics of the model's own simulated worlds, and p-values against them."""

    def __init__(self, stat: np.ndarray):
        self.stat = stat
        self.sorted = np.sort(stat, axis=0)
        reps = len(stat)
        # p-value of each world's own statistic among all worlds (itself included)
        self.p = np.empty_like(stat)
        for t in range(stat.shape[1]):
            below = np.searchsorted(self.sorted[:, t], stat[:, t], side="left")
            self.p[:, t] = (reps - below) / reps

    def p_values(self, stat: np.ndarray) -> np.ndarray:
        """(rows, tests) p-values of statistics ``stat`` against the worlds: (1 + #{world ≥ stat}) / (reps + 1)."""
        stat = np.atleast_2d(stat)
        reps = len(self.stat)
        out = np.empty_like(stat)
        for t in range(stat.shape[1]):
            below = np.searchsorted(self.sorted[:, t], stat[:, t], side="left")
            out[:, t] = (1 + reps - below) / (reps + 1)
        return out

    def combined(self, p: np.ndarray, ids: list[int]) -> np.ndarray:
        """p-value of the smallest of the tests ``ids`` (rows of ``p``) among the worlds' smallest."""
        world = np.sort(self.p[:, ids].min(axis=1))
        observed = np.atleast_2d(p)[:, ids].min(axis=1)
        return (1 + np.searchsorted(world, observed, side="right")) / (len(world) + 1)


def judgement(predictions: pd.DataFrame, reps: int = REPS, seed: int = 26) -> dict[str, pd.DataFrame]:
    """The noise-aware judgement of the backtest, three tables:

    * ``tests``: one row per family, units class (``all``; on the 34 provinces also ``merged``, ``unmerged``),
      block and measure: n, years, the observed value (for coverage with a year-resampled 95% interval), the
      consistency band of a correct model (2.5%, 50%, 97.5% of its worlds; for an ECE 0 to the 95th percentile), the
      p-value and whether the value is inside the band;
    * ``kinds``: per family and units class, flagged (:data:`ALPHA`), the combined p-value, the tests outside;
    * ``bins``: per family, units class, block and 10-point bin of the forecast, the mean forecast, observed rate,
      n, and the 2.5-97.5% range of the observed rate in a correct model's worlds (the reliability figure's band).

    Kept in memory by the rows' content."""
    rows = slim_rows(predictions)
    frames = stored("judgement", rows, lambda: _judgement_frames(rows, reps, seed), reps=reps, seed=seed)
    return {name: frame.copy() for name, frame in frames.items()}


_MEMO: dict[str, object] = {}


def slim_rows(predictions: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "dimension", "province_code", "units", "family", "event", "p_model", "outcome", "coupling"]
    cols += ["negate", "nat_df", "nat_rho"] + GRID_LO + GRID_HI
    return predictions[[c for c in cols if c in predictions.columns]]


def stored(name: str, slim: pd.DataFrame, compute, **inputs):
    """``compute()`` kept in memory and in data/processed/cache/, keyed by the rows' content, ``inputs`` and the code
    of the targets package (every report worker reads the same judgement instead of simulating it again)."""
    import hashlib
    import json
    from pathlib import Path

    from ... import config
    from .. import cache

    digest = hashlib.sha256(name.encode() + json.dumps(inputs, sort_keys=True).encode())
    digest.update(pd.util.hash_pandas_object(slim, index=False).to_numpy().tobytes())
    digest.update(cache.code_digest(sorted(Path(__file__).parent.glob("*.py"))))
    key = digest.hexdigest()[:16]
    if key not in _MEMO:
        if len(_MEMO) > 16:
            _MEMO.clear()
        _MEMO[key] = cache.load_or_compute(config.DATA_PROCESSED / "cache" / f"{name}_{key}.pkl", compute)
    return _MEMO[key]


def _judgement_frames(predictions: pd.DataFrame, reps: int, seed: int) -> dict[str, pd.DataFrame]:
    prep = Prepared(predictions)
    if prep.rows.empty:  # nothing backtested: every kind reads "not backtested" (see status.calibration_misses)
        tests = pd.DataFrame(
            columns=[
                "family",
                "units",
                "block",
                "measure",
                "event",
                "observed",
                "null_low",
                "null_high",
                "n",
                "p_value",
                "inside",
            ]
        )
        kinds = pd.DataFrame(columns=["family", "units", "flagged", "p_combined", "outside"])
        bins = pd.DataFrame(columns=["family", "units", "block", "bin", "n", "mean_forecast", "observed"])
        return {"tests": tests, "kinds": kinds, "bins": bins}
    tests = make_tests(prep.cells)
    sums = prep.outcome_sums(np.random.default_rng(seed), reps)
    null_stat, null_values = statistics(tests, prep.cells, sums)
    null = Null(null_stat)
    obs_stat, obs_value = statistics(tests, prep.cells, prep.cells["y_sum"].to_numpy()[None, :])
    p = null.p_values(obs_stat)[0]
    out = tests.drop(columns="mask").copy()
    out["n"] = [int(prep.cells.loc[m, "n"].sum()) for m in tests["mask"]]
    out["n_years"] = [prep.cells.loc[m, "year"].nunique() for m in tests["mask"]]
    out["observed"] = obs_value[0]
    is_cov = (out["measure"] == "coverage").to_numpy()
    out["null_low"] = np.where(is_cov, np.percentile(null_values, 2.5, axis=0), 0.0)
    out["null_median"] = np.percentile(null_values, 50, axis=0)
    out["null_high"] = np.where(is_cov, np.percentile(null_values, 97.5, axis=0), np.percentile(null.stat, 95, axis=0))
    out["p_value"] = p
    out["inside"] = (out["observed"] >= out["null_low"] - 1e-12) & (out["observed"] <= out["null_high"] + 1e-12)
    lows, highs = [], []
    rows = prep.rows
    for mask, family, event in zip(tests["mask"], tests["family"], tests["event"]):
        if not event:
            lows.append(np.nan)
            highs.append(np.nan)
            continue
        c = prep.cells[mask]
        pick = rows["family"].eq(family) & rows["event"].eq(event) & rows["year"].isin(c["year"].unique())
        if not (c["units"] == "").all():
            pick &= rows["units"].isin(c["units"].unique())
        _, lo, hi = share_interval(rows[pick])
        lows.append(lo)
        highs.append(hi)
    out["observed_low"], out["observed_high"] = lows, highs
    kinds = []
    for (family, units), ids in kinds_of(tests).items():
        combined = float(null.combined(p[None, :], ids)[0])
        outside = out.loc[ids][~out.loc[ids, "inside"]]
        kinds.append(
            dict(
                family=family,
                units=units,
                flagged=combined <= ALPHA,
                p_combined=combined,
                outside="; ".join(f"{r.measure} {r.event} {r.block}".replace("  ", " ") for r in outside.itertuples()),
            )
        )
    return {"tests": out, "kinds": pd.DataFrame(kinds), "bins": _bins(prep, sums)}


def _bins(prep: Prepared, sums: np.ndarray) -> pd.DataFrame:
    """Reliability bins of every event family, with the range of the observed rate in a correct model's worlds."""
    cells = prep.cells
    rows = []
    for units in unit_classes(cells):
        in_units = np.ones(len(cells), bool) if units == "all" else (cells["units"] == units).to_numpy()
        for years in BLOCKS + (ALL_YEARS,):
            in_block = cells["year"].between(*years).to_numpy()
            for family in FAMILIES:
                mask = in_units & in_block & (cells["family"] == family).to_numpy()
                for b in np.unique(cells.loc[mask, "bin"]):
                    idx = np.flatnonzero(mask & (cells["bin"] == b).to_numpy())
                    n = cells["n"].to_numpy()[idx].sum()
                    world = sums[:, idx].sum(axis=1) / n
                    rows.append(
                        dict(
                            family=family,
                            units=units,
                            block=block_label(years),
                            bin=int(b),
                            n=int(n),
                            mean_forecast=cells["p_sum"].to_numpy()[idx].sum() / n,
                            observed=cells["y_sum"].to_numpy()[idx].sum() / n,
                            null_low=float(np.percentile(world, 2.5)),
                            null_high=float(np.percentile(world, 97.5)),
                        )
                    )
    return pd.DataFrame(rows)


def reliability_bands(
    predictions: pd.DataFrame, block: tuple[int, int] = ALL_YEARS, units: str = "all"
) -> dict[str, pd.DataFrame]:
    """Per event family, its reliability bins over ``block``: bin, mean forecast, observed rate, n and the range of
    the observed rate in a correct model's worlds (``null_low``, ``null_high``), for the reliability figure."""
    bins = judgement(predictions)["bins"]
    bins = bins[(bins["block"] == block_label(block)) & (bins["units"] == units)]
    return {
        family: part.drop(columns=["family", "units", "block"]).reset_index(drop=True)
        for family, part in bins.groupby("family", sort=False)
        if family in FAMILIES
    }
