"""Pure rules and value types: no SQLAlchemy, no ASGI, no Janus."""
