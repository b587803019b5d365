"""Target realism: provincial PAPI targets as data, how likely they are, and whether they were met.

Targets live in ``data/raw/targets/*.csv`` (schema in its README): one row per
quantitative target quoted from a plan. :func:`evaluate_targets` returns one row
per target with the published baseline, the required change, where that change
falls among historical one-year changes, a model probability with an
interval, and the outcome where the target year is published.

Two views of "how often does this happen":

* **Empirical** — one-year changes of the same dimension across all provinces
  within the same methodology period, up to the baseline year: the share at
  least as large as the required change.
* **Model** (regression to the mean) — ``change = year effect + beta *
  (baseline - national mean) + error``, OLS with year fixed effects and
  province-clustered standard errors (statsmodels). A province far above the
  mean tends to fall back and one far below tends to rise. The predictive
  distribution for the target year adds the spread of national year effects
  (a new year's national shift is unknown), the residual spread and the
  uncertainty of the estimates. Group and rank targets simulate every
  province's next score jointly and count how often the province lands in the
  required group or rank.

Scores are PAPI points (dimensions 1-10, totals 8-80 since 2018, 6-60 before).
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..data import provinces, schema
from . import ranking

KINDS: tuple[str, ...] = ("score_at_least", "change_at_least", "group_at_least", "rank_at_most",
                          "improve_score_and_rank")
TARGET_COLUMNS: list[str] = [
    "plan_id", "target_id", "province", "plan_document", "plan_date", "source_file", "baseline_year",
    "target_year", "indicator", "kind", "target_value", "baseline_stated", "baseline_rank_stated",
    "planned_change_stated", "quote", "note",
]
REQUIRED_COLUMNS: list[str] = ["plan_id", "province", "baseline_year", "target_year", "indicator", "kind"]
GROUP_ORDER: dict[str, int] = {g: i for i, g in enumerate(ranking.GROUPS)}  # 0 = highest
TARGETS_DIR: Path = config.DATA_RAW / "targets"
LAST_PUBLISHED_YEAR = 2024


class _LazyFormulaApi:
    """statsmodels.formula.api, imported on first use: checking a targets file must not wait seconds for it."""

    def __getattr__(self, name: str):
        import statsmodels.formula.api as api

        return getattr(api, name)


smf = _LazyFormulaApi()


class _LazyStats:
    """scipy.stats, imported on first use (same reason)."""

    def __getattr__(self, name: str):
        from scipy import stats as module

        return getattr(module, name)


stats = _LazyStats()


class TargetFileError(ValueError):
    """A targets file that cannot be used as written."""


# --------------------------------------------------------------------------- targets as data


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Targets from a CSV or YAML file (default: every file in ``data/raw/targets/``), validated.

    Adds ``province_code``. Raises :class:`TargetFileError` naming the file and
    row of the first problem found.
    """
    if path is None:
        from ..data.panel import verify_raw_checksums

        verify_raw_checksums()  # the seed targets are pinned with the rest of data/raw/
    paths = [Path(path)] if path is not None else sorted(
        p for p in TARGETS_DIR.glob("*") if p.suffix in {".csv", ".yaml", ".yml"})
    if not paths:
        raise TargetFileError(f"No targets file found in {TARGETS_DIR}.")
    frames = [_read_target_file(p) for p in paths]
    targets = pd.concat(frames, ignore_index=True)
    dup = targets[targets.duplicated(["plan_id", "target_id"], keep=False)]
    if not dup.empty:
        raise TargetFileError(f"target_id {dup.iloc[0]['target_id']!r} appears twice in plan {dup.iloc[0]['plan_id']!r}.")
    return targets


def _read_target_file(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise TargetFileError(f"{path} does not exist.")
    if path.suffix == ".csv":
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            raise TargetFileError(f"{path}: the file is empty; a targets CSV needs a header row and one row "
                                  "per target (see data/raw/targets/README.md).") from None
        except pd.errors.ParserError as err:
            raise TargetFileError(f"{path}: not a readable CSV file ({err}).") from None
        first_line = 2
    elif path.suffix in {".yaml", ".yml"}:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(err, "problem", None) or str(err)
            raise TargetFileError(f"{path}{where}: not valid YAML ({problem}).") from None
        rows = data.get("targets") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise TargetFileError(f"{path}: expected a list of targets (or a mapping with a 'targets' list).")
        defaults = {k: v for k, v in data.items() if k != "targets"} if isinstance(data, dict) else {}
        raw = pd.DataFrame([{**defaults, **r} for r in rows]).astype(str).replace({"None": "", "nan": ""})
        first_line = 1
    else:
        raise TargetFileError(f"{path}: targets files are .csv or .yaml.")
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise TargetFileError(f"{path}: missing column(s) {missing}. See data/raw/targets/README.md for the schema.")
    for column in TARGET_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    out = raw[TARGET_COLUMNS].copy()
    codes = []
    for i, row in out.iterrows():
        where = f"{path.name}, {'line' if path.suffix == '.csv' else 'target'} {i + first_line}"
        codes.append(_validate_target_row(row, where))
        if not row["target_id"]:
            out.loc[i, "target_id"] = f"{row['indicator']}-{row['kind']}"
    out.insert(3, "province_code", codes)
    out["baseline_year"] = out["baseline_year"].astype(int)
    out["target_year"] = out["target_year"].astype(int)
    out["source"] = path.name
    return out


def _validate_target_row(row: pd.Series, where: str) -> int:
    try:
        code = provinces.resolve(row["province"])
    except provinces.UnknownProvinceError as err:
        raise TargetFileError(f"{where}: {err}") from None
    try:
        baseline_year, target_year = int(row["baseline_year"]), int(row["target_year"])
    except ValueError:
        raise TargetFileError(f"{where}: baseline_year and target_year must be years, got "
                              f"{row['baseline_year']!r} and {row['target_year']!r}.") from None
    if not 2011 <= baseline_year < target_year <= 2035:
        raise TargetFileError(f"{where}: need 2011 <= baseline_year < target_year, got {baseline_year} and {target_year}.")
    if row["indicator"] not in schema.INDICATORS:
        raise TargetFileError(f"{where}: indicator must be one of {', '.join(schema.INDICATORS)}, got {row['indicator']!r}.")
    if row["indicator"] not in schema.dimensions_in(min(target_year, LAST_PUBLISHED_YEAR)) + (schema.TOTAL,):
        raise TargetFileError(f"{where}: {row['indicator']} is not scored in {target_year}.")
    kind, value = row["kind"], str(row["target_value"]).strip()
    if kind not in KINDS:
        raise TargetFileError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}.")
    if kind in ("score_at_least", "change_at_least"):
        number = _number(value, where, "target_value")
        if kind == "score_at_least":
            lo, hi = _score_range(row["indicator"], target_year)
            if not lo <= number <= hi:
                raise TargetFileError(f"{where}: target {number} is outside the {row['indicator']} range {lo:g}-{hi:g}.")
    elif kind == "group_at_least" and value not in ranking.GROUPS:
        raise TargetFileError(f"{where}: a group target is one of {', '.join(ranking.GROUPS)}, got {value!r}.")
    elif kind == "rank_at_most":
        number = _number(value, where, "target_value")
        if number != int(number) or not 1 <= number <= 63:
            raise TargetFileError(f"{where}: a rank target is a whole number 1-63, got {value!r}.")
    elif kind == "improve_score_and_rank" and value:
        raise TargetFileError(f"{where}: improve_score_and_rank takes no target_value, got {value!r}.")
    for column in ("baseline_stated", "planned_change_stated"):
        if str(row[column]).strip():
            _number(row[column], where, column)
    return code


