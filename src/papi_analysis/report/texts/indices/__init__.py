"""Texts and tidy tables (vi / en) for a plan's PAR INDEX and SIPAS targets (notebook 04_other_indices).

The frames returned here use the column names of :data:`papi_analysis.report.tables.COLUMNS`, so the
notebook shows them with ``tables.show_table`` (human headers, number formats, "—" for missing, and a
sheet in tables.xlsx). The sentences (summary, the conflicting-figure note, how to get a probability)
are computed from the plan's data.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ....analysis import index_checks
from ....data import index_targets, indices, provinces

CHECK_NAMES = {
    "en": {
        "target arithmetic": "baseline + change = target",
        "parts sum": "parts sum to the whole",
        "within maximum": "within the maximum",
        "same baseline twice": "same figure stated twice",
    },
    "vi": {
        "target arithmetic": "điểm gốc + mức tăng = mục tiêu",
        "parts sum": "các phần cộng lại bằng tổng",
        "within maximum": "không vượt điểm tối đa",
        "same baseline twice": "cùng một số liệu ghi hai lần",
    },
}
#: where in the plan a figure is written, from the first words of the targets file's ``note``
PLACES = {
    "en": {"table": "table {n}", "footnote": "footnote {n}"},
    "vi": {"table": "bảng {n}", "footnote": "chú thích {n}"},
}
#: footnote of the headroom tables: a dash there is a figure the plan does not state
NOT_STATED = {"vi": "— : kế hoạch không ghi số liệu này.", "en": "— : the plan does not state this figure."}
TARGET_KINDS = ("score_at_least", "percent_at_least", "improve_score_and_rank")
#: column kinds for ``tables.show_table`` where this module's frames differ from tables.COLUMNS
KINDS = {"target": "points"}


def select(plan: str, province: str) -> pd.DataFrame:
    """A plan's PAR INDEX / SIPAS targets (by plan id; or, with ``plan`` empty, the province's latest plan).

    ``province`` is required: a report is always about one province, and a plan of another province is
    refused.
    """
    if not province:
        raise ValueError("province is required: pass it with -p province NAME (papi-analysis report always does).")
    code = provinces.resolve(province)
    targets = index_targets.load_index_targets()
    if not plan:
        plan = index_targets.index_plan_for(code, targets) or ""
    if plan and plan not in set(targets["plan_id"]):
        raise index_targets.IndexTargetFileError(
            f"No PAR INDEX or SIPAS targets for plan {plan!r}; plans with such targets: "
            f"{', '.join(index_targets.index_plan_ids(targets))}."
        )
    chosen = targets[targets["plan_id"] == plan] if plan else targets.iloc[0:0]
    if plan and chosen[chosen["province_code"] == code].empty:
        raise index_targets.IndexTargetFileError(
            f"Plan {plan!r} has no targets for {provinces.name(code)}; leave plan empty or choose its plan."
        )
    return chosen[chosen["province_code"] == code].reset_index(drop=True)


def component_label(index: str, component: str, lang: str) -> str:
    """'PAR INDEX F5 Civil service reform', sub-parts as 'PAR INDEX F5 – Sociological survey', totals by name."""
    spec = indices.get_index(index)
    short = index_checks.SHORT_NAMES.get(index, index)
    part = spec.component(component)
    if component == "total":
        return ("Tổng điểm " if lang == "vi" else "Total ") + short
    if part.parent and part.parent != "total":
        return f"{short} {part.parent} – {part.name(lang)}"
    return f"{short} {component} {part.name(lang)}"


def _max(value: float, lang: str) -> str:
    """A maximum as the criteria write it: 100, 16,5."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "vi" else text


def _num(value: float, lang: str, sign: bool = False) -> str:
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def place(note: str, lang: str) -> str:
    """'table 2.1' / 'bảng 2.1' from a targets-file note that starts with where the figure is written."""
    found = re.match(r"\s*(table|footnote)\s+([\d.]*\d)", note or "")
    if not found:
        return "kế hoạch" if lang == "vi" else "the plan"
    return PLACES[lang][found.group(1)].format(n=found.group(2))


