"""governance: lists."""
