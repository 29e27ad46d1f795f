"""The WebSocket vocabulary and its hub: the typed messages of both directions (pure,
no I/O; client_messages.py, server_messages.py, what they share in wire.py), the JSON
Schema generated from them (schema.py), and presence, which reaches every open socket
of a member.

May import: domain, errors."""
