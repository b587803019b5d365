"""Target realism: provincial PAPI targets as data, how likely they are, and whether they were met.

One module per concern:

* :mod:`.plans` — targets files (CSV/YAML, schema in ``data/raw/targets/README.md``): reading, validation,
  "and following years" (``2023+``) expanded, the geography a target year implies, selecting a plan;
* :mod:`.checks` — stated baselines, ranks and arithmetic against the published scores;
* the one predictive model: :mod:`.model` (regression to the mean), :mod:`.national` (the country's change,
  counted once), :mod:`.relative` (the province's change relative to it), :mod:`.forecast` (both together, every
  design rule chosen at each origin or fixed in advance);
* :mod:`.simulate` — the probability of each target kind from that model, its national sensitivity, the
  historical view;
* :mod:`.backtest` — rolling-origin backtest of every target kind (its rows: :mod:`.events`; targets on several
  dimensions or years: :mod:`.horizons`), with both competitors (:mod:`.competitors`); :mod:`.scoring` and
  :mod:`.evaluation` — its scores and tables per block of years; :mod:`.judge` — calibration judged against its own
  noise (consistency bands, flags); :mod:`.power` — how often that flags a correct and a wrong forecaster;
  :mod:`.status` — what it means for verdicts and advice;
* :mod:`.joint`, :mod:`.rules` — every dimension up together; dimensions picked by a rule on the baseline;
* :mod:`.advisor` — scores, ranks and groups with a 90%, 70% and 50% chance (what target to set);
* :mod:`.verdicts` — :func:`evaluate_targets`, verdicts whose word always comes from the probability.
"""

from __future__ import annotations

from .advisor import (
    AdviceUnit,
    advice_question,
    advice_unit,
    advise,
    advisor_calibration,
    baseline_is_recast,
    geography_of_year,
    ranked_units,
)
from .backtest import FAMILIES, FAMILY_NAMES, backtest, backtest_cached, unit_kinds
from .checks import check_targets
from .evaluation import (
    ALL_YEARS,
    BAND_BARS,
    BLOCKS,
    compare_tails,
    competitor_table,
    dropped_cells,
    family_table,
    family_table_by_unit_kind,
    merged_units,
)
from .forecast import NATIONAL_SCENARIOS, CellForecast, fit_for, forecast_cell
from .judge import judgement, reliability_bands
from .model import ChangeModel, fit_change_model, history_for, transitions
from .national import centre_choices, national_effect_misses, national_predictive
from .plans import (
    GROUP_ORDER,
    KINDS,
    LAST_PUBLISHED_YEAR,
    REFORM_YEAR,
    TARGET_COLUMNS,
    TARGETS_DIR,
    TargetFileError,
    describe_plans,
    filter_targets,
    in_geography,
    last_published_year,
    latest_plan_for,
    load_targets,
    parse_target_year,
    plan_ids,
    select_plan,
    set_aside_sentence,
    written_geography,
)
from .power import flag_rates, simulate_flag_rates
from .relative import error_pool, relative_errors, relative_pool, tail_criteria
from .scoring import brier_comparison, ece, reliability, score_comparison
from .simulate import GAIN_MIN, Prediction, empirical_view, family_of, predict_target
from .status import advice_table, calibration_misses, calibration_status, calibration_status_by_unit_kind
from .verdicts import (
    VERDICTS,
    calibration_range,
    category_of,
    evaluate_targets,
    historical_text,
    outcome_of,
    summary_table,
    verdict,
    verdict_lines,
    verdict_words,
)

__all__ = [
    "ALL_YEARS",
    "BAND_BARS",
    "BLOCKS",
    "FAMILIES",
    "FAMILY_NAMES",
    "GAIN_MIN",
    "GROUP_ORDER",
    "KINDS",
    "LAST_PUBLISHED_YEAR",
    "NATIONAL_SCENARIOS",
    "REFORM_YEAR",
    "TARGETS_DIR",
    "TARGET_COLUMNS",
    "VERDICTS",
    "CellForecast",
    "ChangeModel",
    "Prediction",
    "TargetFileError",
    "AdviceUnit",
    "advice_question",
    "advice_table",
    "advice_unit",
    "advise",
    "baseline_is_recast",
    "geography_of_year",
    "ranked_units",
    "advisor_calibration",
    "backtest",
    "backtest_cached",
    "brier_comparison",
    "calibration_misses",
    "calibration_range",
    "calibration_status",
    "calibration_status_by_unit_kind",
    "category_of",
    "centre_choices",
    "check_targets",
    "compare_tails",
    "competitor_table",
    "describe_plans",
    "dropped_cells",
    "ece",
    "empirical_view",
    "error_pool",
    "evaluate_targets",
    "family_of",
    "family_table",
    "family_table_by_unit_kind",
    "filter_targets",
    "fit_change_model",
    "fit_for",
    "flag_rates",
    "forecast_cell",
    "historical_text",
    "history_for",
    "in_geography",
    "judgement",
    "last_published_year",
    "latest_plan_for",
    "load_targets",
    "merged_units",
    "national_effect_misses",
    "national_predictive",
    "outcome_of",
    "parse_target_year",
    "plan_ids",
    "predict_target",
    "relative_errors",
    "relative_pool",
    "reliability",
    "reliability_bands",
    "score_comparison",
    "select_plan",
    "set_aside_sentence",
    "simulate_flag_rates",
    "summary_table",
    "tail_criteria",
    "transitions",
    "unit_kinds",
    "verdict",
    "verdict_lines",
    "verdict_words",
    "written_geography",
]
