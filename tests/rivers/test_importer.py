"""`riverchief import rivers`: a zipped GBK Shapefile in EPSG:4523 written here, CRS and datum
handling, and all-or-nothing behaviour on broken files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely import LineString
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domains import compose
from service.errors import BadRequest, InvalidInput
from service.geo.datum import wgs84_to_gcj02
from service.rivers.importer import ImportOptions, import_rivers
from service.rivers.models import River, Segment

GEOD = Geod(ellps="WGS84")
# A made-up river running south-east from 市中区 into 五通桥区, wholly inside Leshan.
COORDS = [(103.70, 29.60), (103.74, 29.56), (103.78, 29.50), (103.80, 29.45), (103.82, 29.40)]
NAME = "测试河"


def recut(session: Session, river_ids: list[int]) -> object:
    """Every domain's re-cut hooks, as the CLI runs them."""
    return compose().run_recut_hooks(session, river_ids)


def geodesic_km(coords: list[tuple[float, float]]) -> float:
    return GEOD.line_length([c[0] for c in coords], [c[1] for c in coords]) / 1000.0


def write_zipped_shapefile(
    tmp: Path,
    epsg: int,
    *,
    encoding: str = "GBK",
    cpg: bool = False,
    coords: list[tuple[float, float]] = COORDS,
) -> Path:
    frame = gpd.GeoDataFrame(
        {"名称": [NAME], "备注": ["乐山测试"]}, geometry=[LineString(coords)], crs=4326
    ).to_crs(epsg)
    shp = tmp / "rivers.shp"
    frame.to_file(shp, encoding=encoding)
    if not cpg:
        shp.with_suffix(".cpg").unlink(missing_ok=True)
    archive = tmp / "rivers.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp.glob("rivers.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    return archive


def counts(db: Session) -> tuple[int, int]:
    return (
        db.scalar(select(func.count()).select_from(River)) or 0,
        db.scalar(select(func.count()).select_from(Segment)) or 0,
    )


def length_in_city_km(db: Session, name: str) -> float:
    value = db.scalar(
        select(func.sum(Segment.length_m))
        .join(River, River.id == Segment.river_id)
        .where(River.name == name)
    )
    return float(value or 0.0) / 1000.0


def test_zipped_gbk_shapefile_in_4523_gives_true_length(db: Session, tmp_path: Path) -> None:
    archive = write_zipped_shapefile(tmp_path, 4523)
    report = import_rivers(db, archive, ImportOptions(), on_recut=recut)
    assert report["rivers_added"] == 1
    assert NAME in report["length_km_in_city"]  # the GBK name decoded without a .cpg
    expected = geodesic_km(COORDS)
    got = length_in_city_km(db, NAME)
    assert abs(got - expected) / expected < 0.005, (got, expected)
    counties = set(
        db.scalars(
            select(Segment.county_code)
            .join(River, River.id == Segment.river_id)
            .where(River.name == NAME)
        )
    )
    assert counties == {"511102", "511112"}, counties
    # Re-import updates the same river, never a second one.
    again = import_rivers(db, archive, ImportOptions(), on_recut=recut)
    assert again["rivers_added"] == 0 and again["rivers_updated"] == 1


def test_zone_prefix_missing_but_crs_says_zone_35(db: Session, tmp_path: Path) -> None:
    # Coordinates in CM-105E form (easting ~500 000) while --crs names zone 35 (35 500 000).
    archive = write_zipped_shapefile(tmp_path, 4544)
    import_rivers(db, archive, ImportOptions(crs="4523"), on_recut=recut)
    expected = geodesic_km(COORDS)
    assert abs(length_in_city_km(db, NAME) - expected) / expected < 0.005


def test_gcj02_datum_is_converted(db: Session, tmp_path: Path) -> None:
    lon, lat = wgs84_to_gcj02([c[0] for c in COORDS], [c[1] for c in COORDS])
    shifted = list(zip(lon.tolist(), lat.tolist(), strict=True))
    archive = write_zipped_shapefile(tmp_path, 4326, encoding="UTF-8", cpg=True, coords=shifted)
    import_rivers(db, archive, ImportOptions(datum="gcj02"), on_recut=recut)
    start = db.scalar(
        select(func.ST_AsText(func.ST_StartPoint(River.geom))).where(River.name == NAME)
    )
    assert start is not None
    x, y = (float(v) for v in start.removeprefix("POINT(").removesuffix(")").split())
    assert abs(x - COORDS[0][0]) < 1e-6 and abs(y - COORDS[0][1]) < 1e-6


def test_truncated_file_changes_nothing(db: Session, tmp_path: Path) -> None:
    archive = write_zipped_shapefile(tmp_path, 4523)
    data = archive.read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(data[: len(data) // 2])
    before = counts(db)
    with pytest.raises(BadRequest):
        import_rivers(db, broken, ImportOptions(), on_recut=recut)
    assert counts(db) == before
    # A truncated .shp inside a valid zip.
    shp_dir = tmp_path / "t"
    shp_dir.mkdir()
    write_zipped_shapefile(shp_dir, 4523)
    shp = shp_dir / "rivers.shp"
    shp.write_bytes(shp.read_bytes()[:120])
    cut = tmp_path / "cut.zip"
    with zipfile.ZipFile(cut, "w") as zf:
        for part in shp_dir.glob("rivers.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    with pytest.raises((BadRequest, InvalidInput)):
        import_rivers(db, cut, ImportOptions(), on_recut=recut)
    assert counts(db) == before


def test_wrong_crs_is_refused(db: Session, tmp_path: Path) -> None:
    archive = write_zipped_shapefile(tmp_path, 4523)
    before = counts(db)
    with pytest.raises(InvalidInput, match="outside China"):
        import_rivers(db, archive, ImportOptions(crs="EPSG:32650"), on_recut=recut)
    assert counts(db) == before


def test_missing_name_field_is_explained(db: Session, tmp_path: Path) -> None:
    archive = write_zipped_shapefile(tmp_path, 4523)
    with pytest.raises(InvalidInput, match="no attribute"):
        import_rivers(db, archive, ImportOptions(name_field="RIVER"), on_recut=recut)


def test_lake_polygon_becomes_a_lake_with_shoreline_segments(db: Session, tmp_path: Path) -> None:
    from shapely import Point

    lake = Point(103.76, 29.58).buffer(0.01)
    frame = gpd.GeoDataFrame({"name": ["测试湖"]}, geometry=[lake], crs=4326)
    path = tmp_path / "lake.geojson"
    frame.to_file(path, driver="GeoJSON")
    import_rivers(db, path, ImportOptions(), on_recut=recut)
    river = db.scalar(select(River).where(River.name == "测试湖"))
    assert river is not None and river.kind == "lake"
    shoreline_km = GEOD.geometry_length(lake.exterior) / 1000.0
    assert abs(length_in_city_km(db, "测试湖") - shoreline_km) / shoreline_km < 0.005
