"""What the numbers say: ``ranking`` (ranks and PAPI's four groups), ``trends``,
``links`` (between dimensions) and ``targets`` (plans' targets, their realism).

Imports ``data`` only, never ``report``.
"""
