"""Accounts: invitations, sign-up, log-in and sessions, passwords and their rate
limit, and a member's own data (export, deletion).

May import: config, domain, store, views, social (a member's card, search's index on
deletion), live (a deleted member leaves their live rooms)."""
