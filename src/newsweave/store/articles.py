"""Articles, the inputs they came from, their document-stage analyses and the sentence
vector cache."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from newsweave.errors import NotFound, StoreError
from newsweave.model import Article, ArticleAnalysis, from_dict, to_dict
from newsweave.store import schema as t
from newsweave.store.base import StoreBase
from newsweave.store.engine import _IN_CHUNK, _MTIME_TOLERANCE, RETRY_STATUSES, _chunks, _now
from newsweave.store.mapping import ARTICLES

log = logging.getLogger(__name__)


class Articles(StoreBase):
    """Articles and what is kept per article."""

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
            row = {**ARTICLES.row(article), "seq": seq, "ingested_at": _now()}
            conn.execute(insert(t.articles).values(**row))
            if source is not None:
                key, size, mtime = source
                self._put_source(conn, key, size, mtime, "stored", None, article.id)
            return True

    @staticmethod
    def _article(row: Row[Any]) -> Article:
        article: Article = ARTICLES.item(row)
        return article

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
