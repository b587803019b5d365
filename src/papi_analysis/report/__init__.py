"""What a reader sees: ``figures/`` (one style, one save helper, vi/en labels, the figure writer),
``tables`` (styled HTML tables and workbooks), ``texts/`` (the sentences of each report, vi/en), ``summary``
(the block that opens a report), ``target_figures`` (a figure per score target, up to a stated count), ``pages``
(each province's index page) and ``plan_forms`` (the plan review workbook and the plan form).

May import ``analysis`` and ``data``; how reports are produced (runner, kernels, HTML export, PDF printing, CLI)
lives in :mod:`papi_analysis.run`.
"""
