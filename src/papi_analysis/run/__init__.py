"""How reports are produced: ``tasks`` (what a request runs), ``outputs`` (file names, manifests, input hashes),
``runner`` (papermill reports per province, batches), ``kernels`` and
``kernel_state`` (one reused Jupyter kernel per worker), ``export`` (executed notebook -> one-language HTML),
``browser`` (headless Chromium: PDF printing), ``lifecycle`` (a run's id, province locks, stopping on Ctrl-C or
SIGTERM, cleaning what a killed run left), ``notebook_tools`` (fast nbformat import) and ``cli`` (the
``papi-analysis`` command).

May import ``report``, ``analysis`` and ``data``; nothing imports ``run``.
"""
