"""Alembic environment: runs on the connection Teahouse hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from teahouse.store import admin_models, social_models  # noqa: F401 (registers their tables)
from teahouse.store.models import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with `teahouse db upgrade`; it supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
