"""security (see its routes and services)."""
