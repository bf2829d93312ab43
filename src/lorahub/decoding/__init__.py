"""Decoding: the device catalog, codec kinds and normalisation into canonical quantities."""
