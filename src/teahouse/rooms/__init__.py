"""Rooms as records: creating them, who may enter which room (open, social, closed,
club), admissions, ending them in the database, and live rooms' saved states.

May import: domain, store, views."""