def plan_name(chosen: pd.DataFrame, lang: str) -> str:
    """'Cao Bang, plan of 2023 (baseline 2022, targets for 2023)' in the report's language."""
    first = chosen.iloc[0]
    name = provinces.name(int(first["province_code"]), lang)
    year = str(first["plan_date"])[:4]
    base, target = int(chosen["baseline_year"].min()), int(chosen["target_year"].max())
    if lang == "vi":
        return f"{name}, kế hoạch năm {year} (năm gốc {base}, mục tiêu năm {target})"
    return f"{name}, plan of {year} (baseline {base}, targets for {target})"


# --------------------------------------------------------------------------- summary


def _gap_sentence(chosen: pd.DataFrame, room: pd.DataFrame, index: str, lang: str) -> str:
    """Gap between the stated total and the maximum, and how much of it the field targets ask for."""
    short = index_checks.SHORT_NAMES[index]
    mine = chosen[chosen["index"] == index]
    total = mine[mine["component"] == "total"]
    stated = total[total["baseline_stated"] != ""]
    fields = room[
        (room["index"] == index) & (room["kind"] == "score_at_least") & room["component"].str.fullmatch(r"F\d")
    ]
    if not stated.empty and stated.iloc[0]["max_stated"]:
        r = stated.iloc[0]
        base, maximum = float(r["baseline_stated"]), float(r["max_stated"])
        gap = maximum - base
        rank = r["baseline_rank_stated"]
        conflict = index_checks.baseline_conflicts(chosen)
        conflict = conflict[conflict["other_target_id"] == r["target_id"]] if len(conflict) else conflict
        if lang == "vi":
            text = (
                f"{short} năm {r['baseline_year']}: {_num(base, lang)}/{_max(maximum, lang)} điểm"
                + (f", hạng {rank}" if rank else "")
                + f"; còn cách điểm tối đa {_num(gap, lang)} điểm."
            )
            for _, c in conflict.iterrows():
                text += (
                    f" Lưu ý: {_num(base, lang)} là số ở {place(r['note'], lang)}; {place(c['used_note'], lang)} "
                    f"ghi {_num(c['used'], lang)} cho cùng điểm này (xem mục 2)."
                )
        else:
            text = (
                f"{short} {r['baseline_year']}: {_num(base, lang)} of {_max(maximum, lang)} points"
                + (f", rank {rank}" if rank else "")
                + f"; {_num(gap, lang)} points below the maximum."
            )
            for _, c in conflict.iterrows():
                text += (
                    f" Note: {_num(base, lang)} is the figure in {place(r['note'], lang)}; "
                    f"{place(c['used_note'], lang)} gives {_num(c['used'], lang)} for the same score (see section 2)."
                )
        if len(fields) and gap > 0:
            asked = float(fields["required_change"].sum())
            share = asked / gap
            if lang == "vi":
                text += (
                    f" {len(fields)} mục tiêu theo lĩnh vực cộng lại cần tăng {_num(asked, lang)} điểm, "
                    f"tức {share:.0%} khoảng cách đó."
                )
            else:
                text += (
                    f" The {len(fields)} field targets together require {_num(asked, lang, sign=True)} points, "
                    f"{share:.0%} of that gap."
                )
        return text
    pieces = []
    for _, r in room[room["index"] == index].iterrows():
        label = component_label(index, r["component"], lang)
        if r["kind"] == "percent_at_least" and not math.isnan(r["target"]):
            pieces.append(
                f"{label} ≥ {r['target_value']}% "
                + ("điểm tối đa" if lang == "vi" else "of the maximum")
                + f" ({_num(r['target'], lang)}/{_max(r['max_points'], lang)})"
            )
        elif r["kind"] == "improve_score_and_rank":
            pieces.append(
                f"{label}: "
                + ("tăng cả điểm và thứ hạng so với năm " if lang == "vi" else "raise both score and rank over ")
                + str(r["baseline_year"])
            )
    if not pieces:
        return ""
    if lang == "vi":
        return (
            "Mục tiêu " + "; ".join(pieces) + f". Kế hoạch không ghi điểm {short} năm gốc nên không tính được "
            "khoảng cách tới điểm tối đa và mức tăng cần có."
        )
    return (
        "Target: " + "; ".join(pieces) + f". The plan states no baseline {short} score, so the gap to the "
        "maximum and the required change cannot be computed."
    )


