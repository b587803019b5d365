"""What target can a province reasonably set? Scores, ranks and groups with a 90%, 70% and 50% chance.

Every number comes from the one predictive model (:func:`.forecast.forecast_cell`): the score reached with chance p
is the (1 - p) quantile of the province's simulated score; the rank (group) reached with chance p is the one the
province reaches or beats in a share p of the simulated cross-sections. The backtest (:mod:`.backtest`, family
``advice``) checks the advice out of sample with the same code: an advised p target should be met about p of the
time; :func:`advisor_calibration` and :func:`.status.advice_table` read it.

**Geography follows the year** (issue 27): from :data:`REFORM_YEAR` PAPI surveys the 34 provinces of 1 July 2025, so
:func:`advice_unit` answers any question about 2025 or later on the 34, for the unit an old province became part of
(with :func:`papi_analysis.data.provinces.reform_sentence` to say so); :func:`ranked_units` says among how many units
the ranks run and which units of the geography are left out, and why (an old province not published that year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...data import provinces, schema
from ...data.geography import has_recast
from ...data.plan_reader.schema import REFORM_YEAR
from .. import ranking
from .backtest import backtest_cached
from .forecast import ADVICE_CHANCES, forecast_cell, groups_of, ranks_of

CHANCES: tuple[float, ...] = ADVICE_CHANCES
N_DRAWS = 4000


def advise(
    panel: pd.DataFrame, province_code: int, baseline_year: int | None = None, seed: int = 20250701
) -> pd.DataFrame:
    """One row per indicator (total and each dimension) for the year after ``baseline_year`` (default: the last
    year in ``panel``): baseline score and rank, for each chance p the score, rank and group reached with
    that chance, the distance to the national top quartile (room) and the model's expected change (a negative
    one means regression to the mean is likely to pull the score back)."""
    rng = np.random.default_rng(seed)
    baseline_year = int(panel["year"].max()) if baseline_year is None else int(baseline_year)
    rows = []
    for dim in (schema.TOTAL,) + schema.dimensions_in(min(baseline_year, 2024)):
        cell, notes = forecast_cell(panel, dim, baseline_year, baseline_year + 1)
        row: dict = dict(indicator=dim, baseline_year=baseline_year, target_year=baseline_year + 1)
        if cell is None or province_code not in set(cell.baseline["province_code"]):
            rows.append(row | dict(note="; ".join(notes) or "no published baseline"))
            continue
        scores = cell.baseline["score"].to_numpy()
        i = int(np.flatnonzero(cell.baseline["province_code"].to_numpy() == province_code)[0])
        draws = cell.draws(rng, N_DRAWS)
        own = draws[:, i]
        ranks = ranks_of(draws)[:, i]
        groups = groups_of(draws)[:, i]
        row |= dict(
            baseline=float(scores[i]),
            baseline_rank=int((scores > scores[i]).sum() + 1),
            n_ranked=len(scores),
            expected_change=float(cell.mean_change[i]),
            room_to_top_quartile=float(max(0.0, np.quantile(scores, 0.75) - scores[i])),
        )
        for p in CHANCES:
            key = f"{round(p * 100)}"
            row[f"score_{key}"] = float(np.quantile(own, 1 - p))
            row[f"rank_{key}"] = int(np.quantile(ranks, p, method="higher"))
            reach = [(groups <= g).mean() for g in range(4)]
            row[f"group_{key}"] = ranking.GROUPS[next(g for g in range(4) if reach[g] >= p)]
        row["note"] = "; ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows)


def advisor_calibration(panel: pd.DataFrame, years: list[int], seed: int = 20250701) -> pd.DataFrame:
    """Out of sample, for each chance p: the share of (year, indicator, province) whose advised score (from the
    year before, rolling origin) was reached in ``years``, and n (from the backtest's ``advice`` rows; ``seed`` is
    kept for compatibility: the backtest has its own)."""
    p = backtest_cached(panel)
    a = p[(p["family"] == "advice") & p["year"].isin(list(years))]
    out = a.groupby("p_model")["outcome"].agg(met="mean", n="size").reset_index().rename(columns={"p_model": "chance"})
    return out.sort_values("chance", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------- which unit, on which geography


@dataclass(frozen=True)
class AdviceUnit:
    """Where a question about ``target_year`` is answered: ``geography`` and the unit's ``code`` in it; ``asked``
    the province as asked, and ``old_code`` its 63-province code when the answer is for the unit it became part of
    (``moved``: merged into a larger unit or renamed, which the reader is told)."""

    geography: str
    code: int
    target_year: int
    asked: str
    old_code: int | None = None
    moved: bool = False
    overridden: bool = False  # a 63-province geography asked for a year PAPI surveys on the 34

    def reform_sentence(self, lang: str) -> str:
        """What the old province became on 1 July 2025 ('' when the answer is for the province as asked)."""
        return provinces.reform_sentence(self.old_code, lang) if self.moved and self.old_code is not None else ""


def geography_of_year(year: int) -> str:
    """The geography PAPI surveys in ``year``: the 63 provinces up to 2024, the 34 of 1 July 2025 from 2025."""
    return "34" if int(year) >= REFORM_YEAR else "63"


def _resolves(name: str | int, geography: str) -> bool:
    try:
        provinces.resolve(name, geography=geography)
        return True
    except provinces.UnknownProvinceError:
        return False


def advice_unit(province: str | int, target_year: int, geography: str | None = None) -> AdviceUnit:
    """The unit and geography a question about ``target_year`` is answered on.

    A year from 2025 is answered on the 34 provinces whatever ``geography`` says (``overridden`` when it said 63):
    an old province's name is read as the unit it became part of (``moved`` when that unit is larger or named
    otherwise). An earlier year is answered on ``geography`` (default 63, or 34 for a name only the 34 know)."""
    on = geography_of_year(target_year)
    if on == "63":
        if geography is None:
            geography = "63" if _resolves(province, "63") or not _resolves(province, "34") else "34"
        geography = provinces.check_geography(geography)
        return AdviceUnit(geography, provinces.resolve(province, geography=geography), int(target_year), str(province))
    overridden = geography is not None and provinces.check_geography(geography) == "63"
    if geography == "34" or not _resolves(province, "63"):
        code = provinces.resolve(province, geography="34")  # an old name here: the resolver says what it became
        return AdviceUnit("34", code, int(target_year), str(province), overridden=overridden)
    old = provinces.get(province, geography="63")
    new = provinces.get(old.code_2025, geography="34")
    moved = new.merged or provinces.normalize_key(new.name_vi) != provinces.normalize_key(old.name_vi)
    return AdviceUnit("34", new.code, int(target_year), str(province), old.code, moved, overridden)


def ranked_units(panel: pd.DataFrame, baseline_year: int, panel_63: pd.DataFrame | None = None) -> dict:
    """Among which units the advice's ranks run, and why the others are not ranked.

    Ranks are computed among the units of ``panel``'s geography with a published (or recast) total score in
    ``baseline_year``. Returns ``n`` (units ranked), ``n_units`` (units of the geography), ``missing`` (codes of the
    others) and ``because`` (for the 34 provinces: the old provinces, 63-province codes, whose score was not published
    that year, so that their unit's score could not be recast; read from ``panel_63``, loaded when not given)."""
    geography = provinces.geography_of(panel)
    codes = list(provinces.registry(geography=geography).index)
    rows = panel[(panel["year"] == int(baseline_year)) & (panel["dimension"] == schema.TOTAL)].dropna(subset=["score"])
    have = set(int(c) for c in rows["province_code"])
    missing = [int(c) for c in codes if int(c) not in have]
    because: list[int] = []
    if geography == "34" and missing:
        if panel_63 is None:
            from ...data.panel import read_panel

            panel_63 = read_panel(geography="63")
        old = panel_63[(panel_63["year"] == int(baseline_year)) & (panel_63["dimension"] == schema.TOTAL)]
        published = set(int(c) for c in old.dropna(subset=["score"])["province_code"])
        if len(published):  # a year the 63 provinces were surveyed: the recast lacks an old province
            because = [c for m in missing for c in provinces.old_provinces(m) if c not in published]
    return dict(n=len(have), n_units=len(codes), missing=missing, because=because, geography=geography)


def baseline_is_recast(panel: pd.DataFrame, baseline_year: int) -> bool:
    """True when some unit's ``baseline_year`` score is this project's recast estimate (``score_source`` recast), so
    the advice's baselines and ranks rest on estimates; a release published on the 34 provinces is not one."""
    return has_recast(panel[panel["year"] == int(baseline_year)])


def last_published_year() -> int:
    """The last PAPI year in the data, on either geography (2024 until a release on the 34 provinces is
    imported): derived from the panels, never written in the code (:func:`papi_analysis.params.last_year`)."""
    from ...params import last_year

    return last_year()


def advice_question(
    province: str | int, target_year: int | None = None, geography: str | None = None, seed: int = 20250701
) -> tuple[AdviceUnit, pd.DataFrame, pd.DataFrame]:
    """``(unit, panel, advice)`` for a question about ``target_year`` (default: the year after the last published
    one): the unit and geography from :func:`advice_unit` (a year from 2025 on the 34 provinces), that geography's
    panel, and :func:`advise` from the year before (its rows carry ``n_ranked``; :func:`ranked_units` says why)."""
    from ...data.panel import read_panel

    target_year = last_published_year() + 1 if target_year is None else int(target_year)
    unit = advice_unit(province, target_year, geography)
    panel = read_panel(geography=unit.geography)
    return unit, panel, advise(panel, unit.code, target_year - 1, seed=seed)
