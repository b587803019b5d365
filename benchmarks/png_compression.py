"""PNG compression level of the print figures: write time against file size, on one province's real figures.

Reads every ``figures/<slug>/*.png`` (run a report first), and writes each raster again at zlib levels 1-9 in
memory. Prints the total encoding seconds (best of 3) and size per level, the table behind
``rendering.PNG_COMPRESS_LEVEL``.

Usage: python benchmarks/png_compression.py [slug]   (default quang-nam)
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    slug = sys.argv[1] if len(sys.argv) > 1 else "quang-nam"
    files = sorted((ROOT / "figures" / slug).glob("*.png"))
    if not files:
        raise SystemExit(f"no PNG in figures/{slug}/: run papi-analysis report --province ... first")
    images = [Image.open(p) for p in files]
    for image in images:
        image.load()  # decoded once, before timing; each keeps the mode it is stored in (RGB when opaque)
    pixels = sum(i.width * i.height for i in images)
    print(f"{len(images)} figures of figures/{slug}/, {pixels / 1e6:.1f} megapixels\n")
    print("| zlib level | write time (s) | size (MiB) |")
    print("|---:|---:|---:|")
    for level in (1, 2, 3, 4, 5, 6, 9):
        best, size = float("inf"), 0
        for _ in range(3):
            start = time.perf_counter()
            size = 0
            for image in images:
                buffer = io.BytesIO()
                image.save(buffer, format="PNG", compress_level=level)
                size += buffer.tell()
            best = min(best, time.perf_counter() - start)
        print(f"| {level} | {best:.2f} | {size / 2**20:.2f} |")


if __name__ == "__main__":
    main()
