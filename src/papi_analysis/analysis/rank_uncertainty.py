"""How sure is a rank? Rank intervals and group probabilities from PAPI's published standard errors.

Each province's published score is treated as its true score plus normal
sampling error with the published SE (PAPI publishes SEs for 2019 — all
dimensions, from published variances — and for the total of 2022 and 2023).
Provinces are independent samples, so errors are independent across provinces.

Three intervals per province, all in ranks (1 = best):

* ``rank_low``/``rank_high`` — the *marginal* 95% confidence set of Mogstad,
  Romano, Shaikh & Wilhelm (2023, "Inference for ranks with applications to
  mobility across neighbourhoods and academic achievement across countries",
  R package ``csranks``): simultaneous 95% intervals for the differences
  between this province and every other one (max-|t| critical value,
  simulated); the province is surely behind every province whose difference
  interval lies above zero and surely ahead of every one below zero. Coverage
  is at least 95% by construction (checked by :func:`coverage_check`).
* ``rank_low_simultaneous``/``rank_high_simultaneous`` — the same with one
  critical value over all pairs: all provinces' intervals hold together with
  95% probability (use when reading many provinces at once).
* ``boot_rank_low``/``boot_rank_high`` — 2.5th and 97.5th percentiles of the
  ranks in a parametric bootstrap around the published scores. Shown for
  comparison only: it is centred on the estimated ranks and can cover less
  than 95% (see :func:`coverage_check`).

Group probabilities ``p_highest`` ... ``p_lowest`` are the shares of bootstrap
draws in which the province falls in each quartile group (cut-offs recomputed
in every draw, same rule as :func:`ranking.assign_groups`): the probability of
each group given the published scores and their sampling error, with no other
prior information.

Nothing here assumes 63 provinces: the panel passed in defines who is ranked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import ranking

ALPHA = 0.05
DEFAULT_DRAWS = 4000
DEFAULT_SEED = 20231
BORROW_CHOICES = ("gaps", "all", "never")
PUBLISHED = "published"
NO_SE = "no published SE"


def borrowed_label(year: int) -> str:
    """How a borrowed SE is labelled wherever it is shown."""
    return f"SE borrowed from {year} (assumption)"


def years_with_se(panel: pd.DataFrame, dimension: str) -> list[int]:
    """Years in which PAPI published an SE for at least one province on ``dimension``."""
    rows = panel[(panel["dimension"] == dimension) & (panel["se"] > 0)]
    return sorted(int(y) for y in rows["year"].unique())


def cross_section(panel: pd.DataFrame, year: int, dimension: str, borrow_se: str = "gaps") -> pd.DataFrame:
    """Provinces with a score in ``year`` for ``dimension``: score, SE and where the SE comes from.

    ``borrow_se``: ``"gaps"`` (default) fills a province's missing SE from the
    nearest year with a published SE for that province and dimension, but only in
    years where PAPI published SEs for other provinces (2022: three provinces whose
    published CI has zero width); ``"all"`` also fills years without any published
    SE; ``"never"`` borrows nothing. Every borrowed SE is labelled in ``se_basis``
    (:func:`borrowed_label`); an SE that cannot be found stays missing (``no published SE``).
    """
    if borrow_se not in BORROW_CHOICES:
        raise ValueError(f"borrow_se must be one of {BORROW_CHOICES}, not {borrow_se!r}.")
    rows = panel[(panel["year"] == year) & (panel["dimension"] == dimension) & panel["score"].notna()]
    if rows.empty:
        raise ValueError(f"No scores for {dimension} in {year}: choose a year and dimension PAPI scored "
                         f"(D7 and D8 exist only from 2018).")
    out = rows[["province_code", "province", "score", "se"]].copy().reset_index(drop=True)
    published = out["se"].notna() & (out["se"] > 0)
    out["se"] = out["se"].where(published)
    out["se_basis"] = np.where(published, PUBLISHED, NO_SE)
    year_has_se = bool(published.any())
    if borrow_se == "never" or (borrow_se == "gaps" and not year_has_se):
        return out
    donors = panel[(panel["dimension"] == dimension) & (panel["se"] > 0) & (panel["year"] != year)]
    for i in out.index[~published]:
        own = donors[donors["province_code"] == out.at[i, "province_code"]]
        if own.empty:
            continue
        distance = (own["year"] - year).abs()
        best = own.assign(_d=distance, _late=-own["year"]).sort_values(["_d", "_late"]).iloc[0]
        out.at[i, "se"] = float(best["se"])
        out.at[i, "se_basis"] = borrowed_label(int(best["year"]))
    return out


def _ranks(draws: np.ndarray) -> np.ndarray:
    """Rank of every column within each row, 1 = highest value (continuous draws: no ties)."""
    return (-draws).argsort(axis=1).argsort(axis=1) + 1


def _groups(draws: np.ndarray) -> np.ndarray:
    """Group index (0 = highest ... 3 = lowest) of every column in each row, quartile rule of ranking.py."""
    q25, q50, q75 = np.percentile(draws, [25, 50, 75], axis=1)
    return np.select([draws >= q75[:, None], draws >= q50[:, None], draws >= q25[:, None]], [0, 1, 2], default=3)


def _max_t_marginal(errors: np.ndarray, se: np.ndarray) -> np.ndarray:
    """Per province j: the draws' max over k != j of |e_k - e_j| / sqrt(se_k^2 + se_j^2)."""
    n = errors.shape[1]
    out = np.empty((errors.shape[0], n))
    for j in range(n):
        scale = np.sqrt(se ** 2 + se[j] ** 2)
        t = np.abs(errors - errors[:, [j]]) / scale
        t[:, j] = 0.0
        out[:, j] = t.max(axis=1)
    return out