def _number(text: str, where: str, column: str) -> float:
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        raise TargetFileError(f"{where}: {column} must be a number, got {text!r}.") from None


def _score_range(indicator: str, year: int) -> tuple[float, float]:
    if indicator == schema.TOTAL:
        return schema.period_of(min(year, LAST_PUBLISHED_YEAR)).total_range
    return schema.DIMENSION_SCORE_RANGE


def plan_ids(targets: pd.DataFrame | None = None) -> list[str]:
    targets = load_targets() if targets is None else targets
    return sorted(targets["plan_id"].unique())


def select_plan(plan: str) -> pd.DataFrame:
    """The targets of one seed plan (by ``plan_id``) or of a user's targets file (by path)."""
    candidate = Path(plan)
    if candidate.suffix in {".csv", ".yaml", ".yml"}:
        return load_targets(candidate)
    targets = load_targets()
    chosen = targets[targets["plan_id"] == plan]
    if chosen.empty:
        raise TargetFileError(f"No plan {plan!r}. Known plans: {', '.join(plan_ids(targets))}; "
                              "or pass the path of a targets .csv/.yaml file.")
    return chosen.reset_index(drop=True)


# --------------------------------------------------------------------------- stated numbers vs published


def _decimals(text: str) -> int:
    text = str(text).strip().replace(",", ".")
    return len(text.split(".")[1]) if "." in text else 0


def _rounds_to(value: float, stated: str) -> bool:
    """Whether a published value, rounded as the plan rounds, gives the stated figure."""
    d = _decimals(stated)
    return abs(value - float(str(stated).replace(",", "."))) <= 0.5 * 10 ** (-d) + 1e-9


