"""``riverchief backup`` / ``restore``: a round trip into a throwaway database, compared by
per-table row counts and row checksums, and the photo directory by SHA-256."""

from __future__ import annotations

import io
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.errors import BadRequest, Conflict
from service.security.backup import (
    backup,
    media_fingerprints,
    restore,
    table_fingerprints,
)


@pytest.fixture
def empty_database(database_url: str) -> Iterator[str]:
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    name = f"rc_restore_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_round_trip(database_url: str, empty_database: str, tmp_path: Path) -> None:
    from service.settings import normalise_database_url

    source_url = normalise_database_url(database_url)
    media = tmp_path / "media"
    (media / "problems" / "7").mkdir(parents=True)
    (media / "problems" / "7" / "a.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    (media / "public" / "1").mkdir(parents=True)
    (media / "public" / "1" / "照片.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"z" * 5000)
    archive = tmp_path / "riverchief.backup"

    manifest = backup(source_url, media, archive)
    assert archive.exists() and not archive.with_name(archive.name + ".partial").exists()
    assert manifest["tables"] == table_fingerprints(source_url)
    assert manifest["tables"]["segment"]["rows"] > 0
    assert manifest["tables"]["user_account"]["rows"] >= 6
    assert len(manifest["media"]) == 2

    target_url = normalise_database_url(empty_database)
    restored_media = tmp_path / "restored-media"
    report = restore(archive, target_url, restored_media)
    # The restored database matches the source row for row (checksums of every table).
    assert table_fingerprints(target_url) == table_fingerprints(source_url)
    assert media_fingerprints(restored_media) == media_fingerprints(media)
    assert report["media"] == 2
    assert report["rows"] == sum(t["rows"] for t in manifest["tables"].values())
    assert report["alembic_revision"] == manifest["alembic_revision"] is not None

    # A second restore over data is refused unless forced, and forced it still verifies.
    with pytest.raises(Conflict, match="not empty"):
        restore(archive, target_url, tmp_path / "elsewhere")
    again = restore(archive, target_url, restored_media, force=True)
    assert again["rows"] == report["rows"]


def test_hostile_archive_is_refused(empty_database: str, tmp_path: Path) -> None:
    from service.settings import normalise_database_url

    archive = tmp_path / "evil.backup"
    with tarfile.open(archive, "w") as tar:
        for name in ("manifest.json", "media/../../escape.txt"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"{}"))
    with pytest.raises(BadRequest, match="unexpected member"):
        restore(archive, normalise_database_url(empty_database), tmp_path / "m")
    assert not (tmp_path.parent / "escape.txt").exists()
