"""Media: the Janus client, the VideoRoom backend and the managed Janus process."""
