"""Anderson-Hsiao first-difference IV: a lagged effect estimated without Nickell bias.

First differences remove the province effect; the differenced lags are instrumented by the levels two
years back, which are uncorrelated with this year's differenced shock when shocks are not serially
correlated (Anderson & Hsiao 1981)::

    dy_t = rho * dy_(t-1) + beta * dx_(t-1) + year_t + de_t,   instruments y_(t-2), x_(t-2)

Just identified, year dummies exogenous, province-clustered (CR1) standard errors, t with G-1 degrees of
freedom. Consistent for fixed T, but imprecise (weak instruments when scores are very persistent): read
its interval, not only its point estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fe
from .periods import is_break


def iv_frame(wide: pd.DataFrame, outcome: str, predictor: str) -> pd.DataFrame:
    """Rows year, province_code with dy, dy_lag, dx_lag and the instruments y_lag2, x_lag2; rows whose
    three years (t-2, t-1, t) are not all present or cross a break are dropped."""
    values = wide[[outcome, predictor]].copy()
    values.columns = ["y", "x"]
    values = values.reset_index()
    lag1 = values.assign(year=values["year"] + 1).rename(columns={"y": "y1", "x": "x1"})
    lag2 = values.assign(year=values["year"] + 2).rename(columns={"y": "y2", "x": "x2"})
    frame = values.merge(lag1, on=["year", "province_code"]).merge(lag2, on=["year", "province_code"])
    broken = [is_break(y - 2, y, outcome) or is_break(y - 2, y - 1, predictor) for y in frame["year"]]
    frame = frame[~np.array(broken, dtype=bool)]
    out = pd.DataFrame(
        {
            "year": frame["year"],
            "province_code": frame["province_code"],
            "dy": frame["y"] - frame["y1"],
            "dy_lag": frame["y1"] - frame["y2"],
            "dx_lag": frame["x1"] - frame["x2"],
            "y_lag2": frame["y2"],
            "x_lag2": frame["x2"],
        }
    )
    return out.dropna().sort_values(["year", "province_code"]).reset_index(drop=True)


def anderson_hsiao(wide: pd.DataFrame, outcome: str, predictor: str) -> dict[str, float]:
    """The IV estimate of ``predictor``'s lagged effect on ``outcome`` (points per point) with clustered SE,
    t(G-1) p-value, n and the first-stage partial F of each instrument (below ~10: weak)."""
    frame = iv_frame(wide, outcome, predictor)
    if len(frame) < 30 or frame["year"].nunique() < 1:
        return dict(ah_coef=np.nan, ah_se=np.nan, ah_p=np.nan, ah_n=len(frame), ah_first_stage_f=np.nan)
    years = frame["year"].to_numpy()
    dummies = (years[:, None] == np.unique(years)[None, :]).astype(float)
    annihilate = lambda v: v - dummies @ np.linalg.lstsq(dummies, v, rcond=None)[0]
    y = annihilate(frame["dy"].to_numpy())
    x = annihilate(frame[["dx_lag", "dy_lag"]].to_numpy())
    z = annihilate(frame[["x_lag2", "y_lag2"]].to_numpy())
    zx_inv = np.linalg.inv(z.T @ x)
    beta = zx_inv @ z.T @ y
    resid = y - x @ beta
    _, groups = np.unique(frame["province_code"], return_inverse=True)
    g, n, k = groups.max() + 1, len(y), 2 + dummies.shape[1]
    scores = np.zeros((g, 2))
    np.add.at(scores, groups, z * resid[:, None])
    meat = scores.T @ scores * g / (g - 1) * (n - 1) / (n - k)
    cov = zx_inv @ meat @ zx_inv.T
    se = float(np.sqrt(cov[0, 0]))
    # first stage for dx_lag: partial F of x_lag2 given y_lag2 (homoskedastic, a rough strength check)
    full = np.linalg.lstsq(z, x[:, 0], rcond=None)[0]
    rss_full = float(np.sum((x[:, 0] - z @ full) ** 2))
    part = np.linalg.lstsq(z[:, 1:], x[:, 0], rcond=None)[0]
    rss_part = float(np.sum((x[:, 0] - z[:, 1:] @ part) ** 2))
    f = (rss_part - rss_full) / (rss_full / (n - k))
    return dict(
        ah_coef=float(beta[0]),
        ah_se=se,
        ah_p=float(fe.p_value_t(beta[0] / se, g - 1)),
        ah_n=n,
        ah_first_stage_f=float(f),
    )
