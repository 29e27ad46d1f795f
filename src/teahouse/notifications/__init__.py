"""Notifications: writing them, the member's inbox (rendered as the list shows them),
and pushing new ones live to the member's open sockets.

May import: domain, store, views, realtime (presence and the wire messages)."""
