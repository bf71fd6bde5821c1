"""governance (see its routes and services)."""
