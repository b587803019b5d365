"""The backtest's events (:mod:`.backtest`): the families, the columns of a backtest row, and the rows themselves with
the event's probability by stratum of the national part (:data:`.forecast.N_STRATA` strata): ``lo_kk``/``hi_kk``
such that, with ``U`` the unit's quantile within the stratum, the event is ``lo ≤ U < hi`` (``negate``: outside it);
rows with the same ``coupling`` key share ``U``. :mod:`.judge` simulates outcomes from the model itself with them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data import schema
from .. import ranking
from .forecast import N_STRATA, at_quantiles
from .national import national_predictive

FIRST_YEAR = 2016  # the first forecast year reported (issue 26: blocks 2016-2021 and 2022-2024)
THRESHOLDS: dict[str, dict[str, tuple[float, ...]]] = {
    "change_at_least": {"dimension": (-0.25, 0.0, 0.1), "total": (-2.0, 0.0, 0.5)},
    "gain": {"dimension": (0.25, 0.5), "total": (1.0, 2.0)},
}
RANKS = (10, 20)
RANK_GAINS = (1, 5)
WIDER = 1.15  # the "bands 15% too wide" of the power simulation
FAMILIES = (
    "change_at_least",
    "gain",
    "score_at_least",
    "group_at_least",
    "not_in_group",
    "rank_at_most",
    "rank_gain_at_least",
    "improve_score_and_rank",
    "all_up",
    "two_years_ahead",
    "cross_break",
)
SCORE_FAMILIES = ("change_at_least", "gain", "score_at_least")
COVERAGE_FAMILIES = ("band50", "band90", "advice")
GRID_LO = [f"lo_{k:02d}" for k in range(N_STRATA)]
GRID_HI = [f"hi_{k:02d}" for k in range(N_STRATA)]
COLUMNS = [
    "year",
    "dimension",
    "province_code",
    "units",
    "family",
    "event",
    "p_model",
    "p_low",
    "p_high",
    "p_base",
    "p_rw",
    "outcome",
    "coupling",
    "negate",
    "nat_df",
    "nat_rho",
    "crps_model",
    "crps_base",
    "crps_rw",
    "alt_gaussian",
    "alt_student_t",
    "alt_empirical",
]
FAMILY_NAMES = {
    "en": {
        "change_at_least": "change of at least a set amount",
        "gain": "gains (≥ 0.25 / ≥ 1 point)",
        "score_at_least": "score at least a level",
        "group_at_least": "group at least",
        "not_in_group": "not in a group",
        "rank_gain_at_least": "up at least a set number of places",
        "all_up": "every dimension up",
        "two_years_ahead": "two years ahead",
        "rank_at_most": "rank at most",
        "improve_score_and_rank": "higher score and better rank",
        "cross_break": "across a methodology break",
        "band50": "50% predictive band",
        "band90": "90% predictive band",
        "advice": "advice at 90/70/50%",
    },
    "vi": {
        "change_at_least": "tăng ít nhất một mức điểm cho trước",
        "gain": "mức tăng (≥ 0,25 / ≥ 1 điểm)",
        "score_at_least": "đạt mức điểm",
        "group_at_least": "nhóm trở lên",
        "rank_at_most": "đạt thứ hạng cho trước trở lên",
        "not_in_group": "không nằm trong nhóm",
        "rank_gain_at_least": "tăng ít nhất một số bậc cho trước",
        "all_up": "mọi chỉ số nội dung cùng tăng",
        "two_years_ahead": "hai năm tới",
        "improve_score_and_rank": "tăng điểm và thứ hạng",
        "cross_break": "qua mốc thay đổi phương pháp",
        "band50": "dải dự báo 50%",
        "band90": "dải dự báo 90%",
        "advice": "khuyến nghị ở mức 90/70/50%",
    },
}
PER_STRATUM = 200  # 4,000 draws a cell
N_RW = 1000  # draws of the random walk's cross-sections (its group and rank events)


class Rows:
    """Rows of events with their probability grids by national stratum."""

    def __init__(self, year: int, dim: str, codes: np.ndarray, units: np.ndarray, keep: np.ndarray):
        self.year, self.dim, self.codes, self.units, self.keep = year, dim, codes, units, keep
        self.frames: list[pd.DataFrame] = []

    def add(
        self,
        family: str,
        event: str,
        lo: np.ndarray,
        hi: np.ndarray,
        outcome: np.ndarray,
        coupling: str,
        p_model: np.ndarray | None = None,
        negate: bool = False,
        keep: np.ndarray | None = None,
        **columns,
    ) -> None:
        """One event for every unit: ``lo``/``hi`` (N_STRATA, units) bound the unit's quantile ``U`` within a stratum
        (event ``lo ≤ U < hi``, or outside it with ``negate``)."""
        lo = np.broadcast_to(lo, (N_STRATA, len(self.codes)))
        hi = np.broadcast_to(hi, (N_STRATA, len(self.codes)))
        p_grid = (1 - (hi - lo)) if negate else (hi - lo)
        ends = np.sort(at_quantiles(p_grid, (0.1, 0.9)), axis=0)
        frame = pd.DataFrame(
            {
                "year": self.year,
                "dimension": self.dim,
                "province_code": self.codes,
                "units": self.units,
                "family": family,
                "event": event,
                "p_model": p_grid.mean(axis=0) if p_model is None else p_model,
                "p_low": ends[0],
                "p_high": ends[1],
                "outcome": np.asarray(outcome, dtype=float),
                "coupling": coupling,
                "negate": negate,
            }
            | {k: np.broadcast_to(v, len(self.codes)) for k, v in columns.items()}
        )
        grid = pd.DataFrame(np.hstack([lo.T, hi.T]).astype(np.float32), columns=GRID_LO + GRID_HI, index=frame.index)
        mask = self.keep if keep is None else self.keep & keep
        self.frames.append(pd.concat([frame, grid], axis=1)[mask])

    def upper(self, family, event, p_grid, outcome, coupling, **columns) -> None:
        """An event ``U ≥ 1 - p`` (probability ``p`` per stratum, or one ``p`` for every stratum)."""
        p_grid = np.broadcast_to(p_grid, (N_STRATA, len(self.codes)))
        self.add(family, event, 1 - p_grid, np.ones_like(p_grid), outcome, coupling, **columns)


def lookup(ranked: pd.DataFrame, years, codes) -> pd.DataFrame:
    return ranked.reindex(pd.MultiIndex.from_arrays([np.asarray(years), np.asarray(codes)]))


def group_index(groups: pd.Series) -> np.ndarray:
    return groups.map({g: i for i, g in enumerate(ranking.GROUPS)}).to_numpy(dtype=float)


def dropped(year: int, dim: str, n_units: int, reason: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [year],
            "dimension": [dim],
            "province_code": [np.nan],
            "family": ["not_assessable"],
            "event": [reason],
            "outcome": [float(n_units)],
        }
    ).reindex(columns=COLUMNS + GRID_LO + GRID_HI)


def national_columns(panel: pd.DataFrame, year: int) -> dict:
    """Degrees of freedom and equicorrelation of the year's national parts (dimensions), for :mod:`.judge`."""
    nat = national_predictive(panel, schema.DIMENSIONS[0], year)
    return dict(nat_df=nat.df if nat else np.nan, nat_rho=nat.rho if nat else np.nan)


def unit_kinds(panel: pd.DataFrame) -> pd.Series:
    """Per province_code: ``merged`` or ``unmerged`` on the 34-province panel (``n_old_provinces``), empty otherwise."""
    if "n_old_provinces" not in panel.columns:
        return pd.Series(dtype=str)
    merged = panel.groupby("province_code")["n_old_provinces"].max() > 1
    return merged.map({True: "merged", False: "unmerged"})
