"""One figure style, one place for labels (Vietnamese or English), one helper to save figures.

Figures are saved by :func:`save_figure` into ``figures/<province-slug>/`` as
PNG (300 dpi, for reading) and SVG (text kept as text, for print). DejaVu Sans
ships with matplotlib and renders Vietnamese diacritics. The four PAPI groups
have fixed, colour-blind-safe colours (blue for the better half, orange/red for
the lower half, ordered by lightness so they also read in grey).
"""

from __future__ import annotations

from .links import LINK_LABELS, plot_correlation_heatmap, plot_lag_lead, plot_pair, plot_pci_heatmap  # noqa: F401
from .maps import HOANG_SA, HOANG_SA_BOX, TRUONG_SA, TRUONG_SA_BOX, load_boundaries, plot_group_map, recast_note  # noqa: F401
from .ranks import _is_other_geography, plot_rank_caterpillar  # noqa: F401
from .style import (
    GROUP_COLORS,
    INLINE_DPI,
    LABELS,
    MISSING_COLOR,
    NATIONAL_COLOR,
    PROVINCE_COLOR,
    _break_lines,
    _source_note,
    apply_style,
    dimension_label,
    figure_alt_text,
    figure_dir,
    label,
    national,
    province_label,
    save_figure,
)  # noqa: F401
from .targets import RELIABILITY_LABELS, plot_reliability, plot_reliability_by_family, plot_target  # noqa: F401
from .trends import (
    _draw_trend,
    _runs_with_data,
    _segments,
    plot_group_matrix,
    plot_peers,
    plot_subdimension_gaps,
    plot_trend,
    plot_trend_grid,
    plot_unit_history,
)  # noqa: F401
