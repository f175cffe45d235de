"""Counters the store keeps about itself (``story-state``: see ``newsweave.store.schema.marks``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A store migrated here has no counter yet, which reads as 0; a process keeping story state from
before the migration checks it against the store the slow way once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "marks",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_marks")),
    )


def downgrade() -> None:
    op.drop_table("marks")
