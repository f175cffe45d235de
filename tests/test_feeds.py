"""Feeds, URLs and URL lists into the store, from a real HTTP server on loopback: every RSS
flavour and Atom; entries' links fetched and extracted with the feed's dates and sources as
metadata; conditional requests; nothing fetched twice (also after a restart); paywall and
consent pages reported, never stored; private addresses refused without --allow-private."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _sources_server import Site, page, page_from_text, rss, serve
from newsweave.cli import app
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.sources import Collector, Fetcher, FetchPolicy, parse_feed, read_url_file
from newsweave.sources.feeds import looks_like_feed
from newsweave.sources.paywall import WallPage, detect_wall
from newsweave.store import Store

DATA = Path(__file__).parent / "data" / "two_stories"
POLICY = FetchPolicy(allow_private=True, host_interval=0.0, retries=0, timeout=2.0)
runner = CliRunner()

PAYWALL = page(
    "Council approves new ferry timetable",
    [
        "The harbour council in Lindqvist approved a new ferry timetable on Tuesday.",
        "Subscribe to continue reading. Already a subscriber? Sign in.",
        "Start your free trial today.",
    ],
    extra_head='<script type="application/ld+json">{"isAccessibleForFree": false}</script>',
)
CONSENT = page(
    "Before you continue",
    [
        "We and our partners use cookies to store and access information on your device.",
        "Select Accept all to consent to the use of cookies, or Reject all.",
        "Manage your privacy settings at any time in the cookie policy.",
    ],
)


def serve_reports(site: Site, names: list[str]) -> dict[str, str]:
    """Serve the named plain-text reports as HTML pages; returns name -> URL."""
    urls = {}
    for name in names:
        _title, html = page_from_text(DATA / name)
        site.static(f"/news/{name[:-4]}.html", html)
        urls[name] = f"{site.base}/news/{name[:-4]}.html"
    return urls


def items(urls: dict[str, str], *names: str) -> list[dict[str, str]]:
    return [
        {
            "title": (DATA / n).read_text().splitlines()[0],
            "link": urls[n] + "?utm_source=rss",
            "guid": f"tag:test,2026:{n}",
            "date": "Mon, 09 Feb 2026 08:30:00 GMT",
            "source": "Pressline Wire",
            "source_url": "http://wire.invalid/",
        }
        for n in names
    ]


@pytest.fixture()
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old Style</title>
<link>http://a.invalid/</link><description>d</description><language>en</language>
<item><title>First</title><link>http://a.invalid/1</link><description>one</description></item>
</channel></rss>"""
RSS10 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://a.invalid/"><title>RDF Desk</title><link>http://a.invalid/</link>
<description>d</description></channel>
<item rdf:about="http://a.invalid/2"><title>Second</title><link>http://a.invalid/2</link>
<dc:date>2026-02-10T07:00:00Z</dc:date></item></rdf:RDF>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Desk</title><id>urn:x</id><updated>2026-02-11T00:00:00Z</updated>
<entry><title>Third</title><id>urn:entry:3</id><link href="http://a.invalid/3"/>
<published>2026-02-11T09:15:00+01:00</published><author><name>R. Vale</name></author>
<content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"""


def test_every_feed_flavour_parses() -> None:
    old = parse_feed(RSS091.encode(), "old.rss")
    assert old.version == "rss091u" or old.version.startswith("rss09")
    assert [(e.id, e.link) for e in old.entries] == [("http://a.invalid/1", "http://a.invalid/1")]
    rdf = parse_feed(RSS10.encode(), "rdf.rss")
    assert rdf.title == "RDF Desk" and rdf.entries[0].published == "2026-02-10T07:00:00Z"
    atom = parse_feed(ATOM.encode(), "atom.xml")
    entry = atom.entries[0]
    assert atom.version == "atom10" and entry.id == "urn:entry:3"
    assert entry.published == "2026-02-11T08:15:00Z" and entry.author == "R. Vale"
    assert entry.content == "<p>Body</p>"
    rss2 = parse_feed(
        rss("Desk", [{"title": "T", "link": "http://a.invalid/4", "date":
                      "Tue, 10 Feb 2026 10:00:00 GMT", "source": "Wire", "source_url": "x"}]).encode(),
        "x",
    )  # fmt: skip
    assert rss2.entries[0].source == "Wire" and rss2.entries[0].published.startswith("2026-02-10")
    with pytest.raises(Exception, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>hello</body></html>", "page.html")
    assert looks_like_feed("", ATOM.encode()) and looks_like_feed("text/xml", RSS10.encode())
    assert not looks_like_feed("text/html", b"<!doctype html><html>")


def test_feed_entries_are_fetched_once_with_feed_metadata(site: Site, tmp_path: Path) -> None:
    urls = serve_reports(
        site, ["a1_esterby_wire.txt", "a2_norvik_star.txt", "a4_radio_bulletin.txt"]
    )
    feed = site.base + "/feed.xml"
    site.static(feed[len(site.base) :], rss("Norvik Desk", items(urls, "a1_esterby_wire.txt",
                "a2_norvik_star.txt")), "application/rss+xml", etag='"v1"')  # fmt: skip
    db = tmp_path / "f.db"
    with Store.open(db) as store, Fetcher(POLICY) as fetcher:
        collector = Collector(Pipeline(store), fetcher)
        result = IngestResult()
        poll = collector.ingest_feed(feed, result)
        assert poll.entries == 2 and len(poll.added) == 2 and not result.problems
        article = next(store.iter_articles(poll.added[:1]))
        assert article.url == urls["a1_esterby_wire.txt"]  # canonical: no utm_source
        assert article.meta["original_url"].endswith("?utm_source=rss")
        assert article.source == "Pressline Wire" and article.published == "2026-02-09"
        assert article.meta["feed"] == feed and article.meta["feed_title"] == "Norvik Desk"
        assert article.meta["entry_id"] == "tag:test,2026:a1_esterby_wire.txt"
        assert article.meta["entry_published"] == "2026-02-09T08:30:00Z"
        # unchanged feed: a conditional request answered 304, no page fetched again
        again = collector.ingest_feed(feed, IngestResult())
        assert again.not_modified
        feed_requests = [r for r in site.log if r.path == "/feed.xml"]
        assert feed_requests[-1].headers.get("If-None-Match") == '"v1"'
    # a restart (new store handle, new fetcher), a changed feed with one new entry
    site.static("/feed.xml", rss("Norvik Desk", items(urls, "a1_esterby_wire.txt",
                "a2_norvik_star.txt", "a4_radio_bulletin.txt")), "application/rss+xml",
                etag='"v2"')  # fmt: skip
    with Store.open(db) as store, Fetcher(POLICY) as fetcher:
        result = IngestResult()
        poll = Collector(Pipeline(store), fetcher).ingest_feed(feed, result)
        assert poll.entries == 3 and poll.handled == 1 and len(poll.added) == 1
        assert store.count_articles() == 3
    for name in urls:
        assert site.hits(f"/news/{name[:-4]}.html?utm_source=rss") == 1, name


def test_paywall_and_consent_pages_are_reported_not_stored(site: Site, tmp_path: Path) -> None:
    site.static("/paywalled.html", PAYWALL)
    site.static("/consent.html", CONSENT)
    site.redirect("/bounce.html", "/consent.html")
    with Store.open(tmp_path / "p.db") as store, Fetcher(POLICY) as fetcher:
        collector = Collector(Pipeline(store), fetcher)
        result = IngestResult()
        added = collector.ingest_urls(
            [site.base + "/paywalled.html", site.base + "/bounce.html"], result
        )
        assert added == [] and store.count_articles() == 0
        kinds = sorted(p.wall.kind for p in result.problems if isinstance(p, WallPage))
        assert kinds == ["consent", "paywall"]
        assert "a paywall" in str(result.problems[0]) and "not stored" in str(result.problems[0])
        assert store.get_source(site.base + "/paywalled.html")["status"] == "paywall"
        # not fetched again
        collector.ingest_urls([site.base + "/paywalled.html"], IngestResult())
    assert site.hits("/paywalled.html") == 1


def test_walls_are_told_apart_from_articles_that_mention_subscriptions() -> None:
    text = "\n".join(
        ["The council said residents could subscribe to text alerts about the closure."] * 30
    )
    assert detect_wall("<html></html>", text) is None
    assert detect_wall("", "Some text", status=402) is not None
    wall = detect_wall("", "Hello", final_url="https://consent.example.org/?continue=x")
    assert wall is not None and wall.kind == "consent"


def test_url_lists_and_private_address_refusal(site: Site, tmp_path: Path) -> None:
    urls = serve_reports(site, ["b1_brannoch_flash_flood.txt", "b3_brannoch_insurers.txt"])
    listing = tmp_path / "today.urls"
    listing.write_text(
        "# reports to read\n" + "\n".join(urls.values()) + "\nnot a url\n\n" + site.base
        + "/news/b1_brannoch_flash_flood.html?fbclid=xyz\n"
    )  # fmt: skip
    found, problems = read_url_file(listing)
    assert len(found) == 3 and [p.where for p in problems] == [f"{listing}:4"]
    db = tmp_path / "u.db"
    # without --allow-private: refused, with one clear message per URL, nothing stored
    result = runner.invoke(app, ["ingest", "--urls", str(listing), "--db", str(db)])
    assert result.exit_code == 1, result.output  # every URL refused: nothing could be read
    assert "none of the inputs could be read" in result.output
    assert result.output.count("private, loopback or link-local") == 2  # the fbclid twin is known
    assert "--allow-private" in result.output
    assert site.hits("/news/b1_brannoch_flash_flood.html") == 0
    result = runner.invoke(app, ["ingest", str(listing), "--db", str(db), "--allow-private"])
    assert result.exit_code == 0, result.output
    assert "2 new article(s)" in result.output
    with Store.open(db) as store:
        assert store.count_articles() == 2
    # a URL already stored is not fetched again, whatever its tracking parameters
    result = runner.invoke(
        app, ["ingest", urls["b3_brannoch_insurers.txt"] + "?utm_medium=x", "--db", str(db),
              "--allow-private"],
    )  # fmt: skip
    assert "1 unchanged" in result.output
    assert site.hits("/news/b3_brannoch_insurers.html") == 1


def test_cli_ingest_reads_feed_urls_and_files(site: Site, tmp_path: Path) -> None:
    urls = serve_reports(site, ["a3_esterby_cleanup.txt"])
    body = rss("Cleanup Desk", items(urls, "a3_esterby_cleanup.txt"))
    site.static("/cleanup.xml", body, "application/rss+xml")
    feed_file = tmp_path / "saved.rss"
    feed_file.write_text(body)
    db = tmp_path / "c.db"
    # a URL that turns out to be a feed is read as one
    result = runner.invoke(
        app, ["ingest", site.base + "/cleanup.xml", "--db", str(db), "--allow-private"]
    )
    assert result.exit_code == 0 and "1 new article(s)" in result.output, result.output
    result = runner.invoke(
        app, ["ingest", "--feed", str(feed_file), "--db", str(db), "--allow-private"]
    )
    assert result.exit_code == 0 and "0 new article(s)" in result.output, result.output
    assert site.hits("/news/a3_esterby_cleanup.html?utm_source=rss") == 1
