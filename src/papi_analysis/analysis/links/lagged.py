"""Does one indicator lead another? Lagged two-way fixed-effects regressions, tested honestly for short panels.

``y_t ~ x_(t-1) + y_(t-1) + province + year``, province-clustered. With T = 6-7 years
the fixed-effects estimator is biased (Nickell 1981) in the persistence term *and*, when
the two indicators' shocks are correlated, in the cross-lag coefficient too. So every
coefficient comes with:

* ``p_value``: clustered t test with G-1 degrees of freedom (G provinces);
* ``p_wild``: wild cluster bootstrap p-value (restricted, Rademacher; small-G safe);
* ``p_calibrated_mc``: the share of simulated *no-cross-effect* panels whose t is at least as far
  from the null mean as the observed one; ``p_calibrated``: its smooth version (t re-centred and
  rescaled on the simulated null, referred to t(G-1)), used for Holm/BH. The simulation keeps the
  data's rows, initial values and province means, each indicator's persistence (calibrated so that the fixed-effects estimator applied to
  simulated panels reproduces the data's own, biased estimate: indirect inference) and the
  correlation of the two indicators' shocks. ``naive_false_positive`` is how often the
  naive t test rejects at 5 % in those null panels;
* ``ah_coef``: the Anderson-Hsiao first-difference IV estimate (no Nickell bias, less precise), see :mod:`.iv`;
* a lead placebo: next year's x on this year's y (same controls). A lead as strong as the
  lag says the "lead" is persistent co-movement, not timing.

Association, not causation.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from . import fe
from .iv import anderson_hsiao
from .periods import check_period, dimensions_of, is_break, wide_scores

PERSISTENCE_GRID = np.round(np.arange(0.0, 0.96, 0.05), 2)


def lag_frame_wide(wide: pd.DataFrame, outcome: str, predictor: str, lead: bool = False) -> pd.DataFrame:
    """Columns year, province_code, y (outcome at t), y_lag (t-1), x_lag (predictor at t-1; at t+1 if ``lead``)
    and x (predictor at t). Rows whose lag or lead crosses a break or a gap are dropped, as are incomplete rows."""
    values = wide[[outcome, predictor]].copy()
    values.columns = ["y", "x"]
    values = values.reset_index()
    previous = values.assign(year=values["year"] + 1).rename(columns={"y": "y_lag", "x": "x_prev"})
    frame = values.merge(previous, on=["year", "province_code"], how="inner")
    if lead:
        following = values.assign(year=values["year"] - 1)[["year", "province_code", "x"]].rename(
            columns={"x": "x_lag"}
        )
        frame = frame.merge(following, on=["year", "province_code"], how="inner")
        broken = [is_break(y - 1, y, outcome) or is_break(y, y + 1, predictor) for y in frame["year"]]
    else:
        frame = frame.rename(columns={"x_prev": "x_lag"})
        broken = [is_break(y - 1, y, outcome) or is_break(y - 1, y, predictor) for y in frame["year"]]
    frame = frame[~np.array(broken, dtype=bool)]
    frame = frame[["year", "province_code", "y", "y_lag", "x_lag", "x"]]
    return frame.dropna(subset=["y", "y_lag", "x_lag"]).sort_values(["year", "province_code"]).reset_index(drop=True)


def lag_frame(panel: pd.DataFrame, outcome: str, predictor: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Columns year, province_code, y (outcome at t), y_lag (outcome at t-1), x_lag (predictor at t-1)."""
    frame = lag_frame_wide(wide_scores(panel, start_year, end_year), outcome, predictor)
    return frame[["year", "province_code", "y", "y_lag", "x_lag"]]


def lagged_effect(panel: pd.DataFrame, outcome: str, predictor: str, start_year: int, end_year: int):
    """One lagged panel regression, as a fitted statsmodels result (clustered SEs; its p-values use the
    normal distribution: :func:`lagged_effects` gives the small-sample versions).

    ``outcome_t ~ predictor_(t-1) + outcome_(t-1) + C(province) + C(year)``, OLS with
    province-clustered standard errors. Rows with a missing variable are dropped
    first, so the cluster groups line up.
    """
    # imported here: statsmodels takes 0.2 s to import, and a report whose fits are cached need not
    import statsmodels.formula.api as smf

    data = lag_frame(panel, outcome, predictor, start_year, end_year)
    return smf.ols("y ~ x_lag + y_lag + C(province_code) + C(year)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": data["province_code"]}
    )


