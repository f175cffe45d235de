"""Accounts: the story stage's results of each story, kept row by row through the
table-driven mapping of :mod:`newsweave.store.mapping`, and the story list the web shows."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, insert, select, update

from newsweave.errors import StoreError
from newsweave.model import StoryAnalysis
from newsweave.store import schema as t
from newsweave.store.engine import _chunks, _now, membership_digest
from newsweave.store.mapping import CLAIMS, FACTS, RESULTS
from newsweave.store.stories import Stories

log = logging.getLogger(__name__)


class Accounts(Stories):
    """The saved accounts of stories."""

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
        for rowmap in RESULTS:
            rows = rowmap.rows(sid, getattr(an, rowmap.attr))
            if rows:
                conn.execute(insert(rowmap.table), rows)
            if rowmap is FACTS:
                claims = [
                    {"story_id": sid, "fact_id": f.id, "rank": i, **CLAIMS.row(c)}
                    for f in an.facts
                    for i, c in enumerate(f.claims)
                ]
                if claims:
                    conn.execute(insert(CLAIMS.table), claims)

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
            claims: dict[str, list[dict[str, Any]]] = {}
            c = t.claims.c
            cq = select(t.claims).where(c.story_id == story_id).order_by(c.fact_id, c.rank)
            for r in conn.execute(cq):
                claims.setdefault(r.fact_id, []).append(CLAIMS.values(r))
            lists: dict[str, list[Any]] = {}
            for rowmap in RESULTS:
                table = rowmap.table
                q = select(table).where(table.c.story_id == story_id).order_by(table.c.rank)
                items = lists[rowmap.attr] = []
                for r in conn.execute(q):
                    more = {"claims": claims.get(r.id, [])} if rowmap is FACTS else {}
                    items.append(rowmap.item(r, story=story_id, **more))
        return StoryAnalysis(story=story, **lists)

    def story_analysis_fresh(self, story_id: str) -> bool:
        """True if the story's saved analysis was made from its current members."""
        s = t.stories.c
        with self._read() as conn:
            row = conn.execute(select(s.digest, s.analysed_digest).where(s.id == story_id)).first()
        return row is not None and row.analysed_digest == row.digest

    def story_summaries(self) -> list[dict[str, Any]]:
        """What a list of stories shows, in three queries over metadata columns whatever the
        number of stories: per story (in no particular order) ``id``, ``title``, ``analysed``
        (its saved analysis is of its current members), ``members`` (``source``,
        ``published`` and ``title`` of each article, in story order) and ``lead`` (the first
        sentence of its brief, or None)."""
        st, sa, a, b = t.stories.c, t.story_articles.c, t.articles.c, t.brief.c
        with self._read() as conn:
            heads = conn.execute(select(st.id, st.title, st.digest, st.analysed_digest)).all()
            members = conn.execute(
                select(sa.story_id, a.source, a.published, a.title)
                .select_from(t.story_articles.join(t.articles, a.id == sa.article_id))
                .order_by(sa.story_id, sa.rank)
            ).all()
            leads = dict(conn.execute(select(b.story_id, b.text).where(b.rank == 0)).all())
        by_story: dict[str, list[dict[str, Any]]] = {}
        for row in members:
            by_story.setdefault(row.story_id, []).append(
                {"source": row.source, "published": row.published, "title": row.title}
            )
        return [
            {
                "id": h.id,
                "title": h.title,
                "analysed": h.analysed_digest is not None and h.analysed_digest == h.digest,
                "members": by_story.get(h.id, []),
                "lead": leads.get(h.id),
            }
            for h in heads
        ]
