"""Targets whose dimensions a rule picks from the published baseline ("cải thiện các chỉ số nội dung thuộc nhóm
thấp nhất và trung bình thấp", "khắc phục các chỉ số bị giảm năm trước"), expanded into one row per dimension."""

from __future__ import annotations

import pandas as pd

from ...data import schema
from .. import ranking


def picked_dimensions(panel: pd.DataFrame, rule: str, province_code: int, baseline_year: int) -> list[str]:
    """Dimensions the ``rule`` picks for a province from its published ``baseline_year`` scores:
    ``low_groups`` (in the lowest or low-average group), ``fell_last_year`` (lower than the year before, where
    comparable)."""
    dims = list(schema.dimensions_in(baseline_year))
    rows = panel[(panel["province_code"] == province_code) & panel["dimension"].isin(dims)]
    if rule == "low_groups":
        ranked = ranking.rank_and_group(panel[panel["year"] == baseline_year])
        own = ranked[(ranked["province_code"] == province_code) & ranked["dimension"].isin(dims)]
        return [d for d in dims if d in set(own.loc[own["group"].isin(["lowest", "low_average"]), "dimension"])]
    if rule == "fell_last_year":
        wide = rows.pivot_table(index="dimension", columns="year", values="score")
        return [
            d
            for d in dims
            if {baseline_year - 1, baseline_year} <= set(wide.columns)
            and not schema.is_break_between(baseline_year - 1, baseline_year, d)
            and wide.loc[d, baseline_year] < wide.loc[d, baseline_year - 1]
        ]
    raise ValueError(rule)


def expand_rules(targets: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Targets with every ``rule:...`` indicator replaced by one row per picked dimension (target_id
    ``<id>-<dimension>``, note saying which rule picked it); a rule that picks nothing stays as one row."""
    out = []
    for _, row in targets.iterrows():
        indicator = str(row["indicator"])
        if not indicator.startswith("rule:"):
            out.append(row)
            continue
        dims = picked_dimensions(panel, indicator[5:], int(row["province_code"]), int(row["baseline_year"]))
        for dim in dims:
            new = row.copy()
            new["indicator"], new["target_id"] = dim, f"{row['target_id']}-{dim}"
            new["note"] = "; ".join(
                filter(
                    None,
                    [str(row["note"]), f"picked by {indicator} from the published {int(row['baseline_year'])} scores"],
                )
            )
            out.append(new)
        if not dims:
            out.append(row)
    return pd.DataFrame(out).reset_index(drop=True)
