"""Write an export layer as a GeoPackage or GeoJSON file with GDAL (pyogrio), in memory.

GeoPackage is written as version 1.2 so that older GDAL (Debian's ogrinfo 3.6) and QGIS read
it without warnings; GeoJSON as RFC 7946 (WGS84 lon/lat, 7 decimals ≈ 1 cm).
"""

from __future__ import annotations

import io
from typing import Literal

import geopandas as gpd
import pandas as pd
import pyogrio

from service.exports.layers import ExportLayer

Format = Literal["gpkg", "geojson"]
MEDIA_TYPES: dict[str, str] = {
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
}


def _frame(layer: ExportLayer) -> gpd.GeoDataFrame:
    data = pd.DataFrame(layer.rows, columns=layer.columns, dtype=object)
    for column in layer.columns:
        values = [v for v in data[column] if v is not None]
        # Typed columns where every value agrees (bool before int: bool is an int).
        if values and all(isinstance(v, bool) for v in values):
            data[column] = data[column].astype("boolean")
        elif values and all(isinstance(v, int) for v in values):
            data[column] = data[column].astype("Int64")
        elif values and all(isinstance(v, int | float) for v in values):
            data[column] = data[column].astype("Float64")
    geometry = gpd.GeoSeries.from_wkb(layer.wkb, crs="EPSG:4326")
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def write(layer: ExportLayer, fmt: Format) -> bytes:
    """The file of ``layer`` in ``fmt`` (one layer named ``layer.name``)."""
    frame = _frame(layer)
    out = io.BytesIO()
    geometry_type = layer.geometry_type if layer.rows else (layer.geometry_type or "Unknown")
    if fmt == "gpkg":
        pyogrio.write_dataframe(
            frame,
            out,
            driver="GPKG",
            layer=layer.name,
            geometry_type=geometry_type,
            dataset_options={"VERSION": "1.2"},
        )
    else:
        pyogrio.write_dataframe(
            frame,
            out,
            driver="GeoJSON",
            layer=layer.name,
            geometry_type=geometry_type,
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "7"},
        )
    return out.getvalue()
