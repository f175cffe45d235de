"""WARC archives built here with warcio: every HTML response becomes an article with its URL and
fetch date; other records are skipped; paywalls reported; re-reading stores nothing twice."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from _sources_server import page, page_from_text
from newsweave.cli import app
from newsweave.errors import InputError
from newsweave.ingest import read_paths
from newsweave.model import Document
from newsweave.pipeline import IngestResult, Pipeline
from newsweave.sources import Collector, Fetcher, read_warc
from newsweave.sources.paywall import WallPage
from newsweave.store import Store

DATA = Path(__file__).parent / "data" / "two_stories"
runner = CliRunner()
PAYWALL = page(
    "Harbour fees to rise",
    ["Fees at the port of Lindqvist will rise next year.", "Subscribe to continue reading."],
)


def build_warc(path: Path, gz: bool = True) -> None:
    _t1, first = page_from_text(DATA / "b1_brannoch_flash_flood.txt")
    _t2, second = page_from_text(DATA / "b2_norvik_star.txt")
    records = [
        ("https://www.brannoch-news.example/flood?utm_source=x", "200 OK", "text/html; charset=utf-8", first.encode()),
        ("https://m.brannoch-news.example/flood", "200 OK", "text/html", first.encode()),  # mobile twin
        ("https://norvik-star.example/brannoch", "200 OK", "text/html", second.encode("cp1252")),
        ("https://norvik-star.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://norvik-star.example/gone", "404 Not Found", "text/html", b"<p>gone</p>"),
        ("https://ledger.example/fees", "200 OK", "text/html", PAYWALL.encode()),
    ]  # fmt: skip
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for uri, status, ctype, body in records:
            request = writer.create_warc_record(
                uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-03-13T06:00:00Z"},
            )
            writer.write_record(record)


def test_html_responses_become_documents(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    build_warc(archive)
    items = list(read_warc(archive))
    docs = [i for i in items if isinstance(i, Document)]
    walls = [i for i in items if isinstance(i, WallPage)]
    assert [d.url for d in docs] == [
        "https://brannoch-news.example/flood",
        "https://brannoch-news.example/flood",
        "https://norvik-star.example/brannoch",
    ]
    assert len(walls) == 1 and "ledger.example/fees" in str(walls[0])
    first = docs[0]
    assert first.meta["original_url"].endswith("?utm_source=x")
    assert first.meta["fetched"] == "2026-03-13T06:00:00Z" and first.meta["warc"] == str(archive)
    assert first.published == "2026-03-13" and first.meta["published_from"] == "fetch date"
    assert "Kelder" in docs[2].text  # decoded from cp1252
    assert first.source == "brannoch-news.example"


def test_archives_are_ingested_once(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc"
    build_warc(archive, gz=False)
    with Store.open(tmp_path / "w.db") as store, Fetcher() as fetcher:
        collector = Collector(Pipeline(store), fetcher)
        result = IngestResult()
        added = collector.ingest_warc(archive, result)
        assert len(added) == 2 and store.count_articles() == 2
        again = IngestResult()
        assert collector.ingest_warc(archive, again) == []
        assert again.added == [] and again.duplicates == []  # known URLs skipped unread
    # the CLI and read_paths (folders too) take archives
    db = tmp_path / "cli.db"
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 new article(s)" in result.output and "a paywall" in result.output
    assert sum(isinstance(d, Document) for d in read_paths([tmp_path])) == 3


def test_broken_archives_give_one_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    problems = [i for i in read_warc(bad) if isinstance(i, InputError)]
    assert len(problems) == 1 and "bad.warc.gz" in str(problems[0])
    plain = tmp_path / "notes.warc"
    plain.write_text("hello, this is not an archive\n")
    problems = [i for i in read_warc(plain) if isinstance(i, InputError)]
    assert len(problems) == 1 and "not a readable WARC" in problems[0].problem


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_archive_keeps_what_was_read(tmp_path: Path, gz: bool) -> None:
    archive = tmp_path / ("t.warc.gz" if gz else "t.warc")
    build_warc(archive, gz=gz)
    data = archive.read_bytes()
    archive.write_bytes(data[: int(len(data) * 0.6)])
    items = list(read_warc(archive))
    assert any(isinstance(i, Document) for i in items)
    assert any(isinstance(i, InputError) for i in items)
