"""Use cases: accounts and invitations, rooms and the live stage."""
