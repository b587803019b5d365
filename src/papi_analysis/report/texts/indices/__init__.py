"""Texts and tidy tables (vi / en) for a plan's PAR INDEX and SIPAS targets (notebook 04_other_indices).

The wording is in :mod:`.wording` (Messages tables); this module chooses the message and passes the values.
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
from ....params import LANGUAGES
from ... import numbers
from .wording import CHECKS, PLACES, SAY

#: footnote of the headroom tables: a dash there is a figure the plan does not state (language -> text)
NOT_STATED = {lang: SAY("not_stated", lang) for lang in LANGUAGES}
TARGET_KINDS = ("score_at_least", "percent_at_least", "improve_score_and_rank")
#: column kinds for ``tables.show_table`` where this module's frames differ from tables.COLUMNS
KINDS = {"target": "points"}
#: a number with decimals as index_checks writes it in a check's stated and found figures ("7.73")
_DECIMAL = re.compile(r"\d+\.\d+")


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
        return SAY("total", lang, short=short)
    if part.parent and part.parent != "total":
        return f"{short} {part.parent} – {part.name(lang)}"
    return f"{short} {component} {part.name(lang)}"


def place(note: str, lang: str) -> str:
    """'table 2.1' / 'bảng 2.1' from a targets-file note that starts with where the figure is written."""
    found = re.match(r"\s*(table|footnote)\s+([\d.]*\d)", note or "")
    if not found:
        return PLACES("plan", lang)
    return PLACES(found.group(1), lang, n=found.group(2))


def plan_name(chosen: pd.DataFrame, lang: str) -> str:
    """'Cao Bang, plan of 2023 (baseline 2022, targets for 2023)' in the report's language."""
    first = chosen.iloc[0]
    return SAY(
        "plan_name",
        lang,
        name=provinces.name(int(first["province_code"]), lang),
        year=str(first["plan_date"])[:4],
        base=int(chosen["baseline_year"].min()),
        target=int(chosen["target_year"].max()),
    )


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
        sentences = [
            SAY(
                "gap_ranked" if rank else "gap",
                lang,
                short=short,
                year=r["baseline_year"],
                baseline=base,
                maximum=maximum,
                rank=rank,
                gap=gap,
            )
        ]
        sentences += [
            SAY(
                "gap_conflict",
                lang,
                baseline=base,
                place=place(r["note"], lang),
                other_place=place(c["used_note"], lang),
                other=c["used"],
            )
            for _, c in conflict.iterrows()
        ]
        if len(fields) and gap > 0:
            asked = float(fields["required_change"].sum())
            sentences.append(SAY("gap_asked", lang, n=len(fields), asked=asked, share=asked / gap))
        return " ".join(sentences)
    pieces = []
    for _, r in room[room["index"] == index].iterrows():
        label = component_label(index, r["component"], lang)
        if r["kind"] == "percent_at_least" and not math.isnan(r["target"]):
            pieces.append(
                SAY(
                    "percent_target",
                    lang,
                    label=label,
                    share=float(r["target_value"]),
                    target=r["target"],
                    maximum=r["max_points"],
                )
            )
        elif r["kind"] == "improve_score_and_rank":
            pieces.append(SAY("improve_target", lang, label=label, year=r["baseline_year"]))
    if not pieces:
        return ""
    return SAY("no_baseline", lang, targets="; ".join(pieces), short=short)


def target_indices(chosen: pd.DataFrame) -> list[str]:
    """Indices with at least one target or planned change in the plan (a stated baseline alone is not one)."""
    return list(dict.fromkeys(chosen.loc[chosen["kind"] != "stated_baseline", "index"]))


def _count(n: int, name: str, lang: str) -> str:
    """'8 PAR INDEX targets', '1 SIPAS target', 'no SIPAS target'."""
    key = "no_index_target" if not n else "index_target" if n == 1 else "index_targets"
    return SAY(key, lang, n=n, name=name)


