"""Layer exports as GeoPackage/GeoJSON, scoped and filtered like their lists, written by
GDAL and read back by GDAL (ogrinfo and pyogrio); tables as XLSX (issue 15)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pyogrio
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from service.exports import layers
from tests.support import Headers
from tests.workbench.conftest import Seeded


def _read(content: bytes, tmp_path: Path, suffix: str):  # type: ignore[no-untyped-def]
    path = tmp_path / f"export.{suffix}"
    path.write_bytes(content)
    return path, pyogrio.read_dataframe(path)


def test_problems_gpkg_holds_the_filtered_list(
    client: TestClient, auth_headers: Headers, seeded: Seeded, tmp_path: Path
) -> None:
    office = auth_headers("office")
    r = client.get("/api/v1/exports/problems.gpkg?overdue=true", headers=office)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geopackage+sqlite3"
    assert "attachment" in r.headers["content-disposition"]
    path, frame = _read(r.content, tmp_path, "gpkg")
    assert sorted(frame["id"]) == sorted(seeded.overdue)
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geometry.geom_type) == {"Point"}
    assert all(frame["overdue"]) and "description" in frame.columns
    assert pyogrio.read_info(path)["layer_name"] == "problems"
    if shutil.which("ogrinfo"):
        info = subprocess.run(
            ["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True
        )
        assert "Feature Count: 3" in info.stdout and "Geometry: Point" in info.stdout
    every = client.get("/api/v1/exports/problems.gpkg", headers=office)
    listed = client.get("/api/v1/problems?limit=1", headers=office)
    assert len(_read(every.content, tmp_path, "gpkg")[1]) == int(listed.headers["X-Total-Count"])


def test_problems_export_is_scoped_like_the_list(
    client: TestClient, auth_headers: Headers, seeded: Seeded, tmp_path: Path
) -> None:
    sizes = {}
    for account in ("county", "meishan", "chief"):
        headers = auth_headers(account)
        listed = client.get("/api/v1/problems?limit=10000", headers=headers).json()
        r = client.get("/api/v1/exports/problems.geojson", headers=headers)
        assert r.status_code == 200, (account, r.text)
        _path, frame = _read(r.content, tmp_path, "geojson")
        ids = sorted(frame["id"]) if len(frame) else []  # no features: no columns
        assert ids == sorted(p["id"] for p in listed), account
        sizes[account] = len(ids)
    assert sizes["county"] >= 15 and sizes["meishan"] >= 15
    viewer = client.get("/api/v1/exports/problems.geojson", headers=auth_headers("meishan"))
    columns = set(_read(viewer.content, tmp_path, "geojson")[1].columns)
    assert columns == {*layers.PUBLIC_PROBLEM_COLUMNS, "geometry"}
    assert client.get("/api/v1/exports/problems.gpkg").status_code == 401


def test_patrol_tracks_follow_patrol_scope_and_filters(
    client: TestClient, auth_headers: Headers, seeded: Seeded, tmp_path: Path
) -> None:
    chief = auth_headers("chief")
    r = client.get("/api/v1/exports/patrol-tracks.gpkg", headers=chief)
    assert r.status_code == 200, r.text
    _path, frame = _read(r.content, tmp_path, "gpkg")
    listed = client.get("/api/v1/patrols?limit=10000", headers=chief).json()
    assert sorted(frame["id"]) == sorted(p["id"] for p in listed)
    assert {seeded.patrol_valid, seeded.patrol_invalid} <= set(frame["id"])
    assert set(frame.geometry.geom_type) == {"MultiLineString"}
    assert not frame.geometry.has_z.any()
    valid = client.get("/api/v1/exports/patrol-tracks.geojson?valid=false", headers=chief)
    _path, invalid = _read(valid.content, tmp_path, "geojson")
    assert list(invalid["id"]) == [seeded.patrol_invalid]
    assert list(invalid["invalid_reasons"]) == ["no_times"]
    # The roles that may not read tracks may not export them either.
    assert (
        client.get("/api/v1/exports/patrol-tracks.gpkg", headers=auth_headers("county")).status_code
        == 403
    )


def test_registry_layers_are_public(client: TestClient, tmp_path: Path) -> None:
    rivers = client.get("/api/v1/exports/rivers.geojson")
    assert rivers.status_code == 200
    _path, frame = _read(rivers.content, tmp_path, "geojson")
    listed = client.get("/api/v1/rivers?limit=10000").json()
    assert sorted(frame["id"]) == sorted(r["id"] for r in listed)
    assert "岷江" in set(frame["name"])
    river_id = next(r["id"] for r in listed if r["name"] == "岷江")
    segments = client.get(f"/api/v1/exports/segments.gpkg?river_id={river_id}")
    _path, segs = _read(segments.content, tmp_path, "gpkg")
    geojson = client.get(f"/api/v1/segments.geojson?river_id={river_id}").json()
    assert sorted(segs["id"]) == sorted(f["properties"]["id"] for f in geojson["features"])
    assert client.get("/api/v1/exports/segments.shp").status_code == 422


def test_an_export_past_its_bound_is_refused_not_cut(
    client: TestClient, auth_headers: Headers, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(layers.MAX_FEATURES, "problems", 2)
    r = client.get("/api/v1/exports/problems.gpkg", headers=auth_headers("office"))
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "export_too_large" and body["limit"] == 2 and body["total"] >= 15


TABLE = {
    "title": "问题列表",
    "columns": [
        {"key": "id", "label": "编号", "type": "number"},
        {"key": "text", "label": "描述", "type": "text"},
        {"key": "due", "label": "办理期限", "type": "date"},
        {"key": "code", "label": "代码", "type": "text"},
    ],
    "rows": [
        [12, '=HYPERLINK("http://evil","x")', "2026-04-01", "0012"],
        ["3.5", "-1+1", "2026-03-02T10:30:00+08:00", 7],
        [None, "@SUM(A1)", None, None],
    ],
}


def test_table_xlsx_keeps_text_text_and_numbers_numbers(
    client: TestClient, auth_headers: Headers
) -> None:
    r = client.post("/api/v1/exports/table.xlsx", json=TABLE, headers=auth_headers("county"))
    assert r.status_code == 200, r.text
    assert "filename*=UTF-8''%E9%97%AE" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    assert [c.value for c in ws[1]] == ["编号", "描述", "办理期限", "代码"]
    assert ws["A2"].value == 12 and ws["A2"].data_type == "n"
    assert ws["A3"].value == 3.5
    assert ws["B2"].value == '=HYPERLINK("http://evil","x")' and ws["B2"].data_type == "s"
    assert ws["B3"].data_type == "s" and ws["B4"].data_type == "s"
    assert ws["C2"].value.date() == date(2026, 4, 1)
    assert ws["C3"].value.hour == 10  # shown in Asia/Shanghai
    assert ws["D2"].value == "0012" and ws["D3"].value == "7"  # text columns stay text


def test_table_xlsx_bounds_and_roles(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")
    ragged = {**TABLE, "rows": [[1, "a"]]}
    r = client.post("/api/v1/exports/table.xlsx", json=ragged, headers=office)
    assert r.status_code == 422
    wide = {
        "title": "x",
        "columns": [{"key": f"c{i}", "label": "c"} for i in range(61)],
        "rows": [],
    }
    assert client.post("/api/v1/exports/table.xlsx", json=wide, headers=office).status_code == 422
    long_cell = {**TABLE, "rows": [[1, "x" * 4001, None, None]]}
    assert (
        client.post("/api/v1/exports/table.xlsx", json=long_cell, headers=office).status_code == 422
    )
    assert client.post("/api/v1/exports/table.xlsx", json=TABLE).status_code == 401
    viewer = auth_headers("meishan")
    assert client.post("/api/v1/exports/table.xlsx", json=TABLE, headers=viewer).status_code == 403
