"""Writing figures: each figure is rasterised once, and a figure that does not depend on the province is built once.

:func:`save_figure` writes ``<name>.png`` (print resolution, ``savefig.dpi``, 300) and ``<name>.svg`` (text kept
as text). The PNG is rendered once into memory; the file and the inline image a notebook shows (scaled to
:data:`INLINE_DPI`) are both made from that one raster, so nothing is drawn twice or decoded again. The tight
crop is computed once and used for every format, and the raster is drawn on a :class:`PrintCanvas`, whose renderers
share the sizes of the texts they measured (the crop's measurement and the drawing measured each text anew).

A national figure (the same for every province: correlation heatmaps, lag-lead charts) is passed as
:func:`national` ``(plot_function, *arguments)``. Its files are kept in ``data/processed/figure_cache/`` under a
key made of the function, its arguments (data frames by content), the matplotlib style in force and the
package's code; every later province copies them instead of drawing again. The bytes are the same as a fresh
drawing would give, because the key holds everything the drawing depends on.

Numbers in the reader's marks: a figure knows its language (:func:`localize`, set by the :func:`in_language`
decorator every plot function carries, or read from a national figure's ``lang`` argument), and the save path
writes its number axes and colorbars through :mod:`papi_analysis.report.numbers` ("5,4" in Vietnamese) just before
drawing, so that an axis added after the plot function returned is covered too.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import inspect
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import findfont

from ... import config
from ...analysis.cache import code_digest, computing
from ...params import check_lang, file_slug, temporary_path
from .. import numbers

#: Inline images are shown at this resolution (dots per inch), scaled down from the saved print PNG. A whole
#: fraction of the print resolution (300 / 3) lets the scaling average 3 x 3 pixel blocks, which is 10x faster than
#: a Lanczos resampling to an arbitrary size and as sharp at this reduction.
INLINE_DPI = 100
#: zlib level of the print PNGs, chosen by measurement (benchmarks/png_compression.py, README "Performance"; the
#: 23 figures of one province, 125 megapixels, stored as RGB): level 3 writes them in 1.95 s for 7.0 MiB; levels 4-6
#: take 2.6-2.7 s (35-40% longer) for files 14-15% smaller, and level 9 takes 7.9 s.
PNG_COMPRESS_LEVEL = 3
FIGURE_CACHE = config.DATA_PROCESSED / "figure_cache"
_PACKAGE = Path(__file__).resolve().parents[1]


@dataclass
class NationalFigure:
    """A figure that does not depend on the province: drawn on a cache miss only."""

    plot: Callable[..., plt.Figure]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def build(self) -> plt.Figure:
        fig = self.plot(*self.args, **self.kwargs)
        lang = language_argument(self.plot, self.args, self.kwargs)
        if fig is not None and lang is not None and figure_language(fig) is None:
            localize(fig, lang)  # a plot function without the decorator: its language is its argument
        return fig


def national(plot: Callable[..., plt.Figure], *args: Any, **kwargs: Any) -> NationalFigure:
    """Wrap ``plot(*args, **kwargs)`` for :func:`save_figure`: drawn once, reused for every province."""
    return NationalFigure(plot, args, kwargs)


def save_figure(
    fig: plt.Figure | NationalFigure,
    name: str,
    out_dir: Path,
    formats: tuple[str, ...] = ("png", "svg"),
    show: bool = True,
) -> list[Path]:
    """Save ``fig`` as ``out_dir/<name>.<format>`` (reproducible bytes: no dates), show it in a notebook, close it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = file_slug(name, max_length=120)  # a name is a file name in out_dir, whatever ids it was made from
    if isinstance(fig, NationalFigure):
        return _save_national(fig, name, out_dir, formats, show)
    files, inline, alt = _render(fig, formats)
    paths = []
    for fmt, data in files.items():
        path = out_dir / f"{name}.{fmt}"
        _write_whole(path, data)
        paths.append(path)
    if show and _in_notebook():
        _display(inline, alt)
    return paths


