"""Clubs and what happens in them: clubs with members and admins, scheduled events
(which open live rooms when they start), and the iCalendar feeds of both.

May import: config, domain, store, views, rooms, live (an event starts a room), social
(cards), notifications."""
