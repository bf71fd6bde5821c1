"""The river registry: rivers (and lakes, reservoirs) and their segments inside Leshan."""
