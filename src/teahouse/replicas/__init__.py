"""Room messages from sockets, performed by the room's owner wherever it runs: this
process with one process, any of several replicas with Redis.

May import: live, bus, rooms, realtime, domain, cursor_seal."""
