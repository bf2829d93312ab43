"""A simulator of a device fleet that publishes network-server uplinks, for demos and benchmarks."""
