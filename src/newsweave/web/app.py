"""The analyst's workbench: server-rendered pages and a JSON API over one store (FastAPI).

``create_app(db, token=...)`` builds the app; ``newsweave serve`` runs it with uvicorn. Writes
(ingest, delete, re-analyse) need the token whenever one is set (and ``newsweave serve`` refuses
to listen beyond loopback without one); reads need it too with ``protect_reads=True``. The token
is accepted as ``Authorization: Bearer ...``, an ``X-Newsweave-Token`` header, a ``token`` form
field, or the cookie the sign-in page sets.

Safety: Jinja2 autoescape everywhere (article text is never marked safe), a Content-Security-Policy
without inline scripts, a request body limit, upload type and size checks, ids validated before
they reach the store, and error pages that never show a traceback.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import jinja2
from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import HTTPException as FastAPIHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsweave import settings
from newsweave.document.timex.values import display as display_date
from newsweave.errors import NewsweaveError, NotFound
from newsweave.ingest.dates import to_iso_date
from newsweave.model import Document
from newsweave.pipeline import Pipeline
from newsweave.report import build_report, render_html, render_markdown
from newsweave.store import Store
from newsweave.store.search import KINDS, search
from newsweave.version import __version__
from newsweave.web import views
from newsweave.web.jobs import Upload, Worker

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TOKEN_ENV = settings.env("token")
COOKIE = "newsweave_token"
CACHE_SECONDS = 5.0
CACHE_SIZE = 64
MAX_BODY = 10 * 1024 * 1024  # bytes per request
MAX_FILE = 5 * 1024 * 1024  # bytes per uploaded file
MAX_FILES = 20
MAX_PASTE = 1_000_000  # characters of pasted text
#: Bytes the form parser lets a text field have: a paste of MAX_PASTE characters of up to 4
#: bytes each (UTF-8) always reaches the handler, which counts its characters; more than the
#: body limit never arrives at all.
MAX_PASTE_BYTES = 4 * MAX_PASTE
UPLOAD_TYPES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
PASTE_HELP = f"Pasted report text, at most {MAX_PASTE:,} characters."
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the
    # app's own form posts and fetches, which the write guard refuses; other sites still get
    # no referrer at all
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]

StoryId = Annotated[str, PathParam(pattern=ID_PATTERN, max_length=128)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def is_loopback(host: str) -> bool:
    """True for addresses that only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: The shortest token accepted when the server listens beyond loopback.
MIN_PUBLIC_TOKEN = 16


def token_problem(token: str | None, host: str) -> str | None:
    """What is wrong with ``token`` for a server listening on ``host`` (None: nothing).

    Beyond loopback anyone who can reach the port may try tokens, so the token must be there
    and of reasonable strength: at least :data:`MIN_PUBLIC_TOKEN` characters, no whitespace at
    its ends (an ``Authorization`` header loses it), not one character over and over. On
    loopback no token is needed, but one that is given must not be blank."""
    if token and not token.strip():
        return "the token is blank (only whitespace)"
    if is_loopback(host):
        return None
    if not token:
        return f"listening on {host} (beyond loopback) needs a token"
    if token != token.strip():
        return "the token starts or ends with whitespace"
    if len(token) < MIN_PUBLIC_TOKEN or len(set(token)) < 5:
        return (
            f"listening on {host} (beyond loopback) needs a token of at least "
            f"{MIN_PUBLIC_TOKEN} characters, not one or a few repeated (this one has "
            f"{len(token)} characters, {len(set(token))} different); make one with "
            "python3 -c 'import secrets; print(secrets.token_urlsafe())'"
        )
    return None


