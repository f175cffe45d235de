"""The store's tables: the single source of truth for the database schema.

SQLAlchemy Core only, portable types only (String, Text, Integer, BigInteger, Float, JSON,
DateTime, LargeBinary), so the same definitions work on SQLite and PostgreSQL. Alembic
migrations under ``migrations/versions`` create exactly these tables; ``tests/test_store.py``
checks that a migrated database has no difference from this module.

Every list that a report shows is stored as ordered rows (``rank`` columns) so a report rebuilt
from the store equals the one computed; small nested lists (aliases, article ids, fact ids) are
JSON columns.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

#: Names for constraints and indexes, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ID = 64  # length of id columns: article ids, story ids, content hashes, fact ids
NAME = 255  # short labels: statuses, kinds, languages, entity types

_JSON = JSON(none_as_null=True)


def _story_fk() -> ForeignKey:
    return ForeignKey("stories.id", ondelete="CASCADE")


def _article_fk() -> ForeignKey:
    return ForeignKey("articles.id", ondelete="CASCADE")


# --------------------------------------------------------------------------- ingest

articles = Table(
    "articles",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # ingest order, 1, 2, 3, ...
    Column("content_hash", String(ID), nullable=False, unique=True),
    Column("path", Text),
    Column("url", Text),
    Column("source", Text),
    Column("title", Text),
    Column("published", String(32)),
    Column("language", String(16)),
    Column("words", Integer, nullable=False, default=0),
    Column("text", Text, nullable=False),
    Column("credits", _JSON, nullable=False),
    Column("dropped", _JSON, nullable=False),
    Column("meta", _JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("key", Text, primary_key=True),  # a path, a URL, or "path:line" for jsonl
    Column("size", BigInteger),
    Column("mtime", Float),
    Column("status", String(NAME), nullable=False),
    Column("message", Text),
    Column("article_id", String(ID), ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# --------------------------------------------------------------------------- document stage

analyses = Table(
    "analyses",
    metadata,
    Column("article_id", String(ID), _article_fk(), primary_key=True),
    Column("version", String(NAME), nullable=False, index=True),
    Column("data", _JSON, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)

# --------------------------------------------------------------------------- stories

stories = Table(
    "stories",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("title", Text, nullable=False),
    Column("digest", String(ID), nullable=False),  # hash of the sorted member article ids
    Column("analysed_digest", String(ID)),  # digest the saved story analysis was made from
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", String(ID), _article_fk(), primary_key=True),  # one story per article
    Column("story_id", String(ID), _story_fk(), nullable=False, index=True),
    Column("rank", Integer, nullable=False),  # position in Story.articles
)

#: Incremental story assignment (newsweave.stories.Assigner): each assigned article's raw
#: features, in assignment order, from which the vectors and the nearest-neighbour index are
#: rebuilt when a process starts.
story_vectors = Table(
    "story_vectors",
    metadata,
    Column("article_id", String(ID), _article_fk(), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # assignment order, 1, 2, 3, ...
    Column("version", String(NAME), nullable=False),  # newsweave.stories.VECTOR_VERSION
    Column("day", Integer),  # publication day (days since 1970-01-01) when known
    Column("data", LargeBinary, nullable=False),  # newsweave.stories.TermCounts.to_bytes()
)

sentence_embeddings = Table(
    "sentence_embeddings",
    metadata,
    # sha256 of the encoder's identity and the text: a text is embedded once per encoder, and a
    # story re-analysed after a new report joins only embeds the new report's sentences
    Column("key", String(ID), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian
)

# --------------------------------------------------------------------------- story stage

entities = Table(
    "entities",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("id", String(ID), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(NAME), nullable=False),
    Column("aliases", _JSON, nullable=False),
    Column("articles", _JSON, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("roles", _JSON, nullable=False),
)

facts = Table(
    "facts",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("id", String(ID), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("reports", Integer, nullable=False),
    Column("origins", Integer, nullable=False),
    Column("status", String(NAME), nullable=False),
    Column("entities", _JSON, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("story_id", String(ID), primary_key=True),
    Column("fact_id", String(ID), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("article_id", String(ID), _article_fk(), nullable=False, index=True),
    Column("sentence", Integer, nullable=False),
    Column("text", Text, nullable=False),
    ForeignKeyConstraint(
        ["story_id", "fact_id"], ["facts.story_id", "facts.id"], ondelete="CASCADE"
    ),
)

quotes = Table(
    "quotes",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("speaker", String(ID)),  # entity id
    Column("speaker_name", Text),
    Column("articles", _JSON, nullable=False),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("kind", String(NAME), nullable=False),
    Column("about", Text, nullable=False),
    Column("values", _JSON, nullable=False),  # [{value, text, articles}], in order
)

provenance = Table(
    "provenance",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("article_id", String(ID), _article_fk(), nullable=False, index=True),
    Column("origin", Text, nullable=False),  # an article id or a named source
    Column("evidence", String(NAME), nullable=False),
    Column("detail", Text, nullable=False),
    Column("coverage", Float),  # share of the copy found in the origin (text reuse edges)
    Column("passages", _JSON),  # the reused passages: [{text, copy: [start, end], ...}]
)

brief = Table(
    "brief",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("articles", _JSON, nullable=False),
    Column("facts", _JSON, nullable=False),
)

relations = Table(
    "relations",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("id", String(ID), nullable=False),
    Column("subject", String(ID), nullable=False, index=True),  # entity id
    Column("predicate", String(NAME), nullable=False),  # normalised relation kind
    Column("object", Text, nullable=False),  # entity id or text
    Column("data", _JSON, nullable=False),  # the rest of newsweave.model.Relation
)

timeline = Table(
    "timeline",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("date", String(ID), nullable=False),  # ISO value (2025-01-02, 2024-12, 2023)
    Column("data", _JSON, nullable=False),  # the rest of newsweave.model.TimelineEntry
)

uniques = Table(
    "uniques",
    metadata,
    Column("story_id", String(ID), _story_fk(), primary_key=True),
    Column("rank", Integer, primary_key=True),
    Column("article_id", String(ID), _article_fk(), nullable=False, index=True),
    Column("facts", _JSON, nullable=False),
)

# --------------------------------------------------------------------------- locks

#: Fencing tokens of the named locks of ``Store.exclusive`` on a database server: each time a
#: process takes a lock it raises its ``generation``, and each write it makes under the lock
#: checks (inside the write's transaction) that the generation is still the one it took. A
#: holder whose lock went with its server session therefore cannot write over the work of a
#: process that took the lock after it.
locks = Table(
    "locks",
    metadata,
    Column("name", String(NAME), primary_key=True),
    Column("generation", BigInteger, nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=False),
)

#: Counters the store keeps about itself. ``story-state`` is raised by every change to the
#: stories or their vectors other than assigning one more article (a story saved or deleted,
#: the vectors replaced by a re-clustering, ...), in the same transaction: a process that kept
#: its story state (or a snapshot) taken at the same value knows, in one read, that only
#: assignments were added since, and replays those.
marks = Table(
    "marks",
    metadata,
    Column("name", String(NAME), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

#: The story-stage result tables, children first (the order to delete them in).
STORY_RESULT_TABLES = (
    claims,
    facts,
    entities,
    quotes,
    conflicts,
    provenance,
    relations,
    timeline,
    brief,
    uniques,
)
