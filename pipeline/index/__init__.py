"""The dossier index: SQLAlchemy models, Alembic migrations, reuse decisions, portal export and
the counts behind the Decision 766 indicators. SQLite by default, PostgreSQL by URL."""

from pipeline.index.db import Index, open_index

__all__ = ["Index", "open_index"]
