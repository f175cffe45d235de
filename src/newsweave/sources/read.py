"""Reports from the web without a store: the pages of URLs (a feed's entries fetched in
turn) and the URLs of a URL-list file. ``newsweave.ingest.read_paths`` reads URLs with these;
:class:`newsweave.sources.collect.Collector` is the way to remember what was fetched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from newsweave.errors import InputError
from newsweave.model import Document
from newsweave.sources.canonical import canonical_url, is_http_url
from newsweave.sources.feeds import looks_like_feed, parse_feed
from newsweave.sources.fetch import Fetcher, FetchError
from newsweave.sources.pages import HTML_TYPES, page_document

__all__ = ["read_url_file", "read_urls"]


def read_url_file(path: str | Path) -> tuple[list[str], list[InputError]]:
    """The URLs of a URL-list file (one a line; blank lines and ``#`` comments skipped)."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [InputError(shown, f"cannot read the URL list: {exc}")]
    urls: list[str] = []
    problems: list[InputError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if is_http_url(line):
            urls.append(line.split()[0])
        else:
            problems.append(InputError(f"{shown}:{number}", "not an http(s) URL"))
    return urls, problems


def read_urls(
    urls: Iterable[str], fetcher: Fetcher | None = None
) -> Iterator[Document | InputError]:
    """Documents from URLs without a store (``newsweave.ingest.read_paths`` uses this): pages
    are extracted; a feed's entries are fetched and extracted. Nothing is remembered, so
    :class:`Collector` is the way to skip URLs fetched before."""
    own = fetcher is None
    active = fetcher or Fetcher()
    try:
        firsts: dict[str, str] = {}
        for url in urls:
            firsts.setdefault(canonical_url(url), url)
        for url, outcome in active.fetch_many(list(firsts.values())):
            if isinstance(outcome, FetchError):
                yield outcome
                continue
            if looks_like_feed(outcome.content_type, outcome.content):
                try:
                    feed = parse_feed(outcome.content, url)
                except InputError as exc:
                    yield exc
                    continue
                links = [e.link for e in feed.entries if e.link]
                entries = {e.link: e for e in feed.entries if e.link}
                for link, page in active.fetch_many(links):
                    if isinstance(page, FetchError):
                        yield page
                        continue
                    entry = entries[link]
                    try:
                        yield page_document(
                            page.text(),
                            url=link,
                            final_url=page.final_url,
                            status=page.status,
                            fetched_at=page.fetched_at,
                            source=entry.source or feed.title,
                            published=entry.published,
                            title=entry.title,
                            meta={"feed": feed.url, "entry_id": entry.id},
                        )
                    except InputError as exc:
                        yield exc
                continue
            if outcome.content_type not in HTML_TYPES:
                yield InputError(url, f"not an HTML page ({outcome.content_type})")
                continue
            try:
                yield page_document(
                    outcome.text(),
                    url=url,
                    final_url=outcome.final_url,
                    status=outcome.status,
                    fetched_at=outcome.fetched_at,
                )
            except InputError as exc:
                yield exc
    finally:
        if own:
            active.close()
