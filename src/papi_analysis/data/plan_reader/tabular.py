"""Targets files as written: CSV, YAML or an Excel workbook, read into text cells that know where they came from.

Nothing here interprets a target (that is :mod:`papi_analysis.analysis.targets.plans`); it only reads a file a user
wrote, safely, and refuses what cannot be read with one sentence naming the file and where in it:

* text must be UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with how to save it as
  UTF-8 (Vietnamese Windows and older Excel save Windows-1258 or Latin-1, which cannot be told apart reliably);
* YAML is composed, never constructed: values are the text as written ("5.60" keeps its decimals), tags other than
  YAML's own are refused, and aliases may expand the file to at most :data:`~.schema.MAX_YAML_VALUES` values (a
  500-byte alias bomb is refused in milliseconds);
* a workbook is read from the first sheet whose header row names the required columns (in English or Vietnamese,
  as the plan forms write them); drop-down values "code · words" are read as their code; a row without kind and
  target value is a row of the form left as printed (its baseline filled in, no target chosen) and is skipped;
* a folder, an empty file, a header without rows and a file with more than :data:`~.schema.MAX_TARGETS` rows are
  refused before any row is looked at.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .schema import (
    HEADERS,
    MAX_FILE_BYTES,
    MAX_TARGETS,
    MAX_YAML_VALUES,
    REQUIRED_COLUMNS,
    TargetFileError,
    code_of,
    column_of,
    shown,
)

SUFFIXES: tuple[str, ...] = (".csv", ".yaml", ".yml", ".xlsx")
#: columns whose workbook values may be drop-down choices ("code · words")
CHOICE_COLUMNS = ("kind", "indicator", "target_value", "geography", "confidence")
_YAML_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}


@dataclass
class RawTable:
    """A targets file's rows as text cells (columns renamed to the schema's names where a header names one)."""

    frame: pd.DataFrame
    name: str
    kind: str  # "csv", "yaml" or "xlsx"
    total: int  # rows in the file (the frame holds at most MAX_TARGETS + 1 of them)
    rows: list[int]  # line (CSV, YAML) or worksheet row of each row
    columns: dict[str, str] = field(default_factory=dict)  # column -> "column 11" / "column K"
    cells: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)  # YAML: (row, column) -> line, col
    sheet: str = ""

    def where(self, i: int, column: str | None = None) -> str:
        """Where row ``i`` (and ``column``) is: "plan.csv, line 3, column 11 (target_value)"."""
        if self.kind == "yaml":
            line, col = self.cells.get((i, column), (self.rows[i], 0)) if column else (self.rows[i], 0)
            place = f"{self.name}, line {line}" + (f", column {col}" if col else "")
            return place + (f" ({column})" if column else "")
        if self.kind == "xlsx":
            place = f"{self.name}, sheet {self.sheet!r}, row {self.rows[i]}"
        else:
            place = f"{self.name}, line {self.rows[i]}"
        if column and column in self.columns:
            return f"{place}, {self.columns[column]} ({column})"
        return place


def read_table(path: str | Path) -> RawTable:
    """The rows of a targets file (.csv, .yaml/.yml, .xlsx; suffix in any case), or :class:`TargetFileError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TargetFileError(f"{path.name}: targets files are .csv, .yaml or .xlsx (Excel), not {shown(suffix)}.")
    if not path.exists():
        raise TargetFileError(f"{path} does not exist.")
    if path.is_dir():
        raise TargetFileError(f"{path} is a folder, not a targets file: give the path of the .csv/.yaml/.xlsx file.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TargetFileError(
            f"{path.name} is {size:,} bytes; a targets file is at most {MAX_FILE_BYTES:,} bytes "
            f"({MAX_TARGETS} targets). Split it by province or plan."
        )
    if suffix == ".xlsx":
        table = _read_xlsx(path)
    else:
        text = decode_text(path.read_bytes(), path.name)
        table = _read_csv(text, path.name) if suffix == ".csv" else _read_yaml(text, path.name)
    missing = [c for c in REQUIRED_COLUMNS if c not in table.frame.columns]
    if missing:
        raise TargetFileError(
            f"{path.name}: missing column(s) {missing}. See data/raw/targets/README.md for the schema"
            + (" (or start from 'papi-analysis plan-template')." if suffix == ".xlsx" else ".")
        )
    if table.frame.empty:
        raise TargetFileError(
            f"no targets in {path.name}: it has a header and no target rows. Write one row per target below "
            "the header (see data/raw/targets/README.md)."
        )
    if table.total > MAX_TARGETS:
        raise TargetFileError(
            f"{path.name} has {table.total:,} targets; a targets file holds at most {MAX_TARGETS} (a provincial "
            "plan has 10-80). Split it into one file per province or plan."
        )
    return table


def decode_text(data: bytes, name: str) -> str:
    """Text of a file saved as UTF-8 (BOM or not) or UTF-16 (BOM, or unmistakable zero bytes); else a sentence
    saying how to save it as UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(data, "utf-16", name)
    elif len(data) >= 4 and data[1::2].count(0) > 0.4 * len(data[1::2]) and 0 not in data[0::2][:200]:
        return _utf16(data, "utf-16-le", name)
    elif len(data) >= 4 and data[0::2].count(0) > 0.4 * len(data[0::2]) and 0 not in data[1::2][:200]:
        return _utf16(data, "utf-16-be", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise TargetFileError(
            f"{name} is not saved as UTF-8 (line {line}, column {column}: byte 0x{data[err.start]:02X}); it was "
            "probably saved as Windows-1258 or Latin-1, as Vietnamese Windows and older Excel do. Save it as UTF-8 "
            "and run again: in Excel, File > Save As > 'CSV UTF-8 (Comma delimited)'; in Notepad, Save As > "
            "Encoding: UTF-8."
        ) from None


def _utf16(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise TargetFileError(
            f"{name} looks like UTF-16 but cannot be read as such; save it as UTF-8 (in Excel: File > Save As > "
            "'CSV UTF-8 (Comma delimited)') and run again."
        ) from None


def _named(header: list[str]) -> list[str]:
    """Header cells as schema column names where they name one (either language), else as written."""
    return [column_of(h) or str(h).strip() for h in header]


# --------------------------------------------------------------------------- CSV


def _read_csv(text: str, name: str) -> RawTable:
    if not text.strip():
        raise TargetFileError(
            f"{name}: the file is empty; a targets CSV needs a header row and one row per target "
            "(see data/raw/targets/README.md)."
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        columns = _named(header)
        rows: list[list[str]] = []
        lines: list[int] = []
        previous, total = reader.line_num, 0
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            total += 1
            if len(rows) > MAX_TARGETS:
                continue  # counted, not kept: refused with the size sentence
            if len(record) > len(columns):
                raise TargetFileError(
                    f"{name}, line {start}: {len(record)} values but the header has {len(columns)} columns "
                    "(a value with a comma needs double quotes around it)."
                )
            rows.append(record + [""] * (len(columns) - len(record)))
            lines.append(start)
    except csv.Error as err:
        raise TargetFileError(f"{name}, line {reader.line_num}: not a readable CSV file ({err}).") from None
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise TargetFileError(f"{name}, line 1: column(s) {duplicated} appear twice in the header.")
    frame = pd.DataFrame(rows, columns=columns, dtype=object).astype(object)
    return RawTable(frame, name, "csv", total, lines, columns={c: f"column {k + 1}" for k, c in enumerate(columns)})


# --------------------------------------------------------------------------- YAML


def _read_yaml(text: str, name: str) -> RawTable:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise TargetFileError(f"{name}{where}: not valid YAML ({problem}).") from None
    if root is None:
        raise TargetFileError(f"{name}: the file is empty; see data/raw/targets/README.md for a YAML example.")
    _check_size(root, name)
    if isinstance(root, yaml.MappingNode):
        pairs = _pairs(root, name)
        target_node = pairs.pop("targets", (None, None))[1]
        defaults = {key: (_scalar(value, name, key), value) for key, (_, value) in pairs.items()}
    else:
        target_node, defaults = root, {}
    if not isinstance(target_node, yaml.SequenceNode):
        line = (target_node or root).start_mark.line + 1
        raise TargetFileError(
            f"{name}, line {line}: expected a list of targets (or a mapping with a 'targets' list), one mapping of "
            "columns per target: - {indicator: D1, kind: score_at_least, target_value: 5.3}."
        )
    records, lines, cells = [], [], {}
    for i, item in enumerate(target_node.value[: MAX_TARGETS + 1]):
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise TargetFileError(
                f"{name}, line {line}: target {i + 1} is {shown(getattr(item, 'value', ''))}, not a mapping of columns; "
                "write each target as {indicator: D1, kind: score_at_least, target_value: 5.3}."
            )
        record = {}
        for key, (value_str, value_node) in defaults.items():
            record[key] = value_str
            cells[(i, key)] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        for key, (_, value) in _pairs(item, name).items():
            record[key] = _scalar(value, name, key)
            cells[(i, key)] = (value.start_mark.line + 1, value.start_mark.column + 1)
        records.append(record)
        lines.append(line)
    columns = list(dict.fromkeys(k for r in records for k in r)) or list(defaults)
    frame = pd.DataFrame([[r.get(c, "") for c in columns] for r in records], columns=columns, dtype=object)
    return RawTable(frame, name, "yaml", len(target_node.value), lines, cells=cells)


def _check_size(root, name: str) -> None:
    """Refuse YAML whose aliases expand it past :data:`MAX_YAML_VALUES` values, or that refers to itself."""
    import yaml

    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise TargetFileError(f"{name}, line {node.start_mark.line + 1}: a YAML alias refers to itself.")
        if node.tag not in _YAML_TAGS and node.tag != "tag:yaml.org,2002:merge":
            raise TargetFileError(
                f"{name}, line {node.start_mark.line + 1}, column {node.start_mark.column + 1}: the YAML tag "
                f"{shown(node.tag)} is not allowed in a targets file (plain values only)."
            )
        active.add(key)
        if isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        else:
            total = 1
        active.discard(key)
        sizes[key] = total
        if total - len(sizes) > MAX_YAML_VALUES:  # values added by aliases (written ones are bounded by the size)
            raise TargetFileError(
                f"{name}: its YAML aliases (*name) expand it to more than {MAX_YAML_VALUES:,} values; a targets file "
                "lists its targets and may share fields through aliases, not multiply them."
            )
        return total

    size(root)


def _pairs(node, name: str) -> dict:
    """A mapping node's keys (text) -> (key node, value node), merge keys (<<: *defaults) applied."""
    import yaml

    out: dict = {}
    merged: dict = {}
    for key, value in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                if not isinstance(source, yaml.MappingNode):
                    raise TargetFileError(f"{name}, line {key.start_mark.line + 1}: '<<' merges a mapping.")
                for k, v in _pairs(source, name).items():
                    merged.setdefault(k, v)
            continue
        if not isinstance(key, yaml.ScalarNode):
            raise TargetFileError(f"{name}, line {key.start_mark.line + 1}: a key must be a column name.")
        out[str(key.value).strip()] = (key, value)
    return {**merged, **out}


def _scalar(node, name: str, key: str) -> str:
    """The text of a value as written ('5.60', '2023+'); null and '~' are empty; lists and mappings are refused."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise TargetFileError(
            f"{name}, line {node.start_mark.line + 1}, column {node.start_mark.column + 1} ({key}): one value "
            "is expected here, not a list or mapping."
        )
    if node.tag == "tag:yaml.org,2002:null":
        return ""
    return str(node.value)


# --------------------------------------------------------------------------- Excel


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or non-Excel file
        raise TargetFileError(
            f"{path.name} cannot be opened as an Excel workbook ({type(err).__name__}); save it from Excel as .xlsx."
        ) from None
    try:
        for sheet in book.worksheets:
            found = _header_row(sheet)
            if found is None:
                continue
            header_row, header = found
            columns = _named(header)
            records: list[list[str]] = []
            rows, total = [], 0
            for r, row in enumerate(sheet.iter_rows(min_row=header_row + 1), header_row + 1):
                cells = [_cell_text(c.value, getattr(c, "number_format", "")) for c in row[: len(columns)]]
                if not any(cells):
                    continue
                cells += [""] * (len(columns) - len(cells))
                record = dict(zip(columns, cells))
                if not record.get("kind", "").strip() and not record.get("target_value", "").strip():
                    continue  # a row of the plan form left as printed: its baseline filled in, no target chosen
                total += 1
                if len(records) > MAX_TARGETS:
                    continue
                records.append([code_of(c) if col in CHOICE_COLUMNS else c for c, col in zip(cells, columns)])
                rows.append(r)
            frame = pd.DataFrame(records, columns=columns, dtype=object)
            letters = {c: f"column {get_column_letter(k + 1)}" for k, c in enumerate(columns)}
            return RawTable(frame, path.name, "xlsx", total, rows, columns=letters, sheet=sheet.title)
    finally:
        book.close()
    names = ", ".join(HEADERS[c]["en"] + " / " + HEADERS[c]["vi"] for c in REQUIRED_COLUMNS)
    raise TargetFileError(
        f"{path.name}: no sheet has a header row naming the required columns ({names}); start from "
        "'papi-analysis plan-template' or see data/raw/targets/README.md."
    )


def _header_row(sheet) -> tuple[int, list[str]] | None:
    """The first of the sheet's first 10 rows that names every required column, with its cells."""
    for r, values in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), 1):
        header = [_cell_text(v) for v in values]
        while header and not header[-1]:
            header.pop()
        if set(REQUIRED_COLUMNS) <= set(_named(header)):
            return r, header
    return None


def _cell_text(value: object, number_format: str = "") -> str:
    """A cell as text: numbers as Excel shows them without grouping (2024, 45.6; "5.30" under the format 0.00, so a
    plan's decimals survive), dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        decimals = _decimals_of(number_format)
        if decimals is not None:
            return f"{value:.{decimals}f}"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _decimals_of(number_format: str | None) -> int | None:
    """Decimals a number format shows ("0.00" -> 2, "0" -> 0); None for General or anything else."""
    text = str(number_format or "").split(";")[0]
    if not text or text == "General" or not set(text) <= set("0#.,"):
        return None
    return len(text.split(".", 1)[1]) if "." in text else 0
