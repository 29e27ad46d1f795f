"""Teahouse: self-hosted, invitation-only live audio rooms."""

__version__ = "0.1.0"
