"""How sure is a rank? Rank intervals and group probabilities from PAPI's published standard errors.

Each province's published score is treated as its true score plus normal
sampling error with the published SE (PAPI publishes SEs for 2019 — all
dimensions, from published variances — and for the total of 2022 and 2023).
Provinces are independent samples, so errors are independent across provinces.

Three intervals per province, all in ranks (1 = best):

* ``rank_low``/``rank_high`` — the *marginal* 95% confidence set of Mogstad,
  Romano, Shaikh & Wilhelm (2023, "Inference for ranks with applications to
  mobility across neighbourhoods and academic achievement across countries",
  R package ``csranks``): the differences between this province and every
  other one are tested together (one-sided max-t critical value, simulated,
  with the Romano-Wolf stepdown refinement); the province is surely behind
  every province found better and surely ahead of every one found worse.
  Coverage is at least 95% by construction; by simulation on the 2023 totals
  it is about 99.98% (conservative: the set guards against errors in 60
  comparisons at once), see :func:`coverage_check`.
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

import re

import numpy as np
import pandas as pd

from . import ranking

ALPHA = 0.05
DEFAULT_DRAWS = 4000
DEFAULT_SEED = 20231
BORROW_CHOICES = ("gaps", "all", "never")
PUBLISHED = "published"
NO_SE = "no published SE"
#: ``se_basis`` of a recast unit (34-province panel): its SE combines its former provinces' published SEs.
RECAST_SE = "estimate: recast from the former provinces' published SEs"


def borrowed_label(year: int) -> str:
    """How a borrowed SE is labelled wherever it is shown."""
    return f"SE borrowed from {year} (assumption)"


def borrowed_year(basis: object) -> int | None:
    """The year an ``se_basis`` made by :func:`borrowed_label` borrows from; None for any other basis."""
    found = re.fullmatch(r"SE borrowed from (\d{4}) \(assumption\)", str(basis))
    return int(found.group(1)) if found else None


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
        raise ValueError(
            f"No scores for {dimension} in {year}: choose a year and dimension PAPI scored "
            f"(D7 and D8 exist only from 2018)."
        )
    out = rows[["province_code", "province", "score", "se"]].copy().reset_index(drop=True)
    published = out["se"].notna() & (out["se"] > 0)
    out["se"] = out["se"].where(published)
    recast = (rows["score_source"] == "recast").to_numpy() if "score_source" in rows.columns else False
    out["se_basis"] = np.where(published, np.where(recast, RECAST_SE, PUBLISHED), NO_SE)
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


def _stepdown(t_obs: np.ndarray, t_null: np.ndarray, alpha: float) -> np.ndarray:
    """Romano-Wolf stepdown on one-sided statistics: which hypotheses are rejected with family-wise error
    ``alpha``. ``t_obs`` (m,) observed statistics, ``t_null`` (draws, m) the same statistics under the null."""
    remaining = np.ones(t_obs.size, dtype=bool)
    while remaining.any():
        crit = np.quantile(t_null[:, remaining].max(axis=1), 1 - alpha)
        new = remaining & (t_obs > crit)
        if not new.any():
            break
        remaining &= ~new
    return ~remaining


def _marginal_sets(
    score: np.ndarray, se: np.ndarray, errors: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Mogstad et al. marginal rank sets with the stepdown refinement: for each province j, the one-sided
    hypotheses "k is not better than j" and "k is not worse than j" for every k != j, tested together."""
    n = score.size
    low, high = np.empty(n, dtype=int), np.empty(n, dtype=int)
    for j in range(n):
        others = np.arange(n) != j
        scale = np.sqrt(se[others] ** 2 + se[j] ** 2)
        t = (score[others] - score[j]) / scale
        z = (errors[:, others] - errors[:, [j]]) / scale
        rejected = _stepdown(np.concatenate([t, -t]), np.concatenate([z, -z], axis=1), alpha)
        low[j] = 1 + rejected[: n - 1].sum()  # provinces surely ahead of j
        high[j] = n - rejected[n - 1 :].sum()  # provinces surely behind j
    return low, high


