"""The safe fetcher against a real HTTP server on loopback: refusals (schemes, private addresses
before connecting and on every redirect), caps, timeouts, retries, robots.txt, rate limits,
conditional requests. Nothing leaves the machine."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from _sources_server import Site, drip, flaky, gzip_bomb, serve, slow, undeclared_stream
from newsweave.errors import TooLarge
from newsweave.sources.fetch import (
    DEFAULT_USER_AGENT,
    Fetcher,
    FetchError,
    FetchPolicy,
    RobotsDisallowed,
    UnsafeURL,
    _GuardedBackend,
    check_url,
    is_public_address,
)

LOOPBACK = ("127.0.0.1/32",)


def fast(**kw: object) -> FetchPolicy:
    base: dict[str, object] = {
        "allow_private": True,
        "host_interval": 0.0,
        "backoff": 0.01,
        "retries": 1,
        "timeout": 1.0,
    }
    base.update(kw)
    return FetchPolicy(**base)  # type: ignore[arg-type]


@pytest.fixture()
def site() -> Iterator[Site]:
    with serve() as s:
        s.static("/page.html", "<html><body><p>Hello from the loopback server.</p></body></html>")
        yield s


def test_addresses_are_classified() -> None:
    for bad in ("127.0.0.1", "10.0.0.8", "192.168.1.1", "172.16.5.4", "169.254.169.254", "::1",
                "fe80::1", "fc00::1", "0.0.0.0", "224.0.0.1", "::ffff:127.0.0.1", "100.64.0.1"):  # fmt: skip
        assert not is_public_address(bad), bad
    for good in ("93.184.216.34", "2606:4700::1111", "8.8.8.8"):
        assert is_public_address(good), good


def test_non_http_schemes_are_refused() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "data:text/html,hi"):
        with pytest.raises(UnsafeURL, match="only http and https"):
            check_url(url, allow_private=True)
    with pytest.raises(UnsafeURL, match="user name or password"):
        check_url("http://user:pw@example.org/", allow_private=True)


def test_loopback_is_refused_without_allow_private(site: Site) -> None:
    with Fetcher(fast(allow_private=False)) as fetcher, pytest.raises(UnsafeURL) as info:
        fetcher.fetch(site.base + "/page.html")
    assert "127.0.0.1" in str(info.value) and "--allow-private" in str(info.value)
    assert site.hits("/page.html") == 0  # refused before connecting
    with Fetcher(fast()) as fetcher:
        result = fetcher.fetch(site.base + "/page.html")
    assert result.status == 200 and b"loopback server" in result.content


def test_a_name_resolving_to_loopback_is_refused_at_connect_time(site: Site) -> None:
    """The connect-time guard resolves and checks on its own (no DNS-rebinding gap)."""
    import httpcore

    port = int(site.base.rsplit(":", 1)[1])
    backend = _GuardedBackend(allow_private=False)
    with pytest.raises(Exception, match="loopback") as info:
        backend.connect_tcp("localhost", port, timeout=1.0)
    assert not isinstance(info.value, httpcore.ConnectError)
    stream = _GuardedBackend(allow_private=False, allow_networks=("127.0.0.0/8", "::1/128"))
    stream.connect_tcp("localhost", port, timeout=1.0).close()


def test_redirects_to_private_addresses_are_refused_on_every_hop(site: Site) -> None:
    site.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    site.redirect("/to-other-loopback", site.base.replace("127.0.0.1", "127.0.0.2") + "/x")
    site.redirect("/to-file", "file:///etc/passwd")
    site.redirect("/hop", "/page.html")
    with Fetcher(fast(allow_private=False, allow_networks=LOOPBACK)) as fetcher:
        assert fetcher.fetch(site.base + "/hop").final_url.endswith("/page.html")
        with pytest.raises(UnsafeURL, match=r"169\.254\.169\.254"):
            fetcher.fetch(site.base + "/to-metadata")
        # another loopback address, outside the allowed network
        with pytest.raises(UnsafeURL, match=r"127\.0\.0\.2"):
            fetcher.fetch(site.base + "/to-other-loopback")
        with pytest.raises(UnsafeURL, match="only http and https"):
            fetcher.fetch(site.base + "/to-file")


def test_redirect_loops_are_capped(site: Site) -> None:
    site.redirect("/loop", "/loop")
    with Fetcher(fast(max_redirects=3)) as fetcher, pytest.raises(FetchError, match="redirects"):
        fetcher.fetch(site.base + "/loop")
    assert site.hits("/loop") == 4


def test_slow_responses_time_out_with_a_clear_message(site: Site) -> None:
    site.routes["/slow"] = slow(1.5)
    site.routes["/drip"] = drip(40, 0.1)
    with Fetcher(fast(timeout=0.3, retries=0)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            fetcher.fetch(site.base + "/slow")
        assert time.monotonic() - started < 1.4
    with (
        Fetcher(fast(timeout=1.0, deadline=0.5, retries=0)) as fetcher,
        pytest.raises(FetchError, match="too slow"),
    ):
        fetcher.fetch(site.base + "/drip")


def test_oversized_and_decompression_bombs_are_capped(site: Site) -> None:
    site.static("/big", b"z" * 300_000)
    site.routes["/stream"] = undeclared_stream(1_000_000)
    site.routes["/bomb"] = gzip_bomb(5_000_000)
    with Fetcher(fast(max_bytes=100_000, max_decompressed=200_000)) as fetcher:
        with pytest.raises(TooLarge, match="announced"):
            fetcher.fetch(site.base + "/big")
        with pytest.raises(TooLarge, match="over 100000 bytes"):
            fetcher.fetch(site.base + "/stream")
        with pytest.raises(TooLarge, match="decompressed"):
            fetcher.fetch(site.base + "/bomb")


def test_retries_with_backoff_then_success_or_a_message(site: Site) -> None:
    site.routes["/flaky"] = flaky(1, lambda h: h.reply(200, b"<p>ok</p>", "text/html"))
    site.routes["/down"] = flaky(100, lambda h: None)
    with Fetcher(fast(retries=2)) as fetcher:
        assert fetcher.fetch(site.base + "/flaky").content == b"<p>ok</p>"
        with pytest.raises(FetchError, match=r"HTTP 503.*gave up after 3 attempt"):
            fetcher.fetch(site.base + "/down")
    assert site.hits("/flaky") == 2 and site.hits("/down") == 3
    with Fetcher(fast()) as fetcher, pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch(site.base + "/missing")


def test_robots_txt_is_respected_and_user_agent_is_clear(site: Site) -> None:
    site.static("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.static("/private/a.html", "<p>secret</p>")
    with Fetcher(fast()) as fetcher:
        with pytest.raises(RobotsDisallowed, match=r"robots\.txt"):
            fetcher.fetch(site.base + "/private/a.html")
        fetcher.fetch(site.base + "/page.html")
        fetcher.fetch(site.base + "/page.html")
    assert site.hits("/private/a.html") == 0
    assert site.hits("/robots.txt") == 1  # cached per site
    agents = {r.headers.get("User-Agent") for r in site.log}
    assert agents == {DEFAULT_USER_AGENT} and "newsweave" in DEFAULT_USER_AGENT


def test_per_host_rate_limit_spaces_requests(site: Site) -> None:
    with Fetcher(fast(host_interval=0.1, concurrency=4)) as fetcher:
        started = time.monotonic()
        results = list(fetcher.fetch_many([site.base + "/page.html"] * 4))
        took = time.monotonic() - started
    assert all(not isinstance(r, Exception) for _, r in results)
    assert took >= 0.29  # robots.txt, then 4 requests, at least 0.1 s apart


def test_conditional_requests(site: Site) -> None:
    site.static("/feed.xml", "<rss version='2.0'></rss>", "application/rss+xml", etag='"v1"')
    with Fetcher(fast()) as fetcher:
        first = fetcher.fetch(site.base + "/feed.xml")
        assert first.headers["etag"] == '"v1"' and not first.not_modified
        again = fetcher.fetch(site.base + "/feed.xml", etag='"v1"')
        assert again.not_modified and again.content == b""


def test_webhook_post_goes_through_the_same_checks(site: Site) -> None:
    site.routes["/hook"] = lambda h: h.reply(204, b"", "text/plain")
    with Fetcher(fast(allow_private=False)) as fetcher, pytest.raises(UnsafeURL):
        fetcher.post_json(site.base + "/hook", {"a": 1})
    with Fetcher(fast()) as fetcher:
        assert fetcher.post_json(site.base + "/hook", {"a": "é"}) == 204
    posted = [r for r in site.log if r.method == "POST"]
    assert len(posted) == 1 and posted[0].body == '{"a": "é"}'.encode()
