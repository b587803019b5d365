"""What a report request runs: the notebooks, their parameters, and the plan each targets report reads.

:func:`tasks_for` turns one province (any spelling), a language, a geography and an optional plan into
:class:`Task` records, one notebook each; :func:`check_plan` refuses a plan before any kernel starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config
from ..data import provinces

NOTEBOOKS: dict[str, str] = {
    "trends": "01_trends.ipynb",
    "targets": "02_target_realism.ipynb",
    "links": "03_dimension_links.ipynb",
    "indices": "04_other_indices.ipynb",
}


class ReportError(ValueError):
    """A report request that cannot be run as asked."""


@dataclass
class Task:
    """One notebook for one province."""

    province_code: int
    slug: str
    notebook: str  # key of NOTEBOOKS
    parameters: dict
    force: bool = False
    geography: str = "63"  # "63" or "34": the geography province_code belongs to
    source: str | None = None  # notebook path when not one of NOTEBOOKS (tests, new reports)
    pdf: bool = False


def _stamp(*paths: Path) -> tuple:
    """Name, size and modification time of files: a memo below is reused only while they are unchanged."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else (str(p),) for p in paths)


@lru_cache(maxsize=8)
def _seed_targets(stamp: tuple):
    from ..analysis.targets import load_targets

    return load_targets()


@lru_cache(maxsize=8)
def _index_targets(stamp: tuple):
    from ..data.index_targets import load_index_targets

    return load_index_targets()


@lru_cache(maxsize=32)
def _declared_parameters(stamp: tuple) -> frozenset[str]:
    """Names assigned in the notebook's ``parameters`` cell (read with json and ast: importing papermill takes
    seconds, and a re-run with nothing changed should start no heavy import)."""
    import ast

    cells = json.loads(Path(stamp[0][0]).read_text(encoding="utf-8"))["cells"]
    source = next(("".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), "")
    return frozenset(
        target.id
        for node in ast.parse(source).body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    )


def seed_plan_for(code: int, geography: str = "63") -> str | None:
    """The most recent seed plan that belongs to a province (:func:`.plans.plans_written_for`): on the 34 geography,
    a plan written for the unit (from 2025), or its old province's when its boundaries did not change; a plan of an
    old province of a merged unit is read for it only when asked for (``--plan``)."""
    from ..analysis.targets.plans import latest_plan_for

    targets = _seed_targets(_stamp(config.RAW_CHECKSUMS))  # the seed plans are pinned in data/raw/SHA256SUMS
    return latest_plan_for(code, geography, targets)


def plan_sentence(task: Task) -> str:
    """For the command line: which plan a targets task reads, and for whom (an old province's plan read for its
    merged unit said so, its outcomes recast estimates); on the 34 without a plan, the former provinces' plans that
    can be asked for. '' for another notebook, or a province without any plan."""
    from ..analysis.targets.plans import borrowed_from, in_geography, old_province_plans, select_plan

    if task.notebook != "targets":
        return ""
    plan = task.parameters.get("plan")
    unit = provinces.name(task.province_code, "en", geography=task.geography)
    if not plan:
        if task.geography != "34":
            return ""
        old = old_province_plans(task.province_code, _seed_targets(_stamp(config.RAW_CHECKSUMS)))
        if not old:
            return ""
        listed = ", ".join(f"--plan {p} ({provinces.name(c, 'en')})" for p, c in old.items())
        return (
            f"no plan written for {unit} since 1 July 2025, so its targets report is not run; a plan of one of its "
            f"former provinces is read for it only when asked for: {listed} (its outcomes are then recast estimates)."
        )
    chosen = select_plan(plan)
    label = ", ".join(dict.fromkeys(chosen["plan_id"].astype(str)))
    if Path(plan).suffix:
        label += f" ({Path(plan).name})"
    if task.geography != "34":
        return f"targets report of {unit} reads plan {label}."
    authors = borrowed_from(in_geography(chosen, "34"), task.province_code)
    if not authors:
        return f"targets report of {unit} (34 provinces) reads plan {label}."
    names = " and ".join(provinces.name(c, "en") for c in authors)
    return (
        f"targets report of {unit} (34 provinces) reads plan {label}, written by the former {names}: read for the "
        f"new {unit}, its outcomes are recast estimates, not published results."
    )


