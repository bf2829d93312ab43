"""lorahub: LoRaWAN ingestion for smart villages."""

__version__ = "0.1.0"
