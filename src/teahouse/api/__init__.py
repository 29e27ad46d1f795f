"""HTTP and WebSocket edges: authenticate, validate, call a service, nothing else.

May import: any package."""
