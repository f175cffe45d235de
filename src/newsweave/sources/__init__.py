"""Sources beyond files: URLs, URL lists, RSS/Atom feeds, WARC archives, and the feed watcher.

Fetcher(FetchPolicy(...))            safe, polite HTTP(S) fetching (fetch.py)
canonical_url(url)                   one key per article URL (canonical.py)
parse_feed(data, url)                RSS/Atom -> Feed (feeds.py)
read_warc(path)                      WARC -> Documents (warc.py)
detect_wall(html, text)              paywall / consent / sign-in pages (paywall.py)
read_urls(urls)                      URLs -> Documents, without a store (read.py)
Collector(pipeline, fetcher)         URLs, lists, feeds, archives -> the store (collect.py)
Watcher(store, feeds, fetcher=...)   poll feeds and report what changed (watch.py)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# the errors are light: defined in newsweave.errors, importable from here too
from newsweave.errors import FetchError, RobotsDisallowed, UnsafeURL, WallPage

if TYPE_CHECKING:
    from newsweave.sources.canonical import canonical_url, is_http_url
    from newsweave.sources.collect import Collector, FeedPoll
    from newsweave.sources.feeds import Feed, FeedEntry, parse_feed
    from newsweave.sources.fetch import Fetcher, FetchPolicy, FetchResult, check_url
    from newsweave.sources.paywall import Wall, detect_wall
    from newsweave.sources.read import read_url_file, read_urls
    from newsweave.sources.warc import is_warc, read_warc
    from newsweave.sources.watch import Changes, Watcher, format_changes, parse_interval

# Each name is imported from its module when first used: ``newsweave.sources.read`` (which
# ``newsweave.ingest`` uses for URLs) must not load the collector, and with it the pipeline.
_MODULES = {
    "canonical": ["canonical_url", "is_http_url"],
    "collect": ["Collector", "FeedPoll"],
    "feeds": ["Feed", "FeedEntry", "parse_feed"],
    "fetch": ["FetchPolicy", "FetchResult", "Fetcher", "check_url"],
    "paywall": ["Wall", "detect_wall"],
    "read": ["read_url_file", "read_urls"],
    "warc": ["is_warc", "read_warc"],
    "watch": ["Changes", "Watcher", "format_changes", "parse_interval"],
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsweave.sources' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"newsweave.sources.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Changes",
    "Collector",
    "Feed",
    "FeedEntry",
    "FeedPoll",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "Fetcher",
    "RobotsDisallowed",
    "UnsafeURL",
    "Wall",
    "WallPage",
    "Watcher",
    "canonical_url",
    "check_url",
    "detect_wall",
    "format_changes",
    "is_http_url",
    "is_warc",
    "parse_feed",
    "parse_interval",
    "read_url_file",
    "read_urls",
    "read_warc",
]
