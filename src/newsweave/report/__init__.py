"""The report: built from the store (:func:`build_report`), rendered as JSON, Markdown and HTML
(:func:`write_report`)."""

from newsweave.report.build import SCHEMA, article_entry, build_report
from newsweave.report.render import render_html, render_markdown, write_report

__all__ = [
    "SCHEMA",
    "article_entry",
    "build_report",
    "render_html",
    "render_markdown",
    "write_report",
]
