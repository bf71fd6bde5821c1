"""governance: inspections."""
