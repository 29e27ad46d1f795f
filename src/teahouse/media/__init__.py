"""Media: the Janus client, the VideoRoom backend and the managed Janus process.
Everything above reaches it through ``media/base.py``'s ``MediaBackend``.

May import: config, data_dir (owner-only files)."""
