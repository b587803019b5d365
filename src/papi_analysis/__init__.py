"""papi-analysis: research tools for Vietnam's PAPI index (papi.org.vn).

>>> from papi_analysis import load_scores
>>> panel = load_scores()          # tidy 2011-2024 panel, one row per year x province x dimension
"""

from __future__ import annotations

import pandas as pd

__version__ = "0.1.0"


def load_scores() -> pd.DataFrame:
    """The tidy PAPI panel 2011-2024 (see :mod:`papi_analysis.clean` for the columns and units)."""
    from .clean import read_panel

    return read_panel()


__all__ = ["load_scores", "__version__"]
