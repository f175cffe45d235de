"""Story vectors: the features of each assigned article, for incremental story assignment.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Stories made before this revision have no vectors; the pipeline re-clusters such a store once
(``Pipeline.assign_stories`` notices assigned articles without a vector).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_vectors",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=255), nullable=False),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_vectors_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_story_vectors")),
        sa.UniqueConstraint("seq", name=op.f("uq_story_vectors_seq")),
    )


def downgrade() -> None:
    op.drop_table("story_vectors")