def summary_points(
    chosen: pd.DataFrame, checks: pd.DataFrame, lang: str, with_table: tuple[str, ...] = ()
) -> list[str]:
    """2-5 sentences for the summary block, every number from the plan's data. ``with_table``: indices
    for which a national table was given (their probabilities are in the report)."""
    if chosen.empty:
        return [SAY("no_targets", lang)]
    room = pd.concat(
        [index_checks.headroom(chosen[chosen["index"] == i], lang) for i in dict.fromkeys(chosen["index"])],
        ignore_index=True,
    )
    targets = chosen[chosen["kind"].isin(TARGET_KINDS)]
    n_par, n_sipas = int((targets["index"] == "par_index").sum()), int((targets["index"] == "sipas").sum())
    n_parts = int((chosen["kind"] == "planned_change").sum())
    points = [
        SAY(
            "counts_parts" if n_parts else "counts",
            lang,
            plan=plan_name(chosen, lang),
            par=_count(n_par, "PAR INDEX", lang),
            sipas=_count(n_sipas, "SIPAS", lang),
            n_parts=n_parts,
        )
    ]
    counts = index_checks.summary_counts(checks)
    bad = index_checks.inconsistencies(checks)
    if counts["checks"]:
        found = dict(bad=counts["inconsistencies"], n=counts["checks"])
        if len(bad):
            worst = bad.sort_values("discrepancy", ascending=False).iloc[0]
            points.append(
                SAY(
                    "checks_disagree_worst",
                    lang,
                    **found,
                    discrepancy=worst["discrepancy"],
                    label=component_label(worst["index"], worst["component"], lang),
                    check=CHECKS(worst["check"], lang),
                )
            )
        else:
            points.append(SAY("checks_disagree", lang, **found))
    else:
        points.append(SAY("too_few_checks", lang))
    for index in dict.fromkeys(chosen["index"]):
        sentence = _gap_sentence(chosen, room, index, lang)
        if sentence:
            points.append(sentence)
    missing = [i for i in target_indices(chosen) if i not in with_table]
    if missing:
        points.append(SAY("needs_tables", lang, names=" / ".join(index_checks.SHORT_NAMES[i] for i in missing)))
    else:
        points.append(SAY("tables_given", lang))
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
            "check": [CHECKS(check, lang) for check in shown["check"]],
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
        sentences = [
            SAY(
                "conflict",
                lang,
                label=component_label(c["index"], c["component"], lang),
                year=c["baseline_year"],
                used=c["used"],
                used_place=place(c["used_note"], lang),
                other=c["other"],
                other_place=place(c["other_note"], lang),
            )
        ]
        if _fits(c["other_fits_parent"]) and _fits(c["used_fits_parent"]) is False:
            sentences.append(SAY("conflict_parent", lang, other=c["other"], parent=c["parent"]))
        sentences.append(
            SAY(
                "conflict_other",
                lang,
                other=c["other"],
                target=c["other_target"],
                gap=c["other_gap_to_max"],
                change=c["other_required_change"],
            )
        )
        notes[c["target_id"]] = " ".join(sentences)
    return notes


def headroom_frame(room: pd.DataFrame, lang: str, conflicts: dict[str, str] | None = None) -> pd.DataFrame:
    """Baseline, rank, maximum, target, gap to maximum, required change and share of the gap, per target;
    a figure the plan does not state stays missing. ``note`` flags rows whose baseline the plan contradicts."""
    conflicts = conflicts or {}
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
    notes = [
        SAY("conflicting_baseline", lang) if t in conflicts else (SAY("at_max", lang) if gap == 0 else "")
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
    name = indices.get_index(index).name(lang)
    return SAY("needs_table", lang, short=index_checks.SHORT_NAMES[index], name=name)


def _figures(text: str, lang: str) -> str:
    """A check's stated or found figures ("7.73 vs 7.43", "4.75 + 6.79 -> 11.49") in the reader's marks, each
    number with the decimals it has."""
    text = _DECIMAL.sub(
        lambda m: numbers.number(float(m.group()), lang, decimals=len(m.group().split(".")[1]), grouping=False),
        str(text),
    )
    return text.replace(" vs ", f" {SAY('versus', lang)} ")


def checks_sentence(checks: pd.DataFrame, lang: str) -> str:
    """One line nbval can compare: checks run, and which failed."""
    counts = index_checks.summary_counts(checks)
    listed = "; ".join(
        SAY(
            "check_listed",
            lang,
            short=index_checks.SHORT_NAMES.get(r.index, r.index),
            component=r.component,
            check=CHECKS(r.check, lang),
            stated=_figures(r.stated, lang),
            found=_figures(r.found, lang),
        )
        for r in index_checks.inconsistencies(checks).itertuples()
    )
    found = dict(n=counts["checks"], bad=counts["inconsistencies"])
    return SAY("checks_line_listed", lang, **found, listed=listed) if listed else SAY("checks_line", lang, **found)


def probability_text(index: str, has_table: bool, lang: str) -> str:
    """Section 3: where the probabilities are (a national table was given) or how to get them."""
    if has_table:
        return SAY("probability_given", lang, short=index_checks.SHORT_NAMES[index])
    return needs_table_text(index, lang)


def no_inconsistency_text(checks: pd.DataFrame, lang: str) -> str:
    """Section 1 when every check agrees (or the plan states too few figures to check)."""
    n = len(checks)
    return SAY("all_agree", lang, n=n) if n else SAY("too_few_figures", lang)


def table_caption(chosen: pd.DataFrame, index: str, lang: str, evaluated: bool = False) -> str:
    """Caption of a section-2 table: index, province, years, and what the table does not show."""
    mine = chosen[chosen["index"] == index]
    return SAY(
        "caption_evaluated" if evaluated else "caption_stated",
        lang,
        short=index_checks.SHORT_NAMES[index],
        name=provinces.name(int(mine["province_code"].iloc[0]), lang),
        base=int(mine["baseline_year"].min()),
        target=int(mine["target_year"].max()),
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
    fields = bool(rows["component"].str.fullmatch(r"F\d").all())
    return SAY(
        "figure_fields" if fields else "figure_total",
        lang,
        n=len(rows),
        base=int(rows["baseline_year"].min()),
        target=int(rows["target_year"].max()),
    )
