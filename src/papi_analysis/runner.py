"""Execute the parameterized notebooks with papermill and keep them free of volatile metadata."""

from __future__ import annotations

from pathlib import Path

import nbformat

from . import config

KERNEL = "python3"
NOTEBOOKS: dict[str, str] = {
    "trends": "01_trends.ipynb",
    "targets": "02_target_realism.ipynb",
    "links": "03_dimension_links.ipynb",
}


def strip_volatile(path: Path) -> None:
    """Remove timestamps, durations and absolute paths that papermill and Jupyter write."""
    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "exception", "environment_variables"):
        pm.pop(key, None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, path)


def execute(notebook: Path, output: Path, parameters: dict | None = None, cwd: Path | None = None) -> Path:
    """Run ``notebook`` with papermill into ``output`` (kernel ``python3``), then strip volatile metadata."""
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters or {}, kernel_name=KERNEL,
        cwd=str(cwd or config.NOTEBOOKS), progress_bar=False, log_output=False,
    )
    strip_volatile(output)
    return output


def refresh_committed_notebooks() -> list[Path]:
    """Re-execute every notebook in ``notebooks/`` in place with its default parameters.

    The stored outputs are what nbval compares the cells marked ``# NBVAL_CHECK_OUTPUT`` against.
    """
    done = []
    for name in NOTEBOOKS.values():
        path = config.NOTEBOOKS / name
        execute(path, path)
        done.append(path)
    return done
