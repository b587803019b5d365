"""What a reader sees: ``figures`` (one style, one save helper, vi/en labels),
``runner`` (papermill reports per province) and ``cli`` (``papi-analysis``).

May import ``analysis`` and ``data``.
"""
