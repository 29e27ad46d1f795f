"""Live rooms in this process: the Stage (joins, leaves and every stage action), each
room's runtime (sockets, broadcasting, coalesced news), listening kept in line with
publishing, and the index of who sits where.

May import: domain, views, realtime (the wire messages), rooms (the records), media
(only through media/base.py's MediaBackend)."""