class Guard:
    """Plain ASGI middleware in front of the app:

    - refuses request bodies over ``limit`` bytes (413), declared or streamed;
    - refuses writes (POST, PUT, PATCH, DELETE) sent from another site (403): a browser names
      the page's origin in ``Origin`` (or, without it, ``Referer``) and ``Sec-Fetch-Site``, so a
      page elsewhere cannot make a visitor's browser post to a server on their machine. The
      origin must be the request's own: the same scheme, host and port (the scheme as the
      server sees it: behind a TLS proxy, uvicorn takes it from ``X-Forwarded-Proto`` when the
      proxy is trusted, ``--forwarded-allow-ips``); an opaque origin (``Origin: null``: a
      sandboxed frame, a ``data:`` page, a redirect across sites) is refused. A request naming
      no origin at all (curl, a script) is not a browser's cross-site request and goes on to
      the token check;
    - with ``hosts``, refuses requests whose ``Host`` is not one of them (400), against DNS
      rebinding;
    - adds the security headers to every response."""

    def __init__(self, app: ASGIApp, limit: int, hosts: frozenset[str] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        host = headers.get("host", "")
        if self.hosts is not None and _host_name(host) not in self.hosts:
            await _refuse(send_with_headers, 400, "unknown host")
            return
        if scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
            problem = _cross_site(headers, scope)
            if problem is not None:
                await _refuse(send_with_headers, 403, f"cross-site request refused: {problem}")
                return
        too_large = f"request body too large: the limit is {_size(self.limit)}"
        try:
            declared = int(headers.get("content-length", "0"))
        except ValueError:
            declared = self.limit + 1
        if declared > self.limit:
            await _refuse(send_with_headers, 413, too_large)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:  # a body without Content-Length (chunked) grew too big
                    raise _TooLarge(too_large)
            return message

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, limited, send_tracked)
        except _TooLarge:
            # raised where nothing turned it into a response (the app's handlers answer it with
            # its 413 page or JSON when it happens while a form or body is read)
            if not started:
                await _refuse(send_with_headers, 413, too_large)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an http(s) URL or origin, the port filled in from the
    scheme; None for anything else (another scheme, no host, a bad port)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def _request_origin(headers: dict[str, str], scope: Scope) -> tuple[str, str, int] | None:
    """The request's own origin: its scheme (as the server sees it: uvicorn's proxy-header
    handling has set it from a trusted proxy's ``X-Forwarded-Proto``) and its ``Host``."""
    scheme = str(scope.get("scheme") or "http").lower()
    host = headers.get("host")
    if not host:
        server = scope.get("server")
        if not server:
            return None
        name, port = server
        host = f"[{name}]:{port}" if ":" in str(name) else f"{name}:{port}"
    return _origin_of(f"{scheme}://{host}")


def _cross_site(headers: dict[str, str], scope: Scope) -> str | None:
    """Why a write looks sent from another site (None if it does not)."""
    if headers.get("sec-fetch-site") == "cross-site":
        return "Sec-Fetch-Site: cross-site"
    if "origin" in headers:
        name, given = "Origin", headers["origin"].strip()
    elif headers.get("referer", "").strip():
        name, given = "Referer", headers["referer"].strip()
    else:
        return None  # no browser names no origin on a write: curl, scripts (the token decides)
    if given.lower() in ("", "null"):
        return f"{name} is {given or 'empty'} (an opaque origin)"
    if _origin_of(given) != _request_origin(headers, scope):
        return f"{name} does not match the scheme, host and port of this server"
    return None


def _host_name(host: str) -> str:
    """The name in a Host header, without the port ("[::1]:8000" -> "::1")."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class _TooLarge(FastAPIHTTPException):
    """The body grew over the limit while it was read. An HTTPException, so that the framework
    passes it on (it turns other errors met while parsing a body into a 400) and the app's
    handler answers 413 with the message."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


