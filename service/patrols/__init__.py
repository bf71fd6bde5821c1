"""patrols (see its routes and services)."""
