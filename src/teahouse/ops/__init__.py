"""Running an instance for its operator: the process's metrics (metrics.py: the
counters features increment, the gauges read from the instance at scrape time), its
health (health.py: is the database answering, the media server, Redis once there is
one), its logs (logs.py: text or JSON lines, each with its request id, never an
address) and the listener that serves the metrics away from the public port
(listener.py).

A feature that counts something imports ``teahouse.ops.metrics`` and names ``ops`` in
its own docstring. This package imports no other part of Teahouse but the errors:
what the gauges read and what health asks are handed in as functions.
"""
