"""The WebSocket protocol: pure message types and the per-socket session."""
