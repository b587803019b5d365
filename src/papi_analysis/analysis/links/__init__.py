"""Links between PAPI dimensions, and between PAPI and the PCI: which move together, which lead, how robust.

One module per concern:

* :mod:`.periods`       periods within one methodology era, wide tables, changes never across a break
* :mod:`.correlations`  single-year (Fisher), pooled and change correlations (province-cluster bootstrap)
* :mod:`.fe`            two-way fixed-effects fits in numpy: clustered t(G-1), wild cluster bootstrap
* :mod:`.lagged`        lagged effects with placebo-calibrated p-values and lead placebos
* :mod:`.iv`            Anderson-Hsiao first-difference IV (Nickell-robust)
* :mod:`.robustness`    leave-one-year/region-out, within/between (Mundlak), specification table, verdicts
* :mod:`.pci`           PAPI dimensions against the PCI and its sub-indices
* :mod:`.cache`         results that do not depend on the province, stored in data/processed/

Everything here is association, not causation.
"""

from ...params import ParameterError
from .correlations import (
    change_correlation,
    check_pair,
    cluster_correlations,
    correlation_by_year,
    correlation_matrix,
    first_component_share,
    fisher_interval,
    pair_row,
    pair_scatter_data,
    partial_correlation,
    pooled_correlation,
    province_draws,
)
from .lagged import (
    adjust,
    calibrated_p,
    calibrated_p_mc,
    lag_frame,
    lag_frame_wide,
    lagged_effect,
    lagged_effects,
    lagged_table,
    null_t_statistics,
    pair_test,
    persistence,
)
from .periods import (
    ERAS,
    METHODS,
    PeriodError,
    centred,
    changes,
    check_draws,
    check_period,
    dimensions_of,
    is_break,
    split_at_break,
    wide_changes,
    wide_scores,
)

__all__ = [
    "ParameterError",
    "PeriodError",
    "ERAS",
    "METHODS",
    "centred",
    "changes",
    "check_draws",
    "check_period",
    "dimensions_of",
    "is_break",
    "split_at_break",
    "wide_changes",
    "wide_scores",
    "change_correlation",
    "check_pair",
    "cluster_correlations",
    "correlation_by_year",
    "correlation_matrix",
    "fisher_interval",
    "first_component_share",
    "pair_row",
    "pair_scatter_data",
    "partial_correlation",
    "pooled_correlation",
    "province_draws",
    "adjust",
    "calibrated_p",
    "calibrated_p_mc",
    "lag_frame",
    "lag_frame_wide",
    "lagged_effect",
    "lagged_effects",
    "lagged_table",
    "null_t_statistics",
    "pair_test",
    "persistence",
]

from .cache import cached  # noqa: E402
from .iv import anderson_hsiao, iv_frame  # noqa: E402
from .pci import PCI_VARIABLES, PCI_YEARS, has_pci, joint_wide, overlap, pci_correlations, pci_label, pci_lagged  # noqa: E402
from .robustness import (
    SPECIFICATIONS,
    correlation_verdicts,
    lagged_verdicts,
    leave_one_out_correlations,  # noqa: E402
    leave_one_out_lagged,
    region_of,
    specification_table,
    within_between,
)

__all__ += [
    "cached",
    "anderson_hsiao",
    "iv_frame",
    "PCI_VARIABLES",
    "PCI_YEARS",
    "has_pci",
    "joint_wide",
    "overlap",
    "pci_correlations",
    "pci_label",
    "pci_lagged",
    "SPECIFICATIONS",
    "correlation_verdicts",
    "lagged_verdicts",
    "leave_one_out_correlations",
    "leave_one_out_lagged",
    "region_of",
    "specification_table",
    "within_between",
]
