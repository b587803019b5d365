"""The sentence tables' class, :class:`papi_analysis.report.messages.Messages`, where the texts modules have always
imported it from (it lives in ``report/`` because the figures use it too)."""

from ..messages import Bound, Messages, fields

__all__ = ["Bound", "Messages", "fields"]
