"""riverchief: a PostGIS web service for the river chief system (河湖长制)."""

__version__ = "0.1.0"
