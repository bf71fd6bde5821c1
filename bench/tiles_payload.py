"""Map payload sizes: vector tiles against the GeoJSON the map and the OGC API send.

Run by hand after bench/tiles_vs_tipg.py (it reuses rc8_leshan and rc8_province):
``.venv/bin/python bench/tiles_payload.py``. In-process (TestClient), so only bytes are
measured here, not time. For one view of the whole area, the tiles are every tile at the
zoom that holds a feature of the layer; "gzip" is what a proxy compressing responses sends.
"""

from __future__ import annotations

import gzip
import math
import os
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import db_url

EXTENT = {
    "segments": "segment",
    "areas": "admin_area",
    "crossings": "crossing",
    "problems": "problem",
}


def tiles_of(database: str, table: str, z: int) -> list[tuple[int, int]]:
    engine = create_engine(db_url(database).replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        box = conn.execute(
            text(
                f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                f"(SELECT ST_Extent(geom) AS e FROM {table}) s"
            )
        ).one()
    engine.dispose()
    if box[0] is None:
        return []
    n = 2**z

    def xy(lon: float, lat: float) -> tuple[int, int]:
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
        return int((lon + 180) / 360 * n), int(y)

    x1, y1 = xy(box[0], box[3])
    x2, y2 = xy(box[2], box[1])
    return [(x, y) for x in range(x1, x2 + 1) for y in range(y1, y2 + 1)]


def size(client: TestClient, path: str) -> tuple[int, int]:
    """Bytes of a response, following OGC "next" links so a collection counts in full."""
    raw = packed = 0
    next_path: str | None = path
    while next_path:
        response = client.get(next_path)
        if response.status_code != 200:
            break
        raw += len(response.content)
        packed += len(gzip.compress(response.content, 6))
        next_path = None
        if "/ogc/" in path:
            links = response.json().get("links", [])
            href = next((link["href"] for link in links if link["rel"] == "next"), None)
            next_path = href.replace("http://testserver", "") if href else None
    return raw, packed


def report(database: str, z: int, layers: list[str], geojson: dict[str, list[str]]) -> list[str]:
    os.environ["DATABASE_URL"] = db_url(database)
    from service.db import get_engine, get_sessionmaker
    from service.main import create_app
    from service.settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()
    rows = []
    with TestClient(create_app()) as client:
        for layer in layers:
            raw = packed = count = 0
            for x, y in tiles_of(database, EXTENT[layer], z):
                r, p = size(client, f"/tiles/{layer}/{z}/{x}/{y}.pbf")
                raw, packed, count = raw + r, packed + p, count + (r > 0)
            rows.append(
                f"| {database} | {layer} | MVT tiles z{z} ({count} non-empty) | "
                f"{raw:,} | {packed:,} |"
            )
            for path in geojson.get(layer, []):
                r, p = size(client, path)
                rows.append(f"| {database} | {layer} | GeoJSON `{path}` | {r:,} | {p:,} |")
    return rows


def main() -> None:
    os.environ.setdefault("RIVERCHIEF_ENV", "development")
    rows = report(
        "rc8_leshan",
        10,
        ["segments", "areas", "crossings"],
        {
            "segments": ["/api/v1/segments.geojson", "/api/v1/coverage/segments.geojson"],
            "areas": ["/api/v1/areas.geojson", "/api/v1/map/areas.geojson?zoom=10"],
            "crossings": ["/ogc/collections/crossings/items?limit=10000"],
        },
    )
    rows += report(
        "rc8_province",
        8,
        ["segments", "areas"],
        {
            "segments": [
                "/ogc/collections/segments/items?limit=10000",
                "/api/v1/coverage/segments.geojson",
            ],
            "areas": ["/api/v1/areas.geojson", "/api/v1/map/areas.geojson?zoom=8"],
        },
    )
    print("| data | layer | payload | bytes | gzip bytes |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
