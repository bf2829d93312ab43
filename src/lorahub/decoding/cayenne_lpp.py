"""Cayenne LPP: placeholder replaced by the real decoder."""
