"""Alembic environment for the newsweave store.

``Store.open`` runs migrations programmatically and hands its open connection over in
``config.attributes["connection"]``. Run from the command line (for ``alembic revision
--autogenerate`` while developing), it connects to ``sqlalchemy.url`` from the ini file.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from newsweave.store.schema import metadata

config = context.config
target_metadata = metadata


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: let later migrations batch
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///newsweave.db")
    try:
        with engine.connect() as conn:
            _configure_and_run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
