"""GDAL's OAPIF driver (Debian gdal-bin) reads our OGC API from a real uvicorn server."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.support import live_app

OGRINFO = shutil.which("ogrinfo")
pytestmark = pytest.mark.skipif(OGRINFO is None, reason="ogrinfo (gdal-bin) not installed")


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    """uvicorn in a background thread over the session's database (committed demo data)."""
    with live_app() as base:
        yield base


def _ogrinfo(*args: str) -> str:
    assert OGRINFO is not None
    result = subprocess.run(
        [OGRINFO, "-ro", *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ogrinfo_lists_collections(server: str) -> None:
    out = _ogrinfo("-so", f"OAPIF:{server}/ogc")
    for name in ("rivers", "segments", "areas", "crossings", "problems"):
        assert f": {name} (" in out or f": {name}\n" in out, out


def test_ogrinfo_reads_segments(server: str, engine: Engine) -> None:
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM segment")).scalar_one()
        names = set(
            conn.execute(
                text("SELECT DISTINCT r.name FROM segment s JOIN river r ON r.id = s.river_id")
            ).scalars()
        )
    summary = _ogrinfo("-so", f"OAPIF:{server}/ogc", "segments")
    assert f"Feature Count: {total}" in summary, summary
    # A page size below the count makes GDAL follow our "next" links.
    features = _ogrinfo("-q", "-oo", "PAGE_SIZE=5", f"OAPIF:{server}/ogc", "segments")
    assert features.count("OGRFeature(segments)") == total
    assert features.count("LINESTRING (") == total
    for name in names:
        assert f"river (String) = {name}" in features
