"""Full-text search on PostgreSQL: tsvector tables with GIN indexes, kept current by triggers.

SQLite got its FTS5 index in revision 0005; this revision gives PostgreSQL its own text search
(nothing happens on other backends). ``search_articles`` holds one weighted ``tsvector`` per
article (title A, source B, text D), keyed by ``articles.seq``; ``search_facts`` one per fact.
Both are filled from the existing rows, kept current by triggers on ``articles`` and ``facts``,
and follow deletions through their foreign keys (``ON DELETE CASCADE``). The ``simple``
configuration (lower-casing, no stemming, no stop words) matches what the SQLite index does, so
a query finds the same rows on both stores. Every object's name starts with ``search_``
(:func:`newsweave.store.search.is_search_table`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONFIG = "simple"

ARTICLE_VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', coalesce({{r}}.title, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce({{r}}.source, '')), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', {{r}}.text), 'D')"
)
FACT_VECTOR = f"to_tsvector('{CONFIG}', {{r}}.text)"

UPGRADE = [
    # ---- articles
    """CREATE TABLE search_articles (
        seq INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE ON UPDATE CASCADE,
        tsv TSVECTOR NOT NULL)""",
    "CREATE INDEX search_articles_tsv ON search_articles USING gin (tsv)",
    f"""CREATE FUNCTION search_articles_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_articles (seq, tsv) VALUES (NEW.seq, {ARTICLE_VECTOR.format(r="NEW")})
        ON CONFLICT (seq) DO UPDATE SET tsv = EXCLUDED.tsv;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_articles_sync AFTER INSERT OR UPDATE OF seq, title, source, text
        ON articles FOR EACH ROW EXECUTE FUNCTION search_articles_sync()""",
    f"""INSERT INTO search_articles (seq, tsv)
        SELECT a.seq, {ARTICLE_VECTOR.format(r="a")} FROM articles a""",
    # ---- facts
    """CREATE TABLE search_facts (
        story_id VARCHAR(64) NOT NULL,
        fact_id VARCHAR(64) NOT NULL,
        tsv TSVECTOR NOT NULL,
        PRIMARY KEY (story_id, fact_id),
        FOREIGN KEY (story_id, fact_id) REFERENCES facts (story_id, id)
            ON DELETE CASCADE ON UPDATE CASCADE)""",
    "CREATE INDEX search_facts_tsv ON search_facts USING gin (tsv)",
    f"""CREATE FUNCTION search_facts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_facts (story_id, fact_id, tsv)
        VALUES (NEW.story_id, NEW.id, {FACT_VECTOR.format(r="NEW")})
        ON CONFLICT (story_id, fact_id) DO UPDATE SET tsv = EXCLUDED.tsv;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_facts_sync AFTER INSERT OR UPDATE OF text
        ON facts FOR EACH ROW EXECUTE FUNCTION search_facts_sync()""",
    f"""INSERT INTO search_facts (story_id, fact_id, tsv)
        SELECT f.story_id, f.id, {FACT_VECTOR.format(r="f")} FROM facts f""",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS search_facts_sync ON facts",
    "DROP FUNCTION IF EXISTS search_facts_sync()",
    "DROP TABLE IF EXISTS search_facts",
    "DROP TRIGGER IF EXISTS search_articles_sync ON articles",
    "DROP FUNCTION IF EXISTS search_articles_sync()",
    "DROP TABLE IF EXISTS search_articles",
]


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return  # SQLite searches with FTS5 (revision 0005)
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if not _postgresql():
        return
    for statement in DOWNGRADE:
        op.execute(statement)