# --- the no-cross-effect null ------------------------------------------------------------------------------


def _series(wide: pd.DataFrame, variable: str) -> tuple[np.ndarray, list[int], list[int]]:
    """Province x year array of one variable (NaN where missing)."""
    table = wide[variable].unstack("year")
    return table.to_numpy(dtype=float), [int(c) for c in table.index], [int(y) for y in table.columns]


def _simulate(values: np.ndarray, rho: float, shocks: np.ndarray) -> np.ndarray:
    """AR(1) paths around each province's mean, started at its observed first value.

    ``values``: provinces x years (observed, for start values and means); ``shocks``: S x provinces x years.
    """
    mean = np.nanmean(values, axis=1)
    start = np.where(np.isfinite(values[:, 0]), values[:, 0], mean)
    out = np.empty_like(shocks)
    out[:, :, 0] = start
    for t in range(1, shocks.shape[2]):
        out[:, :, t] = (1 - rho) * mean + rho * out[:, :, t - 1] + shocks[:, :, t]
    return out


def _rows(frame: pd.DataFrame, provinces: list[int], years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    p = pd.Index(provinces).get_indexer(frame["province_code"])
    t = pd.Index(years).get_indexer(frame["year"])
    return p, t


def _ar1_frame(wide: pd.DataFrame, variable: str) -> pd.DataFrame:
    frame = lag_frame_wide(wide, variable, variable)
    return frame


def persistence(wide: pd.DataFrame, variable: str, sims: int = 200, seed: int = 0) -> dict[str, float]:
    """One indicator's persistence: the fixed-effects estimate (Nickell-biased) and the value that, fed into
    simulated panels with the same rows, reproduces that estimate on average (indirect inference), plus the
    shock SD (points, degrees-of-freedom corrected)."""
    frame = _ar1_frame(wide, variable)
    d = fe.design(frame["province_code"].to_numpy(), frame["year"].to_numpy())
    observed = fe.fit(d, frame["y"].to_numpy(), frame[["y_lag"]].to_numpy())
    rho_fe = float(observed["coef"][0, 0])
    resid = d.annihilator @ (frame["y"].to_numpy() - rho_fe * frame["y_lag"].to_numpy())
    sd = float(np.sqrt(resid @ resid / (d.n - 1 - d.n_absorbed)))
    values, provinces, years = _series(wide, variable)
    p, t = _rows(frame, provinces, years)
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal((sims, *values.shape)) * sd
    paths = np.concatenate([_simulate(values, float(rho), shocks) for rho in PERSISTENCE_GRID])
    sim = fe.fit(d, paths[:, p, t].T, paths[:, p, t - 1][:, :, None])  # every grid point in one fit
    means = sim["coef"][:, 0].reshape(len(PERSISTENCE_GRID), sims).mean(axis=1)
    means = np.maximum.accumulate(np.array(means))  # the FE estimate rises with the true persistence
    calibrated = float(np.interp(rho_fe, means, PERSISTENCE_GRID)) if rho_fe > means[0] else 0.0
    return dict(fe=rho_fe, calibrated=calibrated, shock_sd=sd)


def null_t_statistics(
    frame: pd.DataFrame,
    y_values: np.ndarray,
    x_values: np.ndarray,
    provinces: list[int],
    years: list[int],
    rho_y: float,
    rho_x: float,
    sd_y: float,
    sd_x: float,
    shock_corr: float,
    sims: int,
    seed: int = 0,
    lead: bool = False,
) -> dict[str, Any]:
    """Cross-lag coefficients and t statistics of the naive test in ``sims`` panels without any cross effect.

    Both indicators follow their own AR(1) (persistence ``rho_*``, shock SD ``sd_*``) around each
    province's mean, with shocks correlated ``shock_corr`` within a province-year; the regression
    uses exactly the rows of ``frame``.
    """
    rng = np.random.default_rng(seed)
    e1 = rng.standard_normal((sims, *y_values.shape))
    e2 = shock_corr * e1 + np.sqrt(max(0.0, 1 - shock_corr**2)) * rng.standard_normal(e1.shape)
    ys = _simulate(y_values, rho_y, e1 * sd_y)
    xs = _simulate(x_values, rho_x, e2 * sd_x)
    p, t = _rows(frame, provinces, years)
    x_t = t + 1 if lead else t - 1
    d = fe.design(frame["province_code"].to_numpy(), frame["year"].to_numpy())
    z = np.stack([xs[:, p, x_t], ys[:, p, t - 1]], axis=2)
    sim = fe.fit(d, ys[:, p, t].T, z)
    return dict(coef=sim["coef"][:, 0], t=sim["t"][:, 0], df=int(sim["df"]))


def calibrated_p_mc(t_observed: float, t_null: np.ndarray) -> float:
    """Monte Carlo p-value: share of null |t| at least as far from the null mean as the observed t
    (with the +1 that keeps it exact; its floor is 1/(sims+1))."""
    centre = float(np.mean(t_null))
    return float((1 + np.sum(np.abs(t_null - centre) >= abs(t_observed - centre))) / (1 + len(t_null)))


def calibrated_p(t_observed: float, t_null: np.ndarray, df: int) -> float:
    """p-value of the observed t against the simulated null: t re-centred on the null mean and rescaled by the
    null SD, referred to t(df). Unlike the Monte Carlo share it has no floor, so Holm's adjustment over many
    pairs stays usable; tests check that both agree and that its size is 5 %."""
    z = (t_observed - float(np.mean(t_null))) / float(np.std(t_null, ddof=1))
    return float(fe.p_value_t(z, df))


# --- one pair, every check -----------------------------------------------------------------------------------


def pair_test(
    wide: pd.DataFrame,
    outcome: str,
    predictor: str,
    draws: int = 999,
    sims: int = 999,
    seed: int = 0,
    persistences: dict[str, dict[str, float]] | None = None,
    calibration_sims: int = 200,
) -> dict:
    """Lagged effect of ``predictor`` on ``outcome`` with t(G-1), wild bootstrap, placebo-calibrated p and
    lead placebo. ``draws``/``sims`` = 0 skip the bootstrap / simulation."""
    frame = lag_frame_wide(wide, outcome, predictor)
    d = fe.design(frame["province_code"].to_numpy(), frame["year"].to_numpy())
    z = frame[["x_lag", "y_lag"]].to_numpy()
    res = fe.fit(d, frame["y"].to_numpy(), z)
    coef, se, t, df = float(res["coef"][0, 0]), float(res["se"][0, 0]), float(res["t"][0, 0]), int(res["df"])
    from scipy import stats  # here: scipy.stats takes 0.4 s to import, and a report with its links stored needs none

    q = float(stats.t.ppf(0.975, df))
    row = dict(
        outcome=outcome,
        predictor=predictor,
        coef=coef,
        se=se,
        ci_low=coef - q * se,
        ci_high=coef + q * se,
        p_value=float(fe.p_value_t(t, df)),
        p_normal=float(2 * stats.norm.sf(abs(t))),
        persistence=float(res["coef"][0, 1]),
        n=d.n,
        n_provinces=d.n_clusters,
        t=t,
    )
    row["p_wild"] = fe.wild_cluster_p(d, frame["y"].to_numpy(), z, 0, draws, seed) if draws else np.nan
    lead = lag_frame_wide(wide, outcome, predictor, lead=True)
    if len(lead) > 20 and lead["province_code"].nunique() > 2:
        dl = fe.design(lead["province_code"].to_numpy(), lead["year"].to_numpy())
        lres = fe.fit(dl, lead["y"].to_numpy(), lead[["x_lag", "y_lag"]].to_numpy())
        row.update(
            lead_coef=float(lres["coef"][0, 0]),
            lead_se=float(lres["se"][0, 0]),
            lead_p=float(fe.p_value_t(lres["t"][0, 0], int(lres["df"]))),
            lead_n=dl.n,
        )
    else:
        row.update(lead_coef=np.nan, lead_se=np.nan, lead_p=np.nan, lead_n=len(lead))
    row.update(anderson_hsiao(wide, outcome, predictor))
    if sims:
        persistences = persistences if persistences is not None else {}
        for v in (outcome, predictor):
            if v not in persistences:
                persistences[v] = persistence(wide, v, sims=calibration_sims, seed=seed)
        both = frame.dropna(subset=["x"])
        dy = fe.design(both["province_code"].to_numpy(), both["year"].to_numpy())
        ry = dy.annihilator @ (both["y"].to_numpy() - persistences[outcome]["fe"] * both["y_lag"].to_numpy())
        x_prev = both["x_lag"].to_numpy()
        rx = dy.annihilator @ (both["x"].to_numpy() - persistences[predictor]["fe"] * x_prev)
        shock_corr = float(np.corrcoef(ry, rx)[0, 1])
        y_values, provinces, years = _series(wide, outcome)
        x_values = wide[predictor].unstack("year").reindex(index=provinces, columns=years).to_numpy(dtype=float)
        null = null_t_statistics(
            frame,
            y_values,
            x_values,
            provinces,
            years,
            persistences[outcome]["calibrated"],
            persistences[predictor]["calibrated"],
            persistences[outcome]["shock_sd"],
            persistences[predictor]["shock_sd"],
            shock_corr,
            sims,
            seed + 1,
        )
        row.update(
            shock_corr=shock_corr,
            rho_y_sim=persistences[outcome]["calibrated"],
            rho_x_sim=persistences[predictor]["calibrated"],
            null_mean_coef=float(null["coef"].mean()),
            naive_false_positive=float(np.mean(fe.p_value_t(null["t"], null["df"]) < 0.05)),
            p_calibrated=calibrated_p(t, null["t"], null["df"]),
            p_calibrated_mc=calibrated_p_mc(t, null["t"]),
        )
    else:
        row.update(
            shock_corr=np.nan,
            rho_y_sim=np.nan,
            rho_x_sim=np.nan,
            null_mean_coef=np.nan,
            naive_false_positive=np.nan,
            p_calibrated=np.nan,
            p_calibrated_mc=np.nan,
        )
    return row


def adjust(table: pd.DataFrame, columns: tuple[str, ...] = ("p_value", "p_wild", "p_calibrated")) -> pd.DataFrame:
    """Holm and Benjamini-Hochberg adjusted versions of each p-value column (many pairs are tested at once)."""
    # imported here: statsmodels takes 0.2 s to import, and a report whose results are cached need not
    from statsmodels.stats.multitest import multipletests

    table = table.copy()
    for column in columns:
        ok = table[column].notna()
        stem = "p" if column == "p_value" else column
        for method, suffix in (("holm", "holm"), ("fdr_bh", "bh")):
            adjusted = pd.Series(np.nan, index=table.index)
            if ok.any():
                adjusted[ok] = multipletests(table.loc[ok, column], method=method)[1]
            table[f"{stem}_{suffix}"] = adjusted
    return table


def lagged_table(
    wide: pd.DataFrame,
    pairs: list[tuple[str, str]],
    draws: int = 999,
    sims: int = 999,
    seed: int = 0,
    calibration_sims: int = 200,
) -> pd.DataFrame:
    """:func:`pair_test` for every (outcome, predictor) pair, with Holm / BH adjusted p-values."""
    persistences: dict[str, dict[str, float]] = {}
    rows = [pair_test(wide, o, p, draws, sims, seed, persistences, calibration_sims) for o, p in pairs]
    return adjust(pd.DataFrame(rows))


def lagged_effects(
    panel: pd.DataFrame,
    start_year: int,
    end_year: int,
    draws: int = 0,
    sims: int = 0,
    seed: int = 0,
    calibration_sims: int = 200,
) -> pd.DataFrame:
    """Every ordered pair of dimensions: the coefficient of last year's predictor on this year's outcome
    (points per point) with clustered SE, 95 % CI and p-value from t(G-1), the lead placebo, and (if
    ``draws`` / ``sims`` > 0) the wild cluster bootstrap and placebo-calibrated p-values; Holm and
    Benjamini-Hochberg adjusted versions across all pairs (``p_holm``, ``p_bh``, ``p_wild_holm``, ...)."""
    dims = dimensions_of(*check_period(start_year, end_year))
    return lagged_table(
        wide_scores(panel, start_year, end_year),
        list(itertools.permutations(dims, 2)),
        draws,
        sims,
        seed,
        calibration_sims,
    )
