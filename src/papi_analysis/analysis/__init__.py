"""What the numbers say: ``ranking`` (ranks and PAPI's four groups), ``trends``,
``links`` (between dimensions) and ``targets`` (plans' targets, their realism);
``rank_uncertainty`` and ``rank_change`` (how sure a rank is, why it changed), ``peers`` (alike
provinces) and ``frontier`` (gaps to the best province and the next group).

Imports ``data`` only, never ``report``.
"""