def _size(n: int) -> str:
    """A byte count as people write it: "10 MB" (MiB), "4000 bytes"."""
    mb = 1024 * 1024
    return f"{n // mb} MB" if n >= mb and n % mb == 0 else f"{n} bytes"


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _paged(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {
        "total": len(items),
        "offset": offset,
        "limit": limit,
        "items": items[offset : offset + limit],
    }


def create_app(
    db: str | Path | Store,
    *,
    token: str | None = None,
    protect_reads: bool = False,
    pipeline_factory: Callable[[Store], Pipeline] | None = None,
    max_body: int = MAX_BODY,
    hosts: list[str] | None = None,
) -> FastAPI:
    """The web app over the store at ``db`` (a path, URL or open :class:`Store`).

    ``token`` (default: the ``NEWSWEAVE_TOKEN`` environment variable) protects writes, and
    reads as well when ``protect_reads``. ``pipeline_factory`` builds the pipeline the ingest
    worker uses (models load on the first ingest). ``hosts`` (optional): the only names accepted
    in the ``Host`` header (``newsweave serve`` on loopback accepts loopback names only)."""
    token = settings.value("token", token)
    if token is not None and not token.strip():
        token = None  # an empty setting is no token (newsweave serve refuses a blank one)
    if protect_reads and not token:
        raise ValueError("protect_reads needs a token")
    store = db if isinstance(db, Store) else Store.open(db)
    worker = Worker(store, pipeline_factory)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.filters["human_date"] = display_date  # TIMEX3 values as people write them

    app = FastAPI(
        title="newsweave",
        version=__version__,
        description="Stories, facts with independent origins, quotes, conflicts and a cited "
        "brief, from many news reports. Write endpoints need the token when one is set.",
        docs_url=None,  # the Swagger page needs a CDN and inline scripts: the schema is enough
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.store = store
    app.state.worker = worker
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ------------------------------------------------------------------ auth
    def _given_token(request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return request.headers.get("x-newsweave-token") or request.cookies.get(COOKIE)

    def _check(given: str | None) -> bool:
        return token is None or (
            given is not None and hmac.compare_digest(given.encode(), token.encode())
        )

    def require_write(request: Request) -> None:
        if not _check(_given_token(request)):
            raise HTTPException(401, "a valid token is required for this")

    def require_read(request: Request) -> None:
        if protect_reads and not _check(_given_token(request)):
            raise HTTPException(401, "a valid token is required to read this store")

    Reader = Depends(require_read)
    Writer = Depends(require_write)

    # ------------------------------------------------------------------ responses
    def page(request: Request, name: str, code: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("title", "newsweave")
        ctx["token_required"] = token is not None
        html = env.get_template(name).render(request_path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=code)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/")

    def error_response(request: Request, status: int, message: str) -> Response:
        if wants_html(request):
            return page(request, "error.html", status, status=status, message=message)
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(NewsweaveError)
    async def newsweave_error(request: Request, exc: NewsweaveError) -> Response:
        log.warning("request %s failed: %s", request.url.path, exc)
        return error_response(request, 500, "the store could not answer this request")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        return error_response(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            return error_response(request, 422, "the request is not valid")
        errors = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "internal error")

    # ------------------------------------------------------------------ story view cache
    # Building a story view reads every report and analysis of the story: views are cached for
    # CACHE_SECONDS (other processes writing the store show after that), and dropped at once
    # when this app writes (ingest, delete, re-analyse).
    cache: dict[str, tuple[float, int, Any]] = {}
    building: dict[str, threading.Lock] = {}
    cache_lock = threading.Lock()

    def fresh_cached(key: str) -> Any:
        with cache_lock:
            hit = cache.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS and hit[1] == worker.generation:
            return hit[2]
        return None

    def cached(key: str, build: Callable[[], Any]) -> Any:
        """The cached value, rebuilt by one request at a time: while one rebuilds, the others
        get the previous value (or wait for the first one)."""
        with cache_lock:
            hit = cache.get(key)
            lock = building.setdefault(key, threading.Lock())
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS and hit[1] == worker.generation:
            return hit[2]
        if not lock.acquire(blocking=hit is None):
            return hit[2] if hit else build()
        try:
            with cache_lock:
                hit = cache.get(key)
            if hit and time.monotonic() - hit[0] < CACHE_SECONDS and hit[1] == worker.generation:
                return hit[2]
            generation = worker.generation
            value = build()
            with cache_lock:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[key] = (time.monotonic(), generation, value)
            return value
        finally:
            lock.release()

    def story_view(story_id: str) -> dict[str, Any]:
        view: dict[str, Any] = cached("view:" + story_id, lambda: views.story_view(store, story_id))
        return view

    # ------------------------------------------------------------------ API: reads
    @app.get("/api/stories", tags=["stories"], dependencies=[Reader])
    def api_stories(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stories, newest and biggest first, with size, outlets and date span."""
        return _paged(views.stories_list(store), limit, offset)

    @app.get("/api/stories/{story_id}", tags=["stories"], dependencies=[Reader])
    def api_story(story_id: StoryId) -> dict[str, Any]:
        """One story: brief, facts, coverage matrix, origins, derivation graph, timeline,
        conflicts, quotes, entities, relations and what each report alone adds."""
        return views.story_api(story_view(story_id))

    @app.get("/api/stories/{story_id}/facts", tags=["stories"], dependencies=[Reader])
    def api_story_facts(story_id: StoryId, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """A story's facts, most central first, with their claims."""
        analysis = views._analysis_or_404(store, story_id)
        from newsweave.model import to_dict

        return _paged(to_dict(analysis.facts), limit, offset)

    @app.get("/api/stories/{story_id}/entities", tags=["stories"], dependencies=[Reader])
    def api_story_entities(
        story_id: StoryId, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        """A story's entities with their aliases."""
        analysis = views._analysis_or_404(store, story_id)
        from newsweave.model import to_dict

        return _paged(to_dict(analysis.entities), limit, offset)

    @app.get(
        "/api/stories/{story_id}/export.{fmt}",
        tags=["exports"],
        dependencies=[Reader],
        response_model=None,
    )
    def api_export(
        story_id: StoryId, fmt: Literal["json", "md", "html", "facts.csv", "entities.csv"]
    ) -> Response:
        """The story's report as JSON, Markdown or HTML; its facts or entities as CSV."""
        views._analysis_or_404(store, story_id)
        name = f"newsweave-{story_id}"
        if fmt == "json":
            report = build_report(store, [story_id])
            return JSONResponse(
                report, headers={"Content-Disposition": f'attachment; filename="{name}.json"'}
            )
        if fmt == "md":
            return PlainTextResponse(
                render_markdown(build_report(store, [story_id])),
                media_type="text/markdown; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}.md"'},
            )
        if fmt == "html":
            return Response(
                render_html(build_report(store, [story_id])),
                media_type="text/html; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}.html"'},
            )
        analysis = views._analysis_or_404(store, story_id)
        body = views.facts_csv(analysis) if fmt == "facts.csv" else views.entities_csv(analysis)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}-{fmt}"'},
        )

    @app.get("/api/articles", tags=["articles"], dependencies=[Reader])
    def api_articles(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Articles in ingest order."""
        ids = store.article_ids()
        page_ids = ids[offset : offset + limit]
        items = (
            [views.article_summary(a, store.story_of(a.id)) for a in store.iter_articles(page_ids)]
            if page_ids
            else []
        )
        return {"total": len(ids), "offset": offset, "limit": limit, "items": items}

    @app.get("/api/articles/{article_id}", tags=["articles"], dependencies=[Reader])
    def api_article(article_id: StoryId) -> dict[str, Any]:
        """An article with its sentences, claims (linked to facts), entities, dates and quotes."""
        return views.article_view(store, article_id)

    @app.get("/api/entities/{entity_id}", tags=["entities"], dependencies=[Reader])
    def api_entity(entity_id: StoryId) -> dict[str, Any]:
        """An entity: the stories it appears in, its aliases, facts and quotes about or by it."""
        return views.entity_view(store, entity_id)

    @app.get("/api/search", tags=["search"], dependencies=[Reader])
    def api_search(
        q: Annotated[str, Query(max_length=500)] = "",
        kind: Literal["fact", "article"] = "fact",
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Full-text search over facts or articles: every word must occur, the last may be a
        prefix."""
        result = search(store, q, kind, limit=min(limit, 100), offset=offset)
        return {
            "query": q,
            "kind": kind,
            "total": result.total,
            "offset": offset,
            "limit": result.limit,
            "items": [h.to_dict() for h in result.hits],
        }

    @app.get("/api/jobs/{job_id}", tags=["ingest"], dependencies=[Reader])
    def api_job(job_id: StoryId) -> dict[str, Any]:
        """Progress of an ingest or re-analysis job."""
        job = worker.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return job.to_dict()

    # ------------------------------------------------------------------ API: writes
    async def _read_uploads(files: list[UploadFile] | None) -> list[Upload]:
        uploads = []
        for f in files or []:
            if not f.filename:
                continue
            suffix = Path(f.filename).suffix.lower()
            if suffix not in UPLOAD_TYPES:
                raise HTTPException(
                    415,
                    f"unsupported file type {suffix or '(none)'}: use "
                    + ", ".join(sorted(UPLOAD_TYPES)),
                )
            data = await f.read(MAX_FILE + 1)
            if len(data) > MAX_FILE:
                raise HTTPException(413, f"a file is over {MAX_FILE // (1024 * 1024)} MB")
            uploads.append(Upload(name=f.filename, data=data))
        if len(uploads) > MAX_FILES:
            raise HTTPException(413, f"at most {MAX_FILES} files at once")
        return uploads

    def _pasted(text: str, title: str, source: str, published: str) -> list[Document]:
        if not text.strip():
            return []
        if len(text) > MAX_PASTE:
            raise HTTPException(
                413,
                f"the pasted text has {len(text):,} characters: the limit is {MAX_PASTE:,} "
                "characters (upload longer reports as files)",
            )
        return [
            Document(
                text=text,
                title=title.strip()[:500] or None,
                source=source.strip()[:200] or None,
                published=to_iso_date(published.strip()) if published.strip() else None,
                format="text",
            )
        ]

    # the form parser's limit for a text field, in bytes: never below what a paste of
    # MAX_PASTE characters can take, so the handler counts characters and says the limit
    form_limits: Any = {"max_part_size": max(MAX_PASTE_BYTES, max_body)}

    @app.post(
        "/api/ingest",
        tags=["ingest"],
        dependencies=[Writer],
        status_code=202,
        form_limits=form_limits,
    )
    async def api_ingest(
        text: Annotated[str, Form(description=PASTE_HELP)] = "",
        title: Annotated[str, Form(max_length=500)] = "",
        source: Annotated[str, Form(max_length=200)] = "",
        published: Annotated[str, Form(max_length=40)] = "",
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> dict[str, Any]:
        """Ingest pasted text and/or uploaded files (.txt, .md, .html, .jsonl), then analyse;
        returns the job to poll at ``/api/jobs/{id}``."""
        docs = _pasted(text, title, source, published)
        uploads = await _read_uploads(files)
        if not docs and not uploads:
            raise HTTPException(400, "nothing to ingest: paste a text or choose files")
        return worker.submit_ingest(docs, uploads).to_dict()

    @app.delete("/api/stories/{story_id}", tags=["stories"], dependencies=[Writer])
    def api_delete_story(story_id: StoryId) -> dict[str, Any]:
        """Delete a story and its results (its articles stay and join a story again on the
        next ingest)."""
        store.delete_story(story_id)
        worker.generation += 1
        return {"deleted": story_id}

    @app.post(
        "/api/stories/{story_id}/reanalyse",
        tags=["stories"],
        dependencies=[Writer],
        status_code=202,
    )
    def api_reanalyse(story_id: StoryId) -> dict[str, Any]:
        """Rebuild a story's account; returns the job to poll."""
        store.get_story(story_id)
        return worker.submit_reanalyse(story_id).to_dict()

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False, dependencies=[Reader])
    def stories_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        results = {}
        if q.strip():
            for kind in KINDS:
                results[kind] = search(store, q, kind, limit=10, offset=(page_no - 1) * 10)
        stories = views.stories_list(store)
        per = 25
        return page(
            request,
            "stories.html",
            title="Stories — newsweave",
            stories=stories[(page_no - 1) * per : page_no * per] if not q.strip() else stories,
            n_stories=len(stories),
            page_no=page_no,
            pages=max(1, -(-len(stories) // per)),
            q=q,
            results=results,
        )

    @app.get(
        "/stories/{story_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
        dependencies=[Reader],
    )
    async def story_page(request: Request, story_id: StoryId) -> HTMLResponse:
        key = "page:" + story_id
        fresh = fresh_cached(key)
        if fresh is not None:  # served on the event loop, no thread hop
            return HTMLResponse(fresh)

        def render() -> str:
            data = story_view(story_id)
            return str(
                page(request, "story.html", title=f"{data['title']} — newsweave", s=data).body,
                "utf-8",
            )

        return HTMLResponse(await run_in_threadpool(cached, key, render))

    @app.get(
        "/articles/{article_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
        dependencies=[Reader],
    )
    def article_page(request: Request, article_id: StoryId) -> HTMLResponse:
        data = views.article_view(store, article_id)
        return page(
            request, "article.html", title=f"{data['article']['label']} — newsweave", a=data
        )

    @app.get(
        "/entities/{entity_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
        dependencies=[Reader],
    )
    def entity_page(request: Request, entity_id: StoryId) -> HTMLResponse:
        data = views.entity_view(store, entity_id)
        return page(request, "entity.html", title=f"{data['name']} — newsweave", e=data)

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False, dependencies=[Reader])
    def ingest_page(request: Request) -> HTMLResponse:
        return page(
            request,
            "ingest.html",
            title="Add reports — newsweave",
            job=None,
            types=sorted(UPLOAD_TYPES),
            max_mb=MAX_FILE // (1024 * 1024),
            max_paste=f"{MAX_PASTE:,}",
        )

    @app.post("/ingest", include_in_schema=False, response_model=None, form_limits=form_limits)
    async def ingest_form(
        request: Request,
        text: Annotated[str, Form(description=PASTE_HELP)] = "",
        title: Annotated[str, Form(max_length=500)] = "",
        source: Annotated[str, Form(max_length=200)] = "",
        published: Annotated[str, Form(max_length=40)] = "",
        form_token: Annotated[str, Form(alias="token", max_length=500)] = "",
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> Response:
        if not _check(form_token or _given_token(request)):
            raise HTTPException(401, "a valid token is required to add reports")
        docs = _pasted(text, title, source, published)
        uploads = await _read_uploads(files)
        if not docs and not uploads:
            raise HTTPException(400, "nothing to add: paste a text or choose files")
        job = worker.submit_ingest(docs, uploads)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get(
        "/jobs/{job_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
        dependencies=[Reader],
    )
    def job_page(request: Request, job_id: StoryId) -> HTMLResponse:
        job = worker.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return page(request, "job.html", title="Progress — newsweave", job=job.to_dict())

    @app.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    def signin_page(request: Request) -> HTMLResponse:
        return page(request, "signin.html", title="Sign in — newsweave", failed=False)

    @app.post("/signin", include_in_schema=False, response_model=None)
    def signin(
        request: Request, form_token: Annotated[str, Form(alias="token", max_length=500)] = ""
    ) -> Response:
        if token is None or not _check(form_token):
            return page(request, "signin.html", 401, title="Sign in — newsweave", failed=True)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, form_token, httponly=True, samesite="strict")
        return response

    app.add_middleware(Guard, limit=max_body, hosts=frozenset(hosts) if hosts else None)
    return app
