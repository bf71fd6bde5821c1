"""governance: health."""
