"""A fetcher that behaves like a good citizen and is safe by default.

- only ``http``/``https``; the host is resolved and refused when any of its addresses is
  private, loopback, link-local, multicast, reserved or unspecified, unless ``allow_private``;
  the check runs before every request, on every redirect (redirects are followed here, with a
  cap), and again at connect time on the very address connected to (so a name that resolves
  differently the second time cannot slip through);
- timeouts (connect/read, and a deadline for the whole response), retries with exponential
  backoff on timeouts, connection errors, 429 and 5xx (``Retry-After`` honoured, capped);
- a per-host minimum interval between requests (or the site's robots.txt ``Crawl-delay``,
  capped) and a per-host concurrency limit; robots.txt respected; a clear User-Agent;
- conditional requests (``If-None-Match`` / ``If-Modified-Since``);
- the body is capped on the wire and after decompression.

Every failure is a :class:`~newsweave.errors.FetchError` (an
:class:`~newsweave.errors.InputError`; :class:`~newsweave.errors.UnsafeURL` and
:class:`~newsweave.errors.RobotsDisallowed` are kinds of it) naming the URL and the problem in one
line. They are defined in :mod:`newsweave.errors` and importable from here too.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import socket
import threading
import time
import typing
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from newsweave.errors import FetchError, InputError, RobotsDisallowed, TooLarge, UnsafeURL
from newsweave.settings import MAX_INPUT_BYTES
from newsweave.version import __version__

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "Fetcher",
    "RobotsDisallowed",
    "UnsafeURL",
    "check_url",
    "is_public_address",
]

log = logging.getLogger(__name__)

ROBOTS_TOKEN = "newsweave"
ROBOTS_TTL = 24 * 3600.0  # seconds a robots.txt is cached (RFC 9309 asks for at most a day)
DEFAULT_USER_AGENT = (
    f"newsweave/{__version__} (news report analysis; respects robots.txt; "
    "+https://pypi.org/project/newsweave/)"
)
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class _Blocked(Exception):
    """Raised at connect time for a refused address (not an OSError: httpcore lets it through)."""


class _Retryable(Exception):
    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass
class FetchPolicy:
    """How to fetch. The defaults are safe and polite."""

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 15.0  # connect and between-bytes read timeout, seconds
    deadline: float = 60.0  # the whole response, seconds
    retries: int = 2  # extra attempts after the first
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = 30.0  # cap on Retry-After and Crawl-delay, seconds
    host_interval: float = 1.0  # minimum seconds between two requests to one host
    host_concurrency: int = 2  # requests in flight per host
    concurrency: int = 8  # requests in flight in all
    max_bytes: int = 10_000_000  # on the wire
    max_decompressed: int = MAX_INPUT_BYTES  # after Content-Encoding is undone
    max_redirects: int = 5
    allow_private: bool = False
    # networks allowed even though private (an intranet feed server), e.g. ("10.1.2.0/24",)
    allow_networks: tuple[str, ...] = ()
    robots: bool = True


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    content: bytes = b""
    fetched_at: str = ""  # ISO 8601, UTC

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        return m.group(1) if m else None

    def text(self) -> str:
        """The body as text: the declared charset, else a ``<meta charset>``, else detection."""
        from newsweave.ingest.decode import decode_bytes

        charset = self.charset
        if charset is None:
            m = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", self.content[:4096], re.I)
            charset = m.group(1).decode("ascii", "replace") if m else None
        if charset:
            try:
                return self.content.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        return decode_bytes(self.content, self.url)


# --------------------------------------------------------------------------- addresses


def is_public_address(address: str) -> bool:
    """Is ``address`` (an IP literal) a global unicast address?"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"cannot resolve host {host!r}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _allowed(address: str, networks: tuple[str, ...]) -> bool:
    if is_public_address(address):
        return True
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def _refusal(host: str, addresses: list[str], networks: tuple[str, ...] = ()) -> str | None:
    bad = [a for a in addresses if not _allowed(a, networks)]
    if not bad:
        return None
    return (
        f"refused: {host} resolves to a private, loopback or link-local address ({bad[0]}); "
        "pass --allow-private to fetch from such addresses"
    )


