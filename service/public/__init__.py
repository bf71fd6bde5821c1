"""public (see its routes and services)."""
