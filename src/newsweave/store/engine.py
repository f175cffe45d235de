"""A store's database: its URL, its engine (SQLite's transactions, a server's timeouts),
its migrations, what a failure means and the one retry after a lost server connection. No
table is read here (:mod:`newsweave.store.base` opens the store)."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from newsweave import settings
from newsweave.errors import StoreError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for another one before failing
#: PostgreSQL advisory-lock key that serialises writers (per database: PostgreSQL keys advisory
#: locks by database too). Every write transaction takes it first, as SQLite's BEGIN IMMEDIATE
#: takes the database's write lock, so both stores have one writer at a time and readers that
#: never wait. A writer waits ``BUSY_TIMEOUT_MS`` for it, then fails, as on SQLite.
PG_WRITE_LOCK = 0x6E657773_77726974  # "newswrit"
CONNECT_TIMEOUT_S = 10  # how long opening a connection to a database server may take
BATCH = 200  # rows fetched per query when streaming articles
_IN_CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit
#: The mark raised by every change to the stories other than one more assignment (schema.marks)
STORY_STATE = "story-state"
_MTIME_TOLERANCE = 1e-6
#: ``record_source`` statuses that do not count as seen: the input is tried again next run.
RETRY_STATUSES = frozenset({"error"})

_T = TypeVar("_T")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _chunks(items: Sequence[_T], size: int = _IN_CHUNK) -> Iterator[Sequence[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def membership_digest(article_ids: Iterable[str]) -> str:
    """A hash of a story's member article ids, independent of their order."""
    return hashlib.sha256("\n".join(sorted(article_ids)).encode("utf-8")).hexdigest()


def _to_url(db: str | Path) -> str:
    """A path becomes ``sqlite:///path``; a string with ``://`` is a URL used as is."""
    if isinstance(db, Path):
        return f"sqlite:///{db.expanduser()}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _state_dir(parsed: URL, sqlite: bool) -> Path | None:
    """See :attr:`Store.state_dir`. ``NEWSWEAVE_STATE_DIR`` moves it (one folder per store
    inside) or, set to ``off``, turns it off."""
    import hashlib

    where = settings.text("state_dir") or ""
    if where.lower() == "off":
        return None
    database = parsed.database or ""
    if sqlite:
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            return None
        path = Path((database[5:] if database.startswith("file:") else database).split("?")[0])
        path = path.expanduser().resolve()
        if not where:
            return path.with_name(path.name + ".state")
        key = str(path)
    else:
        key = parsed.render_as_string(hide_password=True)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    root = Path(where) if where else settings.cache_dir()
    return root.expanduser() / f"state-{digest}"


#: What to do about a failure, by the database's words for it (lower case)
_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database or disk is full", "no space left on device", "could not extend file"),
        "the disk is full: free some space and run again, it resumes where it stopped",
    ),
    (
        ("server closed the connection", "terminating connection", "connection is closed",
         "consuming input failed", "connection not open", "connection refused"),
        "the connection to the database server was lost: run again when it is back, "
        "it resumes where it stopped",
    ),
)  # fmt: skip


def _reason(exc: BaseException) -> str:
    """The database's own words for a failure, without SQLAlchemy's statement dump, and what
    to do about it when that is clear (a full disk, a lost server connection)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    lowered = text.lower()
    for needles, hint in _HINTS:
        if any(n in lowered for n in needles) or (
            hint.startswith("the connection") and _lost_connection(exc)
        ):
            return f"{reason} ({hint})"
    return reason


def _lost_connection(exc: BaseException | None) -> bool:
    """Did the database connection drop (a server restart, an administrator's
    pg_terminate_backend, a network cut)? SQLAlchemy invalidates such a connection."""
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


_F = TypeVar("_F", bound=Callable[..., Any])


def _retry_lost_connection(method: _F) -> _F:
    """Run a store method (one transaction, or one read) once more when its connection to the
    server was lost: the server rolled the transaction back, and the pool's pre-ping gives the
    retry a fresh connection. A second loss is the caller's error (a StoreError)."""

    @functools.wraps(method)
    def retried(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError as exc:
            if not _lost_connection(exc.__cause__):
                raise
            log.warning(
                "Store.%s: lost the connection to the database server; retrying once",
                method.__name__,
            )
        return method(self, *args, **kwargs)

    return retried  # type: ignore[return-value]


def _alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of newsweave knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _sqlite_engine(url: str, memory: bool) -> Engine:
    """A SQLite engine with WAL, foreign keys, a busy timeout and real transactions.

    pysqlite's own transaction handling is switched off (``isolation_level = None``) and
    SQLAlchemy emits BEGIN itself: ``BEGIN IMMEDIATE`` for writes, so a writer takes the lock
    up front and waits ``busy_timeout`` for another one instead of failing half-way."""
    connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    kwargs: dict[str, Any] = {}
    if memory:
        connect_args["check_same_thread"] = False
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not memory:
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("newsweave_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