def check_url(
    url: str, *, allow_private: bool = False, allow_networks: tuple[str, ...] = ()
) -> None:
    """Raise :class:`UnsafeURL` unless ``url`` is http(s) with a host that (when
    ``allow_private`` is false) resolves only to public addresses (or ``allow_networks``)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURL(
            url, f"refused: only http and https URLs are fetched, not {parts.scheme or 'none'!r}"
        )
    if not parts.hostname:
        raise UnsafeURL(url, "refused: the URL has no host")
    if parts.username or parts.password:
        raise UnsafeURL(url, "refused: URLs with a user name or password are not fetched")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(url, "refused: the port is not valid") from exc
    try:
        addresses = _resolve(parts.hostname, port)
    except OSError as exc:
        raise FetchError(url, str(exc)) from exc
    problem = _refusal(parts.hostname, addresses, allow_networks)
    if problem:
        raise UnsafeURL(url, problem)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, refuses unsafe addresses and connects to a checked one."""

    def __init__(self, allow_private: bool, allow_networks: tuple[str, ...] = ()) -> None:
        self.allow_private = allow_private
        self.allow_networks = allow_networks

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self.allow_private:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = _resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        problem = _refusal(host, addresses, self.allow_networks)
        if problem:
            raise _Blocked(problem)
        last: Exception | None = None
        for address in addresses:  # every one was checked above
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"cannot connect to {host}")


# --------------------------------------------------------------------------- politeness


