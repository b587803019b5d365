"""PAR INDEX and SIPAS targets: the plan's own arithmetic checked, headroom, and realism through the
generic index path.

* :func:`plan_checks` works today on the seed plans alone: stated baseline + planned change = stated
  target; sub-parts sum to their field (baselines, planned changes, maxima) and fields to the total;
  target and baseline within the maximum; the same baseline stated twice agrees. Tolerances follow the
  plan's rounding: each figure written with *d* decimals may be off by half a unit in the last place,
  so a sum of *n* figures compared with one more may differ by ``(n + 1) * 0.5 * 10**-d``.
* :func:`headroom` gives, without any national table, the gap to maximum points and the change a
  target requires; it says plainly that a probability needs the national table.
* :func:`evaluate_on_table` runs the existing PAPI target engine (its public ``evaluate_targets``) on
  any index table in the layout of :mod:`papi_analysis.data.indices`, turned into the panel shape.
  :func:`evaluate_index_targets` does that for the plans' PAR INDEX / SIPAS targets when a table is given.

Scores are points on each component's own scale (PAR INDEX fields as the criteria set them, total out
of 100; SIPAS out of 10).
"""

from __future__ import annotations

import math

import pandas as pd

from ..data import indices
from ..data.index_targets import load_index_targets

CHECK_COLUMNS: list[str] = [
    "plan_id",
    "index",
    "component",
    "target_id",
    "check",
    "stated",
    "found",
    "ok",
    "message",
    "discrepancy",
]

NEEDS_TABLE: dict[str, str] = {
    "en": (
        "A probability needs the national {name} table (every province, several years): the plan's own figures "
        "cannot say how often provinces gain this much in a year. Write the table in the layout of "
        "data/raw/targets/INDEX_TARGETS.md, read it with indices.read_index_table(path, '{code}') and pass it as "
        "index_checks.evaluate_index_targets(targets, table=..., index='{code}'), or give its path to the "
        "notebook parameter {code}_table."
    ),
    "vi": (
        "Cần bảng {name} toàn quốc (đủ các tỉnh, nhiều năm) mới tính được xác suất đạt mục tiêu: số liệu trong "
        "kế hoạch không cho biết các tỉnh thường tăng được bao nhiêu điểm trong một năm. Ghi bảng theo mẫu trong "
        "data/raw/targets/INDEX_TARGETS.md, đọc bằng indices.read_index_table(đường_dẫn, '{code}') rồi truyền vào "
        "index_checks.evaluate_index_targets(targets, table=..., index='{code}'), hoặc đưa đường dẫn vào tham số "
        "{code}_table của sổ tính."
    ),
}


SHORT_NAMES = {"par_index": "PAR INDEX", "sipas": "SIPAS", "papi": "PAPI"}


def _where(row, lang: str = "en") -> str:
    """Where a figure sits, as a reader names it: 'PAR INDEX F8 – SIPAS (satisfaction index)', 'SIPAS'."""
    short = SHORT_NAMES.get(row["index"], row["index"])
    if row["component"] == "total":
        return short
    part = indices.get_index(row["index"]).component(row["component"])
    if part.parent and part.parent != "total":
        return f"{short} {part.parent} – {part.name(lang)}"
    return f"{short} {row['component']}"


def _num(text: object) -> float:
    text = "" if text is None else str(text).strip()
    return float(text) if text else math.nan


def _decimals(*texts: str) -> int:
    return max((len(str(t).split(".")[1]) if "." in str(t) else 0) for t in texts)


def _tolerance(n_terms: int, *texts: str) -> float:
    """Largest difference rounding alone can explain: half a unit in the last place per figure."""
    return n_terms * 0.5 * 10 ** (-_decimals(*texts)) + 1e-9


