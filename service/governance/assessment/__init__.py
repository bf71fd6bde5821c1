"""governance: assessment."""
