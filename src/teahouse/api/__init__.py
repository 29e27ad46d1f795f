"""HTTP and WebSocket edges: authenticate, validate, call a service, nothing else."""
