"""Imports the demo modules of every domain so their activity steps register (in order)."""