def _render(fig: plt.Figure, formats: tuple[str, ...]) -> tuple[dict[str, bytes], bytes, str]:
    """Bytes of each format, the inline PNG and the alt text; closes ``fig``."""
    from PIL import Image, PngImagePlugin

    lang = figure_language(fig)
    if lang is not None:
        numbers.localize_axes(fig, lang)  # axes added since the plot function returned
    alt = figure_alt_text(fig)
    dpi = _savefig_dpi()
    PrintCanvas(fig)  # the crop's measurement and the drawing share their text sizes
    bbox = _tight_bbox(fig, dpi)
    _freeze_layout(fig)
    files: dict[str, bytes] = {}
    raster = None
    for fmt in formats:
        buffer = io.BytesIO()
        if fmt == "png":
            raster = _opaque(_rgba(fig, dpi, bbox))
            info = PngImagePlugin.PngInfo()
            info.add_itxt("Title", alt)  # the figure's title, for the captions of the index page (report.pages)
            raster.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL, dpi=(dpi, dpi), pnginfo=info)
        else:
            metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
            fig.savefig(buffer, format=fmt, metadata=metadata, bbox_inches=bbox)
        files[fmt] = buffer.getvalue()
    if raster is None:
        raster = _opaque(_rgba(fig, dpi, bbox))
    plt.close(fig)
    factor = dpi / INLINE_DPI
    if factor == int(factor) and factor > 1:
        raster = raster.reduce(int(factor))  # mean of each factor x factor block
    elif factor > 1:
        raster = raster.resize(
            (max(1, round(raster.width / factor)), max(1, round(raster.height / factor))), Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    raster.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return files, buffer.getvalue(), alt


def _opaque(raster):
    """RGB when every pixel is opaque (the figures' white background): the same picture with a quarter less to
    compress; figures with transparency keep their alpha channel."""
    opaque = raster.getchannel("A").getextrema()[0] == 255  # the alpha channel alone: 4x faster than all four
    return raster.convert("RGB") if opaque else raster


def _savefig_dpi() -> float:
    dpi = mpl.rcParams["savefig.dpi"]
    return float(mpl.rcParams["figure.dpi"] if dpi == "figure" else dpi)


def _tight_bbox(fig: plt.Figure, dpi: float):
    """The crop ``savefig(bbox_inches="tight")`` would use, computed once (at the print resolution, like matplotlib).

    ``savefig`` first draws the whole figure without pixels, so that a layout engine can place the axes, and
    then measures. A figure whose layout is already done (the plotting functions call ``fig.tight_layout()``,
    which leaves a do-nothing engine behind) or that has no engine is measured as it stands: the same box for
    about half the work (``tests/test_plots.py`` compares it with ``savefig``'s own crop).
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if mpl.rcParams["savefig.bbox"] != "tight":
        return None
    original = fig.dpi
    try:
        fig.dpi = dpi
        engine = fig.get_layout_engine()
        if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
            fig.draw_without_rendering()
        return fig.get_tightbbox().padded(mpl.rcParams["savefig.pad_inches"])
    finally:
        fig.dpi = original


def _freeze_layout(fig: plt.Figure) -> None:
    """Keep the layout the tight-crop pass just computed. Otherwise every ``savefig`` runs one more drawing pass
    first because the figure has a layout engine, even the do-nothing one ``fig.tight_layout()`` leaves behind (as
    ``savefig`` itself does after its own pass); a figure is drawn 3 times instead of 5."""
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


class SharedSizesRenderer(RendererAgg):
    """Agg renderer that looks text sizes up in one table shared by all its kind, at the same resolution.

    matplotlib remembers the size of each text per renderer, and makes a new renderer whenever the canvas size
    changes, which the tight crop does: the crop's measurement and the drawing of the cropped figure each measured
    every text, and laying out a text with FreeType costs 0.2-0.7 ms (more with diacritics). A size depends only on
    the text, its font (the file it resolves to, and the family list for fallbacks), the resolution and the hinting
    settings, which make the key. On one province's trends and targets notebooks, 1,260 measurements at print
    resolution became 441.
    """

    _sizes: dict[tuple, tuple[float, float, float]] = {}

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:  # mathtext and TeX: as matplotlib measures them
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (
            s,
            self.dpi,
            tuple(prop.get_family()),
            findfont(prop),
            prop.get_style(),
            prop.get_variant(),
            prop.get_weight(),
            prop.get_stretch(),
            prop.get_size_in_points(),
            mpl.rcParams["text.hinting"],
            mpl.rcParams["text.hinting_factor"],
            mpl.rcParams["text.kerning_factor"],
        )
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 100_000:
                self._sizes.clear()
            size = self._sizes[key] = super().get_text_width_height_descent(s, prop, ismath)
        return size


class PrintCanvas(FigureCanvasAgg):
    """The Agg canvas figures are saved with: its renderers are :class:`SharedSizesRenderer`."""

    _renderer_key: tuple | None = None

    def get_renderer(self) -> SharedSizesRenderer:
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._renderer_key != key:  # as FigureCanvasAgg: a renderer per canvas size and resolution
            self.renderer = SharedSizesRenderer(width, height, self.figure.dpi)
            self._renderer_key = key
        return self.renderer


def _rgba(fig: plt.Figure, dpi: float, bbox):
    """The figure rendered once by Agg at ``dpi``, as a PIL image (no PNG encoding or decoding)."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=dpi, bbox_inches=bbox)
    raw = buffer.getvalue()
    # Agg's canvas is int(size * dpi) pixels; anything else means matplotlib changed: decode a PNG instead
    width, height = (
        (int(fig.get_figwidth() * dpi), int(fig.get_figheight() * dpi))
        if bbox is None
        else (int(bbox.width * dpi), int(bbox.height * dpi))
    )
    if len(raw) != 4 * width * height:
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=dpi, bbox_inches=bbox)
        return Image.open(io.BytesIO(png.getvalue())).convert("RGBA")
    return Image.frombuffer("RGBA", (width, height), raw, "raw", "RGBA", 0, 1)


