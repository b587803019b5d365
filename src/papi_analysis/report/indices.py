"""Texts and tables (vi / en) for a plan's PAR INDEX and SIPAS targets (notebook 04_other_indices)."""

from __future__ import annotations

import math
import re

import pandas as pd

from ..analysis import index_checks
from ..data import index_targets, indices, provinces

CHECK_NAMES = {
    "en": {"target arithmetic": "baseline + change = target", "parts sum": "parts sum to the whole",
           "within maximum": "within the maximum", "same baseline twice": "same figure stated twice"},
    "vi": {"target arithmetic": "điểm gốc + mức tăng = mục tiêu", "parts sum": "các phần cộng lại bằng tổng",
           "within maximum": "không vượt điểm tối đa", "same baseline twice": "cùng một số liệu ghi hai lần"},
}
HEADERS = {
    "en": {"index": "Index", "component": "Component", "check": "Check", "message": "What the plan's figures give",
           "ok": "Consistent", "baseline": "Baseline (points)", "baseline_rank": "Baseline rank",
           "max_points": "Maximum (points)", "target": "Target (points)", "gap_to_max": "Gap to maximum",
           "required_change": "Required change", "share_of_headroom": "Share of the gap",
           "kind": "Target", "probability": "Probability (%)", "verdict": "Verdict"},
    "vi": {"index": "Chỉ số", "component": "Lĩnh vực / thành phần", "check": "Kiểm tra",
           "message": "Số liệu trong kế hoạch cho thấy", "ok": "Khớp", "baseline": "Điểm năm gốc",
           "baseline_rank": "Xếp hạng năm gốc", "max_points": "Điểm tối đa", "target": "Mục tiêu (điểm)",
           "gap_to_max": "Còn cách điểm tối đa", "required_change": "Mức tăng cần", "share_of_headroom":
           "Tỷ lệ của khoảng còn lại", "kind": "Loại mục tiêu", "probability": "Xác suất (%)", "verdict": "Đánh giá"},
}
KIND_NAMES = {
    "en": {"score_at_least": "reach the score", "planned_change": "planned increase (sub-part)",
           "percent_at_least": "reach a share of the maximum", "improve_score_and_rank": "improve score and rank"},
    "vi": {"score_at_least": "đạt mức điểm", "planned_change": "dự kiến tăng (thành phần)",
           "percent_at_least": "đạt tỷ lệ điểm tối đa", "improve_score_and_rank": "tăng điểm và thứ hạng"},
}
YES_NO = {"en": ("yes", "no"), "vi": ("có", "không")}


def select(plan: str, province: str = "") -> pd.DataFrame:
    """A plan's PAR INDEX / SIPAS targets (by plan id; or, with ``plan`` empty, the province's latest plan)."""
    targets = index_targets.load_index_targets()
    if not plan and province:
        plan = index_targets.index_plan_for(provinces.resolve(province), targets) or ""
    chosen = targets[targets["plan_id"] == plan] if plan else targets.iloc[0:0]
    if plan and plan not in set(targets["plan_id"]):
        raise index_targets.IndexTargetFileError(
            f"No PAR INDEX or SIPAS targets for plan {plan!r}; plans with such targets: "
            f"{', '.join(index_targets.index_plan_ids(targets))}.")
    if province and not chosen.empty:
        code = provinces.resolve(province)
        chosen = chosen[chosen["province_code"] == code]
        if chosen.empty:
            raise index_targets.IndexTargetFileError(
                f"Plan {plan!r} has no targets for {provinces.name(code)}; leave province empty or choose its plan.")
    return chosen.reset_index(drop=True)


def _component_label(index: str, component: str, lang: str) -> str:
    """'F5 Cải cách chế độ công vụ', sub-parts as 'F5 – Điều tra XHH', the total by the index's name."""
    spec = indices.get_index(index)
    part = spec.component(component)
    if component == "total":
        return part.name(lang)
    if part.parent and part.parent != spec.total:
        return f"{part.parent} – {part.name(lang)}"
    return f"{component} {part.name(lang)}"


def _index_label(index: str) -> str:
    return index_checks.SHORT_NAMES.get(index, index)


