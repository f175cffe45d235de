"""Build the report dict (schema ``newsweave.report/1``) from the store, without re-analysing.

The contract is documented in ``docs/report.md``; fields listed there are stable, new fields may be
added. The report is written from the stories' read model (:mod:`newsweave.report.view`), as the
web's pages are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsweave.report.view import SCHEMA, article_entry, load_story_views, report_from_views
from newsweave.store import Store

__all__ = ["SCHEMA", "article_entry", "build_report"]


def build_report(store: Store, story_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The report over the given stories (all stories when None), from what the store holds."""
    return report_from_views(load_story_views(store, story_ids))
