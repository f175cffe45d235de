"""Ingest from the web and from archives into a store, remembering what was fetched.

:class:`Collector` takes URLs, URL-list files (one URL a line, ``#`` comments), feeds (files or
URLs; a URL that turns out to be a feed is read as one) and WARC files, and hands the Documents
to :class:`newsweave.pipeline.Pipeline` (the same cleaning, dedup by content hash and bookkeeping
as files). The store's ``sources`` table keeps what is needed to fetch nothing twice:

- ``<canonical URL>``: the page's outcome (stored, duplicate, paywall, robots, error); a URL
  recorded with anything but ``error`` is not fetched again;
- ``feed:<feed>``: the feed's ``ETag`` / ``Last-Modified`` (JSON in ``message``) for conditional
  requests;
- ``entry:<feed>#<entry id>``: each feed entry handled, so a restarted watcher skips it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsweave.errors import InputError, TooLarge
from newsweave.ingest.html import extract_html
from newsweave.model import Document
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.settings import MAX_INPUT_BYTES
from newsweave.sources.canonical import canonical_url, is_http_url
from newsweave.sources.feeds import FEED_SUFFIXES, Feed, FeedEntry, looks_like_feed, parse_feed
from newsweave.sources.fetch import Fetcher, FetchError, FetchResult, RobotsDisallowed
from newsweave.sources.pages import HTML_TYPES, page_document
from newsweave.sources.paywall import WallPage
from newsweave.sources.read import read_url_file, read_urls
from newsweave.sources.warc import is_warc, read_warc
from newsweave.store import RETRY_STATUSES

__all__ = ["Collector", "FeedPoll", "read_url_file", "read_urls"]

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
MAX_FEED_FILE = MAX_INPUT_BYTES


@dataclass
class FeedPoll:
    """What one read of one feed did."""

    feed: str
    title: str | None = None
    not_modified: bool = False
    entries: int = 0  # in the feed
    handled: int = 0  # entries new to the store this time (fetched or skipped as known)
    added: list[str] = field(default_factory=list)  # article ids stored from this feed
    problem: str | None = None


def _status_of(exc: InputError) -> str:
    if isinstance(exc, WallPage):
        return {"paywall": "paywall", "consent": "consent-wall"}.get(exc.wall.kind, "signin-wall")
    if isinstance(exc, RobotsDisallowed):
        return "robots"
    return "error"


class Collector:
    """Fetch and read web sources and archives into the pipeline's store."""

    def __init__(self, pipeline: Pipeline, fetcher: Fetcher) -> None:
        self.pipeline = pipeline
        self.store = pipeline.store
        self.fetcher = fetcher
        self.polls: list[FeedPoll] = []
        self._done = 0

    # ------------------------------------------------------------------ bookkeeping
    def known(self, url: str) -> bool:
        """Was this URL (canonical form) fetched before with a final outcome?"""
        row = self.store.get_source(canonical_url(url))
        return row is not None and row["status"] not in RETRY_STATUSES

    def _store(self, doc: Document, result: IngestResult, *aliases: str) -> str | None:
        """Hand one Document to the pipeline; record its outcome under its other URLs too.
        Returns the article id when it was stored or found as a duplicate."""
        self._done += 1
        self.pipeline.progress("ingest", self._done, None)
        before = len(result.added)
        self.pipeline.ingest_document(doc, result)
        row = self.store.get_source(doc.url) if doc.url else None
        if row is not None:
            for alias in {canonical_url(a) for a in aliases if a} - {doc.url}:
                self.store.record_source(
                    alias, None, None, row["status"], row["message"], row["article_id"]
                )
        if len(result.added) > before:
            return result.added[-1]
        return None if row is None else row["article_id"]

    def _fail(self, url: str | None, exc: InputError, result: IngestResult) -> None:
        result.problems.append(exc)
        log.warning("%s", exc)
        if url:
            self.store.record_source(canonical_url(url), None, None, _status_of(exc), exc.problem)

    # ------------------------------------------------------------------ everything
    def ingest(
        self,
        inputs: Iterable[str | Path] = (),
        *,
        feeds: Iterable[str] = (),
        url_files: Iterable[str | Path] = (),
        result: IngestResult | None = None,
    ) -> IngestResult:
        """Ingest a mix: URLs, ``.urls`` files, feed files (``.rss``, ``.atom``, ``.rdf``),
        WARC files; anything else (files and folders) goes to ``Pipeline.ingest``."""
        result = result if result is not None else IngestResult()
        urls: list[str] = []
        feed_list = list(feeds)
        lists = [str(p) for p in url_files]
        local: list[str | Path] = []
        for item in inputs:
            text = str(item)
            low = text.lower()
            if is_http_url(text):
                urls.append(text)
            elif low.endswith(".urls"):
                lists.append(text)
            elif low.endswith(FEED_SUFFIXES):
                feed_list.append(text)
            elif is_warc(low) and Path(text).is_file():
                self.ingest_warc(text, result)
            else:
                local.append(item)
        for path in lists:
            found, problems = read_url_file(path)
            result.problems.extend(problems)
            urls.extend(found)
        if urls:
            self.ingest_urls(urls, result)
        for feed in feed_list:
            self.ingest_feed(feed, result)
        if local:
            more = self.pipeline.ingest(local)
            result.added += more.added
            result.duplicates += more.duplicates
            result.unchanged += more.unchanged
            result.problems += more.problems
            result.warnings += more.warnings
        return result

    # ------------------------------------------------------------------ pages
    def ingest_urls(self, urls: Sequence[str], result: IngestResult) -> list[str]:
        """Fetch pages (concurrently, within the fetcher's limits) and store their articles;
        URLs stored before are skipped without fetching. Returns the article ids added."""
        todo: list[str] = []
        firsts: dict[str, str] = {}
        for url in urls:  # one fetch per canonical URL
            firsts.setdefault(canonical_url(url), url)
        for url in firsts.values():
            if self.known(url):
                result.unchanged.append(url)
            else:
                todo.append(url)
        added: list[str] = []
        for url, outcome in self.fetcher.fetch_many(todo):
            if isinstance(outcome, FetchError):
                self._fail(url, outcome, result)
                continue
            if looks_like_feed(outcome.content_type, outcome.content):
                poll = self._read_feed(url, outcome.content, result, None)
                added += poll.added
                continue
            article = self._page(outcome, result, None)
            if article and article in result.added:
                added.append(article)
        return added

    def _page(
        self, fetched: FetchResult, result: IngestResult, entry: tuple[Feed, FeedEntry] | None
    ) -> str | None:
        url = fetched.url
        if fetched.content_type not in HTML_TYPES:
            self._fail(url, InputError(url, f"not an HTML page ({fetched.content_type})"), result)
            return None
        extra: dict[str, Any] = {}
        source = published = title = None
        if entry is not None:
            feed, item = entry
            extra = {"feed": feed.url, "feed_title": feed.title, "entry_id": item.id}
            if item.published:
                extra["entry_published"] = item.published
            if item.author:
                extra["entry_author"] = item.author
            source = item.source or feed.title
            published, title = item.published, item.title
        try:
            doc = page_document(
                fetched.text(),
                url=url,
                final_url=fetched.final_url,
                status=fetched.status,
                fetched_at=fetched.fetched_at,
                source=source,
                published=published,
                title=title,
                meta={k: v for k, v in extra.items() if v is not None},
            )
        except InputError as exc:
            self._fail(url, exc, result)
            return None
        return self._store(doc, result, url, fetched.final_url)

    # ------------------------------------------------------------------ feeds
    def ingest_feed(self, feed: str, result: IngestResult) -> FeedPoll:
        """Read a feed (file or URL; a URL conditionally, with the ETag / Last-Modified of
        the last read) and store the articles of its entries not handled before."""
        key = f"feed:{feed}"
        row = self.store.get_source(key)
        state: dict[str, Any] = {}
        if row is not None and row["message"]:
            try:
                state = json.loads(row["message"])
            except ValueError:
                state = {}
        if is_http_url(feed):
            try:
                fetched = self.fetcher.fetch(
                    feed,
                    etag=state.get("etag"),
                    last_modified=state.get("last_modified"),
                    accept=FEED_ACCEPT,
                )
            except InputError as exc:
                result.problems.append(exc)
                poll = FeedPoll(feed, title=state.get("title"), problem=exc.problem)
                self.polls.append(poll)
                return poll
            if fetched.not_modified:
                poll = FeedPoll(feed, title=state.get("title"), not_modified=True)
                self.polls.append(poll)
                return poll
            new_state = {
                "etag": fetched.headers.get("etag"),
                "last_modified": fetched.headers.get("last-modified"),
            }
            return self._read_feed(feed, fetched.content, result, new_state)
        try:
            path = Path(feed)
            if path.stat().st_size > MAX_FEED_FILE:
                raise TooLarge(feed, f"too large: the limit is {MAX_FEED_FILE} bytes")
            data = path.read_bytes()
        except OSError as exc:
            problem = InputError(feed, f"cannot read the feed: {exc.strerror or exc}")
            result.problems.append(problem)
            poll = FeedPoll(feed, problem=problem.problem)
            self.polls.append(poll)
            return poll
        except InputError as exc:
            result.problems.append(exc)
            poll = FeedPoll(feed, problem=exc.problem)
            self.polls.append(poll)
            return poll
        return self._read_feed(feed, data, result, {})

    def _read_feed(
        self,
        feed_key: str,
        data: bytes,
        result: IngestResult,
        state: dict[str, Any] | None,
    ) -> FeedPoll:
        try:
            feed = parse_feed(data, feed_key)
        except InputError as exc:
            result.problems.append(exc)
            poll = FeedPoll(feed_key, problem=exc.problem)
            self.polls.append(poll)
            return poll
        poll = FeedPoll(feed_key, title=feed.title, entries=len(feed.entries))
        self.polls.append(poll)
        todo: list[FeedEntry] = []
        for item in feed.entries:
            ekey = f"entry:{feed_key}#{item.id}"
            seen = self.store.get_source(ekey)
            if seen is not None and seen["status"] not in RETRY_STATUSES:
                continue
            poll.handled += 1
            if item.link and self.known(item.link):
                done = self.store.get_source(canonical_url(item.link)) or {}
                self.store.record_source(
                    ekey, None, None, done.get("status", "stored"), "seen before",
                    done.get("article_id"),
                )  # fmt: skip
                result.unchanged.append(item.link)
                continue
            if not item.link:
                self._entry_content(feed, item, ekey, result, poll)
                continue
            todo.append(item)
        links = [item.link for item in todo if item.link]
        for item, (url, outcome) in zip(todo, self.fetcher.fetch_many(links), strict=True):
            ekey = f"entry:{feed_key}#{item.id}"
            if isinstance(outcome, FetchError):
                self._fail(url, outcome, result)
                self.store.record_source(ekey, None, None, _status_of(outcome), outcome.problem)
                continue
            before = len(result.added)
            article = self._page(outcome, result, (feed, item))
            if len(result.added) > before and article:
                poll.added.append(article)
            row = self.store.get_source(canonical_url(url))
            status = row["status"] if row else "error"
            self.store.record_source(
                ekey,
                None,
                None,
                status,
                row["message"] if row else None,
                article if status in ("stored", "duplicate") else None,
            )
        if state is not None:
            self.store.record_source(
                f"feed:{feed_key}", None, None, "feed", json.dumps({**state, "title": feed.title})
            )
        return poll

    def _entry_content(
        self, feed: Feed, item: FeedEntry, ekey: str, result: IngestResult, poll: FeedPoll
    ) -> None:
        """An entry without a link: its own content, when the feed carries the article."""
        html = item.content or item.summary or ""
        text = extract_html(html).text if html else ""
        if len(text.split()) < 40:
            problem = InputError(ekey[len("entry:") :], "entry without a link or article text")
            result.problems.append(problem)
            self.store.record_source(ekey, None, None, "empty", problem.problem)
            return
        doc = Document(
            text=text,
            path=ekey[len("entry:") :],
            title=item.title,
            source=item.source or feed.title,
            published=item.published[:10] if item.published else None,
            format="html",
            meta={"feed": feed.url, "feed_title": feed.title, "entry_id": item.id},
        )
        before = len(result.added)
        self._store(doc, result)
        article = result.added[-1] if len(result.added) > before else None
        if article:
            poll.added.append(article)
        self.store.record_source(ekey, None, None, "stored" if article else "duplicate", None)

    # ------------------------------------------------------------------ archives
    def ingest_warc(self, path: str | Path, result: IngestResult) -> list[str]:
        """Store the articles of a WARC file's HTML responses (URLs stored before skipped)."""
        added: list[str] = []
        for item in read_warc(path, known=self.known):
            if isinstance(item, InputError):
                result.problems.append(item)
                if isinstance(item, WallPage):
                    log.info("%s", item)
                continue
            article = self._store(item, result, item.meta.get("original_url", ""))
            if article and article in result.added:
                added.append(article)
        return added
