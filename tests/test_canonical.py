"""URL canonicalisation: one key per article, whatever tracking, AMP or mobile variant."""

from __future__ import annotations

import pytest

from newsweave.sources.canonical import canonical_url, is_http_url, same_site, site_of

PLAIN = "https://example.org/world/2026/03/bridge-closed"


@pytest.mark.parametrize(
    "variant",
    [
        PLAIN,
        "https://example.org/world/2026/03/bridge-closed/",
        "http://example.org/world/2026/03/bridge-closed",
        "https://www.example.org/world/2026/03/bridge-closed",
        "https://EXAMPLE.org:443/world/2026/03/bridge-closed#comments",
        "https://example.org/world/2026/03/bridge-closed?utm_source=rss&utm_medium=feed",
        "https://example.org/world/2026/03/bridge-closed?fbclid=abc123&gclid=x",
        "https://m.example.org/world/2026/03/bridge-closed",
        "https://mobile.example.org/world/2026/03/bridge-closed",
        "https://amp.example.org/world/2026/03/bridge-closed",
        "https://example.org/world/2026/03/bridge-closed/amp",
        "https://example.org/amp/world/2026/03/bridge-closed",
        "https://example.org/world/2026/03/bridge-closed?amp=1",
        "https://example.org/world/2026/03/bridge-closed?outputType=amp",
        "https://example-org.cdn.ampproject.org/c/s/example.org/world/2026/03/bridge-closed",
    ],
)
def test_variants_of_one_article_share_a_key(variant: str) -> None:
    assert canonical_url(variant) == PLAIN


def test_meaningful_parameters_stay_and_are_ordered() -> None:
    a = canonical_url("https://example.org/story.php?id=42&page=2&utm_campaign=x")
    b = canonical_url("https://example.org/story.php?page=2&id=42")
    assert a == b == "https://example.org/story.php?id=42&page=2"
    assert canonical_url("https://example.org/story.php?id=43") != a
    assert canonical_url("https://example.org/a.amp.html") == "https://example.org/a.html"
    assert canonical_url("https://example.org:8080/a") == "https://example.org:8080/a"


def test_different_articles_stay_different() -> None:
    assert canonical_url("https://example.org/news/one") != canonical_url(
        "https://example.org/news/two"
    )
    assert canonical_url("https://example.org/x") != canonical_url("https://example.net/x")


def test_helpers() -> None:
    assert is_http_url("https://a.example/x") and is_http_url("HTTP://a.example")
    assert not is_http_url("reports/a.txt") and not is_http_url("ftp://a.example/")
    assert site_of("https://m.www.example.org/a") == "example.org"
    assert same_site("https://amp.example.org/a", "http://www.example.org/b")
    assert not same_site("https://example.org/a", "https://example.net/a")
    assert canonical_url("not a url ") == "not a url"
