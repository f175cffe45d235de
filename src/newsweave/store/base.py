"""The store's foundation: opening (creating and migrating) and closing a store, its
transactions (one writer at a time; readers never wait) and its marks. The tables are read and
written by the classes built on it, one concern each (``articles``, ``stories``, ``accounts``,
``locks``), which :class:`newsweave.store.Store` puts together."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Row, create_engine, insert, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from newsweave import settings
from newsweave.errors import NewsweaveError, StoreError
from newsweave.store import schema as t
from newsweave.store.engine import (
    _HINTS,
    BATCH,
    BUSY_TIMEOUT_MS,
    CONNECT_TIMEOUT_S,
    PG_WRITE_LOCK,
    _alembic_config,
    _reason,
    _sqlite_engine,
    _state_dir,
    _to_url,
)

log = logging.getLogger(__name__)

_S = TypeVar("_S", bound="StoreBase")


class StoreBase:
    """A store's database and its transactions; see :class:`newsweave.store.Store`."""

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

    @classmethod
    def open(cls: type[_S], db: str | Path = settings.DEFAULT_DB) -> _S:
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
    def open_reader(cls: type[_S], db: str | Path) -> _S:
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

    def __enter__(self: _S) -> _S:
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
        """Refuse a write made under a named lock that was lost: see
        :meth:`newsweave.store.locks.Locks._check_fences` (none here)."""
        del conn, what

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

    def _rows(self, query: Any) -> list[Row[Any]]:
        """All rows of one read query."""
        with self._read() as conn:
            return list(conn.execute(query).all())

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
