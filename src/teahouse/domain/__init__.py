"""Pure rules and value types: no SQLAlchemy, no ASGI, no Janus, no pydantic.

May import: errors (and the standard library only)."""