def target_indices(chosen: pd.DataFrame) -> list[str]:
    """Indices with at least one target or planned change in the plan (a stated baseline alone is not one)."""
    return list(dict.fromkeys(chosen.loc[chosen["kind"] != "stated_baseline", "index"]))


def summary_points(
    chosen: pd.DataFrame, checks: pd.DataFrame, lang: str, with_table: tuple[str, ...] = ()
) -> list[str]:
    """2-5 sentences for the summary block, every number from the plan's data. ``with_table``: indices
    for which a national table was given (their probabilities are in the report)."""
    if chosen.empty:
        return [
            "Kế hoạch này không đặt mục tiêu PAR INDEX hay SIPAS."
            if lang == "vi"
            else "This plan sets no PAR INDEX or SIPAS target."
        ]
    room = pd.concat(
        [index_checks.headroom(chosen[chosen["index"] == i], lang) for i in dict.fromkeys(chosen["index"])],
        ignore_index=True,
    )
    targets = chosen[chosen["kind"].isin(TARGET_KINDS)]
    n_par, n_sipas = int((targets["index"] == "par_index").sum()), int((targets["index"] == "sipas").sum())
    n_parts = int((chosen["kind"] == "planned_change").sum())
    if lang == "vi":
        counted = [
            f"{n} mục tiêu {name}" if n else f"không có mục tiêu {name}"
            for n, name in ((n_par, "PAR INDEX"), (n_sipas, "SIPAS"))
        ]
        points = [
            f"{plan_name(chosen, lang)}: "
            + ", ".join(counted)
            + (f", cùng {n_parts} mức tăng dự kiến cho các thành phần của lĩnh vực." if n_parts else ".")
        ]
    else:
        counted = [
            (f"{n} {name} target" + ("s" if n > 1 else "")) if n else f"no {name} target"
            for n, name in ((n_par, "PAR INDEX"), (n_sipas, "SIPAS"))
        ]
        points = [
            f"{plan_name(chosen, lang)}: "
            + " and ".join(counted)
            + (f", with {n_parts} planned increases of the fields' sub-parts." if n_parts else ".")
        ]
    counts = index_checks.summary_counts(checks)
    bad = index_checks.inconsistencies(checks)
    if counts["checks"]:
        if lang == "vi":
            text = f"{counts['inconsistencies']} trong {counts['checks']} phép kiểm tra số liệu của chính kế hoạch không khớp"
        else:
            text = f"{counts['inconsistencies']} of {counts['checks']} checks of the plan's own figures disagree"
        if len(bad):
            worst = bad.sort_values("discrepancy", ascending=False).iloc[0]
            what = CHECK_NAMES[lang][worst["check"]]
            label = component_label(worst["index"], worst["component"], lang)
            text += (
                f"; lớn nhất ({_num(worst['discrepancy'], lang)} điểm): {label}, {what}."
                if lang == "vi"
                else f"; the largest ({_num(worst['discrepancy'], lang)} points): {label}, {what}."
            )
        else:
            text += "."
        points.append(text)
    elif lang == "vi":
        points.append("Kế hoạch không ghi đủ số liệu để kiểm tra số học.")
    else:
        points.append("The plan states too few figures for any arithmetic check.")
    for index in dict.fromkeys(chosen["index"]):
        sentence = _gap_sentence(chosen, room, index, lang)
        if sentence:
            points.append(sentence)
    missing = [i for i in target_indices(chosen) if i not in with_table]
    names = " / ".join(index_checks.SHORT_NAMES[i] for i in missing)
    if missing and lang == "vi":
        points.append(
            f"Chưa tính được xác suất đạt mục tiêu: cần bảng {names} toàn quốc (mọi tỉnh, nhiều năm). "
            "Cách nạp: chép bảng của Bộ Nội vụ vào tệp CSV theo mẫu ở mục 2 của "
            "data/raw/targets/INDEX_TARGETS.md rồi chạy lại báo cáo với đường dẫn tới tệp (xem mục 3)."
        )
    elif missing:
        points.append(
            f"No probability of reaching the targets yet: that needs the national {names} table "
            "(every province, several years). To load it, copy the ministry's table into a CSV file in the "
            "layout of section 2 of data/raw/targets/INDEX_TARGETS.md and run this report again with the "
            "file's path (see section 3)."
        )
    else:
        points.append(
            "Xác suất đạt mục tiêu tính từ bảng toàn quốc đã nạp: xem mục 2."
            if lang == "vi"
            else "Probabilities of reaching the targets, from the national table given: see section 2."
        )
    return points


