"""The ingest pipeline: message to points and dead letters, batched, acknowledged after writing."""
