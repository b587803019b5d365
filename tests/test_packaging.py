"""environment.yml (conda) and pyproject.toml (pip) must list the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from papi_analysis import config

CONDA_ONLY = {"python", "pip"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_and_pyproject_list_the_same_dependencies():
    pyproject = tomllib.loads((config.ROOT / "pyproject.toml").read_text())
    pip_deps = {_name(d) for d in pyproject["project"]["dependencies"]}
    pip_deps |= {_name(d) for d in pyproject["project"]["optional-dependencies"]["test"]}
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    conda_deps = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - CONDA_ONLY
    assert conda_deps == pip_deps, (
        f"only in environment.yml: {sorted(conda_deps - pip_deps)}; only in pyproject.toml: {sorted(pip_deps - conda_deps)}"
    )


def test_readme_opens_with_the_two_commands():
    lines = [l.strip() for l in (config.ROOT / "README.md").read_text().splitlines()]
    commands = [l for l in lines[:40] if l.startswith("make ")]
    assert commands[:2] == ["make analysis", "make test"]
    ci = (config.ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
