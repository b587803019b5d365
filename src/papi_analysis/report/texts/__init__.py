"""The sentences of each report, Vietnamese and English, computed from the data: one module per report
(``trends``, ``ranks``, ``targets``, ``calibration``, ``advice``, ``links``, ``indices``), and the words of the plan
workbooks (``plan_forms``)."""