def interval_arrays(score: np.ndarray, se: np.ndarray, rng: np.random.Generator, n_draws: int = DEFAULT_DRAWS,
                    alpha: float = ALPHA) -> dict[str, np.ndarray]:
    """Rank intervals and group probabilities for one cross-section given as arrays (the engine of
    :func:`rank_intervals` and :func:`coverage_check`). All SEs must be positive."""
    score = np.asarray(score, dtype=float)
    se = np.asarray(se, dtype=float)
    n = score.size
    errors = rng.standard_normal((n_draws, n)) * se
    draws = score + errors
    ranks = _ranks(draws)
    groups = _groups(draws)
    max_t = _max_t_marginal(errors, se)
    crit_marginal = np.quantile(max_t, 1 - alpha, axis=0)
    crit_simultaneous = np.quantile(max_t.max(axis=1), 1 - alpha)
    diff = score[None, :] - score[:, None]  # diff[j, k] = score_k - score_j
    scale = np.sqrt(se[None, :] ** 2 + se[:, None] ** 2)
    out: dict[str, np.ndarray] = {}
    for suffix, crit in (("", crit_marginal[:, None]), ("_simultaneous", crit_simultaneous)):
        surely_better = (diff - crit * scale > 0).sum(axis=1)  # provinces k surely ahead of j
        surely_worse = (diff + crit * scale < 0).sum(axis=1)
        out[f"rank_low{suffix}"] = 1 + surely_better
        out[f"rank_high{suffix}"] = n - surely_worse
    out["boot_rank_low"] = np.floor(np.quantile(ranks, alpha / 2, axis=0)).astype(int)
    out["boot_rank_high"] = np.ceil(np.quantile(ranks, 1 - alpha / 2, axis=0)).astype(int)
    out["p_first"] = (ranks == 1).mean(axis=0)
    for g, name in enumerate(ranking.GROUPS):
        out[f"p_{name}"] = (groups == g).mean(axis=0)
    return out