def plan_geography(plan: str | None, geography: str) -> str:
    """The geography ``plan`` (seed id or file) is evaluated on: "34" when every target is on the 34 provinces
    (written so, or a target year from 2025), whatever --geography the other reports use; else ``geography``."""
    if not plan:
        return geography
    from ..analysis.targets.plans import select_plan, written_geography

    return "34" if (written_geography(select_plan(plan)) == "34").all() else geography


def declares_parameter(notebook: str, parameter: str) -> bool:
    """True when ``notebooks/<NOTEBOOKS[notebook]>`` declares ``parameter`` in its parameters cell."""
    return parameter in _declared_parameters(_stamp(config.NOTEBOOKS / NOTEBOOKS[notebook]))


def tasks_for(
    province: str | int,
    notebooks: list[str],
    lang: str,
    plan: str | None = None,
    force: bool = False,
    pdf: bool = False,
    geography: str = "63",
) -> list[Task]:
    """The notebook runs that make one province's report (``geography`` "63" or "34").

    ``province`` and ``lang`` are always passed explicitly: a notebook must not fall back on a default
    province (a misspelt papermill parameter would otherwise run another province). The ``geography``
    parameter is passed only to notebooks that declare it; a 34-province report from a notebook that
    does not is refused (it would show the old province).
    """
    unknown = [n for n in notebooks if n not in NOTEBOOKS]
    if unknown:
        raise ReportError(f"Unknown notebook(s) {unknown}; choose from {', '.join(NOTEBOOKS)}.")
    if lang not in ("vi", "en"):
        raise ReportError(f"--lang must be vi or en, not {lang!r}.")
    geography = provinces.check_geography(geography)
    record = provinces.get(province, geography=geography)
    tasks = []
    for name in notebooks:
        params: dict[str, str | None]
        if name == "trends":
            params = {"province": record.name_vi, "lang": lang}
        elif name == "links":
            params = {"province": record.name_vi, "lang": lang}
        elif name == "indices":
            from ..data.index_targets import index_plan_for

            params = {
                "plan": index_plan_for(record.code, _index_targets(_stamp(config.RAW_CHECKSUMS))) or "",
                "province": record.name_vi,
                "lang": lang,
            }
        else:
            # seed plans are keyed by the 63 provinces: on the 34, a plan of one of the unit's old provinces
            chosen = plan or seed_plan_for(record.code, geography)
            params = {
                "plan": str(Path(chosen).resolve()) if chosen and Path(chosen).suffix else chosen,
                "province": record.name_vi,
                "lang": lang,
            }
            on = plan_geography(plan, geography)
            if on != geography:  # a plan all for 2025 or later: read for the province this one became part of
                unit = provinces.get(provinces.province_2025(record.code), geography=on)
                tasks.append(
                    Task(
                        unit.code,
                        unit.slug,
                        name,
                        {**params, "province": unit.name_vi, "geography": on},
                        force,
                        on,
                        pdf=pdf,
                    )
                )
                continue
        if declares_parameter(name, "geography"):
            params["geography"] = geography
        elif geography != "63":
            raise ReportError(
                f"{NOTEBOOKS[name]} has no 'geography' parameter yet, so it can only report on the "
                f"63 provinces; run it with --geography 63 or leave it out (--notebooks)."
            )
        tasks.append(Task(record.code, record.slug, name, params, force, geography, pdf=pdf))
    return tasks


def check_plan(plan: str, province_names: list[str] | None = None, geography: str = "63") -> None:
    """Validate a targets file (or seed plan id) before any notebook starts; errors name file and line. On the 34
    geography a plan written for old provinces covers the units they became part of."""
    from ..analysis.targets import in_geography, select_plan

    on = plan_geography(plan, geography)
    if on != geography:  # a plan all for 2025 or later is read for the new provinces (see tasks_for)
        geography = on
        province_names = [provinces.name(provinces.province_2025(n), geography=on) for n in province_names or []]
    chosen = in_geography(select_plan(plan), geography)
    for name in province_names or []:
        code = provinces.resolve(name, geography=geography)
        if code not in set(chosen["province_code"]):
            raise ReportError(
                f"{plan}: no targets for {provinces.name(code, geography=geography)}; the plan covers "
                f"{', '.join(sorted({provinces.name(c, geography=geography) for c in chosen['province_code']}))}."
            )
