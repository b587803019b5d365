"""How reports are produced: ``runner`` (papermill reports per province, batches), ``kernels`` and
``kernel_state`` (one reused Jupyter kernel per worker), ``export`` (executed notebook -> one-language HTML),
``browser`` (headless Chromium: PDF printing), ``notebook_tools`` (fast nbformat import) and ``cli``
(the ``papi-analysis`` command).

May import ``report``, ``analysis`` and ``data``; nothing imports ``run``.
"""
