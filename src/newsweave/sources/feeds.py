"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed with feedparser (from bytes only: feedparser is never
given a URL, so it never fetches anything itself)."""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from newsweave.errors import InputError

__all__ = ["Feed", "FeedEntry", "looks_like_feed", "parse_feed"]

FEED_TYPES = frozenset(
    {
        "application/rss+xml", "application/atom+xml", "application/rdf+xml",
        "application/xml", "text/xml", "application/feed+xml", "application/x-rss+xml",
    }
)  # fmt: skip
FEED_SUFFIXES = (".rss", ".atom", ".rdf")
_FEED_START_RE = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<\?xml-stylesheet[^>]*>\s*)?"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.S,
)


@dataclass
class FeedEntry:
    id: str  # guid / atom:id, else the link, else the title
    link: str | None
    title: str | None = None
    published: str | None = None  # ISO 8601 date-time (UTC) when the feed gives one
    source: str | None = None  # the entry's <source>, when it names one
    author: str | None = None
    summary: str | None = None
    content: str | None = None  # full HTML content, when the feed carries it


@dataclass
class Feed:
    url: str
    title: str | None = None
    link: str | None = None
    version: str = ""
    entries: list[FeedEntry] = field(default_factory=list)


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """Is a response (its media type and first bytes) a feed rather than a page?"""
    head = body[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_FEED_START_RE.match(head)) or (
        content_type in FEED_TYPES and b"<html" not in head.lower()
    )


def _iso(parsed: Any) -> str | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        stamp = calendar.timegm(parsed)
        return datetime.fromtimestamp(stamp, timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, ValueError, OSError):
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def parse_feed(data: bytes, url: str) -> Feed:
    """Parse a feed's bytes. Raises :class:`~newsweave.errors.InputError` when it is not a
    feed (or so broken that nothing can be read)."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InputError(url, f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    head = parsed.feed
    feed = Feed(
        url=url,
        title=_text(head.get("title")),
        link=head.get("link"),
        version=parsed.get("version") or "",
    )
    for entry in parsed.entries:
        link = entry.get("link") or None
        source = entry.get("source") or {}
        content = entry.get("content") or []
        body = next((c.get("value") for c in content if c.get("value")), None)
        published = _iso(entry.get("published_parsed")) or _iso(entry.get("updated_parsed"))
        ident = entry.get("id") or link or _text(entry.get("title"))
        if not ident:
            continue
        feed.entries.append(
            FeedEntry(
                id=str(ident),
                link=link,
                title=_text(entry.get("title")),
                published=published,
                source=_text(source.get("title")) if isinstance(source, dict) else None,
                author=_text(entry.get("author")),
                summary=entry.get("summary") or None,
                content=body,
            )
        )
    return feed
