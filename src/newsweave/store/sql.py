"""The store: articles, ingest bookkeeping, analysis caches, stories and story results.

One :class:`Store` over SQLAlchemy Core. SQLite by default (a path), any SQLAlchemy URL
otherwise (``postgresql://...`` goes through the same code). The schema lives in
:mod:`newsweave.store.schema`; Alembic migrations bring a database to it when the store is
opened. Every write method is one transaction: it happens whole or not at all, and writers
take turns (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock, :data:`PG_WRITE_LOCK`),
so several processes may write to one store; steps that span transactions hold
:meth:`Store.exclusive`. See docs/storage.md.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from newsweave import settings
from newsweave.errors import LockLost, NewsweaveError, NotFound, StoreError
from newsweave.model import (
    Article,
    ArticleAnalysis,
    BriefSentence,
    Claim,
    Conflict,
    ConflictValue,
    Entity,
    Fact,
    Provenance,
    Quote,
    Relation,
    Story,
    StoryAnalysis,
    TimelineEntry,
    Unique,
    from_dict,
    to_dict,
)
from newsweave.store import schema as t

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
    def retried(self: Store, *args: Any, **kwargs: Any) -> Any:
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


def lock_key(name: str) -> int:
    """The PostgreSQL advisory-lock key (a signed bigint) of the named lock ``name``."""
    key = int.from_bytes(hashlib.sha256(f"newsweave:{name}".encode()).digest()[:8], "big")
    return key - (1 << 63)


@dataclass
class _Fence:
    """A named lock held on a database server by this thread: the session holding it (its
    connection and backend pid) and the generation (fencing token) taken with it."""

    name: str
    key: int
    conn: Connection
    pid: int
    token: int


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


class Store:
    """Everything newsweave keeps between runs. Open with :meth:`Store.open`."""

    def __init__(self, engine: Engine, url: str, name: str) -> None:
        self._engine = engine
        self._writer = engine.execution_options(newsweave_write=True)
        self.url = url
        self._name = name
        self._closed = False
        self.batch_size = BATCH
        #: Where a process may keep state derived from the store to start faster (the story
        #: assigner's snapshot): beside a SQLite file, in the user's cache for a server; None
        #: for an in-memory store or with ``NEWSWEAVE_STATE_DIR=off``.
        self.state_dir: Path | None = None

    # ------------------------------------------------------------------ open / close

    @classmethod
    def open(cls, db: str | Path = settings.DEFAULT_DB) -> Store:
        """Open (creating and migrating as needed) the store at a path or SQLAlchemy URL."""
        name = str(db)
        url = _to_url(db)
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"cannot open store {name}: not a database URL") from exc
        if isinstance(db, str) and "://" in db:
            name = parsed.render_as_string(hide_password=True)  # messages never show passwords
        sqlite = parsed.get_backend_name() == "sqlite"
        if sqlite:
            database = parsed.database or ""
            memory = database in ("", ":memory:") or database.startswith("file::memory:")
            if not memory:
                # a SQLite URI filename ("file:/path/x.db?mode=ro" with uri=true) names a path too
                path = database[5:] if database.startswith("file:") else database
                parent = Path(path).expanduser().parent
                if not parent.is_dir():
                    raise StoreError(f"cannot open store {name}: directory {parent} does not exist")
                if Path(database).is_dir():
                    raise StoreError(f"cannot open store {name}: it is a directory")
            engine = _sqlite_engine(url, memory)
        else:
            try:
                connect_args: dict[str, Any] = {}
                if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in str(
                    parsed.query
                ):
                    connect_args["connect_timeout"] = CONNECT_TIMEOUT_S  # an unreachable host
                engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
            except (ArgumentError, ImportError, SQLAlchemyError) as exc:
                raise StoreError(f"cannot open store {name}: {_reason(exc)}") from exc
        store = cls(engine, url, name)
        store.state_dir = _state_dir(parsed, sqlite)
        try:
            store._migrate()
        except StoreError:
            engine.dispose()
            raise
        except SQLAlchemyError as exc:
            engine.dispose()
            reason = store._explain(exc)
            if "not a database" in reason:
                raise StoreError(
                    f"cannot open store {name}: not a newsweave database ({reason})"
                ) from exc
            raise StoreError(f"cannot open store {name}: {reason}") from exc
        return store

    @classmethod
    def open_reader(cls, db: str | Path) -> Store:
        """Open a store another process opened (and migrated) already, for reads only: no
        migration, no writers' lock (a worker process reading the sentence vector cache).
        StoreError for an in-memory database (nothing to share)."""
        url = _to_url(db)
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:") or database.startswith("file::memory:"):
                raise StoreError("an in-memory store cannot be shared with another process")
            engine = _sqlite_engine(url, False)
        else:
            try:
                engine = create_engine(url, pool_pre_ping=True)
            except (ArgumentError, ImportError, SQLAlchemyError) as exc:
                raise StoreError(f"cannot open store {db}: {_reason(exc)}") from exc
        return cls(engine, url, str(db))

    @property
    def shareable(self) -> bool:
        """Whether other processes can open this store (not an in-memory SQLite database)."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite":
            return True
        database = parsed.database or ""
        return not (database in ("", ":memory:") or database.startswith("file::memory:"))

    def _migrate(self) -> None:
        with self._writer.begin() as conn:
            self._lock_writers(conn)  # two processes opening a new database migrate it once
            tables = set(inspect(conn).get_table_names())
            if tables and "alembic_version" not in tables:
                raise StoreError(
                    f"cannot open store {self._name}: not a newsweave database "
                    f"(it has tables {', '.join(sorted(tables)[:5])} but no schema version)"
                )
            current = MigrationContext.configure(conn).get_current_revision()
            script = ScriptDirectory.from_config(_alembic_config())
            if current is not None and current not in {s.revision for s in script.walk_revisions()}:
                raise StoreError(
                    f"cannot open store {self._name}: schema revision {current} is unknown "
                    "(made by a newer newsweave?)"
                )
            head = script.get_current_head()
            if current != head:
                log.info("migrating store %s from %s to %s", self._name, current, head)
                command.upgrade(_alembic_config(conn), "head")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for read-only queries over :mod:`newsweave.store.schema`."""
        return self._engine

    def revision(self) -> str | None:
        """The schema revision recorded in the database (Alembic's ``alembic_version``)."""
        with self._read() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _write(self, what: str) -> Iterator[Connection]:
        """One transaction; committed when the block ends, rolled back if it raises."""
        if self._closed:
            raise StoreError(f"store {self._name} is closed")
        try:
            with self._writer.begin() as conn:
                self._lock_writers(conn)
                self._check_fences(conn, what)
                yield conn
        except NewsweaveError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"{what} failed in store {self._name}: {self._explain(exc)}") from exc

    def _explain(self, exc: BaseException) -> str:
        """:func:`_reason`; SQLite says "disk I/O error" when it cannot even grow its journal
        on a full disk: then the hint is added here, from the free space beside the file."""
        reason = _reason(exc)
        if "disk i/o error" not in reason.lower():
            return reason
        path = self._lock_path("space")  # a path beside the SQLite file; None for a server
        try:
            full = path is not None and shutil.disk_usage(Path(path).parent).free < 1 << 20
        except OSError:
            full = False
        return f"{reason} ({_HINTS[0][1]})" if full else reason

    def _lock_writers(self, conn: Connection) -> None:
        """On PostgreSQL, wait for the writers' lock (held until this transaction ends)."""
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})

    def _check_fences(self, conn: Connection, what: str) -> None:
        """On a server, for each named lock this thread holds on this store: refuse the write
        (:class:`LockLost`) if another process took the lock since this one did, and take the
        lock again if its session ended and nobody else took it meanwhile.

        Runs in the write's transaction, after the writers' lock: a process that takes the
        named lock raises its generation in a write transaction of its own, which waits for
        this one, and reads what the lock protects only after that. So a write that passes
        this check cannot overwrite the work of a later holder, even with its own lock's
        session gone."""
        fences = _held_locks.__dict__.get("fences")
        if not fences:
            return
        for (store_id, name), fence in list(fences.items()):
            if store_id != id(self):
                continue
            hi, lo = (fence.key >> 32) & 0xFFFFFFFF, fence.key & 0xFFFFFFFF
            row = conn.execute(
                text(
                    "SELECT l.generation, EXISTS (SELECT 1 FROM pg_locks p "
                    "WHERE p.locktype = 'advisory' AND p.granted AND p.pid = :pid "
                    "AND p.classid::bigint = :hi AND p.objid::bigint = :lo AND p.objsubid = 1) "
                    "AS held FROM locks l WHERE l.name = :name"
                ),
                {"pid": fence.pid, "hi": hi, "lo": lo, "name": name},
            ).first()
            if row is None or int(row.generation) != fence.token:
                raise LockLost(
                    f"{what} refused in store {self._name}: the lock {name!r} was lost with its "
                    "database session and another process has taken it since; nothing more "
                    "was written (run again: it resumes where it stopped)"
                )
            if not row.held:
                self._retake(fence, what)

    def _retake(self, fence: _Fence, what: str) -> None:
        """Take the lock of ``fence`` again on a new session (its old session ended and, as
        the generation shows, nobody else took it); :class:`LockLost` if another process holds
        it or waits for it now (it reads only after this write commits)."""
        lost = f"{what} refused in store {self._name}: the lock {fence.name!r} was lost with "
        try:
            conn = self._engine.connect()
        except SQLAlchemyError as exc:
            raise LockLost(
                lost + f"its database session and cannot be taken again ({_reason(exc)})"
            ) from None
        try:
            got = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": fence.key}).scalar()
            )
            pid = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            conn.commit()
        except SQLAlchemyError as exc:
            conn.invalidate()
            raise LockLost(
                lost + f"its database session and cannot be taken again ({_reason(exc)})"
            ) from None
        if not got:
            conn.close()
            raise LockLost(
                lost + "its database session and another process is taking it; nothing more "
                "was written (run again: it resumes where it stopped)"
            )
        old, fence.conn, fence.pid = fence.conn, conn, pid
        old.invalidate()  # its session is gone; the server released what it held
        log.warning(
            "lock %s: its database session ended; taken again (no other process held it meanwhile)",
            fence.name,
        )

    def _take_fence(self, name: str) -> int:
        """Raise the generation of the named lock (this process just took it); the new one."""
        lk = t.locks.c
        with self._write(f"taking lock {name}") as conn:
            row = conn.execute(
                update(t.locks)
                .where(lk.name == name)
                .values(generation=lk.generation + 1, taken_at=_now())
                .returning(lk.generation)
            ).first()
            if row is not None:
                return int(row.generation)
            conn.execute(insert(t.locks).values(name=name, generation=1, taken_at=_now()))
            return 1

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """:meth:`_exclusive`, re-entrant within one thread: a step that holds the lock may call
        another that takes it too (a caller holding ``"stories"`` may call
        ``Pipeline.assign_stories``, which takes it itself)."""
        held = _held_locks.__dict__.setdefault("names", set())
        key = (id(self), name)
        if key in held:
            yield
            return
        with self._exclusive(name):
            held.add(key)
            try:
                yield
            finally:
                held.discard(key)

    @contextmanager
    def _exclusive(self, name: str) -> Iterator[None]:
        """Hold a named lock across several transactions, against every other process and
        thread using this store: for read-then-write steps that span transactions (assigning
        stories from the vectors read at the start). Not re-entrant; it waits as long as it
        takes.

        PostgreSQL: a session advisory lock on a connection of its own, fenced (the ``locks``
        table, :meth:`_check_fences`): if that session ends while the lock is held, the next
        write under it takes the lock again when no other process took it meanwhile, and fails
        with :class:`LockLost` (nothing written) when one did. A SQLite file: ``flock`` on
        ``<file>-<name>.lock`` beside it, removed when the lock is released (see
        :func:`_flock_file`). An in-memory SQLite store: a thread lock."""
        if self._closed:
            raise StoreError(f"store {self._name} is closed")
        key = lock_key(name)
        if self._engine.dialect.name == "postgresql":
            try:
                conn = self._engine.connect()
            except SQLAlchemyError as exc:
                failed = f"lock {name} failed in store {self._name}: {_reason(exc)}"
                raise StoreError(failed) from exc
            try:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                pid = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
                conn.commit()
            except SQLAlchemyError as exc:
                conn.close()
                failed = f"lock {name} failed in store {self._name}: {_reason(exc)}"
                raise StoreError(failed) from exc
            fence = _Fence(name, key, conn, pid, 0)
            fences = _held_locks.__dict__.setdefault("fences", {})
            try:
                fence.token = self._take_fence(name)
                fences[(id(self), name)] = fence
                yield
            finally:
                fences.pop((id(self), name), None)
                try:
                    fence.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    fence.conn.commit()
                    fence.conn.close()
                except SQLAlchemyError as exc:
                    # its session ended: the server released the lock with it, and the writes
                    # made under it were fenced (see _check_fences)
                    log.warning(
                        "releasing lock %s: %s; dropping its connection", name, _reason(exc)
                    )
                    fence.conn.invalidate()
            return
        path = self._lock_path(name)
        if path is None:
            with _memory_locks.setdefault((id(self._engine), name), threading.Lock()):
                yield
            return
        with _flock_file(path):
            yield

    def _lock_path(self, name: str) -> str | None:
        """Where a SQLite file's named lock lives; None for an in-memory database."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite":
            return None
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            return None
        safe = "".join(ch if ch.isalnum() else "-" for ch in name)
        path = database[5:] if database.startswith("file:") else database  # a URI filename
        return f"{Path(path).expanduser()}-{safe}.lock"

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._closed:
            raise StoreError(f"store {self._name} is closed")
        try:
            with self._engine.connect() as conn:
                yield conn
        except NewsweaveError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"reading store {self._name} failed: {_reason(exc)}") from exc

    # ------------------------------------------------------------------ articles

    def _rows(self, query: Any) -> list[Row[Any]]:
        """All rows of one read query."""
        with self._read() as conn:
            return list(conn.execute(query).all())

    def add_article(
        self, article: Article, source: tuple[str, int | None, float | None] | None = None
    ) -> bool:
        """Store an article. False (and nothing written) if its content hash is stored already.

        ``source`` = ``(key, size, mtime)`` of the input it was read from: recorded (status
        ``stored``) in the same transaction, so a crash never leaves an article without the
        bookkeeping of where it came from."""
        with self._write("adding article") as conn:
            a = t.articles.c
            if conn.execute(select(a.id).where(a.content_hash == article.content_hash)).first():
                return False
            if conn.execute(select(a.id).where(a.id == article.id)).first():
                raise StoreError(
                    f"article id {article.id} is stored already with a different content hash"
                )
            seq = conn.execute(select(func.coalesce(func.max(a.seq), 0))).scalar_one() + 1
            conn.execute(
                insert(t.articles).values(
                    id=article.id,
                    seq=seq,
                    content_hash=article.content_hash,
                    path=article.path,
                    url=article.url,
                    source=article.source,
                    title=article.title,
                    published=article.published,
                    language=article.language,
                    words=article.words,
                    text=article.text,
                    credits=list(article.credits),
                    dropped=to_dict(article.dropped),
                    meta=to_dict(article.meta),
                    ingested_at=_now(),
                )
            )
            if source is not None:
                key, size, mtime = source
                self._put_source(conn, key, size, mtime, "stored", None, article.id)
            return True

    @staticmethod
    def _article(row: Row[Any]) -> Article:
        art: Article = from_dict(
            Article,
            {
                "id": row.id,
                "content_hash": row.content_hash,
                "text": row.text,
                "path": row.path,
                "url": row.url,
                "source": row.source,
                "title": row.title,
                "published": row.published,
                "language": row.language,
                "words": row.words,
                "credits": list(row.credits or []),
                "dropped": list(row.dropped or []),
                "meta": dict(row.meta or {}),
            },
        )
        return art

    def get_article(self, article_id: str) -> Article:
        with self._read() as conn:
            row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        if row is None:
            raise NotFound(f"no article {article_id} in store {self._name}")
        return self._article(row)

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles in ingest order, fetched ``batch_size`` rows at a time.

        No transaction stays open between batches, so the caller may write to the store while
        iterating. With ``ids``, only those (each once), still in ingest order; an unknown id
        raises :class:`NotFound` here, before anything is yielded.
        """
        if ids is None:
            return self._iter_all()
        wanted = list(dict.fromkeys(ids))
        seqs: dict[str, int] = {}
        with self._read() as conn:
            for chunk in _chunks(wanted):
                q = select(t.articles.c.id, t.articles.c.seq).where(t.articles.c.id.in_(chunk))
                seqs.update({r.id: r.seq for r in conn.execute(q)})
        missing = [i for i in wanted if i not in seqs]
        if missing:
            raise NotFound(f"no article {', '.join(missing[:5])} in store {self._name}")
        return self._iter_ids(sorted(seqs, key=seqs.__getitem__))

    def _iter_all(self) -> Iterator[Article]:
        last = 0
        while True:
            q = (
                select(t.articles)
                .where(t.articles.c.seq > last)
                .order_by(t.articles.c.seq)
                .limit(self.batch_size)
            )
            rows = self._rows(q)  # one short read per batch, retried
            for row in rows:
                yield self._article(row)
            if len(rows) < self.batch_size:
                return
            last = rows[-1].seq

    def _iter_ids(self, ordered: list[str]) -> Iterator[Article]:
        for chunk in _chunks(ordered, min(self.batch_size, _IN_CHUNK)):
            q = select(t.articles).where(t.articles.c.id.in_(chunk)).order_by(t.articles.c.seq)
            rows = self._rows(q)  # one short read per batch, retried
            for row in rows:
                yield self._article(row)

    def article_mark(self) -> int:
        """The ingest seq of the latest article (0 for none): articles ingested later have a
        greater one."""
        with self._read() as conn:
            q = select(func.coalesce(func.max(t.articles.c.seq), 0))
            return int(conn.execute(q).scalar_one())

    def article_ids(self) -> list[str]:
        with self._read() as conn:
            q = select(t.articles.c.id).order_by(t.articles.c.seq)
            return list(conn.execute(q).scalars())

    def count_articles(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(t.articles)).scalar_one())

    # ------------------------------------------------------------------ sources

    def source_seen(self, key: str, size: int | None, mtime: float | None) -> bool:
        """True if ``key`` was recorded with this size and mtime and did not fail."""
        with self._read() as conn:
            row = conn.execute(select(t.sources).where(t.sources.c.key == key)).first()
        if row is None or row.status in RETRY_STATUSES or row.size != size:
            return False
        if row.mtime is None or mtime is None:
            return row.mtime is None and mtime is None
        return math.isclose(row.mtime, mtime, rel_tol=0.0, abs_tol=_MTIME_TOLERANCE)

    def record_source(
        self,
        key: str,
        size: int | None,
        mtime: float | None,
        status: str,
        message: str | None = None,
        article_id: str | None = None,
    ) -> None:
        """Remember an input (replacing what was recorded for the same key).

        ``article_id``, when given, must be stored already (an article or its duplicate)."""
        with self._write("recording source") as conn:
            self._put_source(conn, key, size, mtime, status, message, article_id)

    @staticmethod
    def _put_source(
        conn: Connection,
        key: str,
        size: int | None,
        mtime: float | None,
        status: str,
        message: str | None,
        article_id: str | None,
    ) -> None:
        values = {
            "size": size,
            "mtime": mtime,
            "status": status,
            "message": message,
            "article_id": article_id,
            "seen_at": _now(),
        }
        c = t.sources.c
        if conn.execute(select(c.key).where(c.key == key)).first():
            conn.execute(update(t.sources).where(c.key == key).values(**values))
        else:
            conn.execute(insert(t.sources).values(key=key, **values))

    def get_source(self, key: str) -> dict[str, Any] | None:
        """What was recorded for an input (key, size, mtime, status, message, article_id,
        seen_at), or None."""
        with self._read() as conn:
            row = conn.execute(select(t.sources).where(t.sources.c.key == key)).first()
        return None if row is None else dict(row._mapping)

    # ------------------------------------------------------------------ document stage

    def save_analysis(self, analysis: ArticleAnalysis) -> None:
        """Cache one article's analysis, replacing any earlier one (of any version)."""
        self.save_analyses([analysis])  # retried there after a lost connection

    def save_analyses(self, analyses: Sequence[ArticleAnalysis]) -> None:
        """Cache several articles' analyses in one transaction, each replacing any earlier one
        of its article (of any version); the last one given wins for an article given twice."""
        latest = {an.article: an for an in analyses}
        if not latest:
            return
        now = _now()
        rows = {
            aid: {"version": an.version, "data": to_dict(an), "saved_at": now}
            for aid, an in latest.items()
        }
        c = t.analyses.c
        with self._write("saving analyses") as conn:
            known: set[str] = set()
            for chunk in _chunks(list(rows)):
                q = select(c.article_id).where(c.article_id.in_(chunk))
                known.update(conn.execute(q).scalars())
            for aid in known:
                conn.execute(update(t.analyses).where(c.article_id == aid).values(**rows[aid]))
            fresh = [{"article_id": aid, **row} for aid, row in rows.items() if aid not in known]
            if fresh:
                conn.execute(insert(t.analyses), fresh)

    def get_analysis(self, article_id: str, version: str) -> ArticleAnalysis | None:
        """The cached analysis of an article if it was made by ``version``, else None."""
        c = t.analyses.c
        with self._read() as conn:
            q = select(c.data).where(c.article_id == article_id, c.version == version)
            data = conn.execute(q).scalar_one_or_none()
        if data is None:
            return None
        analysis: ArticleAnalysis = from_dict(ArticleAnalysis, data)
        return analysis

    def articles_without_analysis(self, version: str) -> list[str]:
        """Ids (ingest order) of articles with no cached analysis made by ``version``."""
        a, an = t.articles.c, t.analyses.c
        q = (
            select(a.id)
            .select_from(
                t.articles.outerjoin(t.analyses, (an.article_id == a.id) & (an.version == version))
            )
            .where(an.article_id.is_(None))
            .order_by(a.seq)
        )
        with self._read() as conn:
            return list(conn.execute(q).scalars())

    # ------------------------------------------------------------------ stories

    def save_story(self, story: Story) -> None:
        """Insert or update a story and set its members to ``story.articles`` (in that order).

        An article belongs to one story: members taken from another story leave it, and that
        story's digest changes too (so its saved analysis is no longer fresh)."""
        with self._write("saving story") as conn:
            self._put_story(conn, story)
            self._raise_mark(conn, STORY_STATE)

    def _put_story(self, conn: Connection, story: Story) -> None:
        members = list(story.articles)
        if len(set(members)) != len(members):
            raise StoreError(f"story {story.id} lists an article more than once")
        s, sa = t.stories.c, t.story_articles.c
        digest = membership_digest(members)
        row = conn.execute(select(s.digest, s.title).where(s.id == story.id)).first()
        if row is None:
            conn.execute(
                insert(t.stories).values(
                    id=story.id, title=story.title, digest=digest, updated_at=_now()
                )
            )
        elif row.digest != digest or row.title != story.title:
            conn.execute(
                update(t.stories)
                .where(s.id == story.id)
                .values(title=story.title, digest=digest, updated_at=_now())
            )
        others: set[str] = set()
        for chunk in _chunks(members):
            q = select(sa.story_id).where(sa.article_id.in_(chunk), sa.story_id != story.id)
            others.update(conn.execute(q).scalars())
            conn.execute(delete(t.story_articles).where(sa.article_id.in_(chunk)))
        conn.execute(delete(t.story_articles).where(sa.story_id == story.id))
        if members:
            conn.execute(
                insert(t.story_articles),
                [{"story_id": story.id, "article_id": a, "rank": i} for i, a in enumerate(members)],
            )
        for other in sorted(others):
            left = conn.execute(select(sa.article_id).where(sa.story_id == other)).scalars()
            conn.execute(
                update(t.stories)
                .where(s.id == other)
                .values(digest=membership_digest(left), updated_at=_now())
            )
            log.debug("story %s lost articles to story %s", other, story.id)

    def delete_story(self, story_id: str) -> None:
        """Delete a story, its membership and its story-stage results."""
        with self._write("deleting story") as conn:
            if not conn.execute(select(t.stories.c.id).where(t.stories.c.id == story_id)).first():
                raise NotFound(f"no story {story_id} in store {self._name}")
            self._delete_results(conn, story_id)
            conn.execute(delete(t.story_articles).where(t.story_articles.c.story_id == story_id))
            conn.execute(delete(t.stories).where(t.stories.c.id == story_id))
            self._raise_mark(conn, STORY_STATE)

    def stories(self) -> list[Story]:
        """Every story, ordered by id; members in the order they were saved."""
        sa = t.story_articles.c
        with self._read() as conn:
            rows = conn.execute(select(t.stories.c.id, t.stories.c.title).order_by(t.stories.c.id))
            out = {r.id: Story(id=r.id, title=r.title) for r in rows}
            q = select(sa.story_id, sa.article_id).order_by(sa.story_id, sa.rank)
            for r in conn.execute(q):
                out[r.story_id].articles.append(r.article_id)
        return list(out.values())

    def stale_stories(self) -> list[Story]:
        """The stories whose saved analysis was not made from their current members (or that
        have none), ordered by id, members in the order they were saved: what
        :meth:`stories` filtered by :meth:`story_analysis_fresh` gives, in two queries
        however many stories the store holds."""
        s, sa = t.stories.c, t.story_articles.c
        with self._read() as conn:
            q = (
                select(s.id, s.title)
                .where(or_(s.analysed_digest.is_(None), s.analysed_digest != s.digest))
                .order_by(s.id)
            )
            out = {r.id: Story(id=r.id, title=r.title) for r in conn.execute(q)}
            for chunk in _chunks(list(out)):
                q = (
                    select(sa.story_id, sa.article_id)
                    .where(sa.story_id.in_(chunk))
                    .order_by(sa.story_id, sa.rank)
                )
                for r in conn.execute(q):
                    out[r.story_id].articles.append(r.article_id)
        return list(out.values())

    def get_story(self, story_id: str) -> Story:
        with self._read() as conn:
            story = self._story(conn, story_id)
        if story is None:
            raise NotFound(f"no story {story_id} in store {self._name}")
        return story

    @staticmethod
    def _story(conn: Connection, story_id: str) -> Story | None:
        row = conn.execute(select(t.stories.c.title).where(t.stories.c.id == story_id)).first()
        if row is None:
            return None
        sa = t.story_articles.c
        q = select(sa.article_id).where(sa.story_id == story_id).order_by(sa.rank)
        return Story(id=story_id, title=row.title, articles=list(conn.execute(q).scalars()))

    def story_of(self, article_id: str) -> str | None:
        sa = t.story_articles.c
        with self._read() as conn:
            q = select(sa.story_id).where(sa.article_id == article_id)
            found: str | None = conn.execute(q).scalar_one_or_none()
            return found

    def articles_without_story(self, after: int = 0) -> list[str]:
        """Ids (ingest order) of articles that belong to no story (of those ingested after
        the ``after``-th, when given: see :meth:`article_mark`)."""
        a, sa = t.articles.c, t.story_articles.c
        q = (
            select(a.id)
            .select_from(t.articles.outerjoin(t.story_articles, sa.article_id == a.id))
            .where(sa.article_id.is_(None), a.seq > after)
            .order_by(a.seq)
        )
        with self._read() as conn:
            return list(conn.execute(q).scalars())

    # ------------------------------------------------------------------ story vectors

    def assign_article(
        self,
        article_id: str,
        story_id: str,
        version: str,
        day: int | None,
        data: bytes,
        moves: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Append an article to a story (created, with an empty title, if new) and record its
        story vector as the next one in assignment order; then give each story in ``moves`` the
        members listed (in that order; an empty list deletes the story and its results), as a
        re-grouping of the article's thread asks. One transaction, so a crash leaves either all
        of it or none.

        The article must belong to no story yet (StoreError otherwise), except when this very
        assignment is stored already: a call run again after its commit went through but the
        acknowledgement was lost (the connection dropped) succeeds without writing anything."""
        s, sa = t.stories.c, t.story_articles.c
        with self._write("assigning article") as conn:
            if self._assigned_already(conn, article_id, story_id, version, day, data, moves):
                log.info("article %s: assigned to its story already (a retried call)", article_id)
                return
            self._assign(conn, article_id, story_id, version, day, data)
            gone = []
            for sid, members in (moves or {}).items():
                if not members:
                    gone.append(sid)
                    continue
                current = self._story(conn, sid)
                if current is None or current.articles != list(members):
                    title = current.title if current is not None else ""
                    self._put_story(conn, Story(id=sid, title=title, articles=list(members)))
            for sid in gone:
                if conn.execute(select(s.id).where(s.id == sid)).first() is None:
                    continue
                self._delete_results(conn, sid)
                conn.execute(delete(t.story_articles).where(sa.story_id == sid))
                conn.execute(delete(t.stories).where(s.id == sid))

    def _assigned_already(
        self,
        conn: Connection,
        article_id: str,
        story_id: str,
        version: str,
        day: int | None,
        data: bytes,
        moves: Mapping[str, Sequence[str]] | None,
    ) -> bool:
        """Is exactly this assignment stored already: the article's story vector is the one
        given, and the article is in the story this assignment puts it in (``story_id``, or
        the story of ``moves`` that lists it)?"""
        sa, v = t.story_articles.c, t.story_vectors.c
        current = conn.execute(
            select(sa.story_id).where(sa.article_id == article_id)
        ).scalar_one_or_none()
        if current is None:
            return False
        final = next((sid for sid, m in (moves or {}).items() if article_id in m), story_id)
        if current != final:
            return False
        stored = conn.execute(
            select(v.version, v.day, v.data).where(v.article_id == article_id)
        ).first()
        return stored is not None and (stored.version, stored.day, bytes(stored.data)) == (
            version,
            day,
            data,
        )

    def _assign(
        self,
        conn: Connection,
        article_id: str,
        story_id: str,
        version: str,
        day: int | None,
        data: bytes,
    ) -> None:
        s, sa, v = t.stories.c, t.story_articles.c, t.story_vectors.c
        if conn.execute(select(sa.story_id).where(sa.article_id == article_id)).first():
            raise StoreError(f"article {article_id} belongs to a story already")
        if conn.execute(delete(t.story_vectors).where(v.article_id == article_id)).rowcount:
            self._raise_mark(conn, STORY_STATE)  # a vector removed: more than an assignment
        seq = conn.execute(select(func.coalesce(func.max(v.seq), 0))).scalar_one() + 1
        conn.execute(
            insert(t.story_vectors).values(
                article_id=article_id, seq=seq, version=version, day=day, data=data
            )
        )
        members = list(conn.execute(select(sa.article_id).where(sa.story_id == story_id)).scalars())
        digest = membership_digest([*members, article_id])
        if conn.execute(select(s.id).where(s.id == story_id)).first() is None:
            conn.execute(
                insert(t.stories).values(id=story_id, title="", digest=digest, updated_at=_now())
            )
        else:
            conn.execute(
                update(t.stories).where(s.id == story_id).values(digest=digest, updated_at=_now())
            )
        rank = conn.execute(
            select(func.coalesce(func.max(sa.rank), -1)).where(sa.story_id == story_id)
        ).scalar_one()
        conn.execute(
            insert(t.story_articles).values(story_id=story_id, article_id=article_id, rank=rank + 1)
        )

    def iter_story_vectors(
        self, after: int = 0
    ) -> Iterator[tuple[str, str | None, str, int | None, bytes]]:
        """``(article_id, story_id or None, version, day, data)`` of every stored story vector
        (after the ``after``-th in assignment order, when given), in assignment order, fetched
        ``batch_size`` rows at a time."""
        v, sa = t.story_vectors.c, t.story_articles.c
        last = after
        while True:
            q = (
                select(v.seq, v.article_id, sa.story_id, v.version, v.day, v.data)
                .select_from(
                    t.story_vectors.outerjoin(t.story_articles, sa.article_id == v.article_id)
                )
                .where(v.seq > last)
                .order_by(v.seq)
                .limit(self.batch_size)
            )
            rows = self._rows(q)  # one short read per batch, retried
            for r in rows:
                yield r.article_id, r.story_id, r.version, r.day, bytes(r.data)
            if len(rows) < self.batch_size:
                return
            last = rows[-1].seq

    def story_vector_last(self) -> tuple[int, str | None]:
        """``(seq, article_id)`` of the latest story vector (``(0, None)`` for none): what
        :meth:`story_vector_mark` gives without counting the vectors."""
        v = t.story_vectors.c
        with self._read() as conn:
            seq = int(conn.execute(select(func.coalesce(func.max(v.seq), 0))).scalar_one())
            at = conn.execute(select(v.article_id).where(v.seq == seq)).scalar_one_or_none()
        return seq, at

    def story_vector_at(self, seq: int) -> str | None:
        """The article whose story vector has this ``seq``, if any."""
        v = t.story_vectors.c
        with self._read() as conn:
            found: str | None = conn.execute(
                select(v.article_id).where(v.seq == seq)
            ).scalar_one_or_none()
            return found

    def story_state(self) -> int:
        """The ``story-state`` mark (:data:`newsweave.store.schema.marks`): unchanged while
        nothing but assignments of one more article changed the stories and their vectors."""
        return self.mark(STORY_STATE)

    def mark(self, name: str) -> int:
        """The value of a named mark (0 before it was first raised)."""
        m = t.marks.c
        with self._read() as conn:
            value = conn.execute(select(m.value).where(m.name == name)).scalar_one_or_none()
        return int(value or 0)

    @staticmethod
    def _raise_mark(conn: Connection, name: str) -> None:
        m = t.marks.c
        raised = conn.execute(update(t.marks).where(m.name == name).values(value=m.value + 1))
        if not raised.rowcount:
            conn.execute(insert(t.marks).values(name=name, value=1))

    def story_vector_mark(self, seq: int | None = None) -> tuple[int, int, str | None]:
        """Where assignment stands: ``(seq, count, article_id)`` = the ``seq`` given (the
        latest when None), how many story vectors have a ``seq`` up to it, and the article at
        it (None if no vector has that ``seq``). A process that kept its assignment state up to
        some ``seq`` checks with it that the store still holds the same vectors there."""
        v = t.story_vectors.c
        with self._read() as conn:
            if seq is None:
                seq = int(conn.execute(select(func.coalesce(func.max(v.seq), 0))).scalar_one())
            count = conn.execute(
                select(func.count()).select_from(t.story_vectors).where(v.seq <= seq)
            ).scalar_one()
            at = conn.execute(select(v.article_id).where(v.seq == seq)).scalar_one_or_none()
        return seq, int(count), at

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id -> its story's id, for the given articles that belong to one."""
        sa = t.story_articles.c
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, str] = {}
        with self._read() as conn:
            for i in range(0, len(ids), self.batch_size):
                q = select(sa.article_id, sa.story_id).where(
                    sa.article_id.in_(ids[i : i + self.batch_size])
                )
                out.update({r.article_id: r.story_id for r in conn.execute(q)})
        return out

    def count_story_vectors(self, version: str | None = None) -> int:
        """How many story vectors are stored (of ``version`` only, when given)."""
        q = select(func.count()).select_from(t.story_vectors)
        if version is not None:
            q = q.where(t.story_vectors.c.version == version)
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

    def count_assigned(self) -> int:
        """How many articles belong to a story."""
        with self._read() as conn:
            q = select(func.count()).select_from(t.story_articles)
            return int(conn.execute(q).scalar_one())

    def replace_story_vectors(self, rows: Iterable[tuple[str, str, int | None, bytes]]) -> None:
        """Replace every story vector by ``rows`` of ``(article_id, version, day, data)``, in
        assignment order; one transaction."""
        with self._write("replacing story vectors") as conn:
            conn.execute(delete(t.story_vectors))
            self._raise_mark(conn, STORY_STATE)
            batch: list[dict[str, Any]] = []
            for seq, (article_id, version, day, data) in enumerate(rows, start=1):
                batch.append(
                    {
                        "article_id": article_id,
                        "seq": seq,
                        "version": version,
                        "day": day,
                        "data": data,
                    }
                )
                if len(batch) >= _IN_CHUNK:
                    conn.execute(insert(t.story_vectors), batch)
                    batch = []
            if batch:
                conn.execute(insert(t.story_vectors), batch)

    # ------------------------------------------------------------------ embeddings cache
    def get_embeddings(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The cached vectors (raw bytes) of those ``keys`` that are stored."""
        c = t.sentence_embeddings.c
        found: dict[str, bytes] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(keys))):
                q = select(c.key, c.vector).where(c.key.in_(list(chunk)))
                found.update((r.key, bytes(r.vector)) for r in conn.execute(q))
        return found

    def put_embeddings(self, vectors: dict[str, bytes]) -> None:
        """Cache vectors; keys already stored are left as they are (one transaction)."""
        if not vectors:
            return
        c = t.sentence_embeddings.c
        with self._write("caching sentence embeddings") as conn:
            have: set[str] = set()
            for chunk in _chunks(sorted(vectors)):
                have.update(conn.execute(select(c.key).where(c.key.in_(list(chunk)))).scalars())
            rows = [{"key": k, "vector": v} for k, v in sorted(vectors.items()) if k not in have]
            for part in _chunks(rows):
                conn.execute(insert(t.sentence_embeddings), list(part))

    # ------------------------------------------------------------------ story stage

    @staticmethod
    def _delete_results(conn: Connection, story_id: str) -> None:
        for table in t.STORY_RESULT_TABLES:
            conn.execute(delete(table).where(table.c.story_id == story_id))

    def save_story_analysis(self, analysis: StoryAnalysis) -> None:
        """Replace all story-stage results of a story, and its title; a new story is created
        with ``analysis.story.articles`` as its members (as :meth:`save_story` does).

        An analysis takes a while, and other writers may change the story meanwhile, so an
        existing story keeps the members the store holds: the results are saved as made from
        ``analysis.story.articles``, and when those are not the current members the analysis is
        stale (:meth:`story_analysis_fresh`) and made again on the next run. A story that does
        not exist any more is not brought back when one of its members belongs to another story
        by now: nothing is saved then. So a slow analysis never undoes another writer's story
        assignments.

        The ``story`` field of entities, facts, quotes, conflicts and provenance must be None or
        the story's id; :meth:`load_story_analysis` always fills it with the story's id."""
        sid = analysis.story.id
        for kind, items in (
            ("entity", analysis.entities),
            ("fact", analysis.facts),
            ("quote", analysis.quotes),
            ("conflict", analysis.conflicts),
            ("provenance", analysis.provenance),
            ("relation", analysis.relations),
            ("timeline entry", analysis.timeline),
        ):
            for item in items:
                if item.story not in (None, sid):
                    raise StoreError(f"a {kind} of story {sid} says it belongs to {item.story}")
        members = list(analysis.story.articles)
        if len(set(members)) != len(members):
            raise StoreError(f"story {sid} lists an article more than once")
        s, sa = t.stories.c, t.story_articles.c
        with self._write("saving story analysis") as conn:
            row = conn.execute(select(s.title).where(s.id == sid)).first()
            if row is None:
                for chunk in _chunks(members):
                    q = select(sa.article_id).where(sa.article_id.in_(chunk)).limit(1)
                    if conn.execute(q).first() is not None:
                        log.info("story %s is gone and its reports moved on: not saved", sid)
                        return
                self._put_story(conn, analysis.story)
            elif row.title != analysis.story.title:
                conn.execute(
                    update(t.stories)
                    .where(s.id == sid)
                    .values(title=analysis.story.title, updated_at=_now())
                )
            self._delete_results(conn, sid)
            self._insert_results(conn, sid, analysis)
            conn.execute(
                update(t.stories)
                .where(t.stories.c.id == sid)
                .values(analysed_digest=membership_digest(analysis.story.articles))
            )

    @staticmethod
    def _insert_results(conn: Connection, sid: str, an: StoryAnalysis) -> None:
        def put(table: Any, rows: list[dict[str, Any]]) -> None:
            if rows:
                conn.execute(insert(table), rows)

        put(
            t.entities,
            [
                {
                    "story_id": sid,
                    "id": e.id,
                    "rank": i,
                    "name": e.name,
                    "type": e.type,
                    "aliases": list(e.aliases),
                    "articles": list(e.articles),
                    "mentions": e.mentions,
                    "roles": list(e.roles),
                }
                for i, e in enumerate(an.entities)
            ],
        )
        put(
            t.facts,
            [
                {
                    "story_id": sid,
                    "id": f.id,
                    "rank": i,
                    "text": f.text,
                    "reports": f.reports,
                    "origins": f.origins,
                    "status": f.status,
                    "entities": list(f.entities),
                }
                for i, f in enumerate(an.facts)
            ],
        )
        put(
            t.claims,
            [
                {
                    "story_id": sid,
                    "fact_id": f.id,
                    "rank": i,
                    "article_id": c.article,
                    "sentence": c.sentence,
                    "text": c.text,
                }
                for f in an.facts
                for i, c in enumerate(f.claims)
            ],
        )
        put(
            t.quotes,
            [
                {
                    "story_id": sid,
                    "rank": i,
                    "text": q.text,
                    "speaker": q.speaker,
                    "speaker_name": q.speaker_name,
                    "articles": list(q.articles),
                }
                for i, q in enumerate(an.quotes)
            ],
        )
        put(
            t.conflicts,
            [
                {
                    "story_id": sid,
                    "rank": i,
                    "kind": c.kind,
                    "about": c.about,
                    "values": to_dict(c.values),
                }
                for i, c in enumerate(an.conflicts)
            ],
        )
        put(
            t.provenance,
            [
                {
                    "story_id": sid,
                    "rank": i,
                    "article_id": p.article,
                    "origin": p.origin,
                    "evidence": p.evidence,
                    "detail": p.detail,
                    "coverage": p.coverage,
                    "passages": list(p.passages) or None,
                }
                for i, p in enumerate(an.provenance)
            ],
        )
        put(
            t.brief,
            [
                {
                    "story_id": sid,
                    "rank": i,
                    "text": b.text,
                    "articles": list(b.articles),
                    "facts": list(b.facts),
                }
                for i, b in enumerate(an.brief)
            ],
        )
        put(
            t.uniques,
            [
                {"story_id": sid, "rank": i, "article_id": u.article, "facts": list(u.facts)}
                for i, u in enumerate(an.unique)
            ],
        )
        put(
            t.relations,
            [
                {
                    "story_id": sid,
                    "rank": i,
                    "id": r.id,
                    "subject": r.subject,
                    "predicate": r.predicate,
                    "object": r.object,
                    "data": {
                        k: v
                        for k, v in to_dict(r).items()
                        if k not in {"id", "subject", "predicate", "object", "story"}
                    },
                }
                for i, r in enumerate(an.relations)
            ],
        )
        put(
            t.timeline,
            [
                {
                    "story_id": sid,
                    "rank": i,
                    "date": e.date,
                    "data": {k: v for k, v in to_dict(e).items() if k not in {"date", "story"}},
                }
                for i, e in enumerate(an.timeline)
            ],
        )

    def load_story_analysis(self, story_id: str) -> StoryAnalysis | None:
        """The saved story-stage results of a story (None if the story or its results are
        missing). Check :meth:`story_analysis_fresh` to know whether they are current."""
        with self._read() as conn:
            row = conn.execute(
                select(t.stories.c.analysed_digest).where(t.stories.c.id == story_id)
            ).first()
            if row is None or row.analysed_digest is None:
                return None
            story = self._story(conn, story_id)
            assert story is not None

            def rows(table: Any) -> list[Row[Any]]:
                q = select(table).where(table.c.story_id == story_id).order_by(table.c.rank)
                return list(conn.execute(q))

            claims: dict[str, list[Claim]] = {}
            cq = select(t.claims).where(t.claims.c.story_id == story_id)
            for c in conn.execute(cq.order_by(t.claims.c.fact_id, t.claims.c.rank)):
                claims.setdefault(c.fact_id, []).append(
                    Claim(article=c.article_id, sentence=c.sentence, text=c.text)
                )
            entities = [
                Entity(
                    id=r.id,
                    name=r.name,
                    type=r.type,
                    aliases=list(r.aliases),
                    articles=list(r.articles),
                    mentions=r.mentions,
                    story=story_id,
                    roles=list(r.roles),
                )
                for r in rows(t.entities)
            ]
            facts = [
                Fact(
                    id=r.id,
                    story=story_id,
                    text=r.text,
                    claims=claims.get(r.id, []),
                    reports=r.reports,
                    origins=r.origins,
                    status=r.status,
                    entities=list(r.entities),
                )
                for r in rows(t.facts)
            ]
            quotes = [
                Quote(
                    text=r.text,
                    speaker=r.speaker,
                    articles=list(r.articles),
                    speaker_name=r.speaker_name,
                    story=story_id,
                )
                for r in rows(t.quotes)
            ]
            conflicts = [
                Conflict(
                    kind=r.kind,
                    about=r.about,
                    values=[from_dict(ConflictValue, v) for v in r._mapping["values"]],
                    story=story_id,
                )
                for r in rows(t.conflicts)
            ]
            provenance = [
                Provenance(
                    article=r.article_id,
                    origin=r.origin,
                    evidence=r.evidence,
                    detail=r.detail,
                    story=story_id,
                    coverage=r.coverage,
                    passages=list(r.passages or []),
                )
                for r in rows(t.provenance)
            ]
            brief = [
                BriefSentence(text=r.text, articles=list(r.articles), facts=list(r.facts))
                for r in rows(t.brief)
            ]
            unique = [Unique(article=r.article_id, facts=list(r.facts)) for r in rows(t.uniques)]
            relations = [
                from_dict(
                    Relation,
                    {
                        **r.data,
                        "id": r.id,
                        "subject": r.subject,
                        "predicate": r.predicate,
                        "object": r.object,
                        "story": story_id,
                    },
                )
                for r in rows(t.relations)
            ]
            timeline = [
                from_dict(TimelineEntry, {**r.data, "date": r.date, "story": story_id})
                for r in rows(t.timeline)
            ]
        return StoryAnalysis(
            story=story,
            entities=entities,
            facts=facts,
            quotes=quotes,
            conflicts=conflicts,
            provenance=provenance,
            brief=brief,
            unique=unique,
            relations=relations,
            timeline=timeline,
        )

    def story_analysis_fresh(self, story_id: str) -> bool:
        """True if the story's saved analysis was made from its current members."""
        s = t.stories.c
        with self._read() as conn:
            row = conn.execute(select(s.digest, s.analysed_digest).where(s.id == story_id)).first()
        return row is not None and row.analysed_digest == row.digest


#: Store methods that are one transaction or one read, given values (not iterators): run once
#: more after a lost server connection (:func:`_retry_lost_connection`).
_RETRIED = (
    "revision", "_rows", "add_article", "get_article", "iter_articles", "article_ids",
    "count_articles", "source_seen", "record_source", "get_source",
    "save_analyses", "get_analysis", "articles_without_analysis", "save_story", "delete_story",
    "stories", "stale_stories", "get_story", "story_of", "articles_without_story",
    "article_mark", "assign_article", "story_vector_mark", "story_vector_last",
    "story_vector_at", "mark",
    "stories_of", "count_story_vectors",
    "count_assigned", "get_embeddings", "put_embeddings", "save_story_analysis",
    "load_story_analysis", "story_analysis_fresh",
)  # fmt: skip
for _name in _RETRIED:
    if hasattr(Store, _name):
        setattr(Store, _name, _retry_lost_connection(getattr(Store, _name)))


@contextmanager
def _flock_file(path: str) -> Iterator[None]:
    """Hold ``flock`` on the lock file at ``path``, made for the hold and removed before it is
    released, so that no lock file is left beside the store after a run.

    The file sits beside the database (every process that can open the store sees it, whatever
    path it was given) and leaves when the lock does: the holder removes it while it still holds
    the lock, then closes it. A process that opened the file before it was removed and was
    waiting on it then holds a lock on a file no longer at ``path``, which keeps nobody out: it
    sees that the file at ``path`` is another one (or none) and takes the lock again there. Only
    a process killed while it holds the lock leaves the (empty) file; the next holder removes
    it."""
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held = os.fstat(fd)
            try:
                there = os.stat(path)
            except FileNotFoundError:
                there = None
        except BaseException:
            os.close(fd)
            raise
        if there is not None and (there.st_dev, there.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(fd)  # a removed file: take the lock on the one at the path now
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError as exc:  # a read-only folder: the file stays, the lock still works
            log.debug("could not remove the lock file %s: %s", path, exc)
        os.close(fd)  # closing releases the lock


_memory_locks: dict[tuple[int, str], threading.Lock] = {}
#: The named locks (store id, name) each thread holds, for :meth:`Store.exclusive`.
_held_locks = threading.local()


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
