"""A fetched or archived HTML page -> a :class:`~newsweave.model.Document` (through the one HTML
extractor, :func:`newsweave.ingest.html.extract_html`), with paywall, consent and sign-in pages
refused."""

from __future__ import annotations

from typing import Any

from newsweave.errors import EmptyInput
from newsweave.ingest.dates import to_iso_date
from newsweave.ingest.html import extract_html
from newsweave.model import Document
from newsweave.sources.canonical import canonical_url, same_site, site_of
from newsweave.sources.paywall import WallPage, detect_wall

__all__ = ["HTML_TYPES", "page_document"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})


def page_document(
    html: str,
    *,
    url: str,
    final_url: str | None = None,
    status: int = 200,
    fetched_at: str | None = None,
    source: str | None = None,
    published: str | None = None,
    title: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Document:
    """Extract the article of a page. ``url`` is the URL asked for, ``final_url`` where
    redirects ended. ``source``/``published``/``title`` given by a feed win over the page's.
    The Document's ``url`` is the canonical URL (the page's own canonical link when it points to
    the same site); the URLs as given are kept in ``meta``. Raises :class:`WallPage` for
    paywall, consent and sign-in pages and :class:`~newsweave.errors.EmptyInput` for pages
    without text.
    """
    final = final_url or url
    extracted = extract_html(html)
    wall = detect_wall(html, extracted.text, status=status, final_url=final, title=extracted.title)
    if wall is not None:
        raise WallPage(url, wall)
    if not extracted.text.strip():
        raise EmptyInput(url, "no article text could be extracted from the page")
    canonical = canonical_url(final)
    if extracted.url and extracted.url.startswith(("http://", "https://")):
        declared = canonical_url(extracted.url)
        if same_site(declared, final):
            canonical = declared
    info: dict[str, Any] = {"original_url": url}
    if final != url:
        info["final_url"] = final
    if fetched_at:
        info["fetched"] = fetched_at
    info.update(meta or {})
    page_published = extracted.published
    if published and page_published and page_published != published:
        info["page_published"] = page_published
    return Document(
        text=extracted.text,
        url=canonical,
        title=title or extracted.title,
        source=source or extracted.source or site_of(final) or None,
        published=to_iso_date(published) or page_published,
        format="html",
        meta=info,
    )
