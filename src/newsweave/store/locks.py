"""Named locks that span transactions (:meth:`Locks.exclusive`): a fenced advisory lock on
PostgreSQL, ``flock`` on a file beside a SQLite database, a thread lock in memory."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, insert, text, update
from sqlalchemy.exc import SQLAlchemyError

from newsweave.errors import LockLost, StoreError
from newsweave.store import schema as t
from newsweave.store.base import StoreBase
from newsweave.store.engine import _now, _reason

log = logging.getLogger(__name__)


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


class Locks(StoreBase):
    """The named locks of a store."""

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
