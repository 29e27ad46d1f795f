"""Members among members: follows and blocks (and the one rule of who may see whom),
profiles, avatars, member cards, pings and search.

May import: domain, store, views, notifications, rooms, live (read only), realtime
(its rate limits)."""
