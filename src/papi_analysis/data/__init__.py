"""What PAPI measures and where every number comes from.

``schema`` (dimensions, scales, methodology periods), ``provinces`` (the
registry and name resolver), ``readers`` (the official file formats),
``importer`` (official files -> ``data/raw/``) and ``panel`` (``data/raw/`` ->
the validated tidy panel in ``data/processed/``). Imports nothing from
``analysis`` or ``report``.
"""
