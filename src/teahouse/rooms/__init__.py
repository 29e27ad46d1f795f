"""Rooms as records: creating them, who may enter which room (open, social, closed,
club), admissions, and ending them in the database.

May import: domain, store, views."""
