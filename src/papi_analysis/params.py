"""Validation of notebook and command-line parameters, with messages that say what to do.

papermill only warns about a misspelled parameter and runs with the defaults;
these checks run in the cell after the ``parameters`` cell and stop the
notebook on bad input (:func:`check_injected` compares the names papermill
injected with those the notebook declares). :func:`file_slug` is the one way
an id from a user (a plan id, a target id) becomes part of a file name.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when needed: this module is imported by every stage, and the province table by few
    from .data import provinces

FIRST_YEAR = 2011
LANGUAGES = ("vi", "en")


def last_year() -> int:
    """The last PAPI year published, on either geography: read from the panels (2024, the 63 provinces' last survey,
    until a release on the 34 provinces is imported), never written in the code. ``params.LAST_YEAR`` is this."""
    from .data.panel import read_panel

    return max(int(read_panel(geography=g)["year"].max()) for g in ("63", "34"))


def __getattr__(name: str) -> int:
    if name == "LAST_YEAR":  # derived from the data when asked for: importing params reads no file
        return last_year()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ParameterError(ValueError):
    """A notebook or CLI parameter that cannot be used."""


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be 'vi' (Vietnamese) or 'en' (English), not {lang!r}.")
    return lang


def check_years(start_year: int, end_year: int) -> tuple[int, int]:
    """Validated (start, end) survey years within the published range (:func:`last_year`, from the data)."""
    last = None
    for label, value in (("start_year", start_year), ("end_year", end_year)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"{label} must be a whole year such as 2018, not {value!r}.")
        last = last_year() if last is None else last
        if not FIRST_YEAR <= value <= last:
            raise ParameterError(f"{label}={value} is outside the published PAPI years {FIRST_YEAR}-{last}.")
    if start_year > end_year:
        raise ParameterError(f"start_year ({start_year}) is after end_year ({end_year}); swap them.")
    return start_year, end_year


def check_province(province: str | int) -> provinces.Province:
    """The province record; an unknown name stops with the resolver's closest matches."""
    from .data import provinces

    try:
        return provinces.get(province)
    except provinces.UnknownProvinceError as err:
        raise ParameterError(str(err)) from None


def check_choice(label: str, value: str, choices: tuple[str, ...] | list[str]) -> str:
    if value not in choices:
        raise ParameterError(f"{label} must be one of {', '.join(map(str, choices))}; got {value!r}.")
    return value


# --------------------------------------------------------------------------- names made from a user's ids

#: longest file-name part made from an id (a plan id, a target id): with the notebook's name, language and a figure's
#: prefix, a file name stays far below the 255 bytes file systems allow
SLUG_MAX = 48
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def file_slug(text: object, max_length: int = SLUG_MAX) -> str:
    """The one way an id from a user becomes part of a file name: ASCII letters, digits, ``-`` and ``_`` only.

    An id that already is such a name, at most ``max_length`` characters, is kept as it is ("cao-bang-2023",
    "D1-score"). Any other id keeps a readable ASCII part and gets 8 hex digits of its SHA-256, so that two
    different ids never share a file name: "45/KH-UBND" -> "45-KH-UBND-" + 8 digits, a 309-character id -> 48
    characters. No id can name a folder, climb out of one (``..``), hide a file (a leading dot) or carry markup.
    """
    text = unicodedata.normalize("NFC", str(text))
    if _SAFE_NAME.fullmatch(text) and len(text) <= max_length:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    readable = re.sub(r"[^A-Za-z0-9_]+", "-", ascii_text).strip("-_")[: max(0, max_length - 9)].strip("-_")
    return f"{readable}-{digest}" if readable else digest


#: a temporary file's name: ``.<final name>.<pid>-<8 hex digits>.tmp`` (optionally followed by the final name's suffix,
#: for tools that check it), in the folder of the file it becomes, so that ``os.replace`` makes it whole at once; the
#: pid lets the next run remove what a killed process left
TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp(\.\w+)?")


def temporary_path(path: Path, keep_suffix: bool = False) -> Path:
    """A name beside ``path`` to write to first and ``os.replace`` onto it (unique to this process and call);
    ``keep_suffix``: ending in ``path``'s suffix too (papermill wants ``.ipynb``)."""
    path = Path(path)
    suffix = path.suffix if keep_suffix else ""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp{suffix}")


# --------------------------------------------------------------------------- parameters papermill injected

#: the comment papermill writes first in the cell it injects after a notebook's ``parameters`` cell
INJECTED_MARK = "# Parameters"


def _assigned_names(source: str) -> list[str]:
    """Names a cell assigns at its top level (``x = 1``, ``x: int = 1``), in order."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    names: list[str] = []
    for node in body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names.extend(t.id for t in targets if isinstance(t, ast.Name))
    return list(dict.fromkeys(names))


def check_injected(history: list[str] | None = None) -> None:
    """Stop a notebook that papermill ran with a parameter it does not declare (``-p lnag en``): papermill only
    warns and runs with the defaults, so a misspelt name would give another report than the one asked for.

    Call it first in the cell after the ``parameters`` cell. ``history``: the sources of the cells run so far, in
    order (default: the kernel's input history); the injected cell is the last one starting with
    :data:`INJECTED_MARK`, and the cell run just before it is the notebook's own parameters cell. Without an injected
    cell (a notebook run as it is) there is nothing to check.
    """
    if history is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return
        history = list(shell.history_manager.input_hist_raw)
    marks = [i for i, source in enumerate(history) if source.lstrip().startswith(INJECTED_MARK)]
    if not marks:
        return
    declared = _assigned_names(history[marks[-1] - 1]) if marks[-1] > 0 else []
    unknown = [name for name in _assigned_names(history[marks[-1]]) if name not in declared]
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, declared, n=1)
        hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
    raise ParameterError(
        f"this notebook has no parameter {', '.join(hints)}; its parameters are "
        f"{', '.join(declared) or 'none'}. Nothing was computed: run it again with -p and one of these names."
    )
