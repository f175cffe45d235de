"""Main-text and metadata extraction from an HTML page (never fetches anything).

trafilatura finds the article text, title, site name and URL; htmldate finds the publication
date from the parsed page. When trafilatura finds nothing (a broken or truncated page), a plain
lxml walk over the block elements gives whatever text there is.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Any

from newsweave.ingest.dates import to_iso_date

__all__ = ["ExtractedHtml", "extract_html"]

log = logging.getLogger(__name__)

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "td")
_SKIP = (
    "script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
)  # fmt: skip


#: how many elements from the top of a page the date search reads when the markup has no date
DATE_SEARCH_ELEMENTS = 300


@dataclass
class ExtractedHtml:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None


def _parse(html: str) -> Any:
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            return None


def _fallback_text(tree: Any) -> str:
    """Text of the block elements (or of the whole body) of a parsed page."""
    tree = copy.deepcopy(tree)  # a copy we may prune
    for bad in tree.xpath("|".join(f"//{tag}" for tag in _SKIP)):
        parent = bad.getparent()
        if parent is not None:
            parent.remove(bad)
    lines: list[str] = []
    for el in tree.iter(*_BLOCKS):
        if any(anc.tag in _BLOCKS for anc in el.iterancestors()):
            continue
        text = " ".join("".join(el.itertext()).split())
        if text:
            lines.append(text)
    if not lines:
        body = tree.find(".//body")
        root = body if body is not None else tree
        lines = [" ".join(chunk.split()) for chunk in root.itertext() if chunk.strip()]
    return "\n".join(lines)


def _top_of(tree: Any, elements: int) -> Any:
    """A copy of a parsed page cut after its first ``elements`` elements (document order)."""
    tree = copy.deepcopy(tree)
    every = list(tree.iter())
    kept = set(every[:elements])
    for el in every[elements:]:
        parent = el.getparent()
        if parent is not None and parent in kept:
            parent.remove(el)
    return tree


def _publication_date(tree: Any) -> str | None:
    """From the page's markup (meta tags, time elements, URL) first; else from the text near
    the top of the page, where datelines are. htmldate's search of the text runs a date parser
    on every date-like element, seconds on a long page full of dates, so it only reads the
    first ``DATE_SEARCH_ELEMENTS`` elements."""
    try:
        from htmldate import find_date

        found = find_date(
            tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
        ) or find_date(
            _top_of(tree, DATE_SEARCH_ELEMENTS), original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception as exc:  # htmldate raises assorted errors on odd pages
        log.debug("htmldate failed: %s", exc)
        return None
    return to_iso_date(found) if found else None


def extract_html(html: str) -> ExtractedHtml:
    """Extract the main text (one paragraph per line) and metadata from an HTML string."""
    if not re.search(r"<[a-zA-Z!/]", html):
        return ExtractedHtml(text=html.strip())
    tree = _parse(html)
    text = ""
    title = source = url = date = None
    try:
        import trafilatura

        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
            # its date is only a fallback for ours: markup only (the text search is slow)
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura can fail on malformed markup
        log.debug("trafilatura failed: %s", exc)
        result = None
    if result is not None:
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        text = data.get("text") or ""
        title = data.get("title") or None
        source = data.get("sitename") or None
        url = data.get("url") or None
        date = data.get("date") or None
    if not text.strip() and tree is not None:
        text = _fallback_text(tree)
    published = _publication_date(tree) if tree is not None else None
    return ExtractedHtml(
        text=text,
        title=title,
        source=source,
        url=url,
        published=published or to_iso_date(date),
    )
