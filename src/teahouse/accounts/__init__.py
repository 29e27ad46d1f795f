"""Accounts: invitations, sign-up, log-in and sessions, passwords and their rate
limit, changing and resetting a password, and a member's own data (export, deletion).

May import: config, domain, store, views, social (a member's card, search's index on
deletion), live (a deleted member leaves their live rooms), admin (the audit log, for
reset links)."""
