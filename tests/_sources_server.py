"""A real HTTP server on loopback for the sources tests (feeds, pages, redirects, slow and
oversized responses, paywalls). Routes are mutable, and every request is logged."""

from __future__ import annotations

import gzip
import html
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Route = Callable[["Handler"], None]


@dataclass
class Logged:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.log if r.path == path)

    def static(self, path: str, body: bytes | str, ctype: str = "text/html; charset=utf-8",
               status: int = 200, etag: str | None = None) -> None:  # fmt: skip
        data = body.encode() if isinstance(body, str) else body

        def route(h: Handler) -> None:
            if etag and h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.end_headers()
                return
            extra = {"ETag": etag} if etag else {}
            h.reply(status, data, ctype, extra)

        self.routes[path] = route

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        def route(h: Handler) -> None:
            h.send_response(status)
            h.send_header("Location", location)
            h.send_header("Content-Length", "0")
            h.end_headers()

        self.routes[path] = route


class Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def reply(self, status: int, data: bytes, ctype: str, extra: dict[str, str] | None = None
              ) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.site.log.append(Logged(method, self.path, dict(self.headers.items()), body))
        route = self.site.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.reply(404, b"not found", "text/plain")
            return
        with suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up early (the size caps, the timeouts) are expected


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()
    handler = type("BoundHandler", (Handler,), {"site": site})
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- content


def page(title: str, paragraphs: list[str], extra_head: str = "") -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"{extra_head}</head><body><nav><a href='/'>Home</a></nav><article>"
        f"<h1>{html.escape(title)}</h1>{body}</article><footer>About us</footer></body></html>"
    )


def page_from_text(path: Path) -> tuple[str, str]:
    """(title, HTML page) from a plain-text report: first line the headline."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    return lines[0], page(lines[0], lines[1:])


def rss(title: str, items: list[dict[str, str]]) -> str:
    parts = []
    for it in items:
        source = (
            f"<source url='{it['source_url']}'>{it['source']}</source>" if "source" in it else ""
        )
        parts.append(
            f"<item><title>{html.escape(it['title'])}</title><link>{it['link']}</link>"
            f"<guid>{it.get('guid', it['link'])}</guid><pubDate>{it['date']}</pubDate>{source}</item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{html.escape(title)}</title><link>http://example.invalid/</link>"
        f"<description>test</description>{''.join(parts)}</channel></rss>"
    )


def slow(seconds: float) -> Route:
    def route(h: Handler) -> None:
        time.sleep(seconds)
        h.reply(200, b"<html><body><p>late</p></body></html>", "text/html")

    return route


def drip(chunks: int, pause: float) -> Route:
    """Headers at once, then the body a chunk at a time."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(chunks))
        h.end_headers()
        for _ in range(chunks):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(pause)

    return route


def gzip_bomb(size: int) -> Route:
    data = gzip.compress(b"<p>" + b"a" * size + b"</p>", compresslevel=9)

    def route(h: Handler) -> None:
        h.reply(200, data, "text/html", {"Content-Encoding": "gzip"})

    return route


def undeclared_stream(size: int) -> Route:
    """A body of ``size`` bytes with no Content-Length (chunked), so only counting stops it."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        block = b"y" * 65536
        sent = 0
        while sent < size:
            h.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            sent += len(block)
        h.wfile.write(b"0\r\n\r\n")

    return route


def flaky(failures: int, then: Route) -> Route:
    """503 for the first ``failures`` requests, then ``then``."""
    count = {"n": 0}

    def route(h: Handler) -> None:
        count["n"] += 1
        if count["n"] <= failures:
            h.reply(503, b"busy", "text/plain", {"Retry-After": "0"})
        else:
            then(h)

    return route
