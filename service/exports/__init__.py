"""Exports (issue 15): layers as GeoPackage/GeoJSON, tables as XLSX."""