def summary(chosen: pd.DataFrame, checks: pd.DataFrame, lang: str) -> str:
    """The first paragraph: whose plan, how many targets and checks, how many inconsistencies."""
    if chosen.empty:
        return ("Kế hoạch này không đặt mục tiêu PAR INDEX hay SIPAS." if lang == "vi" else
                "This plan sets no PAR INDEX or SIPAS target.")
    counts = index_checks.summary_counts(checks)
    n_parts = int((chosen["kind"] == "planned_change").sum())
    n_targets = int((~chosen["kind"].isin(["stated_baseline", "planned_change"])).sum())
    province = provinces.name(int(chosen["province_code"].iloc[0]), lang)
    years = f"{chosen['baseline_year'].min()}→{chosen['target_year'].max()}"
    if lang == "vi":
        return (f"**{province}, kế hoạch {chosen['plan_id'].iloc[0]} ({years})**: {n_targets} mục tiêu PAR INDEX/SIPAS"
                f" và {n_parts} mức tăng dự kiến cho các thành phần. "
                f"Đã thực hiện {counts['checks']} phép kiểm tra số học trên chính số liệu của kế hoạch; "
                f"**{counts['inconsistencies']} chỗ không khớp**. Chưa có bảng PAR INDEX/SIPAS toàn quốc nên chưa tính "
                "được xác suất đạt mục tiêu; bảng dưới cho khoảng cách tới điểm tối đa và mức tăng cần có.")
    return (f"**{province}, plan {chosen['plan_id'].iloc[0]} ({years})**: {n_targets} PAR INDEX/SIPAS targets"
            f" and {n_parts} planned increases of sub-parts. "
            f"{counts['checks']} arithmetic checks were run on the plan's own figures; "
            f"**{counts['inconsistencies']} inconsistencies**. Without a national PAR INDEX/SIPAS table no probability "
            "can be computed; the table below gives the gap to maximum points and the change each target requires.")


def checks_table(checks: pd.DataFrame, lang: str, only_failed: bool = True):
    """Styled table of checks (by default only the inconsistencies) with human headers."""
    shown = index_checks.inconsistencies(checks) if only_failed else checks
    out = pd.DataFrame({
        HEADERS[lang]["index"]: shown["index"].map(_index_label),
        HEADERS[lang]["component"]: [_component_label(i, c, lang) for i, c in zip(shown["index"], shown["component"])],
        HEADERS[lang]["check"]: shown["check"].map(CHECK_NAMES[lang]),
        HEADERS[lang]["ok"]: shown["ok"].map(lambda ok: YES_NO[lang][0 if ok else 1]),
        HEADERS[lang]["message"]: shown["message"],
    })
    return out.style.hide(axis="index")


def _number(value: float, lang: str, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:.0%}" if percent else f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def headroom_table(room: pd.DataFrame, lang: str):
    """Styled table: baseline, maximum, target, gap to maximum, required change (points), missing as '—'."""
    h = HEADERS[lang]
    out = pd.DataFrame({
        h["index"]: room["index"].map(_index_label),
        h["component"]: [_component_label(i, c, lang) for i, c in zip(room["index"], room["component"])],
        h["kind"]: room["kind"].map(KIND_NAMES[lang]),
        h["baseline"]: room["baseline"].map(lambda v: _number(v, lang)),
        h["baseline_rank"]: room["baseline_rank"].replace("", "—"),
        h["max_points"]: room["max_points"].map(lambda v: _number(v, lang)),
        h["target"]: room["target"].map(lambda v: _number(v, lang)),
        h["gap_to_max"]: room["gap_to_max"].map(lambda v: _number(v, lang)),
        h["required_change"]: room["required_change"].map(lambda v: _number(v, lang)),
        h["share_of_headroom"]: room["share_of_headroom"].map(lambda v: _number(v, lang, percent=True)),
    })
    return out.style.hide(axis="index")


def evaluation_table(evaluated: pd.DataFrame, lang: str):
    """Styled table of an evaluation through a national table (probability in %, verdict)."""
    h = HEADERS[lang]
    out = pd.DataFrame({
        h["component"]: [_component_label(i, c, lang) for i, c in zip(evaluated["index"], evaluated["indicator"])],
        h["baseline"]: evaluated["baseline"].map(lambda v: _number(v, lang)),
        h["target"]: evaluated["target"].astype(str),
        h["required_change"]: evaluated["required_change"].map(lambda v: _number(v, lang)),
        h["probability"]: (evaluated["probability"] * 100).map(lambda v: _number(v, lang)),
        h["verdict"]: evaluated["verdict"],
    })
    return out.style.hide(axis="index")


def needs_table_note(index: str, lang: str) -> str:
    spec = indices.get_index(index)
    return index_checks.NEEDS_TABLE[lang].format(name=spec.name(lang), code=spec.code)


def checks_sentence(checks: pd.DataFrame, lang: str) -> str:
    """One line a reader can quote, and nbval can compare: checks run, and which failed."""
    counts = index_checks.summary_counts(checks)
    bad = index_checks.inconsistencies(checks)
    names = "; ".join(f"{_index_label(r.index)} {r.component}: {CHECK_NAMES[lang][r.check]} ({r.stated} / {r.found})"
                      for r in bad.itertuples())
    if lang == "vi":
        names = re.sub(r"(\d)\.(\d)", r"\1,\2", names).replace(" vs ", " so với ")
        return f"{counts['checks']} phép kiểm tra, {counts['inconsistencies']} chỗ không khớp" + (f": {names}" if names else "")
    return f"{counts['checks']} checks, {counts['inconsistencies']} inconsistencies" + (f": {names}" if names else "")
