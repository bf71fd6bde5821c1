"""tiles (see its routes and services)."""