def _simultaneous_sets(
    score: np.ndarray, se: np.ndarray, errors: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Simultaneous rank sets (all provinces at once): one stepdown over every ordered pair (j, k),
    hypothesis "k is not better than j". Loops over j to keep memory at draws x provinces."""
    n = score.size
    scale = np.sqrt(se[None, :] ** 2 + se[:, None] ** 2)
    t_obs = (score[None, :] - score[:, None]) / scale  # t_obs[j, k]: k ahead of j
    np.fill_diagonal(t_obs, -np.inf)
    remaining = np.ones((n, n), dtype=bool)
    np.fill_diagonal(remaining, False)
    while remaining.any():
        max_null = np.full(errors.shape[0], -np.inf)
        for j in np.flatnonzero(remaining.any(axis=1)):
            z = (errors[:, remaining[j]] - errors[:, [j]]) / scale[j, remaining[j]]
            max_null = np.maximum(max_null, z.max(axis=1))
        crit = np.quantile(max_null, 1 - alpha)
        new = remaining & (t_obs > crit)
        if not new.any():
            break
        remaining &= ~new
    ahead = ~remaining & ~np.eye(n, dtype=bool)  # ahead[j, k]: k surely ahead of j
    return 1 + ahead.sum(axis=1), n - ahead.sum(axis=0)


def interval_arrays(
    score: np.ndarray,
    se: np.ndarray,
    rng: np.random.Generator,
    n_draws: int = DEFAULT_DRAWS,
    alpha: float = ALPHA,
    simultaneous: bool = True,
) -> dict[str, np.ndarray]:
    """Rank intervals and group probabilities for one cross-section given as arrays (the engine of
    :func:`rank_intervals` and :func:`coverage_check`). All SEs must be positive. Without
    ``simultaneous`` the (slower) simultaneous sets are left missing (NaN)."""
    score = np.asarray(score, dtype=float)
    se = np.asarray(se, dtype=float)
    errors = rng.standard_normal((n_draws, score.size)) * se
    draws = score + errors
    ranks = _ranks(draws)
    groups = _groups(draws)
    out: dict[str, np.ndarray] = {}
    out["rank_low"], out["rank_high"] = _marginal_sets(score, se, errors, alpha)
    if simultaneous:
        out["rank_low_simultaneous"], out["rank_high_simultaneous"] = _simultaneous_sets(score, se, errors, alpha)
    else:
        out["rank_low_simultaneous"] = out["rank_high_simultaneous"] = np.full(score.size, np.nan)
    out["boot_rank_low"] = np.floor(np.quantile(ranks, alpha / 2, axis=0)).astype(int)
    out["boot_rank_high"] = np.ceil(np.quantile(ranks, 1 - alpha / 2, axis=0)).astype(int)
    out["p_first"] = (ranks == 1).mean(axis=0)
    for g, name in enumerate(ranking.GROUPS):
        out[f"p_{name}"] = (groups == g).mean(axis=0)
    return out


def rank_intervals(
    panel: pd.DataFrame,
    year: int,
    dimension: str,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    alpha: float = ALPHA,
    borrow_se: str = "gaps",
    simultaneous: bool = True,
) -> pd.DataFrame:
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
    from . import cache  # every province's report shows the same national intervals: computed once, stored

    return cache.cached(
        "rank_intervals",
        lambda: _rank_intervals(panel, year, dimension, n_draws, seed, alpha, borrow_se, simultaneous),
        panel,
        year=year,
        dimension=dimension,
        n_draws=n_draws,
        seed=seed,
        alpha=alpha,
        borrow_se=borrow_se,
        simultaneous=simultaneous,
    )


def _rank_intervals(
    panel: pd.DataFrame,
    year: int,
    dimension: str,
    n_draws: int,
    seed: int,
    alpha: float,
    borrow_se: str,
    simultaneous: bool,
) -> pd.DataFrame:
    section = cross_section(panel, year, dimension, borrow_se)
    ranked = ranking.rank_and_group(section.assign(year=year, dimension=dimension))
    out = ranked[["province_code", "province", "score", "se", "se_basis", "rank", "n_ranked", "group"]].copy()
    out.insert(0, "dimension", dimension)
    out.insert(0, "year", year)
    columns = [
        "rank_low",
        "rank_high",
        "rank_low_simultaneous",
        "rank_high_simultaneous",
        "boot_rank_low",
        "boot_rank_high",
        "p_first",
        *(f"p_{g}" for g in ranking.GROUPS),
    ]
    if out["se"].isna().any():
        for column in columns:
            out[column] = pd.array(
                [pd.NA] * len(out), dtype="Int64" if column.startswith(("rank", "boot")) else "Float64"
            )
        out["p_published_group"] = pd.array([pd.NA] * len(out), dtype="Float64")
        out["group_distinguishable"] = pd.array([pd.NA] * len(out), dtype="boolean")
        return out.sort_values("rank").reset_index(drop=True)
    arrays = interval_arrays(
        out["score"].to_numpy(float),
        out["se"].to_numpy(float),
        np.random.default_rng(seed),
        n_draws,
        alpha,
        simultaneous,
    )
    for column in columns:
        values = arrays[column]
        if column.startswith(("rank", "boot")):
            values = pd.array(np.where(np.isnan(values.astype(float)), np.nan, values), dtype="Float64").astype("Int64")
        out[column] = values
    out["p_published_group"] = [row[f"p_{g}"] for g, (_, row) in zip(out["group"], out.iterrows())]
    group_ranks = out.groupby("group")["rank"].agg(["min", "max"])
    lo = out["group"].map(group_ranks["min"]).astype("Int64")
    hi = out["group"].map(group_ranks["max"]).astype("Int64")
    out["group_distinguishable"] = ((out["rank_low"] >= lo) & (out["rank_high"] <= hi)).astype("boolean")
    return out.sort_values(["rank", "province_code"]).reset_index(drop=True)


def coverage_check(
    score: np.ndarray,
    se: np.ndarray,
    n_reps: int = 200,
    n_draws: int = 1000,
    seed: int = DEFAULT_SEED,
    alpha: float = ALPHA,
    shrink: float = 1.0,
) -> pd.DataFrame:
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
    methods = {
        "marginal (Mogstad et al.)": "",
        "simultaneous (Mogstad et al.)": "_simultaneous",
        "bootstrap percentile": "boot",
    }
    hits = {m: np.zeros((n_reps, score.size), dtype=bool) for m in methods}
    widths = {m: np.zeros(n_reps) for m in methods}
    for r in range(n_reps):
        observed = truth + rng.standard_normal(score.size) * se
        arrays = interval_arrays(observed, se, rng, n_draws, alpha)
        for method, key in methods.items():
            low, high = (
                (arrays["boot_rank_low"], arrays["boot_rank_high"])
                if key == "boot"
                else (arrays[f"rank_low{key}"], arrays[f"rank_high{key}"])
            )
            hits[method][r] = (low <= true_rank) & (true_rank <= high)
            widths[method][r] = (high - low + 1).mean()
    rows = [
        {
            "method": m,
            "marginal_coverage": h.mean(),
            "worst_province_coverage": h.mean(axis=0).min(),
            "simultaneous_coverage": h.all(axis=1).mean(),
            "mean_width": widths[m].mean(),
            "n_reps": n_reps,
            "n_provinces": score.size,
            "shrink": shrink,
        }
        for m, h in hits.items()
    ]
    return pd.DataFrame(rows)


def province_rank_table(
    panel: pd.DataFrame,
    province: int,
    dimensions: tuple[str, ...] | list[str] | None = None,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    borrow_se: str = "gaps",
) -> pd.DataFrame:
    """One province's row of :func:`rank_intervals` for every year and dimension with published SEs
    (marginal sets only), in year and dimension order. ``province`` is a code of the panel's geography."""
    from ..data import schema

    dimensions = list(dimensions) if dimensions is not None else list(schema.INDICATORS)
    rows = []
    for dimension in dimensions:
        for year in years_with_se(panel, dimension):
            scored = panel[
                (panel["year"] == year)
                & (panel["dimension"] == dimension)
                & (panel["province_code"] == province)
                & panel["score"].notna()
            ]
            if scored.empty:
                continue
            section = rank_intervals(panel, year, dimension, n_draws, seed, borrow_se=borrow_se, simultaneous=False)
            rows.append(section[section["province_code"] == province])
    if not rows:
        return rank_intervals(panel, int(panel["year"].max()), dimensions[0]).iloc[0:0]
    return pd.concat(rows, ignore_index=True).sort_values(["year", "dimension"]).reset_index(drop=True)
