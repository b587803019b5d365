"""The sentences of each report, Vietnamese and English, computed from the data: one module per report
(``trends``, ``ranks``, ``targets``, ``calibration``, ``advice``, ``links``, ``indices``), the words of the plan
workbooks (``plan_forms``), and ``glossary``: the terms a reader meets, explained once at the end of a report."""
