"""Two-way fixed-effects least squares in numpy, many fits at once, with province-clustered inference.

Province and year dummies are partialled out once per set of rows (Frisch-Waugh-Lovell),
so a bootstrap or a simulation refits thousands of outcomes in a few matrix products.
Clustered variances use statsmodels' CR1 correction, G/(G-1) * (n-1)/(n-K); tests use
Student's t with G-1 degrees of freedom (G clusters), not the normal distribution.

Why numpy rather than pyfixest/wildboottest: the models here have two or three regressors
and one set of rows per pair; partialling the dummies out once makes the wild cluster
bootstrap and the placebo simulations (thousands of refits) a few matrix products, with no
new dependency (pyfixest pulls numba/polars/formulaic). The core is checked against
statsmodels and by simulation in tests/test_links_inference.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Design:
    """Rows of one regression: cluster (province) index per row and the dummy annihilator."""

    groups: np.ndarray  # cluster number 0..G-1 of each row
    annihilator: np.ndarray  # n x n, I - D D^+ (D: province and, optionally, year dummies)
    n_absorbed: int  # rank of D (parameters absorbed by the dummies)

    @property
    def n(self) -> int:
        return len(self.groups)

    @property
    def n_clusters(self) -> int:
        return int(self.groups.max()) + 1


def design(provinces: np.ndarray, years: np.ndarray, year_effects: bool = True) -> Design:
    """Province (and year) dummies for the given rows, partialled out once."""
    _, groups = np.unique(np.asarray(provinces), return_inverse=True)
    columns = [np.eye(groups.max() + 1)[groups]]
    if year_effects:
        _, year_index = np.unique(np.asarray(years), return_inverse=True)
        columns.append(np.eye(year_index.max() + 1)[year_index][:, 1:])
    dummies = np.hstack(columns)
    eigenvalues, vectors = np.linalg.eigh(dummies.T @ dummies)  # small (provinces + years) square
    keep = eigenvalues > eigenvalues.max() * 1e-10
    basis = dummies @ (vectors[:, keep] / np.sqrt(eigenvalues[keep]))  # orthonormal basis of D's columns
    rank = int(keep.sum())
    annihilator = np.eye(len(groups)) - basis @ basis.T
    return Design(groups=groups, annihilator=annihilator, n_absorbed=rank)


def fit(d: Design, y: np.ndarray, z: np.ndarray, partialled: bool = False) -> dict[str, np.ndarray]:
    """OLS of ``y`` on ``z`` plus the dummies, clustered by province.

    ``y``: (n,) or (n, S) outcomes; ``z``: (n, k) regressors shared by all S outcomes, or (S, n, k).
    Returns arrays ``coef``, ``se``, ``t`` of shape (S, k) and ``df`` (= G - 1).
    """
    y = np.asarray(y, dtype=float)
    y = y[:, None] if y.ndim == 1 else y
    z = np.asarray(z, dtype=float)
    m = d.annihilator
    y_t = y if partialled else m @ y  # (n, S)
    onehot = np.zeros((d.n, d.n_clusters))
    onehot[np.arange(d.n), d.groups] = 1.0
    n, g = d.n, d.n_clusters
    if z.ndim == 2:  # one design for every outcome (bootstrap): invert once
        z_t = z if partialled else m @ z  # (n, k)
        k = z_t.shape[1]
        a = np.linalg.solve(z_t.T @ z_t, z_t.T)  # (k, n)
        coef = (a @ y_t).T  # (S, k)
        resid = y_t - z_t @ coef.T  # (n, S)
        scores = np.stack([(a[j][:, None] * resid).T @ onehot for j in range(k)], axis=1)  # (S, k, G)
        correction = g / (g - 1) * (n - 1) / (n - k - d.n_absorbed)
        se = np.sqrt(correction * (scores**2).sum(axis=2))
        return dict(coef=coef, se=se, t=coef / se, df=np.array(g - 1))
    s_, n_, k_ = z.shape  # one design per outcome (simulation)
    z_t = z if partialled else (m @ z.transpose(1, 0, 2).reshape(n_, s_ * k_)).reshape(n_, s_, k_).transpose(1, 0, 2)
    zz_inv = np.linalg.inv(np.einsum("sni,snj->sij", z_t, z_t))  # (S, k, k)
    a = np.einsum("sij,snj->sin", zz_inv, z_t)  # (S, k, n)
    coef = np.einsum("skn,ns->sk", a, y_t)  # (S, k)
    resid = y_t.T - np.einsum("snk,sk->sn", z_t, coef)  # (S, n)
    s_count, k_count = a.shape[0], a.shape[1]
    scores = ((a * resid[:, None, :]).reshape(s_count * k_count, d.n) @ onehot).reshape(s_count, k_count, -1)
    k = z_t.shape[2]
    correction = g / (g - 1) * (n - 1) / (n - k - d.n_absorbed)
    se = np.sqrt(correction * (scores**2).sum(axis=2))
    return dict(coef=coef, se=se, t=coef / se, df=np.array(g - 1))


def p_value_t(t: float | np.ndarray, df: int | np.ndarray) -> np.ndarray:
    """Two-sided p-value of Student's t with ``df`` degrees of freedom."""
    from scipy import stats  # here: scipy.stats takes 0.4 s to import, and a report with its links stored needs none

    return 2 * stats.t.sf(np.abs(t), df)


def wild_cluster_p(d: Design, y: np.ndarray, z: np.ndarray, column: int = 0, draws: int = 999, seed: int = 0) -> float:
    """Wild cluster bootstrap p-value (restricted residuals, Rademacher weights per province)
    for H0: coefficient of ``z[:, column]`` is 0 (Cameron, Gelbach & Miller 2008; WCR)."""
    m = d.annihilator
    y_t, z_t = m @ np.asarray(y, float), m @ np.asarray(z, float)
    observed = fit(d, y_t, z_t, partialled=True)["t"][0, column]
    restricted = np.delete(z_t, column, axis=1)
    beta_r = np.linalg.lstsq(restricted, y_t, rcond=None)[0]
    fitted = restricted @ beta_r
    resid = y_t - fitted
    rng = np.random.default_rng(seed)
    weights = rng.choice(np.array([-1.0, 1.0]), size=(d.n_clusters, draws))
    y_star = fitted[:, None] + resid[:, None] * weights[d.groups]
    t_star = fit(d, y_star, z_t, partialled=True)["t"][:, column]
    return float((1 + np.sum(np.abs(t_star) >= abs(observed))) / (1 + draws))
