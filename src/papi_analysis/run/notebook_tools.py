"""The notebook tools of the report runner (nbformat, papermill, nbconvert), imported quickly and once.

nbformat validates notebooks with jsonschema. When the optional ``rfc3987-syntax`` package is installed
(jupyterlab brings it, through jupyter-events and ``jsonschema[format-nongpl]``), jsonschema imports it to check
"iri" strings, and that import builds a parser for the whole RFC 3987 grammar: 1.7 s of CPU in every process that
imports nbformat (python-jsonschema/jsonschema#1392), twice the rest of papermill's import. The notebook schemas
have no "iri" field, so the runner's processes do without that checker. Nothing here runs in a notebook kernel.
"""

from __future__ import annotations

import sys


def skip_iri_checker() -> None:
    """Make ``import rfc3987_syntax`` fail in this process (jsonschema then leaves "iri" formats unchecked),
    unless something already imported it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None blocks the import