def _fmt(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


MESSAGES = {
    "target arithmetic": {
        "en": "baseline {b} + planned change {c} = {s}, {verdict} the stated target {t}",
        "vi": "điểm năm gốc {b} + dự kiến tăng {c} = {s}, {verdict} mục tiêu ghi trong kế hoạch {t}",
    },
    "parts sum": {
        "en": "{what} of the parts of {parent} ({parts}) sum to {s}, {verdict} the stated {t}",
        "vi": "{what} các phần của {parent} ({parts}) cộng lại bằng {s}, {verdict} con số ghi {t}",
    },
    "within maximum": {
        "en": "{what} {v} against the maximum {m}: {verdict}",
        "vi": "{what} {v} so với điểm tối đa {m}: {verdict}",
    },
    "same baseline twice": {
        "en": "the same {year} score is stated as {a} ({ida}) and {b} ({idb}): {verdict}",
        "vi": "cùng một điểm năm {year} được ghi là {a} ({ida}) và {b} ({idb}): {verdict}",
    },
}
WORDS = {
    "en": {
        "agrees": "which agrees with",
        "differs": "not",
        "ok": "within",
        "over": "above the maximum",
        "baseline": "baselines",
        "change": "planned changes",
        "max": "maxima",
        "target": "target",
        "implied": "implied target (baseline + planned change)",
        "stated baseline": "baseline",
        "same": "they agree",
        "differ": "they differ by {d}",
        "alternative": "; with {alt} ({other}) instead of {orig} the sum is {s2}, which agrees with {t}",
    },
    "vi": {
        "agrees": "khớp với",
        "differs": "không khớp với",
        "ok": "không vượt",
        "over": "vượt điểm tối đa",
        "baseline": "Điểm năm gốc",
        "change": "Mức dự kiến tăng",
        "max": "Điểm tối đa",
        "target": "Mục tiêu",
        "implied": "Mục tiêu suy ra (điểm gốc + dự kiến tăng)",
        "stated baseline": "Điểm năm gốc",
        "same": "khớp nhau",
        "differ": "lệch nhau {d}",
        "alternative": "; nếu thay {orig} bằng {alt} ({other}) thì tổng là {s2}, khớp với {t}",
    },
}


def plan_checks(targets: pd.DataFrame | None = None, lang: str = "en") -> pd.DataFrame:
    """Every arithmetic check the plans' own PAR INDEX / SIPAS figures allow, one row each, with ``ok``.

    ``targets`` as :func:`papi_analysis.data.index_targets.load_index_targets` returns them.
    """
    targets = load_index_targets() if targets is None else targets
    words = WORDS[lang]
    rows: list[dict] = []

    def add(r, check, stated, found, ok, message, discrepancy):
        rows.append(
            dict(
                plan_id=r["plan_id"],
                index=r["index"],
                component=r["component"],
                target_id=r["target_id"],
                check=check,
                stated=stated,
                found=found,
                ok=bool(ok),
                message=message,
                discrepancy=round(float(discrepancy), 6),
            )
        )

    for _, plan in targets.groupby("plan_id", sort=False):
        by_id = plan.set_index("target_id", drop=False)
        for _, r in plan.iterrows():
            b, c, t, m = r["baseline_stated"], r["planned_change_stated"], r["target_value"], r["max_stated"]
            if r["kind"] == "score_at_least" and b and c:
                s = _num(b) + _num(c)
                ok = abs(s - _num(t)) <= _tolerance(1, b, c, t)
                add(
                    r,
                    "target arithmetic",
                    f"{b} + {c} -> {t}",
                    f"{s:.2f}",
                    ok,
                    MESSAGES["target arithmetic"][lang].format(
                        b=b, c=c, s=_fmt(s, lang), t=t, verdict=words["agrees" if ok else "differs"]
                    ),
                    abs(s - _num(t)),
                )
            if m:
                checks = [("stated baseline", b)] if b else []
                if r["kind"] == "score_at_least":
                    checks.append(("target", t))
                elif r["kind"] == "planned_change" and b and c:
                    checks.append(("implied", f"{_num(b) + _num(c):.{_decimals(b, c)}f}"))
                for what, value in checks:
                    ok = _num(value) <= _num(m) + 1e-9
                    add(
                        r,
                        "within maximum",
                        f"{value} <= {m}",
                        value,
                        ok,
                        MESSAGES["within maximum"][lang].format(
                            what=words[what], v=value, m=m, verdict=words["ok" if ok else "over"]
                        ),
                        max(0.0, _num(value) - _num(m)),
                    )
            if r["same_as"]:
                o = by_id.loc[r["same_as"]]
                a_val, b_val = _num(r["baseline_stated"]), _num(o["baseline_stated"])
                scale = _num(o["max_stated"]) / _num(r["max_stated"]) if r["max_stated"] and o["max_stated"] else 1.0
                diff = b_val - a_val * scale
                ok = abs(diff) <= _tolerance(2, r["baseline_stated"], o["baseline_stated"])
                add(
                    r,
                    "same baseline twice",
                    f"{r['baseline_stated']} vs {o['baseline_stated']}",
                    f"{diff:+.2f}",
                    ok,
                    MESSAGES["same baseline twice"][lang].format(
                        year=r["baseline_year"],
                        a=r["baseline_stated"],
                        ida=_where(r, lang),
                        b=o["baseline_stated"],
                        idb=_where(o, lang),
                        verdict=words["same"] if ok else words["differ"].format(d=_fmt(abs(diff), lang)),
                    ),
                    abs(diff),
                )
        rows.extend(_parts_checks(plan, lang))
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    if lang == "vi":  # Vietnamese decimal comma in the sentences
        out["message"] = out["message"].str.replace(r"(\d)\.(\d)", r"\1,\2", regex=True)
    return out


def _parts_checks(plan: pd.DataFrame, lang: str) -> list[dict]:
    words = WORDS[lang]
    out = []
    for index_code, part in plan.groupby("index", sort=False):
        spec = indices.get_index(index_code)
        by_component = part.drop_duplicates("component").set_index("component", drop=False)
        for parent in spec.codes():
            children = [c for c in spec.parts_of(parent) if c in by_component.index]
            if parent not in by_component.index or not children:
                continue
            head = by_component.loc[parent]
            kids = by_component.loc[children]
            for column, what in (
                ("baseline_stated", "baseline"),
                ("planned_change_stated", "change"),
                ("max_stated", "max"),
            ):
                stated = head[column]
                values = kids[column].tolist()
                if not stated or not all(values):
                    continue
                s = sum(_num(v) for v in values)
                tol = _tolerance(len(values) + 1, stated, *values)
                ok = abs(s - _num(stated)) <= tol
                message = MESSAGES["parts sum"][lang].format(
                    what=words[what],
                    parent=f"{parent} ({spec.component(parent).name(lang)})",
                    parts=" + ".join(values),
                    s=_fmt(s, lang),
                    t=stated,
                    verdict=words["agrees" if ok else "differs"],
                )
                if not ok and column == "baseline_stated":
                    message += _alternative(plan, kids, stated, s, tol, lang)
                out.append(
                    dict(
                        plan_id=head["plan_id"],
                        index=index_code,
                        component=parent,
                        target_id=head["target_id"],
                        check="parts sum",
                        stated=f"{' + '.join(values)} -> {stated}",
                        found=f"{s:.2f}",
                        ok=bool(ok),
                        message=message,
                        discrepancy=round(abs(s - _num(stated)), 6),
                    )
                )
    return out


def _alternative(plan: pd.DataFrame, kids: pd.DataFrame, stated: str, s: float, tol: float, lang: str) -> str:
    """If a part's baseline is stated elsewhere in the plan with another value that makes the sum agree, say so."""
    by_id = plan.set_index("target_id", drop=False)
    for _, kid in kids.iterrows():
        if not kid["same_as"]:
            continue
        other = by_id.loc[kid["same_as"]]
        s2 = s - _num(kid["baseline_stated"]) + _num(other["baseline_stated"])
        if abs(s2 - _num(stated)) <= tol:
            return WORDS[lang]["alternative"].format(
                alt=other["baseline_stated"],
                other=_where(other, lang),
                orig=kid["baseline_stated"],
                s2=_fmt(s2, lang),
                t=stated,
            )
    return ""


def inconsistencies(checks: pd.DataFrame) -> pd.DataFrame:
    """The checks that failed."""
    return checks[~checks["ok"]].reset_index(drop=True)


# --------------------------------------------------------------------------- realism without a national table


def headroom(targets: pd.DataFrame | None = None, lang: str = "en") -> pd.DataFrame:
    """Per target (stated-baseline rows left out): baseline, maximum, target (stated, or baseline + planned
    change for sub-parts), gap to maximum, required change and the share of the remaining headroom it
    uses. ``probability`` is NaN: it needs the national table (``note`` says how to load it)."""
    targets = load_index_targets() if targets is None else targets
    rows = []
    for _, r in targets[targets["kind"] != "stated_baseline"].iterrows():
        spec = indices.get_index(r["index"])
        fixed_max = spec.component(r["component"]).max_points
        baseline = _num(r["baseline_stated"])
        maximum = _num(r["max_stated"]) if r["max_stated"] else (fixed_max if fixed_max is not None else math.nan)
        change = _num(r["planned_change_stated"])
        if r["kind"] == "score_at_least":
            target = _num(r["target_value"])
        elif r["kind"] == "planned_change":
            target = baseline + change
        elif r["kind"] == "percent_at_least":
            target = _num(r["target_value"]) / 100 * maximum if not math.isnan(maximum) else math.nan
        else:
            target = math.nan
        gap = maximum - baseline
        required = target - baseline
        rows.append(
            dict(
                plan_id=r["plan_id"],
                target_id=r["target_id"],
                province_code=int(r["province_code"]),
                index=r["index"],
                component=r["component"],
                component_name=spec.component(r["component"]).name(lang),
                kind=r["kind"],
                baseline_year=int(r["baseline_year"]),
                target_year=int(r["target_year"]),
                target_value=r["target_value"],
                baseline=baseline,
                baseline_rank=r["baseline_rank_stated"],
                max_points=maximum,
                target=target,
                planned_change=change,
                gap_to_max=gap,
                required_change=required,
                share_of_headroom=required / gap if gap and not math.isnan(gap) and gap > 0 else math.nan,
                probability=math.nan,
                note=NEEDS_TABLE[lang].format(name=spec.name(lang), code=spec.code),
            )
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- realism through the generic path


def evaluate_on_table(
    engine_targets: pd.DataFrame,
    table: pd.DataFrame,
    index: str | indices.IndexSpec,
    seed: int = 20250701,
    lang: str = "en",
) -> pd.DataFrame:
    """The target engine's evaluation of ``engine_targets`` (its own target format: ``indicator`` =
    component) on a national index table, through the panel shape (:func:`indices.to_panel`).

    The engine's model, calibration and verdicts are used unchanged. It applies PAPI's methodology
    periods (data/schema.py) to every dimension: for a PAR INDEX or SIPAS table whose method changed in
    other years that is a limitation to keep in mind.
    """
    from . import targets as target_engine  # public API only: evaluate_targets

    panel = indices.to_panel(table, index)
    return target_engine.evaluate_targets(engine_targets, panel, seed=seed, lang=lang)


def engine_targets(targets: pd.DataFrame, table: pd.DataFrame, index: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans' targets for ``index`` in the engine's target format, and the rows left out with why.

    Sub-part rows become ``score_at_least`` their baseline + planned change; a percentage target becomes
    points with the table's maximum in the target year (or the latest year before it).
    """
    mine = targets[targets["index"] == index]
    kept, dropped = [], []
    for _, r in mine.iterrows():
        kind, value = r["kind"], r["target_value"]
        if kind == "stated_baseline":
            dropped.append(dict(target_id=r["target_id"], reason="a stated baseline, not a target"))
            continue
        if kind == "planned_change":
            if not (r["baseline_stated"] and r["planned_change_stated"]):
                dropped.append(dict(target_id=r["target_id"], reason="no baseline or planned change stated"))
                continue
            kind, value = "score_at_least", f"{_num(r['baseline_stated']) + _num(r['planned_change_stated']):.4f}"
        elif kind == "percent_at_least":
            rows = table[(table["component"] == r["component"]) & (table["year"] <= int(r["target_year"]))]
            if rows.empty:
                dropped.append(dict(target_id=r["target_id"], reason="the table has no maximum for this component"))
                continue
            maximum = float(rows.sort_values("year")["max"].iloc[-1])
            kind, value = "score_at_least", f"{_num(value) / 100 * maximum:.4f}"
        kept.append(
            dict(
                plan_id=r["plan_id"],
                target_id=r["target_id"],
                province=r["province"],
                province_code=int(r["province_code"]),
                baseline_year=int(r["baseline_year"]),
                target_year=int(r["target_year"]),
                indicator=r["component"],
                kind=kind,
                target_value=value,
                baseline_stated=r["baseline_stated"],
                baseline_rank_stated=r["baseline_rank_stated"],
                planned_change_stated=r["planned_change_stated"],
                quote=r["quote"],
                note=r["note"],
            )
        )
    return pd.DataFrame(kept), pd.DataFrame(dropped, columns=["target_id", "reason"])


def evaluate_index_targets(
    targets: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
    index: str = "par_index",
    seed: int = 20250701,
    lang: str = "en",
) -> pd.DataFrame:
    """Without ``table``: :func:`headroom` for the ``index`` targets (no probability, a note on how to get one).
    With a national ``table`` of ``index``: the engine's evaluation through :func:`evaluate_on_table`, with
    the headroom columns beside it."""
    targets = load_index_targets() if targets is None else targets
    room = headroom(targets[targets["index"] == index], lang)
    if table is None or room.empty:
        return room
    chosen, _ = engine_targets(targets, table, index)
    if chosen.empty:
        return room
    evaluated = evaluate_on_table(chosen, table, index, seed=seed, lang=lang)
    keep = [
        "plan_id",
        "target_id",
        "index",
        "component",
        "component_name",
        "max_points",
        "gap_to_max",
        "planned_change",
    ]
    out = evaluated.merge(room[keep], on=["plan_id", "target_id"], how="left")
    out["note"] = out["notes"] if "notes" in out.columns else ""
    return out


def baseline_conflicts(targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures a plan states twice with different values (rows linked by ``same_as`` whose check fails).

    One row per target whose baseline is contradicted elsewhere in the plan: the figure it uses
    (``used``), the other figure (``other``), where each is stated (the rows' ``note``), whether each
    makes the parent's parts sum to its stated score (``used_fits_parent``, ``other_fits_parent``; NaN
    without a parent to check), and the headroom with the other figure: ``other_target`` (for a planned
    change: other + planned change; else the stated target), ``other_gap_to_max``, ``other_required_change``.
    """
    targets = load_index_targets() if targets is None else targets
    rows = []
    for _, plan in targets.groupby("plan_id", sort=False):
        by_id = plan.set_index("target_id", drop=False)
        parts = plan.drop_duplicates("component").set_index("component", drop=False)
        for _, r in plan[plan["same_as"] != ""].iterrows():
            o = by_id.loc[r["same_as"]]
            used, other = _num(r["baseline_stated"]), _num(o["baseline_stated"])
            scale = _num(o["max_stated"]) / _num(r["max_stated"]) if r["max_stated"] and o["max_stated"] else 1.0
            if abs(other - used * scale) <= _tolerance(2, r["baseline_stated"], o["baseline_stated"]):
                continue
            other = other / scale  # on this row's scale
            spec = indices.get_index(r["index"])
            parent = spec.component(r["component"]).parent
            fits = {"used": math.nan, "other": math.nan}
            if parent and parent in parts.index and parts.loc[parent, "baseline_stated"]:
                siblings = [c for c in spec.parts_of(parent) if c in parts.index]
                values = [_num(parts.loc[c, "baseline_stated"]) for c in siblings]
                if not any(math.isnan(v) for v in values):
                    stated = parts.loc[parent, "baseline_stated"]
                    tol = _tolerance(len(values) + 1, stated, *[parts.loc[c, "baseline_stated"] for c in siblings])
                    base = sum(values) - used
                    fits = {
                        "used": abs(base + used - _num(stated)) <= tol,
                        "other": abs(base + other - _num(stated)) <= tol,
                    }
            maximum = _num(r["max_stated"])
            change = _num(r["planned_change_stated"])
            target = other + change if r["kind"] == "planned_change" else _num(r["target_value"])
            rows.append(
                dict(
                    plan_id=r["plan_id"],
                    target_id=r["target_id"],
                    index=r["index"],
                    component=r["component"],
                    baseline_year=int(r["baseline_year"]),
                    used=used,
                    used_note=r["note"],
                    other=other,
                    other_target_id=o["target_id"],
                    other_note=o["note"],
                    parent=parent or "",
                    used_fits_parent=fits["used"],
                    other_fits_parent=fits["other"],
                    other_target=target,
                    other_gap_to_max=maximum - other,
                    other_required_change=target - other,
                    planned_change=change,
                )
            )
    return pd.DataFrame(rows)


def summary_counts(checks: pd.DataFrame) -> dict[str, int]:
    """Numbers for a report's first sentence: checks run, inconsistencies found."""
    return {
        "checks": int(len(checks)),
        "inconsistencies": int((~checks["ok"]).sum()),
        "components": int(checks[["index", "component"]].drop_duplicates().shape[0]) if len(checks) else 0,
    }


__all__ = [
    "plan_checks",
    "inconsistencies",
    "headroom",
    "evaluate_on_table",
    "engine_targets",
    "evaluate_index_targets",
    "baseline_conflicts",
    "summary_counts",
    "NEEDS_TABLE",
    "SHORT_NAMES",
]
