"""Runs inside a reused Jupyter kernel, between two notebooks: leave the kernel as a fresh one would be.

Imported modules stay loaded (that is the point of reusing the kernel: pandas, statsmodels and matplotlib are
imported once per worker). What a notebook can change is put back: the user namespace, input/output history and
execution counter (``InteractiveShell.reset(new_session=True)``), open figures, matplotlib's rcParams, the warning
filters and the "already warned" registries (so a warning shown by one notebook is shown again by the next).
Standard library only: importing this module adds nothing a notebook could see.
"""

from __future__ import annotations

import gc
import sys
import warnings

_SNAPSHOT: dict = {}


def snapshot() -> None:
    """Record the state of a fresh kernel (called once, before the first notebook)."""
    _SNAPSHOT["filters"] = list(warnings.filters)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib

        _SNAPSHOT["rc"] = dict(matplotlib.rcParams)


def reset() -> None:
    """Clear what the previous notebook left; see the module docstring."""
    from IPython import get_ipython

    if "matplotlib.pyplot" in sys.modules:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        if "rc" in _SNAPSHOT:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # deprecated keys in the snapshot warn when set again
                matplotlib.rcParams.update(_SNAPSHOT["rc"])
    get_ipython().reset(new_session=True)
    warnings.filters[:] = _SNAPSHOT.get("filters", warnings.filters)  # type: ignore[index]  # a list at run time
    warnings._filters_mutated()  # type: ignore[attr-defined]  # invalidates every module's __warningregistry__
    gc.collect()