# --------------------------------------------------------------------------- the figure's language


def localize(fig: plt.Figure, lang: str) -> plt.Figure:
    """Write ``fig``'s number axes and colorbars in ``lang``'s marks and remember the language, so that
    :func:`save_figure` localises again whatever is added before the figure is saved. Returns ``fig``."""
    chosen = check_lang(lang)
    setattr(fig, "_report_lang", chosen)  # noqa: B010  # matplotlib's Figure has no slot for it
    numbers.localize_axes(fig, chosen)
    return fig


def figure_language(fig: plt.Figure) -> str | None:
    """The language :func:`localize` gave ``fig`` (None: not known)."""
    return getattr(fig, "_report_lang", None)


def language_argument(plot: Callable[..., Any], args: tuple, kwargs: dict) -> str | None:
    """The ``lang`` a call ``plot(*args, **kwargs)`` draws in (its default when not passed); None if ``plot`` has no
    ``lang`` parameter."""
    try:
        bound = inspect.signature(plot).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return None
    bound.apply_defaults()
    return bound.arguments.get("lang")


PlotFunction = TypeVar("PlotFunction", bound=Callable[..., Any])


def in_language(plot: PlotFunction) -> PlotFunction:
    """Decorator of a plot function with a ``lang`` parameter: the figure it returns is :func:`localize` d in that
    language (tick labels and colorbars in the reader's marks; the numbers a function writes itself, in labels and
    legends, go through :mod:`papi_analysis.report.numbers`). ``tests/test_figure_marks.py`` checks that every plot
    function of the package carries it."""
    if "lang" not in inspect.signature(plot).parameters:
        raise TypeError(f"{plot.__qualname__} has no lang parameter to draw in")

    @functools.wraps(plot)
    def drawn(*args: Any, **kwargs: Any) -> plt.Figure | None:
        fig = plot(*args, **kwargs)
        if fig is not None:
            localize(fig, language_argument(plot, args, kwargs) or "")  # "": check_lang names the problem
        return fig

    setattr(drawn, "in_language", True)  # noqa: B010  # the mark tests/test_figure_marks.py looks for
    return cast(PlotFunction, drawn)