# --------------------------------------------------------------------------- tables


def checks_frame(checks: pd.DataFrame, lang: str, failed: bool = True) -> pd.DataFrame:
    """The checks that disagree (``failed=True``, largest difference first) or those that agree, as a
    tidy frame for ``tables.show_table``."""
    ok = checks["ok"].astype(bool)
    shown = checks[~ok] if failed else checks[ok]
    if failed:
        shown = shown.sort_values("discrepancy", ascending=False)
    out = pd.DataFrame(
        {
            "component": [component_label(i, c, lang) for i, c in zip(shown["index"], shown["component"])],
            "check": shown["check"].map(CHECK_NAMES[lang]).tolist(),
            "message": shown["message"].str.replace(r"^(\w)", lambda m: m.group(1).upper(), regex=True).tolist(),
        }
    )
    if failed:
        out["discrepancy"] = shown["discrepancy"].tolist()
    return out


def _fits(value: object) -> bool | None:
    """True / False, or None where there was no parent to check against (NaN)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else bool(value)


def conflict_notes(chosen: pd.DataFrame, lang: str) -> dict[str, str]:
    """target_id -> a sentence saying which of two conflicting stated figures a row uses, which one
    agrees with the parent's total, and the headroom with the other figure."""
    conflicts = index_checks.baseline_conflicts(chosen)
    notes = {}
    for _, c in conflicts.iterrows():
        label = component_label(c["index"], c["component"], lang)
        used_at, other_at = place(c["used_note"], lang), place(c["other_note"], lang)
        u, o = _num(c["used"], lang), _num(c["other"], lang)
        if lang == "vi":
            text = (
                f"Cảnh báo: kế hoạch ghi điểm {label} năm {c['baseline_year']} hai lần, {u} ({used_at}) và {o} "
                f"({other_at}). Bảng trên dùng {u} ({used_at})."
            )
            if _fits(c["other_fits_parent"]) and _fits(c["used_fits_parent"]) is False:
                text += f" Nhưng chỉ {o} khớp với điểm lĩnh vực {c['parent']} (tổng các thành phần)."
            text += (
                f" Nếu dùng {o}: mục tiêu {_num(c['other_target'], lang)}, còn cách điểm tối đa "
                f"{_num(c['other_gap_to_max'], lang)}, mức tăng cần {_num(c['other_required_change'], lang, True)}"
                " điểm. Cần xác nhận lại số liệu này."
            )
        else:
            text = (
                f"Warning: the plan states the {c['baseline_year']} {label} score twice, {u} ({used_at}) and {o} "
                f"({other_at}). The table above uses {u} ({used_at})."
            )
            if _fits(c["other_fits_parent"]) and _fits(c["used_fits_parent"]) is False:
                text += f" Only {o} agrees with the score of field {c['parent']} (the sum of its parts)."
            text += (
                f" With {o}: target {_num(c['other_target'], lang)}, gap to maximum "
                f"{_num(c['other_gap_to_max'], lang)}, required change {_num(c['other_required_change'], lang, True)}"
                " points. This figure should be confirmed."
            )
        notes[c["target_id"]] = text
    return notes


