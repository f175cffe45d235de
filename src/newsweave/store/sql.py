"""The store: articles, ingest bookkeeping, analysis caches, stories and story results.

One :class:`Store` over SQLAlchemy Core. SQLite by default (a path), any SQLAlchemy URL
otherwise (``postgresql://...`` goes through the same code). The schema lives in
:mod:`newsweave.store.schema`; Alembic migrations bring a database to it when the store is
opened. Every write method is one transaction: it happens whole or not at all, and writers
take turns (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock, :data:`PG_WRITE_LOCK`),
so several processes may write to one store; steps that span transactions hold
:meth:`Store.exclusive`. See docs/storage.md.

The store is put together here from one class per concern:

- :mod:`~newsweave.store.engine`: URLs, engines, migrations, failures and retries;
- :mod:`~newsweave.store.base`: opening and closing, transactions, marks;
- :mod:`~newsweave.store.locks`: named locks across transactions;
- :mod:`~newsweave.store.articles`: articles, inputs, analyses, the sentence vector cache;
- :mod:`~newsweave.store.stories`: stories, assignment and story vectors;
- :mod:`~newsweave.store.accounts`: the story stage's results, and the story list;
- :mod:`~newsweave.store.mapping`: rows to objects and back, declared once per table.
"""

from __future__ import annotations

from newsweave.errors import LockLost
from newsweave.store.accounts import Accounts
from newsweave.store.articles import Articles
from newsweave.store.engine import (
    BATCH,
    BUSY_TIMEOUT_MS,
    CONNECT_TIMEOUT_S,
    MIGRATIONS,
    PG_WRITE_LOCK,
    RETRY_STATUSES,
    STORY_STATE,
    _retry_lost_connection,
    head_revision,
    membership_digest,
)
from newsweave.store.engine import _alembic_config as _alembic_config  # for the tests
from newsweave.store.engine import _now as _now
from newsweave.store.engine import _sqlite_engine as _sqlite_engine
from newsweave.store.locks import Locks, lock_key

__all__ = [
    "BATCH",
    "BUSY_TIMEOUT_MS",
    "CONNECT_TIMEOUT_S",
    "MIGRATIONS",
    "PG_WRITE_LOCK",
    "RETRY_STATUSES",
    "STORY_STATE",
    "LockLost",
    "Store",
    "head_revision",
    "lock_key",
    "membership_digest",
]


class Store(Accounts, Articles, Locks):
    """Everything newsweave keeps between runs. Open with :meth:`Store.open`."""


#: Store methods that are one transaction or one read, given values (not iterators): run once
#: more after a lost server connection (:func:`_retry_lost_connection`).
_RETRIED = (
    "revision", "_rows", "add_article", "get_article", "iter_articles", "article_ids",
    "count_articles", "source_seen", "record_source", "get_source",
    "save_analyses", "get_analysis", "articles_without_analysis", "save_story", "delete_story",
    "stories", "stale_stories", "get_story", "story_of", "articles_without_story",
    "article_mark", "assign_article", "story_vector_mark", "story_vector_last",
    "story_vector_at", "mark",
    "stories_of", "count_story_vectors",
    "count_assigned", "get_embeddings", "put_embeddings", "save_story_analysis",
    "load_story_analysis", "story_analysis_fresh", "story_summaries",
)  # fmt: skip
for _name in _RETRIED:
    if hasattr(Store, _name):
        setattr(Store, _name, _retry_lost_connection(getattr(Store, _name)))
