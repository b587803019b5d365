"""The stages import only the stages before them (run -> report -> analysis -> data), as pyproject.toml's contract says."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from papi_analysis import config

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(package_parent: Path, config_file: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([str(LINT_IMPORTS), str(config_file), "--no-cache"],
                          capture_output=True, text=True, env=env, cwd=package_parent)


def test_layers_contract_holds():
    result = _lint(config.ROOT / "src", config.ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_layers_contract_catches_an_upward_import(tmp_path):
    shutil.copytree(config.ROOT / "src" / "papi_analysis", tmp_path / "papi_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    schema = tmp_path / "papi_analysis" / "data" / "schema.py"
    schema.write_text(schema.read_text() + "\nfrom ..analysis import trends  # upward: data must not import analysis\n")
    result = _lint(tmp_path, config.ROOT / "pyproject.toml")
    assert result.returncode != 0
    assert "papi_analysis.data.schema -> papi_analysis.analysis.trends" in result.stdout


def test_layers_contract_catches_report_importing_run(tmp_path):
    shutil.copytree(config.ROOT / "src" / "papi_analysis", tmp_path / "papi_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    pages = tmp_path / "papi_analysis" / "report" / "pages.py"
    pages.write_text(pages.read_text() + "\nfrom ..run import runner  # upward: report must not import run\n")
    result = _lint(tmp_path, config.ROOT / "pyproject.toml")
    assert result.returncode != 0
    assert "papi_analysis.report.pages -> papi_analysis.run.runner" in result.stdout

