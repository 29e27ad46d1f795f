"""The WebSocket vocabulary and its hub: the typed messages of both directions
(pure, no I/O) and presence, which reaches every open socket of a member.

May import: domain, errors."""
