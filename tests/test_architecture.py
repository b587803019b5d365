"""The stages import only the stages before them (run -> report -> analysis -> data), no module is part of an import
circle, and the package map in the docstring and README names every top-level module: pyproject.toml's contracts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papi_analysis import config

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(package_parent: Path, config_file: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(config_file), "--no-cache"], capture_output=True, text=True, env=env, cwd=package_parent
    )


def test_layers_contract_holds():
    result = _lint(config.ROOT / "src", config.ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def _lint_with_import(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """lint-imports on a copy of the package in which ``module`` (a path inside it) ends with ``line``."""
    shutil.copytree(
        config.ROOT / "src" / "papi_analysis", tmp_path / "papi_analysis", ignore=shutil.ignore_patterns("__pycache__")
    )
    path = tmp_path / "papi_analysis" / module
    path.write_text(path.read_text() + f"\n{line}\n")
    return _lint(tmp_path, config.ROOT / "pyproject.toml")


@pytest.mark.parametrize(
    "module,line,expected",
    [
        (
            "data/schema.py",
            "from ..analysis import trends",
            "papi_analysis.data.schema -> papi_analysis.analysis.trends",
        ),
        ("report/pages.py", "from ..run import runner", "papi_analysis.report.pages -> papi_analysis.run.runner"),
    ],
)
def test_layers_contract_catches_an_upward_import(tmp_path, module, line, expected):
    result = _lint_with_import(tmp_path, module, line)
    assert result.returncode != 0
    assert expected in result.stdout


def test_circle_contract_catches_a_circle_inside_a_stage(tmp_path):
    """data.panel imports data.raw_files; the reverse import closes a circle inside one stage."""
    result = _lint_with_import(tmp_path, "data/raw_files.py", "from .panel import N_PROVINCES")
    assert result.returncode != 0
    assert "No import circles" in result.stdout and "BROKEN" in result.stdout
    assert "- .raw_files -> .panel (1 import)" in result.stdout


def _modules(folder: Path) -> set[str]:
    """Module and sub-package names directly inside ``folder`` (no dunder files)."""
    return {
        p.stem if p.suffix == ".py" else p.name
        for p in folder.iterdir()
        if not p.name.startswith("__") and (p.suffix == ".py" or (p / "__init__.py").exists())
    }


def test_the_map_names_every_module():
    """README's "Where things are" and the package docstring name every stage and every module in each stage: a new
    module that the map does not name fails here."""
    import re

    import papi_analysis

    package = config.ROOT / "src" / "papi_analysis"
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Where things are", 1)[1].split("```", 2)[1]
    docstring = papi_analysis.__doc__
    top = _modules(package)
    assert top == {"config", "params", "data", "analysis", "report", "run"}, top
    for name in top:
        assert re.search(rf"\b{name}(\.py|/)", block), f"README map does not name {name}"
    for stage in ("data", "analysis", "report", "run"):
        assert f"papi_analysis.{stage}" in docstring
        for module in _modules(package / stage):
            assert re.search(rf"\b{module}\b", block), f"README map does not name {stage}/{module}"
            assert re.search(rf"\b{module}\b", docstring), f"package docstring does not name {stage}/{module}"
