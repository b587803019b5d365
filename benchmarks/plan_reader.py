"""The plan reader on the five seed plans, as text and as Word and PDF copies made from the same text: per plan and
format, the hand-made rows found, missed and wrong (field by field), the rows read that no hand-made row has, the
ambiguities flagged, and the time to read. Prints the Markdown table of the README ("Reading plan documents").

    .venv/bin/python benchmarks/plan_reader.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from plan_documents import make_docx, make_pdf  # noqa: E402

from papi_analysis import config  # noqa: E402
from papi_analysis.data.plan_reader import read_plan_document  # noqa: E402
from papi_analysis.data.plan_reader.compare import compare_plan  # noqa: E402

PLANS = {
    "000_1f4afd1fb87d898f": "Quảng Nam 2021",
    "001_8ec1e42cff7f38c3": "Cao Bằng 2023",
    "002_ae2ba4cbc43b44b9": "Thừa Thiên Huế 2024",
    "003_f06d6464cc5e028e": "Đắk Lắk 2018",
    "004_469ec51c1b46772e": "Bình Thuận 2022",
}


def main() -> None:
    seeds = config.source_dir().parent / "seeds"
    read = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)  # noqa: E731
    papi = read(config.DATA_RAW / "targets" / "seed_plans.csv")
    index = read(config.DATA_RAW / "targets" / "indices" / "index_targets.csv")
    lines = [
        "| plan | format | hand-made rows (PAPI + PAR INDEX/SIPAS) | found | missed | wrong numbers | other wrong "
        "fields | fields left empty | rows read beyond the hand-made ones | ambiguities flagged | read in (s) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for stem, name in PLANS.items():
            text = (seeds / f"{stem}.txt").read_text(encoding="utf-8")
            paths = {
                "txt": seeds / f"{stem}.txt",
                "docx": make_docx(text, Path(folder) / f"{stem}.docx"),
                "pdf": make_pdf(text, Path(folder) / f"{stem}.pdf"),
            }
            for fmt, path in paths.items():
                start = time.perf_counter()
                reading = read_plan_document(path)
                seconds = time.perf_counter() - start
                reading.rows["source_file"] = reading.index_rows["source_file"] = f"{stem}.txt"
                mine = papi[papi["source_file"] == f"{stem}.txt"]
                mine_index = index[index["source_file"] == f"{stem}.txt"]
                c = compare_plan(reading, mine, mine_index)
                other = len(c.wrong) - c.wrong_numbers
                lines.append(
                    f"| {name} | .{fmt} | {c.expected} ({len(mine)} + {len(mine_index)}) | {c.found} | "
                    f"{len(c.missed)} | {c.wrong_numbers} | {other} | {len(c.missing)} | {len(c.extra_rows)} | "
                    f"{c.flagged}/{c.ambiguous} | {seconds:.2f} |"
                )
                if c.missed or c.wrong or c.extra_rows:
                    print(f"{name} .{fmt}: missed {c.missed}, wrong {c.wrong}, extra {c.extra_rows}", file=sys.stderr)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