def headroom_frame(room: pd.DataFrame, lang: str, conflicts: dict[str, str] | None = None) -> pd.DataFrame:
    """Baseline, rank, maximum, target, gap to maximum, required change and share of the gap, per target;
    a figure the plan does not state stays missing. ``note`` flags rows whose baseline the plan contradicts."""
    conflicts = conflicts or {}
    flag = {
        "vi": "Số liệu năm gốc mâu thuẫn: xem cảnh báo dưới bảng",
        "en": "Conflicting baseline: see the warning below",
    }
    out = pd.DataFrame(
        {
            "component": [component_label(i, c, lang) for i, c in zip(room["index"], room["component"])],
            "kind": room["kind"].tolist(),
            "baseline": room["baseline"].tolist(),
            "baseline_rank": room["baseline_rank"].replace("", None).tolist(),
            "max_points": room["max_points"].tolist(),
            "target": room["target"].tolist(),
            "gap_to_max": room["gap_to_max"].tolist(),
            "required_change": room["required_change"].tolist(),
            "share_of_headroom": room["share_of_headroom"].tolist(),
        }
    )
    at_max = {"vi": "Đã đạt điểm tối đa năm gốc", "en": "Already at the maximum in the baseline year"}
    notes = [
        flag[lang] if t in conflicts else (at_max[lang] if gap == 0 else "")
        for t, gap in zip(room["target_id"], room["gap_to_max"])
    ]
    if any(notes):
        out["note"] = notes
    return out


