"""Initial index: dossiers, components, documents, results, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("procedure_code", sa.String(16), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("agency_code", sa.String(64), nullable=False),
        sa.Column("agency_name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("applicant_id_number", sa.String(12), nullable=False),
        sa.Column("applicant_name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("result_required", sa.Boolean(), nullable=False),
        sa.Column("files", JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dossiers"),
        sa.UniqueConstraint("dossier_code", name="uq_dossiers_dossier_code"),
    )
    for column in ("procedure_code", "agency_code", "level", "received_at", "applicant_id_number"):
        op.create_index(f"ix_dossiers_{column}", "dossiers", [column])

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("owner_id_number", sa.String(12), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("source_dossier", sa.String(64), nullable=True),
        sa.Column("procedure_code", sa.String(16), nullable=True),
        sa.Column("agency_code", sa.String(64), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("object_keys", JSON, nullable=False),
        sa.Column("object_sha256", JSON, nullable=False),
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes", sa.String(64), nullable=True),
        sa.Column("superseded_by", sa.String(64), nullable=True),
        sa.Column("duplicate_of", sa.String(64), nullable=True),
        sa.Column("stored_at", TS, nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("document_id", name="uq_documents_document_id"),
    )
    op.create_index("ix_documents_owner_type_version", "documents", ["owner_id_number", "type", "version"])
    op.create_index("ix_documents_original_sha256", "documents", ["original_sha256"])
    op.create_index("ix_documents_source_dossier", "documents", ["source_dossier"])

    op.create_table(
        "components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("pages", JSON, nullable=False),
        sa.Column("page_key", sa.String(255), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=True),
        sa.Column("reused_document_id", sa.String(64), nullable=True),
        sa.Column("quarantine_code", sa.String(64), nullable=True),
        sa.Column("quarantine_message", sa.Text(), nullable=True),
        sa.Column("digitized", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_components"),
        sa.UniqueConstraint("dossier_id", "file", "page_key", name="uq_components_dossier_file_pages"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name="fk_components_dossier_id_dossiers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.document_id"],
                                name="fk_components_document_id_documents"),
        sa.ForeignKeyConstraint(["reused_document_id"], ["documents.document_id"],
                                name="fk_components_reused_document_id_documents"),
    )
    for column in ("dossier_id", "status", "document_id", "reused_document_id"):
        op.create_index(f"ix_components_{column}", "components", [column])

    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("file_key", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("digitized", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_results"),
        sa.UniqueConstraint("dossier_id", "result_id", name="uq_results_dossier_result"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name="fk_results_dossier_id_dossiers",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_results_dossier_id", "results", ["dossier_id"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=True),
        sa.Column("document_id", sa.String(64), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    for column in ("at", "dossier_code", "document_id"):
        op.create_index(f"ix_events_{column}", "events", [column])


def downgrade() -> None:
    for table in ("events", "results", "components", "documents", "dossiers"):
        op.drop_table(table)
