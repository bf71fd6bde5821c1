"""cross_boundary (see its routes and services)."""
