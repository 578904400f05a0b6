"""Keep the classifier's notes on each component (e.g. a household book recognised as void).

The first schema dropped `Component.notes`, so staff reviewing a dossier could not see why a
component was classified as `khac` or sent to review. Existing rows get an empty list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("components", sa.Column("notes", JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("components") as batch:
        batch.drop_column("notes")
