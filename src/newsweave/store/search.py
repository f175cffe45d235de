"""Full-text search over articles and facts.

One backend-neutral function, :func:`search`: a query in plain words (no operators: every word
must occur, the last one may be a prefix) returns one page of hits, best first. On SQLite it runs
on the FTS5 indexes that migration 0005 creates and keeps current with triggers (ranked by BM25,
with highlighted snippets); on PostgreSQL on the ``tsvector`` tables with GIN indexes that
migration 0007 creates and keeps current with triggers (ranked by ``ts_rank``, snippets by
``ts_headline``); on other backends it falls back to a case-insensitive substring match through
SQLAlchemy Core. Callers see the same :class:`SearchPage` whatever the backend.

The index tables are not part of :mod:`newsweave.store.schema`: every one of them is named
``search_*`` (:func:`is_search_table`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import and_, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from newsweave.errors import StoreError
from newsweave.store import Store
from newsweave.store import schema as t

log = logging.getLogger(__name__)

Kind = Literal["article", "fact"]
KINDS: tuple[Kind, ...] = ("fact", "article")
SEARCH_PREFIX = "search_"
MAX_TERMS = 16
MAX_LIMIT = 100
_OPEN, _CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_SNIPPET_WORDS = 28


def is_search_table(name: str) -> bool:
    """True for the tables (and FTS5 shadow tables) of the search index."""
    return name.startswith(SEARCH_PREFIX)


def terms(query: str) -> list[str]:
    """The words of a query, in order, at most :data:`MAX_TERMS`; operators and punctuation are
    ignored, so no input is a syntax error."""
    return _WORD.findall(query or "")[:MAX_TERMS]


@dataclass
class Hit:
    kind: Kind
    id: str  # article id, or fact id
    story: str | None  # the story the article or fact belongs to
    title: str  # article: its title (or source); fact: its text
    source: str | None = None  # articles only
    # the matching passage as (text, matched) parts: render each part escaped, mark matched ones
    parts: list[tuple[str, bool]] = field(default_factory=list)
    score: float = 0.0

    @property
    def snippet(self) -> str:
        return "".join(p for p, _ in self.parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "story": self.story,
            "title": self.title,
            "source": self.source,
            "snippet": self.snippet,
            "highlights": [p for p, m in self.parts if m],
            "score": self.score,
        }


@dataclass
class SearchPage:
    query: str
    kind: Kind
    total: int
    offset: int
    limit: int
    hits: list[Hit] = field(default_factory=list)


def _parts(marked: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for i, chunk in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", marked)):
        if chunk:
            out.append((chunk, i % 2 == 1))
    return out


def _hit(kind: Kind, row: Any, parts: list[tuple[str, bool]], score: float = 0.0) -> Hit:
    """A result row (``id``, ``story_id``, and ``title`` / ``source`` when the query has them)
    as a Hit; the title falls back to the source, then the id."""
    mapping = row._mapping
    title = mapping.get("title") or mapping.get("source") or row.id
    return Hit(
        kind=kind,
        id=row.id,
        story=row.story_id,
        title=" ".join(str(title).split()),
        source=mapping.get("source"),
        parts=parts,
        score=round(score, 4),
    )


def _fts_query(words: list[str]) -> str:
    quoted = ['"' + w.replace('"', "") + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(
    store: Store, query: str, kind: Kind = "fact", *, limit: int = 20, offset: int = 0
) -> SearchPage:
    """One page of ``kind`` hits for ``query``, best first, with the total number of hits."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    page = SearchPage(query=query, kind=kind, total=0, offset=offset, limit=limit)
    words = terms(query)
    if not words:
        return page
    try:
        dialect = store.engine.dialect.name
        if dialect == "sqlite":
            _search_fts(store, words, page)
        elif dialect == "postgresql":
            _search_pg(store, words, page)
        else:
            _search_like(store, words, page)
    except SQLAlchemyError as exc:
        log.warning("search failed: %s", exc)
        raise StoreError("search failed in the store") from exc
    return page


def _search_fts(store: Store, words: list[str], page: SearchPage) -> None:
    match = _fts_query(words)
    args = {"q": match, "limit": page.limit, "offset": page.offset, "o": _OPEN, "c": _CLOSE}
    if page.kind == "article":
        count_sql = "SELECT count(*) FROM search_articles WHERE search_articles MATCH :q"
        sql = f"""
            SELECT a.id, a.title, a.source, sa.story_id,
                   snippet(search_articles, 2, :o, :c, '…', {_SNIPPET_WORDS}) AS snip,
                   bm25(search_articles, 8.0, 2.0, 1.0) AS score
            FROM search_articles
            JOIN articles a ON a.seq = search_articles.rowid
            LEFT JOIN story_articles sa ON sa.article_id = a.id
            WHERE search_articles MATCH :q
            ORDER BY score, a.seq LIMIT :limit OFFSET :offset"""
    else:
        count_sql = "SELECT count(*) FROM search_facts WHERE search_facts MATCH :q"
        sql = """
            SELECT d.fact_id AS id, d.text AS title, NULL AS source, d.story_id,
                   highlight(search_facts, 0, :o, :c) AS snip,
                   bm25(search_facts) AS score
            FROM search_facts
            JOIN search_fact_docs d ON d.id = search_facts.rowid
            WHERE search_facts MATCH :q
            ORDER BY score, d.id LIMIT :limit OFFSET :offset"""
    with store.engine.connect() as conn:
        page.total = int(conn.execute(text(count_sql), {"q": match}).scalar_one())
        rows = conn.execute(text(sql), args).all()
    for r in rows:
        parts = _parts(" ".join(str(r.snip or "").split()))
        page.hits.append(_hit(page.kind, r, parts, -float(r.score)))


