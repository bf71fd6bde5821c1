"""governance: duties."""