def evaluation_frame(evaluated: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An evaluation through a national table: probability with its interval and the verdict."""
    columns = {
        "component": [component_label(i, c, lang) for i, c in zip(evaluated["index"], evaluated["indicator"])],
        "baseline": evaluated["baseline"].tolist(),
        "target": pd.to_numeric(evaluated["target_value"], errors="coerce").tolist(),
        "required_change": evaluated["required_change"].tolist(),
        "gap_to_max": evaluated["gap_to_max"].tolist(),
    }
    for column in ("probability", "probability_low", "probability_high"):
        columns[column] = evaluated[column].tolist()
    columns["verdict"] = evaluated["verdict"].tolist()
    return pd.DataFrame(columns)


def needs_table_text(index: str, lang: str) -> str:
    """How to get a probability: what table is missing and how to give it to this report (no code)."""
    spec = indices.get_index(index)
    if lang == "vi":
        return (
            f"Chưa có xác suất đạt mục tiêu {index_checks.SHORT_NAMES[index]}: cần bảng {spec.name(lang)} toàn quốc "
            "(điểm của mọi tỉnh qua nhiều năm) để biết các tỉnh thường tăng được bao nhiêu điểm trong một năm; "
            "số liệu trong kế hoạch không cho biết điều đó. Bảng này chưa được công bố dưới dạng máy đọc được. "
            "Cách nạp: chép bảng của Bộ Nội vụ vào một tệp CSV theo mẫu ở mục 2 của tệp "
            "data/raw/targets/INDEX_TARGETS.md rồi chạy lại báo cáo này với đường dẫn tới tệp đó (lệnh mẫu ở cùng "
            "mục); báo cáo khi đó cho xác suất và nhận định theo cùng mô hình đã kiểm định với PAPI."
        )
    return (
        f"No probability of reaching the {index_checks.SHORT_NAMES[index]} targets yet: that needs the national "
        f"{spec.name(lang)} table (every province's score over several years), which shows how much provinces "
        "usually gain in a year; the plan's own figures cannot say that. The table is not published in a "
        "machine-readable form. To load it: copy the Ministry of Home Affairs' table into a CSV file in the "
        "layout of section 2 of data/raw/targets/INDEX_TARGETS.md and run this report again with the path of "
        "that file (the command is in the same section); the report then gives probabilities and verdicts from "
        "the same model that is calibrated on PAPI."
    )


def checks_sentence(checks: pd.DataFrame, lang: str) -> str:
    """One line nbval can compare: checks run, and which failed."""
    counts = index_checks.summary_counts(checks)
    bad = index_checks.inconsistencies(checks)
    names = "; ".join(
        f"{index_checks.SHORT_NAMES.get(r.index, r.index)} {r.component}: "
        f"{CHECK_NAMES[lang][r.check]} ({r.stated} / {r.found})"
        for r in bad.itertuples()
    )
    if lang == "vi":
        names = re.sub(r"(\d)\.(\d)", r"\1,\2", names).replace(" vs ", " so với ")
        return f"{counts['checks']} phép kiểm tra, {counts['inconsistencies']} chỗ không khớp" + (
            f": {names}" if names else ""
        )
    return f"{counts['checks']} checks, {counts['inconsistencies']} inconsistencies" + (f": {names}" if names else "")


def probability_text(index: str, has_table: bool, lang: str) -> str:
    """Section 3: where the probabilities are (a national table was given) or how to get them."""
    if has_table:
        short = index_checks.SHORT_NAMES[index]
        return (
            f"Xác suất đạt mục tiêu {short} ở bảng mục 2, tính từ bảng toàn quốc đã nạp bằng cùng mô hình đã kiểm "
            "định với PAPI."
            if lang == "vi"
            else f"The probabilities of reaching the {short} targets are in the table of section 2, computed from the "
            "national table given, with the same model that is calibrated on PAPI."
        )
    return needs_table_text(index, lang)


def no_inconsistency_text(checks: pd.DataFrame, lang: str) -> str:
    """Section 1 when every check agrees (or the plan states too few figures to check)."""
    n = len(checks)
    if not n:
        return (
            "Kế hoạch không ghi đủ số liệu (điểm năm gốc, mức tăng, điểm tối đa) để kiểm tra số học."
            if lang == "vi"
            else "The plan states too few figures (baseline, planned change, maximum) for any arithmetic check."
        )
    return f"Cả {n} phép kiểm tra đều khớp." if lang == "vi" else f"All {n} checks agree."


def table_caption(chosen: pd.DataFrame, index: str, lang: str, evaluated: bool = False) -> str:
    """Caption of a section-2 table: index, province, years, and what the table does not show."""
    short = index_checks.SHORT_NAMES[index]
    mine = chosen[chosen["index"] == index]
    name = provinces.name(int(mine["province_code"].iloc[0]), lang)
    base, target = int(mine["baseline_year"].min()), int(mine["target_year"].max())
    if evaluated:
        return (
            f"{short}, {name}: mục tiêu năm {target} so với năm {base}, xác suất từ bảng toàn quốc"
            if lang == "vi"
            else f"{short}, {name}: {target} targets against {base}, probabilities from the national table"
        )
    return (
        f"{short}, {name}: mục tiêu năm {target} so với điểm năm {base} do kế hoạch ghi (chưa có xác suất)"
        if lang == "vi"
        else f"{short}, {name}: {target} targets against the {base} scores the plan states (no probability yet)"
    )


def figure_source(chosen: pd.DataFrame, index: str, lang: str) -> str:
    """Where in the plan the drawn figures are written ('table 2.1'), for the figure's source line."""
    mine = chosen[(chosen["index"] == index) & (chosen["kind"] != "stated_baseline")]
    generic = place("", lang)
    places = [p for p in dict.fromkeys(place(note, lang) for note in mine["note"]) if p != generic]
    return ", ".join(places)


def figure_caption(room: pd.DataFrame, lang: str) -> str:
    """How to read the headroom figure and what it does not show (counts from the rows drawn)."""
    from ...figures.indices import headroom_rows

    rows = headroom_rows(room)
    n = len(rows)
    base, target = int(rows["baseline_year"].min()), int(rows["target_year"].max())
    fields = bool(rows["component"].str.fullmatch(r"F\d").all())
    if lang == "vi":
        what = f"{n} lĩnh vực" if fields else "tổng điểm"
        return (
            f"Cách đọc: mỗi thanh là {'một lĩnh vực' if fields else 'tổng điểm'}, dài bằng điểm tối đa của nó "
            f"(các lĩnh vực có điểm tối đa khác nhau). Phần xám đậm là điểm năm {base} kế hoạch ghi, phần cam là mức "
            f"tăng tới mục tiêu năm {target}; con số bên phải: điểm gốc → mục tiêu / điểm tối đa. Biểu đồ vẽ {what}; "
            "các thành phần của lĩnh vực ở bảng dưới. Biểu đồ không cho biết mức tăng có khả thi hay không, "
            "cũng không so sánh với các tỉnh khác."
        )
    what = f"the {n} fields" if fields else "the total"
    return (
        f"How to read: each bar is {'a field' if fields else 'the total'}, as long as its maximum points (fields "
        f"have different maxima). Dark grey is the {base} score the plan states, orange the planned gain to the "
        f"{target} target; the numbers on the right: baseline → target / maximum. The figure shows {what}; the "
        "fields' parts are in the table below. It does not show whether a gain is achievable, nor how other "
        "provinces score."
    )
