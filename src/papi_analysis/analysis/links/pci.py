"""PAPI and the Provincial Competitiveness Index (PCI, VCCI): do provinces that govern better for citizens
(PAPI) also score better for firms (PCI), do gains go together, and does one lead the other?

PCI figures are the composite (0-100) and ten sub-indices ``PCI1``..``PCI10`` (0-10) of 2012-2021, read by
:mod:`papi_analysis.data.context`. The source workbook names the sub-indices only by number; they are
labelled "PCI sub-index k" here (VCCI's PCI methodology gives their names, which this project does not
assert). ``PCI10`` is blank in 2012. Periods keep PAPI's methodology rule: 2012-2017 or 2018-2021, never across
the 2017/2018 break, and PAPI changes across 2015/2016 of D1, D3 and D5 are dropped.
"""

from __future__ import annotations

import itertools

import pandas as pd

from ...data import context, provinces
from .correlations import cluster_correlations
from .lagged import lagged_table
from .periods import check_period, dimensions_of, wide_changes, wide_scores

PCI_VARIABLES = ["PCI", *[f"PCI{k}" for k in range(1, 11)]]
PCI_YEARS = (2012, 2021)


def pci_label(variable: str, lang: str = "en") -> str:
    """'PCI' or 'PCI sub-index k' (Vietnamese: 'Chỉ số thành phần PCI k')."""
    if variable == "PCI":
        return "PCI" if lang == "en" else "PCI tổng hợp"
    k = variable[3:]
    return f"PCI sub-index {k}" if lang == "en" else f"Chỉ số thành phần PCI {k}"


def has_pci(geography: str, start_year: int, end_year: int) -> bool:
    """PCI can be linked to PAPI: it is published for the 63 provinces only, in :data:`PCI_YEARS`, and the period
    must overlap them."""
    return geography == "63" and max(start_year, PCI_YEARS[0]) <= min(end_year, PCI_YEARS[1])


def overlap(start_year: int, end_year: int) -> tuple[int, int]:
    """The part of a PAPI period (within one era) that PCI covers."""
    start_year, end_year = check_period(start_year, end_year)
    lo, hi = max(start_year, PCI_YEARS[0]), min(end_year, PCI_YEARS[1])
    if lo > hi:
        raise ValueError(f"PCI figures cover {PCI_YEARS[0]}-{PCI_YEARS[1]}; {start_year}-{end_year} has no overlap.")
    return lo, hi


def joint_wide(panel: pd.DataFrame, start_year: int, end_year: int, variables: list[str] | None = None) -> pd.DataFrame:
    """PAPI dimensions and PCI variables side by side, (year, province_code) x indicator, over the overlap.

    PCI is published for the 63 provinces only: a 34-province panel is refused (its codes would otherwise
    be joined to the PCI of the one old province that shares the code)."""
    if provinces.geography_of(panel) != "63":
        raise ValueError(
            "PCI figures exist for the 63 provinces (2012-2021) only: link PAPI and PCI on the "
            "63-province panel (geography '63'); no 34-province PCI is estimated."
        )
    lo, hi = overlap(start_year, end_year)
    papi = wide_scores(panel, lo, hi)
    pci = context.context_wide(variables or PCI_VARIABLES)
    pci = pci[pci["year"].between(lo, hi)].set_index(["year", "province_code"])[variables or PCI_VARIABLES]
    return papi.join(pci, how="outer").sort_index()


def pci_correlations(
    panel: pd.DataFrame,
    start_year: int,
    end_year: int,
    method: str = "pearson",
    kind: str = "levels",
    draws: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """Every PAPI dimension against PCI and each sub-index: pooled year-centred correlation of levels or of
    year-on-year changes, province-cluster bootstrap interval, and Benjamini-Hochberg adjusted p (``p_bh``)."""
    lo, hi = overlap(start_year, end_year)
    wide = joint_wide(panel, lo, hi)
    data = wide_changes(wide) if kind == "changes" else wide
    pairs = list(itertools.product(dimensions_of(lo, hi), PCI_VARIABLES))
    table = cluster_correlations(data, method, pairs, draws=draws, seed=seed)
    ok = table["p_value"].notna()
    table["p_bh"] = float("nan")
    if ok.any():
        # imported here: statsmodels takes 0.2 s to import, and a report whose results are cached need not
        from statsmodels.stats.multitest import multipletests

        table.loc[ok, "p_bh"] = multipletests(table.loc[ok, "p_value"], method="fdr_bh")[1]
    table.insert(0, "period", f"{lo}-{hi}")
    table.insert(1, "kind", kind)
    return table


def pci_lagged(
    panel: pd.DataFrame,
    start_year: int,
    end_year: int,
    variables: tuple[str, ...] = ("PCI",),
    draws: int = 999,
    sims: int = 999,
    seed: int = 0,
    calibration_sims: int = 200,
) -> pd.DataFrame:
    """Lagged effects both ways between each PAPI dimension and each PCI variable in ``variables``, with the
    same tools as between dimensions (t(G-1), wild bootstrap, placebo-calibrated p, lead placebo, Holm/BH
    across the pairs of this table). ``direction``: 'PCI -> PAPI' or 'PAPI -> PCI'."""
    lo, hi = overlap(start_year, end_year)
    wide = joint_wide(panel, lo, hi, list(variables))
    dims = dimensions_of(lo, hi)
    pairs = [(d, v) for d in dims for v in variables] + [(v, d) for d in dims for v in variables]
    table = lagged_table(wide, pairs, draws, sims, seed, calibration_sims)
    table.insert(0, "direction", ["PCI -> PAPI" if o.startswith("D") else "PAPI -> PCI" for o in table["outcome"]])
    table.insert(0, "period", f"{lo}-{hi}")
    return table
