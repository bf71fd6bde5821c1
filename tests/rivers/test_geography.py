"""Segments against an independent geopandas computation; the GCJ-02 check value; orientation."""

from __future__ import annotations

import geopandas as gpd
import pytest
from pyproj import Geod
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.geo.datum import gcj02_point_to_wgs84, wgs84_to_gcj02
from service.rivers.models import River, Segment
from service.settings import REPO_ROOT

DATA = REPO_ROOT / "gis_data" / "leshan"
GEOD = Geod(ellps="WGS84")


def test_gcj02_check_value_from_sources() -> None:
    lon, lat = gcj02_point_to_wgs84(123.0, 45.0)
    assert abs(lon - 122.993956) < 1e-6 and abs(lat - 44.998041) < 1e-6
    flon, flat = wgs84_to_gcj02(lon, lat)
    assert abs(float(flon) - 123.0) < 1e-6 and abs(float(flat) - 45.0) < 1e-6


def test_segment_lengths_match_geopandas(db: Session) -> None:
    areas = gpd.read_file(DATA / "boundaries.geojson")
    counties = areas[areas["role"] == "focus_district"]
    rivers = gpd.read_file(DATA / "rivers.geojson")
    expected: dict[tuple[str, str], float] = {}
    for _, river in rivers[rivers["name"].isin(["岷江", "大渡河", "青衣江"])].iterrows():
        for _, county in counties.iterrows():
            piece = river.geometry.intersection(county.geometry)
            if not piece.is_empty:
                metres = GEOD.geometry_length(piece)
                if metres > 1:
                    expected[(river["name"], county["code"])] = metres
    got = {
        (name, code): float(metres)
        for name, code, metres in db.execute(
            select(River.name, Segment.county_code, func.sum(Segment.length_m))
            .join(River, River.id == Segment.river_id)
            .where(River.name.in_(["岷江", "大渡河", "青衣江"]))  # the WDBII rivers
            .group_by(River.name, Segment.county_code)
        )
    }
    assert set(got) == set(expected)
    for key, metres in expected.items():
        assert got[key] == pytest.approx(metres, rel=0.005), key


def test_rivers_are_oriented_downstream(db: Session) -> None:
    def end_lonlat(name: str, which: str) -> tuple[float, float]:
        fn = func.ST_StartPoint if which == "start" else func.ST_EndPoint
        point = db.scalar(
            select(
                func.ST_AsText(
                    fn(
                        func.ST_GeometryN(
                            River.geom, func.ST_NumGeometries(River.geom) if which == "end" else 1
                        )
                    )
                )
            ).where(River.name == name)
        )
        assert point is not None
        x, y = point.removeprefix("POINT(").removesuffix(")").split()
        return float(x), float(y)

    # 岷江 flows south from 眉山 and leaves towards 宜宾 in the south-east.
    assert end_lonlat("岷江", "start")[1] > end_lonlat("岷江", "end")[1]
    assert end_lonlat("岷江", "end")[0] > 104.3
    # 大渡河 flows east to Leshan city; 青衣江 south-east to the Dadu.
    assert end_lonlat("大渡河", "end")[0] > end_lonlat("大渡河", "start")[0]
    q_start, q_end = end_lonlat("青衣江", "start"), end_lonlat("青衣江", "end")
    assert q_end[0] > q_start[0] and q_end[1] < q_start[1]


def test_segment_order_follows_the_flow(db: Session) -> None:
    river_id = db.scalar(select(River.id).where(River.name == "大渡河"))
    rows = db.execute(
        select(Segment.ord, func.ST_X(func.ST_StartPoint(Segment.geom)))
        .where(Segment.river_id == river_id)
        .order_by(Segment.ord)
    ).all()
    xs = [x for _, x in rows]
    assert xs == sorted(xs), "Dadu segments should run west to east"