#: The text search configuration of migration 0007 (no stemming, no stop words, like FTS5 here).
PG_CONFIG = "simple"
_PG_HEADLINE = (
    f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords={_SNIPPET_WORDS}, "
    f"MinWords={_SNIPPET_WORDS // 2}, ShortWord=0"
)


def _pg_query(words: list[str]) -> str:
    """A ``to_tsquery`` text: every word as a quoted lexeme, ANDed, the last one a prefix.
    Words are runs of word characters (:func:`terms`), so they hold no operator."""
    quoted = ["'" + w.replace("'", "") + "'" for w in words]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def _ellipsis(snip: str, full: str) -> str:
    """Mark a headline that starts or ends inside the text, as FTS5's snippet() does."""
    plain = " ".join(snip.replace(_OPEN, "").replace(_CLOSE, "").split())
    words = " ".join(full.split())
    if plain and not words.startswith(plain[:40]):
        snip = "… " + snip
    if plain and not words.endswith(plain[-40:]):
        snip = snip + " …"
    return snip


def _search_pg(store: Store, words: list[str], page: SearchPage) -> None:
    args = {
        "q": _pg_query(words),
        "limit": page.limit,
        "offset": page.offset,
        "opts": _PG_HEADLINE,
        "all": _PG_HEADLINE + ", HighlightAll=true",
    }
    tsq = f"to_tsquery('{PG_CONFIG}', :q)"
    if page.kind == "article":
        count_sql = f"SELECT count(*) FROM search_articles WHERE tsv @@ {tsq}"
        sql = f"""
            SELECT a.id, a.title, a.source, a.text AS full_text, sa.story_id, hit.score,
                   ts_headline('{PG_CONFIG}', a.text, {tsq}, :opts) AS snip
            FROM (SELECT seq, ts_rank(tsv, {tsq}) AS score FROM search_articles
                  WHERE tsv @@ {tsq}
                  ORDER BY score DESC, seq LIMIT :limit OFFSET :offset) AS hit
            JOIN articles a ON a.seq = hit.seq
            LEFT JOIN story_articles sa ON sa.article_id = a.id
            ORDER BY hit.score DESC, a.seq"""
    else:
        count_sql = f"SELECT count(*) FROM search_facts WHERE tsv @@ {tsq}"
        sql = f"""
            SELECT f.id, f.text AS title, NULL AS source, f.text AS full_text, f.story_id,
                   hit.score, ts_headline('{PG_CONFIG}', f.text, {tsq}, :all) AS snip
            FROM (SELECT story_id, fact_id, ts_rank(tsv, {tsq}) AS score FROM search_facts
                  WHERE tsv @@ {tsq}
                  ORDER BY score DESC, story_id, fact_id LIMIT :limit OFFSET :offset) AS hit
            JOIN facts f ON f.story_id = hit.story_id AND f.id = hit.fact_id
            ORDER BY hit.score DESC, f.story_id, f.id"""
    with store.engine.connect() as conn:
        page.total = int(conn.execute(text(count_sql), {"q": args["q"]}).scalar_one())
        rows = conn.execute(text(sql), args).all()
    for r in rows:
        snip = " ".join(str(r.snip or "").split())
        if page.kind == "article":
            snip = _ellipsis(snip, str(r.full_text))
        page.hits.append(_hit(page.kind, r, _parts(snip), float(r.score)))


def _snippet(text_: str, words: list[str]) -> list[tuple[str, bool]]:
    """Words around the first match, matched words marked (the portable fallback)."""
    tokens = text_.split()
    lowered = [w.casefold() for w in words]

    def hit(token: str) -> bool:
        folded = token.casefold()
        return any(w in folded for w in lowered)

    first = next((i for i, tok in enumerate(tokens) if hit(tok)), 0)
    lo = max(0, first - _SNIPPET_WORDS // 3)
    window = tokens[lo : lo + _SNIPPET_WORDS]
    parts: list[tuple[str, bool]] = [("… ", False)] if lo > 0 else []
    for i, tok in enumerate(window):
        if i:
            parts.append((" ", False))
        parts.append((tok, hit(tok)))
    if lo + _SNIPPET_WORDS < len(tokens):
        parts.append((" …", False))
    return parts


def _search_like(store: Store, words: list[str], page: SearchPage) -> None:
    lowered = [w.lower() for w in words]
    if page.kind == "article":
        a, sa = t.articles.c, t.story_articles.c
        haystack = func.lower(
            func.coalesce(a.title, "") + " " + func.coalesce(a.source, "") + " " + a.text
        )
        cond = and_(*[haystack.contains(w, autoescape=True) for w in lowered])
        base = t.articles.outerjoin(t.story_articles, sa.article_id == a.id)
        count_q = select(func.count()).select_from(t.articles).where(cond)
        q = (
            select(a.id, a.title, a.source, a.text, sa.story_id)
            .select_from(base)
            .where(cond)
            .order_by(a.seq)
            .limit(page.limit)
            .offset(page.offset)
        )
    else:
        f = t.facts.c
        cond = and_(*[func.lower(f.text).contains(w, autoescape=True) for w in lowered])
        count_q = select(func.count()).select_from(t.facts).where(cond)
        q = (
            select(f.id, f.text.label("title"), f.text, f.story_id)
            .where(cond)
            .order_by(f.story_id, f.rank)
            .limit(page.limit)
            .offset(page.offset)
        )
    with store.engine.connect() as conn:
        page.total = int(conn.execute(count_q).scalar_one())
        rows = conn.execute(q).all()
    for r in rows:
        page.hits.append(_hit(page.kind, r, _snippet(r.text, words)))
