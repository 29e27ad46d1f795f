"""The hallway: the live rooms and coming events a member may enter, ranked for them
with reasons, and the ``hallway_changed`` signal that tells open pages to refresh.

May import: domain, store, views, rooms, live (read only), clubs (events), social,
realtime (presence, for the signal)."""
