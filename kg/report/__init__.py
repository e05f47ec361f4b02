"""The HTML topic report of a built graph (``kg report``; ``kg build`` writes it as ``report.html``)."""

from kg.report.page import render_report, write_report

__all__ = ["render_report", "write_report"]
