"""Persistence: SQLAlchemy 2 models, queries and Alembic migrations.

May import: domain, data_dir (owner-only files)."""
