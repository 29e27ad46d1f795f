"""Messages between the processes of one instance. With one process (the embedded
default) the bus is in memory; with ``TEAHOUSE_REDIS_URL`` several app replicas share
one Redis and the bus is its pub/sub (docs/OPERATIONS.md, "Several replicas").

May import: config."""
