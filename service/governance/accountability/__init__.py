"""governance: accountability."""
