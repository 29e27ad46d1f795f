"""Benchmarks of the whole app (managed Janus, real sockets). Not part of the test suite.

Run each inside the media network namespace, e.g.::

    scripts/netns-exec .venv/bin/python -m bench.join_time
    scripts/netns-exec .venv/bin/python -m bench.invite_fanout

Figures and their reading are in docs/BENCHMARKS.md.
"""
