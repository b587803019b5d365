"""A batch run on reused kernels gives the same executed notebooks and figures as fresh kernels (issue: speed).

One worker runs four notebooks in a row on one kernel (the hardest case for leftover state: a second province's
trends after a first province's links), and the same tasks run again with a fresh kernel per notebook. Every
output of every cell (text, tables, inline images, execution counts) and every figure file must be identical.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from papi_analysis import config
from papi_analysis.run import runner

PROVINCES = ["Cao Bằng", "Đà Nẵng"]


def _run(tmp: Path, name: str, monkeypatch, reuse: bool) -> tuple[dict, dict]:
    reports, figures = tmp / name / "reports", tmp / name / "figures"
    monkeypatch.setattr(config, "REPORTS", reports)
    monkeypatch.setenv("PAPI_FIGURES", str(figures))  # the kernels read it when they start
    tasks = [t for p in PROVINCES for t in runner.tasks_for(p, ["trends", "links"], "en")]
    results = runner.run_tasks(tasks, jobs=1, progress=False, reuse_kernel=reuse)
    assert [r.status for r in results] == ["ok"] * len(tasks), [r.message for r in results]
    notebooks = {p.relative_to(reports): nbformat.read(p, as_version=4) for p in sorted(reports.rglob("*.ipynb"))}
    files = {p.relative_to(figures): p.read_bytes() for p in sorted(figures.rglob("*")) if p.is_file()}
    return notebooks, files


def _outputs(cell) -> list:
    """The cell's outputs, consecutive pieces of one stream joined: the kernel sends printed text on a timer
    (ipykernel flushes stdout every 0.2 s), so the same prints can arrive as one message or two depending on the
    machine's load, with the same text."""
    joined: list = []
    for output in cell.get("outputs", []):
        if (
            output.get("output_type") == "stream"
            and joined
            and joined[-1].get("output_type") == "stream"
            and joined[-1]["name"] == output["name"]
        ):
            joined[-1] = {**joined[-1], "text": joined[-1]["text"] + output["text"]}
        else:
            joined.append(dict(output))
    return joined


def test_reused_kernels_give_the_same_notebooks_and_figures_as_fresh_kernels(tmp_path, monkeypatch):
    fresh_notebooks, fresh_figures = _run(tmp_path, "fresh", monkeypatch, reuse=False)
    reused_notebooks, reused_figures = _run(tmp_path, "reused", monkeypatch, reuse=True)
    assert len(fresh_notebooks) == 4 and len(fresh_figures) > 20
    assert list(reused_notebooks) == list(fresh_notebooks)
    for path, fresh in fresh_notebooks.items():
        reused = reused_notebooks[path]
        assert len(reused.cells) == len(fresh.cells)
        for index, (a, b) in enumerate(zip(fresh.cells, reused.cells)):
            assert a.get("execution_count") == b.get("execution_count"), (path, index)
            assert _outputs(a) == _outputs(b), f"{path}: cell {index} differs:\n{a.source[:200]}"
    assert list(reused_figures) == list(fresh_figures)
    different = [str(p) for p in fresh_figures if fresh_figures[p] != reused_figures[p]]
    assert not different, different


def test_a_failed_notebook_gives_the_next_one_a_fresh_kernel(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    good = runner.tasks_for("Cà Mau", ["trends"], "en")[0]
    bad = runner.Task(
        province_code=good.province_code,
        slug=good.slug,
        notebook="trends",
        parameters={**good.parameters, "start_year": 2030},
    )
    worker = runner.new_worker()
    try:
        first = runner.run_task(bad, worker)
        assert first.status == "failed" and worker.km is None  # dropped: its state is unknown
        second = runner.run_task(good, worker)
        assert second.status == "ok" and worker.notebooks_run == 1
        assert second.kernel_rss_mib > 50
    finally:
        worker.shutdown()


def test_a_worker_warms_up_while_its_first_kernel_starts():
    from papi_analysis.run import kernels

    calls = []
    worker = kernels.KernelWorker(
        runner.KERNEL,
        runner.KERNEL_ARGUMENTS,
        config.NOTEBOOKS,
        while_starting=lambda: calls.append(worker.km.has_kernel),
    )
    try:
        worker.ready()
        assert calls == [True]  # once, with the kernel launched and not yet waited for
        worker.restart()
        worker.ready()
        assert calls == [True]  # not again for a replacement kernel
    finally:
        worker.shutdown()
    assert runner.new_worker().while_starting is runner._warm_up_html


def test_a_reset_leaves_no_garbage_behind():
    from jupyter_core.utils import run_sync

    def run(code: str) -> str:
        text = []
        run_sync(worker.kc.execute_interactive)(
            code,
            timeout=60,
            output_hook=lambda m: text.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
        )
        return "".join(text)

    worker = runner.new_worker()
    try:
        worker.ready()
        run(
            "import gc\nclass Node: pass\nring = [Node() for _ in range(1000)]\n"
            "for a, b in zip(ring, ring[1:] + ring[:1]): a.next = b"
        )  # 1000 objects in a cycle
        worker.ready()  # the next notebook's reset: the namespace goes, and the cycle with it
        assert run("import gc\nprint(gc.collect())").strip() == "0"
    finally:
        worker.shutdown()
