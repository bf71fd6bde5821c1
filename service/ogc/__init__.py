"""ogc (see its routes and services)."""