class _HostGate:
    """Per-host spacing between request starts and a per-host concurrency limit."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.Semaphore] = {}
        self._delay: dict[str, float] = {}

    def set_delay(self, host: str, seconds: float) -> None:
        with self._lock:
            self._delay[host] = min(max(seconds, 0.0), self.policy.max_wait)

    def slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.Semaphore(max(1, self.policy.host_concurrency))
            return self._slots[host]

    def wait_turn(self, host: str) -> None:
        with self._lock:
            interval = max(self.policy.host_interval, self._delay.get(host, 0.0))
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + interval
        if start > now:
            time.sleep(start - now)


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return min(max(seconds, 0.0), cap)


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- the fetcher


class Fetcher:
    """Fetch URLs under a :class:`FetchPolicy`. Thread-safe; use as a context manager."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        transport = httpx.HTTPTransport(trust_env=False, retries=0)
        # connect only to addresses checked at connect time (httpx takes no backend argument)
        transport._pool._network_backend = _GuardedBackend(
            self.policy.allow_private, self.policy.allow_networks
        )
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # no proxies from the environment: they would skip the checks
            timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": self.policy.user_agent},
        )
        self._gate = _HostGate(self.policy)
        self._robots: dict[str, tuple[RobotFileParser | None, float]] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public
    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url`` (following redirects, each one checked). Raises :class:`FetchError`
        (or :class:`~newsweave.errors.TooLarge`, also an InputError) with a one-line reason."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        return self._with_retries(url, lambda: self._get(url, headers, robots=True))

    def fetch_many(self, urls: Iterable[str]) -> Iterator[tuple[str, FetchResult | FetchError]]:
        """Fetch several URLs concurrently (within the limits); yields in the given order."""
        todo = list(urls)

        def one(u: str) -> FetchResult | FetchError:
            try:
                return self.fetch(u)
            except FetchError as exc:
                return exc
            except InputError as exc:
                return FetchError(exc.where, exc.problem)

        with ThreadPoolExecutor(max_workers=max(1, self.policy.concurrency)) as pool:
            yield from zip(todo, pool.map(one, todo), strict=True)

    def post_json(self, url: str, payload: Any) -> int:
        """POST ``payload`` as JSON (a webhook), under the same safety rules; no redirects
        followed. Returns the status; raises :class:`FetchError` on failure."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")

        def attempt() -> FetchResult:
            self._check(url)
            try:
                response = self._client.post(
                    url, content=body, headers={"Content-Type": "application/json"}
                )
            except _Blocked as exc:
                raise UnsafeURL(url, str(exc)) from exc
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timed out after {self.policy.timeout:g}s") from exc
            except httpx.TransportError as exc:
                raise _Retryable(f"cannot connect: {exc}") from exc
            if response.status_code in _RETRY_STATUS:
                raise _Retryable(f"HTTP {response.status_code}")
            if response.status_code >= 300:
                raise FetchError(url, f"the webhook answered HTTP {response.status_code}")
            return FetchResult(url, url, response.status_code)

        return self._with_retries(url, attempt).status

    # ------------------------------------------------------------------ internals
    def _check(self, url: str) -> None:
        check_url(
            url,
            allow_private=self.policy.allow_private,
            allow_networks=self.policy.allow_networks,
        )

    def _with_retries(self, url: str, attempt: typing.Callable[[], FetchResult]) -> FetchResult:
        tries = self.policy.retries + 1
        last = "failed"
        for n in range(tries):
            try:
                return attempt()
            except _Retryable as exc:
                last = str(exc)
                if n + 1 < tries:
                    wait = exc.wait if exc.wait is not None else self.policy.backoff * 2**n
                    log.info("%s: %s; retrying in %.1fs", url, last, wait)
                    time.sleep(wait)
        raise FetchError(url, f"{last} (gave up after {tries} attempt(s))")

    def _robots_allows(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        now = time.monotonic()
        with self._robots_lock:
            cached = self._robots.get(origin)
        if cached is None or now - cached[1] > ROBOTS_TTL:
            cached = (self._load_robots(origin), now)
            with self._robots_lock:
                self._robots[origin] = cached
        parser = cached[0]
        if parser is None:
            return True
        return parser.can_fetch(ROBOTS_TOKEN, url)

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        """robots.txt of an origin: None (allow all) when absent (4xx); disallow all when the
        server fails (5xx) or cannot be reached, as RFC 9309 asks."""
        parser = RobotFileParser()
        robots_url = origin + "/robots.txt"
        try:
            result = self._with_retries(robots_url, lambda: self._get(robots_url, {}, False))
        except FetchError as exc:
            if re.search(r"HTTP 4\d\d", exc.problem):
                return None
            log.info("%s: %s; treating the site as disallowed", robots_url, exc.problem)
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        parser.parse(result.content.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        if delay:
            self._gate.set_delay(urlsplit(origin).netloc.lower(), float(delay))
        return parser

    def _get(self, url: str, headers: dict[str, str], robots: bool) -> FetchResult:
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            self._check(current)
            if robots and self.policy.robots and not self._robots_allows(current):
                raise RobotsDisallowed(url, f"robots.txt of the site disallows {current}")
            response = self._request(url, current, headers)
            if isinstance(response, str):
                current = response
                continue
            return response
        raise FetchError(url, f"too many redirects (more than {self.policy.max_redirects})")

    def _request(self, url: str, current: str, headers: dict[str, str]) -> FetchResult | str:
        """One request: a result, or the next URL of a redirect."""
        host = (urlsplit(current).netloc or "").lower()
        started = time.monotonic()
        with self._gate.slot(host):
            self._gate.wait_turn(host)
            try:
                with self._client.stream("GET", current, headers=headers) as response:
                    status = response.status_code
                    if status in _REDIRECT_STATUS and "location" in response.headers:
                        return urljoin(current, response.headers["location"])
                    if status in _RETRY_STATUS:
                        wait = _retry_after(
                            response.headers.get("retry-after"), self.policy.max_wait
                        )
                        raise _Retryable(f"HTTP {status} {response.reason_phrase}", wait)
                    if status >= 400 and status != 402:
                        raise FetchError(url, f"HTTP {status} {response.reason_phrase}")
                    content = b"" if status == 304 else self._body(url, response, started)
                    return FetchResult(
                        url=url,
                        final_url=current,
                        status=status,
                        headers={k.lower(): v for k, v in response.headers.items()},
                        content=content,
                        fetched_at=_now_iso(),
                    )
            except _Blocked as exc:
                raise UnsafeURL(url, str(exc)) from exc
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timed out (no answer within {self.policy.timeout:g}s)") from exc
            except httpx.DecodingError as exc:
                raise FetchError(url, f"the response could not be decompressed: {exc}") from exc
            except httpx.TransportError as exc:
                raise _Retryable(f"cannot connect or read: {exc}") from exc

    def _body(self, url: str, response: httpx.Response, started: float) -> bytes:
        policy = self.policy
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > policy.max_bytes:
            raise TooLarge(url, f"too large: {declared} bytes announced, the limit is "
                           f"{policy.max_bytes}")  # fmt: skip
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            chunks.append(chunk)
            if response.num_bytes_downloaded > policy.max_bytes:
                raise TooLarge(url, f"too large: over {policy.max_bytes} bytes")
            if total > policy.max_decompressed:
                raise TooLarge(
                    url, f"too large once decompressed: over {policy.max_decompressed} bytes"
                )
            if time.monotonic() - started > policy.deadline:
                raise FetchError(url, f"too slow: the response took over {policy.deadline:g}s")
        return b"".join(chunks)
