"""Stories: their members, incremental assignment and the story vectors it keeps."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from newsweave.errors import NotFound, StoreError
from newsweave.model import Story
from newsweave.store import schema as t
from newsweave.store.base import StoreBase
from newsweave.store.engine import _IN_CHUNK, STORY_STATE, _chunks, _now, membership_digest

log = logging.getLogger(__name__)


class Stories(StoreBase):
    """Stories and their assignment."""

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
            if not self._drop(conn, story_id):
                raise NotFound(f"no story {story_id} in store {self._name}")
            self._raise_mark(conn, STORY_STATE)

    @classmethod
    def _drop(cls, conn: Connection, story_id: str) -> bool:
        """Delete a story, its membership and its results (False: there is no such story)."""
        s = t.stories.c
        if conn.execute(select(s.id).where(s.id == story_id)).first() is None:
            return False
        cls._delete_results(conn, story_id)
        conn.execute(delete(t.story_articles).where(t.story_articles.c.story_id == story_id))
        conn.execute(delete(t.stories).where(s.id == story_id))
        return True

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
                self._drop(conn, sid)

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

    @staticmethod
    def _delete_results(conn: Connection, story_id: str) -> None:
        for table in t.STORY_RESULT_TABLES:
            conn.execute(delete(table).where(table.c.story_id == story_id))
