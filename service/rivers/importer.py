"""``riverchief import rivers``: the river office's own layer into the registry.

Reads Shapefile (also zipped), GeoPackage or GeoJSON with pyogrio, in any CRS pyproj knows,
fixes Gauss-Kruger zone prefixes, converts GCJ-02 to WGS84 when asked, decodes GBK attributes
when no .cpg says otherwise, then adds or updates rivers by name and re-cuts their segments.
Everything happens in the caller's transaction: on any error nothing is written.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import pyogrio
import shapely
from geoalchemy2.shape import from_shape
from shapely import MultiLineString, MultiPolygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.errors import BadRequest, InvalidInput
from service.geo.crs import fix_zone_prefix, parse_crs
from service.geo.datum import gcj02_to_wgs84
from service.rivers.geography import OnRecut, patrol_tolerance_m, recut_segments
from service.rivers.models import River, Segment

NAME_FIELDS = ("name", "NAME", "Name", "名称", "河流名称", "河湖名称", "河名", "HLMC", "RIVER_NAME")
KIND_FIELDS = ("kind", "KIND", "类型", "type", "TYPE")
CLASS_FIELDS = ("class", "CLASS", "等级", "level")
#: Plausible extent of China in degrees; anything outside means a wrong CRS.
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)
READABLE = (".shp", ".gpkg", ".geojson", ".json")


@dataclass
class ImportOptions:
    encoding: str | None = None
    name_field: str | None = None
    crs: str | None = None
    datum: str = "wgs84"
    accuracy_m: float | None = None
    river_class: str = "minor"


def _dataset_path(path: Path) -> tuple[str, str | None]:
    """(path GDAL opens, sidecar .cpg text if a Shapefile has one)."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
                bad = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
                if bad:
                    raise BadRequest(f"{path.name}: unsafe member names in zip: {bad[:3]}")
                if zf.testzip() is not None:
                    raise BadRequest(f"{path.name}: the zip archive is corrupt")
                layers = [n for n in names if n.lower().endswith(READABLE)]
                if not layers:
                    raise InvalidInput(f"{path.name}: no .shp, .gpkg or .geojson inside the zip")
                inner = layers[0]
                cpg_name = inner[: -len(PurePosixPath(inner).suffix)] + ".cpg"
                cpg = zf.read(cpg_name).decode("ascii", "replace") if cpg_name in names else None
        except zipfile.BadZipFile as exc:
            raise BadRequest(f"{path.name}: not a readable zip archive ({exc})") from exc
        return f"/vsizip/{path.resolve()}/{inner}", cpg
    if path.suffix.lower() not in READABLE:
        raise InvalidInput(f"{path.name}: unsupported file type; use .shp, .zip, .gpkg or .geojson")
    cpg_path = path.with_suffix(".cpg")
    cpg = cpg_path.read_text("ascii", "replace") if cpg_path.exists() else None
    return str(path), cpg


def _read(source: str, cpg: str | None, encoding: str | None) -> gpd.GeoDataFrame:
    """Read the layer; a Shapefile without .cpg is tried as UTF-8, then GBK (the usual)."""
    is_shp = source.lower().endswith(".shp")
    candidates: list[str | None] = (
        [encoding] if encoding else (["UTF-8", "GBK"] if is_shp and not cpg else [None])
    )
    last: Exception | None = None
    for enc in candidates:
        try:
            kwargs: dict[str, Any] = {"encoding": enc} if enc else {}
            frame: gpd.GeoDataFrame = pyogrio.read_dataframe(source, **kwargs)
            return frame
        except UnicodeDecodeError as exc:
            last = exc
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise BadRequest(f"cannot read the layer: {exc}") from exc
        except Exception as exc:  # GDAL raises assorted errors on truncated files
            raise BadRequest(f"cannot read the layer: {exc}") from exc
    raise BadRequest(f"attributes are not in {', '.join(str(c) for c in candidates)}: {last}")


def _to_wgs84(frame: gpd.GeoDataFrame, options: ImportOptions) -> gpd.GeoDataFrame:
    declared = parse_crs(options.crs) if options.crs else frame.crs
    if declared is None:
        raise InvalidInput("the layer has no CRS (no .prj): pass --crs, e.g. --crs 4490")
    if options.crs and frame.crs is not None and not frame.crs.equals(declared):
        frame = frame.set_crs(declared, allow_override=True)
    frame = frame.set_crs(declared, allow_override=True)
    bounds = frame.total_bounds
    fixed = fix_zone_prefix(frame.crs, float(bounds[0]), float(bounds[2]))
    frame = frame.set_crs(fixed, allow_override=True).to_crs(4326)
    minx, miny, maxx, maxy = frame.total_bounds
    lo_x, lo_y, hi_x, hi_y = CHINA_BOUNDS
    if not (lo_x <= minx and maxx <= hi_x and lo_y <= miny and maxy <= hi_y):
        raise InvalidInput(
            f"after transforming from {declared.to_string()} the features lie at "
            f"{minx:.3f},{miny:.3f} .. {maxx:.3f},{maxy:.3f}, outside China: wrong --crs?"
        )
    if options.datum == "gcj02":
        frame["geometry"] = frame.geometry.map(
            lambda g: shapely.transform(g, _gcj_to_wgs) if g is not None else None
        )
    elif options.datum != "wgs84":
        raise InvalidInput("--datum must be wgs84 or gcj02")
    return frame


