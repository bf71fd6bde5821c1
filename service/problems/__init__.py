"""problems (see its routes and services)."""
