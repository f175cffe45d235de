"""Persistent storage for newsweave: SQLite by default, any SQLAlchemy URL (PostgreSQL) too.

    from newsweave.store import Store
    with Store.open("newsweave.db") as store:
        store.add_article(article)

The tables are in :mod:`newsweave.store.schema` (query them read-only through
``Store.engine``); Alembic migrations in ``migrations/`` run when a store is opened.
"""

from __future__ import annotations

from newsweave.store.sql import RETRY_STATUSES, LockLost, Store, head_revision, membership_digest

__all__ = ["RETRY_STATUSES", "LockLost", "Store", "head_revision", "membership_digest"]