def check_targets(targets: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Every inconsistency between what the plans state and the published scores.

    Checks each stated baseline against the published score (rounded as the
    plan rounds it), each stated rank against the rank computed from published
    scores, each target against stated baseline + planned change, and, where the
    baseline is not stated, the baseline implied by target - planned change.
    """
    ranked = ranking.rank_and_group(panel).set_index(["year", "province_code", "dimension"])
    issues = []

    def add(row, check, stated, found, message):
        issues.append(dict(plan_id=row.plan_id, target_id=row.target_id, province=row.province,
                           indicator=row.indicator, check=check, stated=stated, found=found, message=message))

    for row in targets.itertuples():
        key = (row.baseline_year, row.province_code, row.indicator)
        published = ranked.loc[key] if key in ranked.index else None
        score = float(published["score"]) if published is not None else math.nan
        if row.baseline_stated:
            if math.isnan(score):
                add(row, "baseline", row.baseline_stated, "no published score",
                    f"the plan states a {row.baseline_year} baseline of {row.baseline_stated} but PAPI published none")
            elif not _rounds_to(score, row.baseline_stated):
                add(row, "baseline", row.baseline_stated, f"{score:.4f}",
                    f"stated {row.baseline_year} baseline {row.baseline_stated} differs from the published "
                    f"{score:.2f} by {float(row.baseline_stated) - score:+.2f} points")
        if row.baseline_rank_stated and published is not None and pd.notna(published["rank"]):
            stated_rank = int(str(row.baseline_rank_stated).split("/")[0])
            if stated_rank != int(published["rank"]):
                add(row, "baseline rank", row.baseline_rank_stated,
                    f"{int(published['rank'])}/{int(published['n_ranked'])}",
                    f"stated {row.baseline_year} rank {row.baseline_rank_stated} differs from the rank "
                    f"{int(published['rank'])}/{int(published['n_ranked'])} computed from published scores "
                    "(among provinces with data)")
        if row.kind == "score_at_least" and row.planned_change_stated:
            change = float(row.planned_change_stated)
            target = float(row.target_value)
            if row.baseline_stated:
                implied_target = float(row.baseline_stated) + change
                tolerance = 0.5 * 10 ** (-max(_decimals(row.baseline_stated), _decimals(row.planned_change_stated),
                                              _decimals(row.target_value))) + 1e-9
                if abs(implied_target - target) > tolerance:
                    add(row, "target arithmetic", f"{row.baseline_stated} + {row.planned_change_stated} -> {row.target_value}",
                        f"{implied_target:.2f}",
                        f"stated baseline {row.baseline_stated} plus planned change {row.planned_change_stated} is "
                        f"{implied_target:.2f}, not the stated target {row.target_value}")
            elif not math.isnan(score):
                implied_baseline = target - change
                tolerance = 0.5 * 10 ** (-max(_decimals(row.planned_change_stated), _decimals(row.target_value)))
                if abs(implied_baseline - score) > tolerance + 1e-9:
                    add(row, "implied baseline", f"{row.target_value} - {row.planned_change_stated}",
                        f"{score:.4f}",
                        f"target minus planned change implies a {row.baseline_year} baseline of "
                        f"{implied_baseline:.2f}, but PAPI published {score:.2f}")
    return pd.DataFrame(issues, columns=["plan_id", "target_id", "province", "indicator", "check", "stated",
                                         "found", "message"])


# --------------------------------------------------------------------------- history of changes


def transitions(panel: pd.DataFrame, dimension: str, last_year: int) -> pd.DataFrame:
    """One-year transitions of ``dimension`` ending in or before ``last_year`` that do not cross a
    methodology break for it: province_code, year (the later year), previous score, score, change,
    deviation of the previous score from that year's national mean, and the methodology period."""
    d = panel[panel["dimension"] == dimension][["year", "province_code", "score"]]
    means = d.groupby("year")["score"].mean()
    prev = d.rename(columns={"score": "prev_score"}).assign(year=d["year"] + 1)
    prev["prev_mean"] = (prev["year"] - 1).map(means)
    out = d.merge(prev, on=["year", "province_code"]).dropna(subset=["score", "prev_score"])
    keep = np.array([y <= last_year and not schema.is_break_between(y - 1, y, dimension) for y in out["year"]],
                    dtype=bool)
    out = out.loc[keep].copy()
    out["change"] = out["score"] - out["prev_score"]
    out["deviation"] = out["prev_score"] - out["prev_mean"]
    out["period"] = out["year"].map(lambda y: schema.period_of(int(y)).label)
    return out.reset_index(drop=True)


@dataclass
class ChangeModel:
    """Regression-to-the-mean model of one-year changes of one dimension (PAPI points)."""

    dimension: str
    years: list[int]
    beta: float
    beta_se: float
    mean_year_effect: float
    mean_year_effect_se: float
    year_effect_sd: float
    resid_sd: float
    n_obs: int
    n_provinces: int
    history: pd.DataFrame = field(repr=False)
    notes: list[str] = field(default_factory=list)

    def predictive(self, deviation: np.ndarray | float, calibrated: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of next year's change for provinces at ``deviation`` from the mean.

        ``calibrated`` widens the spread by :data:`SD_INFLATION` (see the backtest).
        """
        dev = np.asarray(deviation, dtype=float)
        mean = self.mean_year_effect + self.beta * dev
        var = (self.year_effect_sd ** 2 + self.resid_sd ** 2 + self.mean_year_effect_se ** 2
               + (dev * self.beta_se) ** 2)
        return mean, np.sqrt(var) * (SD_INFLATION if calibrated else 1.0)


def history_for(panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int) -> tuple[pd.DataFrame, list[str]]:
    """Transitions that inform a ``baseline_year`` → ``target_year`` prediction, with notes on any fallback."""
    notes: list[str] = []
    hist = transitions(panel, dimension, baseline_year)
    period = schema.period_of(min(target_year, LAST_PUBLISHED_YEAR)).label
    same = hist[hist["period"] == period]
    if same["year"].nunique() >= 1:
        return same, notes
    if dimension == schema.TOTAL and schema.is_break_between(baseline_year, target_year, dimension) and \
            len(schema.dimensions_in(baseline_year)) != len(schema.dimensions_in(min(target_year, LAST_PUBLISHED_YEAR))):
        notes.append("target year starts a new methodology with a different total scale: earlier totals' changes "
                     "do not apply")
        return hist.iloc[0:0], notes
    notes.append(f"no one-year changes within the {period} methodology period before {target_year}: "
                 "changes from earlier periods are used, and the methodology change itself adds uncertainty "
                 "this model does not capture")
    return hist, notes


def fit_change_model(history: pd.DataFrame, dimension: str, notes: list[str] | None = None,
                     fallback_shift_sd: float = math.nan) -> ChangeModel:
    """OLS ``change ~ C(year) + deviation`` with province-clustered SEs (statsmodels).

    With a single year of changes the spread of national shifts cannot be estimated from ``history``;
    ``fallback_shift_sd`` (from :func:`national_shift_sd`) is used then.
    """
    notes = list(notes or [])
    if history.empty:
        raise ValueError(f"No history of {dimension} changes to fit.")
    years = sorted(history["year"].unique())
    formula = "change ~ C(year) + deviation" if len(years) > 1 else "change ~ deviation"
    fit = smf.ols(formula, data=history).fit(cov_type="cluster", cov_kwds={"groups": history["province_code"]})
    beta, beta_se = float(fit.params["deviation"]), float(fit.bse["deviation"])
    year_means = history.groupby("year")["change"].mean()
    # the year effect of year t is that year's mean change at the mean baseline (deviation 0)
    effects = year_means - beta * history.groupby("year")["deviation"].mean()
    if len(years) >= 2:
        year_sd = float(effects.std(ddof=1))
    else:
        year_sd = fallback_shift_sd
        notes.append("only one year of changes in this methodology period: the spread of national year-to-year "
                     "shifts is taken from all earlier comparable years" if not math.isnan(year_sd) else
                     "only one year of changes: the spread of national shifts cannot be estimated and is left out "
                     "(the model is then overconfident)")
        year_sd = 0.0 if math.isnan(year_sd) else year_sd
    mean_effect = float(effects.mean())
    mean_effect_se = year_sd / math.sqrt(len(years)) if len(years) >= 2 else year_sd
    if len(history["province_code"].unique()) < 20:
        notes.append("fewer than 20 provinces: clustered standard errors are unreliable")
    return ChangeModel(dimension=dimension, years=[int(y) for y in years], beta=beta, beta_se=beta_se,
                       mean_year_effect=mean_effect, mean_year_effect_se=mean_effect_se, year_effect_sd=year_sd,
                       resid_sd=float(np.sqrt(fit.scale)), n_obs=int(fit.nobs),
                       n_provinces=int(history["province_code"].nunique()), history=history, notes=notes)


def national_shift_sd(panel: pd.DataFrame, dimension: str, last_year: int) -> float:
    """Standard deviation of the yearly national mean change of ``dimension`` over every comparable
    year up to ``last_year`` (any methodology period); NaN with fewer than two years."""
    shifts = transitions(panel, dimension, last_year).groupby("year")["change"].mean()
    return float(shifts.std(ddof=1)) if len(shifts) >= 2 else math.nan


def _fit_for(panel: pd.DataFrame, dimension: str, baseline_year: int, target_year: int
             ) -> tuple[ChangeModel | None, pd.DataFrame, list[str]]:
    """The change model that informs a ``baseline_year`` → ``target_year`` prediction (None without history)."""
    history, notes = history_for(panel, dimension, baseline_year, target_year)
    if history.empty:
        return None, history, notes
    model = fit_change_model(history, dimension, notes, national_shift_sd(panel, dimension, baseline_year))
    return model, history, model.notes


# --------------------------------------------------------------------------- probabilities

N_PARAMETER_DRAWS = 200
N_OUTCOME_DRAWS = 100
#: Widening of the predictive spread. The backtest (every year predicted from earlier years only) showed the
#: plain model overconfident: logistic calibration slope 0.79 (probabilities too close to 0 and 1). Widening
#: by 1.25 brings the slope over all years to about 1 with the same Brier score; years with little history in
#: their methodology period (2020-2024) remain somewhat overconfident. See notebooks/02_target_realism.ipynb.
SD_INFLATION = 1.25


@dataclass
class Prediction:
    """Predictive distribution of one province's target-year score (points) and the probability of a target."""

    mean: float
    sd: float
    probability: float
    probability_low: float
    probability_high: float
    method: str
    notes: list[str]


def _cross_section(panel: pd.DataFrame, dimension: str, year: int) -> pd.DataFrame:
    rows = panel[(panel["dimension"] == dimension) & (panel["year"] == year)].dropna(subset=["score"])
    return rows[["province_code", "score"]].reset_index(drop=True)


def _simulate(model: ChangeModel, baseline: pd.DataFrame, rng: np.random.Generator,
              draws: tuple[int, int] = (N_PARAMETER_DRAWS, N_OUTCOME_DRAWS)) -> np.ndarray:
    """Next-year scores of every province: array (parameter draws, outcome draws, provinces)."""
    scores = baseline["score"].to_numpy()
    dev = scores - scores.mean()
    n_param, n_outcome = draws
    betas = rng.normal(model.beta, model.beta_se, size=n_param)
    means = rng.normal(model.mean_year_effect, model.mean_year_effect_se or 0.0, size=n_param)
    shocks = rng.normal(0.0, model.year_effect_sd * SD_INFLATION, size=(n_param, n_outcome, 1))
    noise = rng.normal(0.0, model.resid_sd * SD_INFLATION, size=(n_param, n_outcome, len(scores)))
    change = means[:, None, None] + betas[:, None, None] * dev[None, None, :] + shocks + noise
    return scores[None, None, :] + change


def _simulate_standardized(history: pd.DataFrame, baseline: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Across a methodology break only relative positions carry over: z(t+1) = b z(t) + e, fitted on history."""
    h = history.copy()
    h["z_prev"] = h.groupby("year")["prev_score"].transform(lambda s: (s - s.mean()) / s.std(ddof=0))
    h["z"] = h.groupby("year")["score"].transform(lambda s: (s - s.mean()) / s.std(ddof=0))
    fit = smf.ols("z ~ z_prev - 1", data=h).fit(cov_type="cluster", cov_kwds={"groups": h["province_code"]})
    b, b_se, sd = float(fit.params["z_prev"]), float(fit.bse["z_prev"]), float(np.sqrt(fit.scale))
    z = (baseline["score"] - baseline["score"].mean()) / baseline["score"].std(ddof=0)
    bs = rng.normal(b, b_se, size=N_PARAMETER_DRAWS)
    noise = rng.normal(0.0, sd * SD_INFLATION, size=(N_PARAMETER_DRAWS, N_OUTCOME_DRAWS, len(z)))
    return bs[:, None, None] * z.to_numpy()[None, None, :] + noise


def _groups_of(sims: np.ndarray) -> np.ndarray:
    """Group index (0 = highest .. 3 = lowest) of each simulated province, same rule as :mod:`ranking`."""
    q25, q50, q75 = np.percentile(sims, [25, 50, 75], axis=-1, keepdims=True)
    return np.where(sims >= q75, 0, np.where(sims >= q50, 1, np.where(sims >= q25, 2, 3)))


def _ranks_of(sims: np.ndarray, index: int) -> np.ndarray:
    """Rank (1 = best) of province ``index`` in every simulated cross-section."""
    own = sims[..., index:index + 1]
    return (sims > own).sum(axis=-1) + 1


def _summarise(success: np.ndarray) -> tuple[float, float, float]:
    """Probability (mean over all draws) and a 90% interval across parameter draws."""
    per_draw = success.mean(axis=1)
    return float(per_draw.mean()), float(np.percentile(per_draw, 5)), float(np.percentile(per_draw, 95))


def predict_target(panel: pd.DataFrame, target: pd.Series, rng: np.random.Generator) -> Prediction:
    """Model probability that ``target`` is met, from the history up to its baseline year."""
    dim, code = target["indicator"], int(target["province_code"])
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    if target_year - baseline_year != 1:
        return Prediction(math.nan, math.nan, math.nan, math.nan, math.nan, "none",
                          ["only one-year-ahead targets are modelled"])
    history, notes = history_for(panel, dim, baseline_year, target_year)
    baseline = _cross_section(panel, dim, baseline_year)
    if code not in set(baseline["province_code"]):
        return Prediction(math.nan, math.nan, math.nan, math.nan, math.nan, "none",
                          notes + [f"no published {dim} score for {baseline_year}"])
    index = int(np.flatnonzero(baseline["province_code"].to_numpy() == code)[0])
    crosses = schema.is_break_between(baseline_year, target_year, dim)
    kind = target["kind"]
    relative_kind = kind in ("group_at_least", "rank_at_most")
    if history.empty and not (relative_kind and crosses):
        return Prediction(math.nan, math.nan, math.nan, math.nan, math.nan, "none", notes)
    if crosses and relative_kind:
        full_history = transitions(panel, dim, baseline_year)
        sims = _simulate_standardized(full_history, baseline, rng)
        notes = [n for n in notes if "total scale" not in n] + [
            "the target year starts a new methodology: only the province's relative position is modelled "
            "(standardised scores), from earlier years"]
        method, mean, sd = "standardised position across a methodology break", math.nan, math.nan
    elif crosses:
        return Prediction(math.nan, math.nan, math.nan, math.nan, math.nan, "none",
                          notes + ["score targets across a methodology break cannot be judged from earlier changes"])
    else:
        model, _, notes = _fit_for(panel, dim, baseline_year, target_year)
        sims = _simulate(model, baseline, rng)
        own_dev = baseline["score"].iloc[index] - baseline["score"].mean()
        m, s = model.predictive(own_dev)
        mean, sd = float(baseline["score"].iloc[index] + m), float(s)
        method = "regression to the mean with year effects"
    own_now = float(baseline["score"].iloc[index])
    own_next = sims[..., index]
    if kind == "score_at_least":
        success = own_next >= float(target["target_value"])
    elif kind == "change_at_least":
        success = (own_next - own_now) >= float(target["target_value"])
    elif kind == "group_at_least":
        success = _groups_of(sims)[..., index] <= GROUP_ORDER[target["target_value"]]
    elif kind == "rank_at_most":
        success = _ranks_of(sims, index) <= int(float(target["target_value"]))
    elif kind == "improve_score_and_rank":
        current_rank = int((baseline["score"] > own_now).sum() + 1)
        success = (own_next > own_now) & (_ranks_of(sims, index) < current_rank)
    else:  # validated on load
        raise ValueError(kind)
    p, lo, hi = _summarise(success)
    return Prediction(mean, sd, p, lo, hi, method, notes)


def empirical_view(panel: pd.DataFrame, target: pd.Series) -> tuple[float, float, int]:
    """(percentile of the required change among historical changes, share of changes at least as large,
    number of changes), same dimension and methodology period, up to the baseline year.

    For group and rank targets the share is of provinces starting in the same group (rank within ±5)
    that reached the target; the percentile is then undefined (NaN).
    """
    dim = target["indicator"]
    baseline_year, target_year = int(target["baseline_year"]), int(target["target_year"])
    kind = target["kind"]
    history, _ = history_for(panel, dim, baseline_year, target_year)
    if history.empty and kind in ("group_at_least", "rank_at_most"):
        history = transitions(panel, dim, baseline_year)  # relative positions carry across a break
    if history.empty:
        return math.nan, math.nan, 0
    base = panel[(panel["year"] == baseline_year) & (panel["province_code"] == target["province_code"])
                 & (panel["dimension"] == dim)]["score"]
    if base.empty or base.isna().all():
        return math.nan, math.nan, 0
    own = float(base.iloc[0])
    if kind in ("score_at_least", "change_at_least"):
        required = float(target["target_value"]) - own if kind == "score_at_least" else float(target["target_value"])
        changes = history["change"].to_numpy()
        percentile = float((changes < required).mean() * 100)
        return percentile, float((changes >= required).mean()), len(changes)
    ranked = ranking.rank_and_group(panel)
    r = ranked[ranked["dimension"] == dim].set_index(["year", "province_code"])
    pairs = history[["year", "province_code"]].copy()
    prev = r.reindex(pd.MultiIndex.from_arrays([pairs["year"] - 1, pairs["province_code"]]))
    nxt = r.reindex(pd.MultiIndex.from_arrays([pairs["year"], pairs["province_code"]]))
    own_row = r.loc[(baseline_year, int(target["province_code"]))]
    if kind == "group_at_least":
        similar = prev["group"].to_numpy() == own_row["group"]
        reached = nxt["group"].map(GROUP_ORDER).to_numpy() <= GROUP_ORDER[target["target_value"]]
    elif kind == "rank_at_most":
        similar = np.abs(prev["rank"].to_numpy(dtype=float) - float(own_row["rank"])) <= 5
        reached = nxt["rank"].to_numpy(dtype=float) <= float(target["target_value"])
    else:  # improve_score_and_rank
        similar = np.abs(prev["rank"].to_numpy(dtype=float) - float(own_row["rank"])) <= 5
        reached = (nxt["score"].to_numpy() > prev["score"].to_numpy()) & (
            nxt["rank"].to_numpy(dtype=float) < prev["rank"].to_numpy(dtype=float))
    n = int(similar.sum())
    return math.nan, float(reached[similar].mean()) if n else math.nan, n


# --------------------------------------------------------------------------- outcomes and verdicts


def outcome_of(panel: pd.DataFrame, target: pd.Series) -> tuple[str, float, str]:
    """(``met`` | ``missed`` | ``pending`` | ``no data``, actual score, actual rank/group text)."""
    year = int(target["target_year"])
    if year > LAST_PUBLISHED_YEAR:
        return "pending", math.nan, ""
    ranked = ranking.rank_and_group(panel[panel["dimension"] == target["indicator"]])
    rows = ranked[ranked["province_code"] == int(target["province_code"])].set_index("year")
    if year not in rows.index or pd.isna(rows.loc[year, "score"]):
        return "no data", math.nan, ""
    actual = rows.loc[year]
    detail = f"rank {int(actual['rank'])}/{int(actual['n_ranked'])}, {actual['group']}"
    base = rows.loc[int(target["baseline_year"])] if int(target["baseline_year"]) in rows.index else None
    kind = target["kind"]
    if kind == "score_at_least":
        met = actual["score"] >= float(target["target_value"])
    elif kind == "change_at_least":
        if base is None or pd.isna(base["score"]):
            return "no data", float(actual["score"]), detail
        met = actual["score"] - base["score"] >= float(target["target_value"])
    elif kind == "group_at_least":
        met = GROUP_ORDER[actual["group"]] <= GROUP_ORDER[target["target_value"]]
    elif kind == "rank_at_most":
        met = int(actual["rank"]) <= int(float(target["target_value"]))
    else:
        if base is None or pd.isna(base["score"]):
            return "no data", float(actual["score"]), detail
        met = (actual["score"] > base["score"]) and (int(actual["rank"]) < int(base["rank"]))
    return ("met" if met else "missed"), float(actual["score"]), detail


VERDICTS = {
    "en": {"likely": "likely", "possible": "possible", "ambitious": "ambitious", "very": "very ambitious",
           "na": "not assessable"},
    "vi": {"likely": "khả thi", "possible": "có thể đạt", "ambitious": "tham vọng", "very": "rất tham vọng",
           "na": "không đánh giá được"},
}


def verdict(probability: float, empirical_share: float, n_changes: int, lang: str = "en",
            relative: bool = False) -> str:
    """Plain-language verdict a non-statistician can quote.

    The category comes from the model probability; the frequency from the
    empirical share (for group and rank targets, among provinces that started
    from a similar position: ``relative``).
    """
    words = VERDICTS[lang]
    if math.isnan(probability):
        return words["na"]
    key = "likely" if probability >= 0.6 else "possible" if probability >= 0.3 else \
        "ambitious" if probability >= 0.1 else "very"
    if math.isnan(empirical_share) or n_changes == 0:
        frequency = ""
    elif empirical_share < 0.005:
        frequency = ("no province in the comparable history did this in a year" if lang == "en" else
                     "chưa tỉnh nào trong các năm so sánh được đạt mức này trong một năm")
    elif empirical_share < 0.5:
        one_in = max(2, round(1 / empirical_share))
        frequency = (f"reached by about 1 in {one_in} provinces in a year" if lang == "en" else
                     f"khoảng 1 trên {one_in} tỉnh đạt được trong một năm")
    else:
        frequency = (f"reached by about {empirical_share:.0%} of provinces in a year" if lang == "en" else
                     f"khoảng {empirical_share:.0%} số tỉnh đạt được trong một năm")
    if relative:
        frequency += (" (among provinces starting from a similar position)" if lang == "en" else
                      " (trong số các tỉnh có vị trí xuất phát tương tự)")
    return f"{words[key]}: {frequency}" if frequency else words[key]


def evaluate_targets(targets: pd.DataFrame | None = None, panel: pd.DataFrame | None = None,
                     seed: int = 20250701, lang: str = "en") -> pd.DataFrame:
    """One row per target: published baseline, required change, its percentile among historical changes,
    model probability (0-1) with a 90% interval, empirical share, outcome (met / missed / pending / no data)
    and a plain-language verdict. Deterministic for a given ``seed``."""
    from ..data.panel import read_panel

    panel = read_panel() if panel is None else panel
    targets = load_targets() if targets is None else targets
    rng = np.random.default_rng(seed)
    ranked = ranking.rank_and_group(panel).set_index(["year", "province_code", "dimension"])
    rows = []
    for _, target in targets.iterrows():
        key = (int(target["baseline_year"]), int(target["province_code"]), target["indicator"])
        base = ranked.loc[key] if key in ranked.index else None
        baseline = float(base["score"]) if base is not None else math.nan
        kind = target["kind"]
        if kind == "score_at_least":
            required = float(target["target_value"]) - baseline
        elif kind == "change_at_least":
            required = float(target["target_value"])
        else:
            required = math.nan
        prediction = predict_target(panel, target, rng)
        percentile, share, n_changes = empirical_view(panel, target)
        outcome, actual, actual_detail = outcome_of(panel, target)
        rows.append(dict(
            plan_id=target["plan_id"], target_id=target["target_id"], province_code=int(target["province_code"]),
            province=provinces.name(int(target["province_code"])), baseline_year=int(target["baseline_year"]),
            target_year=int(target["target_year"]), indicator=target["indicator"], kind=kind,
            target=target["target_value"], baseline=baseline,
            baseline_rank=(f"{int(base['rank'])}/{int(base['n_ranked'])}" if base is not None and pd.notna(base["rank"]) else ""),
            baseline_group=(base["group"] if base is not None and isinstance(base["group"], str) else ""),
            required_change=required, required_change_percentile=percentile, empirical_share=share,
            n_historical_changes=n_changes, predicted_mean=prediction.mean, predicted_sd=prediction.sd,
            probability=prediction.probability, probability_low=prediction.probability_low,
            probability_high=prediction.probability_high, method=prediction.method,
            outcome=outcome, actual=actual, actual_detail=actual_detail,
            verdict=verdict(prediction.probability, share, n_changes, lang,
                            relative=kind in ("group_at_least", "rank_at_most", "improve_score_and_rank")),
            notes="; ".join(dict.fromkeys(prediction.notes)),
        ))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- backtest

THRESHOLDS: dict[str, tuple[float, ...]] = {
    "dimension": (-0.25, 0.0, 0.1, 0.25, 0.5),
    "total": (-2.0, 0.0, 0.5, 1.0, 2.0),
}


def _backtest_fits(panel: pd.DataFrame):
    """For every year T and indicator with no break between T-1 and T and some history before T:
    (T, indicator, history up to T-1, model fitted on it, T-1 cross-section)."""
    for year in range(2012, LAST_PUBLISHED_YEAR + 1):
        for dim in schema.dimensions_in(year) + (schema.TOTAL,):
            if schema.is_break_between(year - 1, year, dim):
                continue
            model, history, _ = _fit_for(panel, dim, year - 1, year)
            if model is not None:
                yield year, dim, history, model, _cross_section(panel, dim, year - 1)


def backtest(panel: pd.DataFrame) -> pd.DataFrame:
    """Predict every historical year from the years before it.

    For each year T, dimension and province with scores in T-1 and T (no
    methodology break between them), and each threshold c of
    :data:`THRESHOLDS`, the event "change from T-1 to T is at least c" gets a
    probability from the model (fitted on changes up to T-1 only), from the
    empirical share of earlier changes, from "no change" and from "last year's
    change repeats", and the observed outcome (1/0).
    """
    rows = []
    for year, dim, history, model, base in _backtest_fits(panel):
        nxt = _cross_section(panel, dim, year).rename(columns={"score": "next_score"})
        before = _cross_section(panel, dim, year - 2).rename(columns={"score": "prev_score"})
        both = base.merge(nxt, on="province_code")
        if not schema.is_break_between(year - 2, year - 1, dim):
            both = both.merge(before, on="province_code", how="left")
        else:
            both["prev_score"] = np.nan
        dev = both["score"] - base["score"].mean()
        mean, sd = model.predictive(dev.to_numpy())
        _, sd_plain = model.predictive(dev.to_numpy(), calibrated=False)
        change = (both["next_score"] - both["score"]).to_numpy()
        last_change = (both["score"] - both["prev_score"]).to_numpy()
        hist_changes = history["change"].to_numpy()
        for c in THRESHOLDS["total" if dim == schema.TOTAL else "dimension"]:
            rows.append(pd.DataFrame({
                "year": year, "dimension": dim, "province_code": both["province_code"], "threshold": c,
                "p_model": 1 - stats.norm.cdf((c - mean) / sd),
                "p_model_uncalibrated": 1 - stats.norm.cdf((c - mean) / sd_plain), "p_empirical": float((hist_changes >= c).mean()),
                "p_no_change": 1.0 if c <= 0 else 0.0,
                "p_last_change": np.where(np.isnan(last_change), np.nan, (last_change >= c).astype(float)),
                "outcome": (change >= c).astype(float), "n_history_years": len(model.years),
            }))
    return pd.concat(rows, ignore_index=True)


def backtest_groups(panel: pd.DataFrame, seed: int = 20250701) -> pd.DataFrame:
    """Backtest of group forecasts: for every year T, dimension and province with data in T-1 and T,
    the probability of being in each group or better in T, from the joint simulation fitted on years
    before T only; against "stays in last year's group" and the historical transition frequencies."""
    rng = np.random.default_rng(seed)
    ranked = ranking.rank_and_group(panel)
    group_of = {(y, d, c): g for y, d, c, g in
                zip(ranked["year"], ranked["dimension"], ranked["province_code"], ranked["group"]) if isinstance(g, str)}
    rows = []
    for year, dim, history, model, base in _backtest_fits(panel):
        groups = _groups_of(_simulate(model, base, rng, draws=(50, 40)))  # 2,000 draws: ample for a backtest
        hist_prev = np.array([group_of.get((y - 1, dim, c), "") for y, c in zip(history["year"], history["province_code"])])
        hist_next = np.array([GROUP_ORDER.get(group_of.get((y, dim, c), ""), 9)
                              for y, c in zip(history["year"], history["province_code"])])
        for i, code in enumerate(base["province_code"]):
            actual_group = group_of.get((year, dim, code))
            if actual_group is None:
                continue
            actual, last_group = GROUP_ORDER[actual_group], group_of[(year - 1, dim, code)]
            same_start = hist_prev == last_group
            for level in range(3):  # highest, high-average or better, low-average or better
                reached = hist_next[same_start] <= level
                rows.append((year, dim, int(code), ranking.GROUPS[level],
                             float((groups[..., i] <= level).mean()),
                             float(reached.mean()) if reached.size else math.nan,
                             1.0 if GROUP_ORDER[last_group] <= level else 0.0, 1.0 if actual <= level else 0.0))
    return pd.DataFrame(rows, columns=["year", "dimension", "province_code", "event_group_at_least", "p_model",
                                       "p_empirical", "p_same_group", "outcome"])


def _cached(name: str, compute, panel: pd.DataFrame) -> pd.DataFrame:
    """``compute(panel)``, stored in data/processed/ and reused while the panel and this module are unchanged
    (every province's report shows the same national backtest)."""
    key = hashlib.sha256(pd.util.hash_pandas_object(panel[["year", "province_code", "dimension", "score"]],
                                                    index=False).to_numpy().tobytes()
                         + Path(__file__).read_bytes()).hexdigest()
    path = config.DATA_PROCESSED / f"{name}_{key[:16]}.csv"
    if path.exists():
        return pd.read_csv(path)
    result = compute(panel)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    result.to_csv(tmp, index=False)
    os.replace(tmp, path)  # parallel report runs may race: identical content, last write wins
    return result


def backtest_cached(panel: pd.DataFrame) -> pd.DataFrame:
    """:func:`backtest`, cached in data/processed/."""
    return _cached("backtest", backtest, panel)


def backtest_groups_cached(panel: pd.DataFrame) -> pd.DataFrame:
    """:func:`backtest_groups`, cached in data/processed/."""
    return _cached("backtest_groups", backtest_groups, panel)




def brier_scores(predictions: pd.DataFrame) -> pd.DataFrame:
    """Brier score (mean squared error of the probability, lower is better) of each forecast,
    on the rows where every forecast exists, overall and by dimension."""
    forecasts = [c for c in predictions.columns if c.startswith("p_")]
    common = predictions.dropna(subset=forecasts)

    def score(frame: pd.DataFrame) -> pd.Series:
        return pd.Series({f: float(((frame[f] - frame["outcome"]) ** 2).mean()) for f in forecasts} | {"n": len(frame)})

    overall = score(common).to_frame("all").T
    by_dim = common.groupby("dimension").apply(score, include_groups=False)
    return pd.concat([overall, by_dim]).rename_axis("dimension")


def reliability(predictions: pd.DataFrame, forecast: str = "p_model", bins: int = 10) -> pd.DataFrame:
    """Reliability curve: forecasts grouped in equal-width bins, mean forecast vs observed frequency."""
    data = predictions.dropna(subset=[forecast])
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(data[forecast], edges[1:-1]), 0, bins - 1)
    table = data.groupby(which).agg(mean_forecast=(forecast, "mean"), observed=("outcome", "mean"),
                                    n=("outcome", "size"))
    table.index = [f"{edges[i]:.1f}-{edges[i + 1]:.1f}" for i in table.index]
    return table.rename_axis("bin").reset_index()


def calibration_slope(predictions: pd.DataFrame, forecast: str = "p_model") -> tuple[float, float]:
    """Slope and intercept of a logistic recalibration: outcome ~ logit(forecast).

    A slope below 1 means the forecasts are too extreme (overconfident), above 1 too timid.
    """
    import statsmodels.api as sm

    data = predictions.dropna(subset=[forecast])
    p = data[forecast].clip(1e-4, 1 - 1e-4)
    x = sm.add_constant(np.log(p / (1 - p)))
    fit = sm.Logit(data["outcome"], x).fit(disp=0)
    return float(fit.params.iloc[1]), float(fit.params.iloc[0])


# --------------------------------------------------------------------------- notebook helpers


def filter_targets(chosen: pd.DataFrame, province: str = "", target_year: int = 0) -> pd.DataFrame:
    """Narrow a plan's targets to one province and/or target year (empty / 0 = keep all)."""
    from ..params import ParameterError

    out = chosen
    if province:
        try:
            code = provinces.resolve(province)
        except provinces.UnknownProvinceError as err:
            raise ParameterError(str(err)) from None
        out = out[out["province_code"] == code]
        if out.empty:
            raise ParameterError(f"The plan has no targets for {provinces.name(code)}; it covers "
                                 f"{', '.join(sorted(set(chosen['province'])))}.")
    if target_year:
        out = out[out["target_year"] == int(target_year)]
        if out.empty:
            raise ParameterError(f"The plan has no targets for {target_year}; its target years are "
                                 f"{sorted(set(chosen['target_year']))}.")
    return out.reset_index(drop=True)


def summary_table(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The evaluation rounded for reading and copying: points to 2 decimals, probabilities as percentages."""
    out = evaluation[["target_id", "indicator", "kind", "target", "baseline", "baseline_rank", "required_change",
                      "required_change_percentile", "probability", "probability_low", "probability_high",
                      "outcome", "actual"]].copy()
    for column in ("baseline", "required_change", "actual"):
        out[column] = out[column].round(2)
    out["required_change_percentile"] = out["required_change_percentile"].round(0)
    for column in ("probability", "probability_low", "probability_high"):
        out[column] = (out[column] * 100).round(0)
    return out.rename(columns={"probability": "probability_%", "probability_low": "p_low_%",
                               "probability_high": "p_high_%", "required_change_percentile": "percentile"})


def verdict_lines(evaluation: pd.DataFrame) -> list[str]:
    """One plain-language line per target (verdict, then the outcome where published), plus model notes."""
    lines = []
    for row in evaluation.itertuples():
        result = ""
        if row.outcome != "pending":
            result = f" → {row.outcome}"
            if pd.notna(row.actual):
                result += f" ({row.actual:.2f}, {row.actual_detail})"
        lines.append(f"{row.target_id} [{row.kind} {row.target}]: {row.verdict}{result}")
        if row.notes:
            lines.append(f"    note: {row.notes}")
    return lines


def describe_plans(chosen: pd.DataFrame) -> list[str]:
    """One line per plan and province: id, province, number of targets, target years, document."""
    lines = []
    for (plan_id, name), group in chosen.groupby(["plan_id", "province"]):
        years = ", ".join(str(int(y)) for y in sorted(group["target_year"].unique()))
        lines.append(f"{plan_id}: {name}, {len(group)} targets, target year(s) {years}")
        if group["plan_document"].iloc[0]:
            lines.append(f"  {group['plan_document'].iloc[0]}")
    return lines