def _gcj_to_wgs(coords: Any) -> Any:
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    out = coords.copy()
    out[:, 0], out[:, 1] = lon, lat
    return out


def _field(frame: gpd.GeoDataFrame, wanted: str | None, candidates: tuple[str, ...]) -> str | None:
    if wanted:
        if wanted not in frame.columns:
            raise InvalidInput(f"no attribute {wanted!r}; the layer has {list(frame.columns)}")
        return wanted
    return next((c for c in candidates if c in frame.columns), None)


def _kind(geom: BaseGeometry, label: Any) -> str:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return (
            "reservoir"
            if isinstance(label, str) and ("水库" in label or "reservoir" in label.lower())
            else "lake"
        )
    return "river"


def import_rivers(
    session: Session, path: Path, options: ImportOptions, *, on_recut: OnRecut
) -> dict[str, Any]:
    """Add or update rivers by name, re-cut their segments and run ``on_recut`` (the
    composition's re-cut hooks); returns what it did, per river and per skipped feature."""
    source, cpg = _dataset_path(Path(path))
    frame = _to_wgs84(_read(source, cpg, options.encoding), options)
    name_field = _field(frame, options.name_field, NAME_FIELDS)
    if name_field is None:
        raise InvalidInput(
            f"no name attribute found; pass --name-field (columns: {list(frame.columns)})"
        )
    kind_field = _field(frame, None, KIND_FIELDS)
    class_field = _field(frame, None, CLASS_FIELDS)
    skipped: list[dict[str, Any]] = []
    groups: dict[str, list[BaseGeometry]] = {}
    labels: dict[str, tuple[Any, Any]] = {}
    for index, row in frame.iterrows():
        name = row[name_field]
        geom = row.geometry
        if not isinstance(name, str) or not name.strip():
            skipped.append({"feature": int(index), "reason": "no name"})
            continue
        if geom is None or geom.is_empty:
            skipped.append({"feature": int(index), "name": name, "reason": "empty geometry"})
            continue
        if geom.geom_type not in ("LineString", "MultiLineString", "Polygon", "MultiPolygon"):
            skipped.append(
                {
                    "feature": int(index),
                    "name": name,
                    "reason": f"{geom.geom_type} is neither a line nor a polygon",
                }
            )
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        groups.setdefault(name.strip(), []).append(geom)
        labels.setdefault(
            name.strip(),
            (row[kind_field] if kind_field else None, row[class_field] if class_field else None),
        )
    if not groups:
        raise InvalidInput(f"no usable features in {Path(path).name}", skipped=skipped)

    accuracy = options.accuracy_m if options.accuracy_m is not None else 10.0
    added, updated, touched = 0, 0, []
    for name, geoms in groups.items():
        merged = unary_union(geoms)
        kind = _kind(merged, labels[name][0])
        if kind == "river":
            merged = shapely.line_merge(merged) if merged.geom_type == "MultiLineString" else merged
            if merged.geom_type == "GeometryCollection":
                merged = MultiLineString([g for g in merged.geoms if g.geom_type == "LineString"])
        elif merged.geom_type == "Polygon":
            merged = MultiPolygon([merged])
        river_class = (
            str(labels[name][1])
            if labels[name][1] in ("major", "medium", "minor")
            else options.river_class
        )
        river = session.scalar(select(River).where(River.name == name))
        if river is None:
            river = River(name=name)
            added += 1
        else:
            updated += 1
        river.kind = kind
        river.river_class = river_class
        river.positional_accuracy_m = accuracy
        river.patrol_tolerance_m = patrol_tolerance_m(river_class, accuracy)
        river.source = f"imported from {Path(path).name}"
        river.geom = from_shape(merged, srid=4326)
        session.add(river)
        session.flush()
        touched.append(river.id)
    segments = recut_segments(session, touched, on_recut)
    lengths = session.execute(
        select(River.name, func.coalesce(func.sum(Segment.length_m), 0.0))
        .outerjoin(Segment, Segment.river_id == River.id)
        .where(River.id.in_(touched))
        .group_by(River.name)
        .order_by(River.name)
    ).all()
    return {
        "file": Path(path).name,
        "features": len(frame),
        "rivers_added": added,
        "rivers_updated": updated,
        "segments": segments,
        "length_km_in_city": {n: round(float(m) / 1000.0, 3) for n, m in lengths},
        "skipped": skipped,
    }
