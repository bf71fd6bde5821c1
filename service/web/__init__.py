"""web (see its routes and services)."""
