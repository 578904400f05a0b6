"""Alembic migrations of the index, applied programmatically by `pipeline.index.db.migrate`."""
