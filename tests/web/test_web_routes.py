"""The map's server side: page and files, map-config, simplified compressed geometry, the folium
river map. Against the session's real PostGIS (TestClient on a rolled-back session)."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from service.web.config import basemap_hint, basemap_layers, tile_origins


def count_points(geometry: dict[str, Any]) -> int:
    text = json.dumps(geometry, separators=(",", ":"))
    return len(re.findall(r"\[-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?\]", text))


def test_index_and_static_files(client: TestClient) -> None:
    res = client.get("/")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    html = res.text
    # No inline script or handlers (the CSP allows only our own files), no CDN.
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html
    assert "https://" not in html and "http://" not in html
    assert '<html lang="zh-CN">' in html
    js = client.get("/static/js/main.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    leaflet = client.get("/static/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip"})
    assert leaflet.headers["content-encoding"] == "gzip"
    assert "max-age" in leaflet.headers["cache-control"]
    assert b"Leaflet 1.9.4" in leaflet.content[:200]
    manifest = client.get("/static/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == "/"
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw.headers["service-worker-allowed"] == "/"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../service/settings.py",
        "/static/%2e%2e/pyproject.toml",
        "/static/nope.js",
        "/static/vendor/leaflet/LICENSE",
        "/static/js",
    ],
)
def test_static_refuses_what_is_not_an_asset(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_etag_gives_304(client: TestClient) -> None:
    first = client.get("/static/css/app.css")
    again = client.get("/static/css/app.css", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    geo = client.get("/api/v1/map/areas.geojson?zoom=8")
    assert (
        client.get(
            "/api/v1/map/areas.geojson?zoom=8", headers={"If-None-Match": geo.headers["etag"]}
        ).status_code
        == 304
    )


def test_revalidated_page_keeps_the_page_policy(client: TestClient) -> None:
    """A 304 replaces the cached page's headers: it must carry the page's CSP, not the API's
    ``default-src 'none'`` (which made a reloaded map load nothing)."""
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert "script-src 'self'" in again.headers["content-security-policy"]


def test_map_config_lists_capabilities_and_the_notice(client: TestClient) -> None:
    body = client.get("/api/v1/map-config").json()
    assert body["basemap"] == "none" and body["tile_layers"] == []
    south, west = body["bounds"][0]
    north, east = body["bounds"][1]
    # Leshan: about 102.9-104.3 E, 28.4-29.9 N.
    assert 102.8 < west < 103.0 and 104.2 < east < 104.4
    assert 28.3 < south < 28.5 and 29.8 < north < 30.0
    caps = body["capabilities"]
    assert set(caps) >= {"coverage", "patrols", "problems_geojson", "cross_boundary", "todo"}
    paths = client.get("/openapi.json").json()["paths"]
    assert caps["patrols"] == ("/api/v1/patrols" in paths)
    assert caps["coverage"] and caps["patrols"]  # landed with issue 3
    assert "审图号" in body["data_notice"]["zh-CN"] and "审图号" in body["data_notice"]["en"]


def test_basemap_settings() -> None:
    none = Settings(env="development")
    assert basemap_layers(none) == ("none", [], None)
    osm = Settings(env="development", basemap="osm")
    assert basemap_layers(osm)[1][0]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    keyless = Settings(env="development", basemap="tianditu")
    used, layers, warning = basemap_layers(keyless)
    assert used == "none" and layers == [] and warning and "TIANDITU_KEY" in warning
    tdt = Settings(env="development", basemap="tianditu", tianditu_key="k123")
    used, layers, _ = basemap_layers(tdt)
    assert used == "tianditu"
    assert "/vec_w/wmts?" in layers[0]["url"] and "LAYER=vec" in layers[0]["url"]
    assert "/cva_w/wmts?" in layers[1]["url"] and "LAYER=cva" in layers[1]["url"]
    assert all("tk=k123" in layer["url"] and "{s}" in layer["url"] for layer in layers)
    assert "https://t0.tianditu.gov.cn" in tile_origins(layers)


def test_basemap_auto_is_tianditu_with_a_key_else_none() -> None:
    default = Settings(env="development", tianditu_key="")
    assert default.basemap == "auto" and basemap_layers(default) == ("none", [], None)
    keyed = Settings(env="development", tianditu_key="k123")
    used, layers, warning = basemap_layers(keyed)
    assert used == "tianditu" and warning is None and "tk=k123" in layers[0]["url"]
    assert Settings(env="development", basemap="none", tianditu_key="k").basemap_used == "none"
    # Staff get one line on how to get a basemap when none is drawn for want of a key.
    hint = basemap_hint(default)
    assert hint is not None and "RIVERCHIEF_TIANDITU_KEY" in hint["zh-CN"]
    assert basemap_hint(keyed) is None
    assert basemap_hint(Settings(env="development", basemap="none")) is None


def test_areas_are_simplified_for_the_zoom_and_compressed(client: TestClient) -> None:
    coarse = client.get("/api/v1/map/areas.geojson?zoom=8", headers={"Accept-Encoding": "gzip"})
    fine = client.get("/api/v1/map/areas.geojson?zoom=14")
    assert coarse.headers["content-encoding"] == "gzip"
    assert coarse.headers["content-type"] == "application/geo+json"
    a, b = coarse.json()["features"], fine.json()["features"]
    assert {f["properties"]["code"] for f in a} == {f["properties"]["code"] for f in b}
    assert len(a) == 29  # 6 cities + 11 Leshan counties + 12 neighbour counties
    leshan_a = next(f for f in a if f["properties"]["code"] == "511100")
    leshan_b = next(f for f in b if f["properties"]["code"] == "511100")
    # The stored polygon has 3,809 points; about a pixel's tolerance keeps far fewer at z8.
    assert count_points(leshan_a["geometry"]) < count_points(leshan_b["geometry"]) / 3
    raw = gzip.decompress(coarse.content) if coarse.content[:2] == b"\x1f\x8b" else coarse.content
    assert len(raw) < 150_000


@pytest.mark.parametrize("zoom", ["abc", "-1", "99"])
def test_bad_zoom_is_422(client: TestClient, zoom: str) -> None:
    res = client.get(f"/api/v1/map/areas.geojson?zoom={zoom}")
    assert res.status_code == 422


def test_context_rivers(client: TestClient) -> None:
    feats = client.get("/api/v1/map/rivers.geojson?zoom=10").json()["features"]
    by_name = {f["properties"]["name"]: f["properties"] for f in feats}
    assert by_name["岷江"]["in_city"] and not by_name["金沙江"]["in_city"]


def test_folium_river_map_is_offline(client: TestClient) -> None:
    rivers = client.get("/api/v1/rivers").json()
    minjiang = next(r for r in rivers if r["name"] == "岷江")
    res = client.get(f"/api/v1/rivers/{minjiang['id']}/map.html")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    html = res.text
    assert "https://" not in html and "http://" not in html  # no CDN, no basemap configured
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in html
    assert "岷江" in html and "刘建平" in html
    assert ".leaflet-attribution-flag{display:none" in html  # printed without the flag prefix
    csp = res.headers["content-security-policy"]
    assert "'sha256-" in csp and "unsafe-eval" not in csp and "script-src 'self'" in csp
    assert client.get("/api/v1/rivers/999999/map.html").status_code == 404
