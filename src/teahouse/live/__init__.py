"""Live rooms in this process: the Stage (opening and ending rooms, joins, leaves,
the stage rules, blocks, the audit log) and its collaborators: the stage actions'
table, media steering (publishing, listening kept in line, the media server's
events), room links, audience pages; each room's runtime (sockets, broadcasting,
coalesced news), background timers and tasks, the index of who sits where, the
departures of ended sessions (their sockets close), and the keeper that saves the
rooms so that they outlive the process.

May import: domain, views, realtime (the wire messages, presence), rooms (the records), media
(only through media/base.py's MediaBackend)."""
