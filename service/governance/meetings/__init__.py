"""governance: meetings."""
