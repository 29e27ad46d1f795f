"""The WebSocket vocabulary and its hub: the typed messages of both directions (pure,
no I/O; client_messages.py, server_messages.py, what they share in wire.py), the JSON
Schema generated from them (schema.py), how fast each may be sent (limits.py, token
buckets on a given clock), and presence, which reaches every open socket of a member
on every replica (over the bus, in the commands of member_commands.py).

May import: domain, errors, bus."""