def rank_intervals(panel: pd.DataFrame, year: int, dimension: str, n_draws: int = DEFAULT_DRAWS,
                   seed: int = DEFAULT_SEED, alpha: float = ALPHA, borrow_se: str = "gaps") -> pd.DataFrame:
    """One row per province with a score: published rank and group, 95% rank intervals, group probabilities.

    Columns: ``year``, ``dimension``, ``province_code``, ``province``, ``score``, ``se``, ``se_basis``,
    ``rank``, ``n_ranked``, ``group``, ``rank_low``/``rank_high`` (marginal, Mogstad et al.),
    ``rank_low_simultaneous``/``rank_high_simultaneous``, ``boot_rank_low``/``boot_rank_high``,
    ``p_first`` (probability of truly being first), ``p_highest``, ``p_high_average``, ``p_low_average``,
    ``p_lowest``, ``p_published_group``, ``group_distinguishable`` (the marginal rank interval stays inside
    the published group's ranks, so the neighbouring group is ruled out at 95%), sorted by rank.

    Where a province has no SE (none published, none borrowed; see :func:`cross_section`), no interval
    can be computed for anyone that year: the interval and probability columns are then missing and
    ``se_basis`` says why.
    """
    section = cross_section(panel, year, dimension, borrow_se)
    ranked = ranking.rank_and_group(section.assign(year=year, dimension=dimension))
    out = ranked[["province_code", "province", "score", "se", "se_basis", "rank", "n_ranked", "group"]].copy()
    out.insert(0, "dimension", dimension)
    out.insert(0, "year", year)
    columns = ["rank_low", "rank_high", "rank_low_simultaneous", "rank_high_simultaneous", "boot_rank_low",
               "boot_rank_high", "p_first", *(f"p_{g}" for g in ranking.GROUPS)]
    if out["se"].isna().any():
        for column in columns:
            out[column] = pd.array([pd.NA] * len(out), dtype="Int64" if column.startswith(("rank", "boot")) else "Float64")
        out["p_published_group"] = pd.array([pd.NA] * len(out), dtype="Float64")
        out["group_distinguishable"] = pd.array([pd.NA] * len(out), dtype="boolean")
        return out.sort_values("rank").reset_index(drop=True)
    arrays = interval_arrays(out["score"].to_numpy(float), out["se"].to_numpy(float),
                             np.random.default_rng(seed), n_draws, alpha)
    for column in columns:
        values = arrays[column]
        out[column] = pd.array(values, dtype="Int64") if column.startswith(("rank", "boot")) else values
    out["p_published_group"] = [row[f"p_{g}"] for g, (_, row) in zip(out["group"], out.iterrows())]
    group_ranks = out.groupby("group")["rank"].agg(["min", "max"])
    lo = out["group"].map(group_ranks["min"]).astype("Int64")
    hi = out["group"].map(group_ranks["max"]).astype("Int64")
    out["group_distinguishable"] = ((out["rank_low"] >= lo) & (out["rank_high"] <= hi)).astype("boolean")
    return out.sort_values(["rank", "province_code"]).reset_index(drop=True)


def format_rank_interval(rank: int, low: int, high: int, lang: str = "en") -> str:
    """'21 (95% CI 12-33)' (Vietnamese: '21 (KTC 95%: 12–33)')."""
    if pd.isna(low) or pd.isna(high):
        return f"{int(rank)} (không tính được KTC)" if lang == "vi" else f"{int(rank)} (no CI: no SE)"
    if lang == "vi":
        return f"{int(rank)} (KTC 95%: {int(low)}–{int(high)})"
    return f"{int(rank)} (95% CI {int(low)}-{int(high)})"


def coverage_check(score: np.ndarray, se: np.ndarray, n_reps: int = 200, n_draws: int = 1000,
                   seed: int = DEFAULT_SEED, alpha: float = ALPHA, shrink: float = 1.0) -> pd.DataFrame:
    """Coverage of the three rank intervals by simulation.

    "True" scores are ``score`` pulled toward their mean by ``shrink`` (1 = the published spread; smaller
    values put provinces closer together, the hard case for ranks). Each replication draws published-like
    scores (true + N(0, se)), computes the intervals from them and the same SEs, and records whether each
    province's true rank lies inside. Returns one row per method: ``marginal_coverage`` (share of
    province-replications covered), ``worst_province_coverage``, ``simultaneous_coverage`` (share of
    replications in which every province is covered), ``mean_width`` (ranks), ``n_reps``, ``n_provinces``.
    """
    score = np.asarray(score, dtype=float)
    se = np.asarray(se, dtype=float)
    truth = score.mean() + shrink * (score - score.mean())
    true_rank = _ranks(truth[None, :])[0]
    rng = np.random.default_rng(seed)
    methods = {"marginal (Mogstad et al.)": "", "simultaneous (Mogstad et al.)": "_simultaneous",
               "bootstrap percentile": "boot"}
    hits = {m: np.zeros((n_reps, score.size), dtype=bool) for m in methods}
    widths = {m: np.zeros(n_reps) for m in methods}
    for r in range(n_reps):
        observed = truth + rng.standard_normal(score.size) * se
        arrays = interval_arrays(observed, se, rng, n_draws, alpha)
        for method, key in methods.items():
            low, high = ((arrays["boot_rank_low"], arrays["boot_rank_high"]) if key == "boot"
                         else (arrays[f"rank_low{key}"], arrays[f"rank_high{key}"]))
            hits[method][r] = (low <= true_rank) & (true_rank <= high)
            widths[method][r] = (high - low + 1).mean()
    rows = [{"method": m, "marginal_coverage": h.mean(), "worst_province_coverage": h.mean(axis=0).min(),
             "simultaneous_coverage": h.all(axis=1).mean(), "mean_width": widths[m].mean(),
             "n_reps": n_reps, "n_provinces": score.size, "shrink": shrink} for m, h in hits.items()]
    return pd.DataFrame(rows)
