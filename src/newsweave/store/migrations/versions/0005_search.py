"""Full-text search over articles and facts (SQLite FTS5; nothing on other backends).

Articles are indexed through an external-content FTS5 table keyed by ``articles.seq``; facts
through a small document table (one row per fact, integer key) and an FTS5 index over it. Triggers
keep both current when articles or story results are written. Every object's name starts with
``search_`` (see :func:`newsweave.store.search.is_search_table`): they are not part of
:mod:`newsweave.store.schema`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZE = "unicode61 remove_diacritics 2"

UPGRADE = [
    # ---- articles: external content, rowid = articles.seq
    f"""CREATE VIRTUAL TABLE search_articles USING fts5(
        title, source, text, content='articles', content_rowid='seq',
        tokenize='{_TOKENIZE}')""",
    """CREATE TRIGGER search_articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO search_articles(rowid, title, source, text)
        VALUES (new.seq, new.title, new.source, new.text);
    END""",
    """CREATE TRIGGER search_articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO search_articles(search_articles, rowid, title, source, text)
        VALUES ('delete', old.seq, old.title, old.source, old.text);
    END""",
    """CREATE TRIGGER search_articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO search_articles(search_articles, rowid, title, source, text)
        VALUES ('delete', old.seq, old.title, old.source, old.text);
        INSERT INTO search_articles(rowid, title, source, text)
        VALUES (new.seq, new.title, new.source, new.text);
    END""",
    "INSERT INTO search_articles(search_articles) VALUES ('rebuild')",
    # ---- facts: a document table with an integer key, indexed by FTS5
    """CREATE TABLE search_fact_docs (
        id INTEGER PRIMARY KEY,
        story_id VARCHAR(64) NOT NULL,
        fact_id VARCHAR(64) NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (story_id, fact_id))""",
    f"""CREATE VIRTUAL TABLE search_facts USING fts5(
        text, content='search_fact_docs', content_rowid='id', tokenize='{_TOKENIZE}')""",
    """CREATE TRIGGER search_fact_docs_ai AFTER INSERT ON search_fact_docs BEGIN
        INSERT INTO search_facts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER search_fact_docs_ad AFTER DELETE ON search_fact_docs BEGIN
        INSERT INTO search_facts(search_facts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER search_facts_ai AFTER INSERT ON facts BEGIN
        INSERT OR REPLACE INTO search_fact_docs(story_id, fact_id, text)
        VALUES (new.story_id, new.id, new.text);
    END""",
    """CREATE TRIGGER search_facts_ad AFTER DELETE ON facts BEGIN
        DELETE FROM search_fact_docs WHERE story_id = old.story_id AND fact_id = old.id;
    END""",
    """CREATE TRIGGER search_facts_au AFTER UPDATE ON facts BEGIN
        DELETE FROM search_fact_docs WHERE story_id = old.story_id AND fact_id = old.id;
        INSERT OR REPLACE INTO search_fact_docs(story_id, fact_id, text)
        VALUES (new.story_id, new.id, new.text);
    END""",
    """INSERT INTO search_fact_docs(story_id, fact_id, text)
        SELECT story_id, id, text FROM facts""",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS search_facts_au",
    "DROP TRIGGER IF EXISTS search_facts_ad",
    "DROP TRIGGER IF EXISTS search_facts_ai",
    "DROP TRIGGER IF EXISTS search_fact_docs_ad",
    "DROP TRIGGER IF EXISTS search_fact_docs_ai",
    "DROP TABLE IF EXISTS search_facts",
    "DROP TABLE IF EXISTS search_fact_docs",
    "DROP TRIGGER IF EXISTS search_articles_au",
    "DROP TRIGGER IF EXISTS search_articles_ad",
    "DROP TRIGGER IF EXISTS search_articles_ai",
    "DROP TABLE IF EXISTS search_articles",
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return  # other backends search with their own means (see newsweave.store.search)
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if not _sqlite():
        return
    for statement in DOWNGRADE:
        op.execute(statement)