# --------------------------------------------------------------------------- national figures, drawn once


def _hash_value(digest: hashlib._Hash, value: Any) -> None:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        labels = value.columns if isinstance(value, pd.DataFrame) else [value.name]
        digest.update(
            repr(
                (
                    type(value).__name__,
                    value.shape,
                    list(map(str, labels)),
                    [str(t) for t in np.atleast_1d(value.dtypes)],
                )
            ).encode()
        )
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode() + value.tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            digest.update(repr(key).encode())
            _hash_value(digest, value[key])
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _hash_value(digest, item)
    elif value is None or isinstance(value, (str, int, float, bool, np.generic)):
        digest.update(repr(value).encode())
    else:
        raise TypeError(f"national figure arguments must be data frames, arrays or plain values, not {type(value)}")


def figure_key(figure: NationalFigure, formats: tuple[str, ...]) -> str:
    """16 hex digits: plotting function, arguments, formats, style (rcParams), matplotlib version and code."""
    digest = hashlib.sha256()
    digest.update(f"{figure.plot.__module__}.{figure.plot.__qualname__}|{formats}|{mpl.__version__}|".encode())
    _hash_value(digest, list(figure.args))
    _hash_value(digest, figure.kwargs)
    digest.update(repr(sorted((k, str(v)) for k, v in mpl.rcParams.items())).encode())
    digest.update(code_digest(_PACKAGE.rglob("*.py")))
    return digest.hexdigest()[:16]


def _save_national(
    figure: NationalFigure, name: str, out_dir: Path, formats: tuple[str, ...], show: bool
) -> list[Path]:
    folder = FIGURE_CACHE / figure_key(figure, formats)
    meta = folder / "figure.json"
    if not meta.exists():
        with computing(folder):  # a second worker waits for the first one's drawing instead of drawing it again
            if not meta.exists():
                try:
                    _store_national(figure, folder, formats)
                except OSError:  # a read-only data/processed/: drawn for this province only
                    return save_figure(figure.build(), name, out_dir, formats, show)
    paths = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        _write_whole(path, (folder / f"figure.{fmt}").read_bytes())
        paths.append(path)
    if show and _in_notebook():
        _display((folder / "inline.png").read_bytes(), json.loads(meta.read_text())["alt"])
    return paths


def _write_whole(path: Path, data: bytes) -> None:
    """Write under a temporary name and rename: a stopped run never leaves half a figure."""
    tmp = temporary_path(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _store_national(figure: NationalFigure, folder: Path, formats: tuple[str, ...]) -> None:
    files, inline, alt = _render(figure.build(), formats)
    tmp = temporary_path(folder)
    tmp.mkdir(parents=True)
    for fmt, data in files.items():
        (tmp / f"figure.{fmt}").write_bytes(data)
    (tmp / "inline.png").write_bytes(inline)
    (tmp / "figure.json").write_text(json.dumps({"alt": alt, "formats": list(formats)}, ensure_ascii=False))
    os.replace(tmp, folder)


# --------------------------------------------------------------------------- notebook display


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _display(png: bytes, alt: str) -> None:
    """Show an inline PNG in the notebook with its alt text."""
    from IPython.display import display

    width = int.from_bytes(png[16:20], "big")  # IHDR width
    display(
        {"image/png": base64.b64encode(png).decode("ascii")},
        raw=True,
        metadata={"image/png": {"alt": alt, "width": width}},
    )


def figure_alt_text(fig: plt.Figure) -> str:
    """The figure's title (suptitle, else the first axes title): the image's alt text in a report."""
    suptitle = getattr(fig, "_suptitle", None)
    titles = [suptitle.get_text()] if suptitle is not None else []
    titles += [ax.get_title() for ax in fig.axes]
    return next((t for t in titles if t and t.strip()), "")
