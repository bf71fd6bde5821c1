"""Geography helpers: CRS and datum handling, and the GPS track-file readers (``geo.tracks``)."""
