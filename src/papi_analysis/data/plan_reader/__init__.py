"""Plans as inputs: the plan schema, targets files as written, and provincial plan documents read into target rows.

* :mod:`.schema` — columns, kinds, groups, limits and workbook headers (vi/en) shared by every stage;
* :mod:`.tabular` — targets files (CSV, YAML, Excel) read safely into text cells that know their file, line and
  column (encodings, YAML aliases, sizes);
* :mod:`.phrases` — the one table of wordings (Vietnamese and English) for dimensions, indices, groups, numbers and
  kinds of target: adding a wording is one line; ``data/raw/targets/README.md`` shows the same table;
* :mod:`.documents` — the text of a plan document (.docx, .pdf with a text layer, .txt, standard input);
* :mod:`.outline` — paragraphs, headings, sentences and tables of that text;
* :mod:`.facts` — what the document says about itself: province, date, year, title, the indices it is about;
* :mod:`.statements` — what one sentence says (indices, dimensions, numbers, groups, ranks, years) from the phrases;
* :mod:`.candidates` — a target as read, with its doubts (confidence, reasons, fields to check);
* :mod:`.meanings` — the rows a wording makes for its subject (kinds, values, doubts, second readings);
* :mod:`.tables` — table rows (baseline, maximum, planned change, target) read by their header words;
* :mod:`.merging` — the rows of a whole plan settled: results as baselines, general aims, the same target merged;
* :mod:`.reading` — :func:`read_plan_document`: target rows in the plan schema, each with its exact quote, a
  confidence and, where a sentence allows two readings, both; sentences that look like targets but cannot be read
  are listed with the reason;
* :mod:`.compare` — rows read against hand-made rows, field by field (found, missed, wrong).
"""

from __future__ import annotations

from .documents import PlanDocumentError, read_document
from .reading import PlanReading, read_plan_document
from .schema import TargetFileError

__all__ = ["PlanDocumentError", "PlanReading", "TargetFileError", "read_document", "read_plan_document"]
