"""Target realism: provincial PAPI targets as data, how likely they are, and whether they were met.

One module per concern:

* :mod:`.plans` — targets files (CSV/YAML, schema in ``data/raw/targets/README.md``): reading, validation,
  "and following years" (``2023+``) expanded, the geography a target year implies, selecting a plan;
* :mod:`.checks` — stated baselines, ranks and arithmetic against the published scores;
* :mod:`.model` — the one predictive model (regression to the mean; spread and tails calibrated on earlier
  years only; the choice of tails is explained there);
* :mod:`.simulate` — the probability of each target kind from that model, and the historical view;
* :mod:`.backtest` — rolling-origin backtest of every target kind, its scores, the calibration bars, the cache;
* :mod:`.joint`, :mod:`.rules` — every dimension up together; dimensions picked by a rule on the baseline;
* :mod:`.advisor` — scores, ranks and groups with a 90%, 70% and 50% chance (what target to set);
* :mod:`.verdicts` — :func:`evaluate_targets`, verdicts whose word and number agree, tables for reading.
"""

from __future__ import annotations

from .advisor import advise, advisor_calibration
from .backtest import (
    BARS,
    FAMILIES,
    RECENT,
    SPREAD_PERIODS,
    backtest,
    backtest_cached,
    calibration_lines,
    calibration_misses,
    calibration_status,
    calibration_status_by_unit_kind,
    compare_tails,
    dropped_cells,
    ece,
    family_table,
    family_table_by_unit_kind,
    reliability,
    skill_interval,
)
from .checks import check_targets
from .model import (
    TAILS,
    CellForecast,
    ChangeModel,
    error_pool,
    fit_change_model,
    forecast_cell,
    history_for,
    national_effect_misses,
    national_shift_sd,
    raw_errors,
    transitions,
)
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
from .simulate import GAIN_MIN, Prediction, empirical_view, family_of, predict_target
from .verdicts import (
    VERDICTS,
    category_of,
    evaluate_targets,
    historical_text,
    outcome_of,
    summary_table,
    verdict,
    verdict_lines,
)

__all__ = [
    "advise",
    "advisor_calibration",
    "BARS",
    "FAMILIES",
    "GAIN_MIN",
    "GROUP_ORDER",
    "KINDS",
    "LAST_PUBLISHED_YEAR",
    "REFORM_YEAR",
    "TAILS",
    "TARGETS_DIR",
    "TARGET_COLUMNS",
    "VERDICTS",
    "CellForecast",
    "ChangeModel",
    "Prediction",
    "TargetFileError",
    "backtest",
    "backtest_cached",
    "calibration_lines",
    "calibration_misses",
    "calibration_status",
    "category_of",
    "check_targets",
    "compare_tails",
    "describe_plans",
    "family_table_by_unit_kind",
    "in_geography",
    "dropped_cells",
    "ece",
    "empirical_view",
    "error_pool",
    "evaluate_targets",
    "family_of",
    "family_table",
    "filter_targets",
    "fit_change_model",
    "forecast_cell",
    "historical_text",
    "history_for",
    "load_targets",
    "last_published_year",
    "latest_plan_for",
    "national_shift_sd",
    "outcome_of",
    "parse_target_year",
    "set_aside_sentence",
    "plan_ids",
    "predict_target",
    "raw_errors",
    "reliability",
    "select_plan",
    "skill_interval",
    "summary_table",
    "transitions",
    "verdict",
    "verdict_lines",
    "calibration_status_by_unit_kind",
    "national_effect_misses",
    "RECENT",
    "SPREAD_PERIODS",
    "written_geography",
]
