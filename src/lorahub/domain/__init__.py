"""Pure domain values: identifiers, uplinks, devices, quantities. No I/O here."""
