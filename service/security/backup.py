"""``riverchief backup PATH`` / ``riverchief restore PATH``: database and photos in one file.

The archive is an uncompressed tar (the dump is compressed already) with three parts:
``manifest.json`` (format, time, Alembic revision, per-table row counts and checksums, a
SHA-256 per media file), ``db.dump`` (``pg_dump --format=custom``) and ``media/`` (a copy of
``settings.media_dir``). Restore refuses a non-empty target unless forced, extracts with
tarfile's ``data`` filter (no absolute paths, ``..``, links or devices), runs
``pg_restore`` and then recomputes every count and checksum against the manifest, so a
restore that "worked" but lost rows fails loudly.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.errors import BadRequest, Conflict

FORMAT = "riverchief-backup/1"
#: Tables owned by extensions: recreated by CREATE EXTENSION, not part of our data.
EXTENSION_TABLES = {"spatial_ref_sys"}


def _pg_tool(name: str) -> str:
    """The newest server-side binary (as scripts/pg.sh picks the server), else PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: apt-get install postgresql-client")
    return found


def libpq_url(database_url: str) -> str:
    """``postgresql+psycopg://…`` → the ``postgresql://…`` form pg_dump understands."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def table_fingerprints(database_url: str) -> dict[str, dict[str, Any]]:
    """Per table of schema public: row count and an order-independent checksum of rows."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            names = conn.scalars(
                text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                    "ORDER BY table_name"
                )
            ).all()
            result: dict[str, dict[str, Any]] = {}
            for name in names:
                if name in EXTENSION_TABLES:
                    continue
                row = conn.execute(
                    text(
                        f"SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
                        f'FROM (SELECT md5(t::text) AS h FROM public."{name}" t) rows'
                    )
                ).one()
                result[str(name)] = {"rows": int(row[0]), "md5": str(row[1])}
            return result
    finally:
        engine.dispose()


def media_fingerprints(media_dir: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every regular file under ``media_dir``."""
    out: dict[str, str] = {}
    if not media_dir.is_dir():
        return out
    for path in sorted(media_dir.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            out[path.relative_to(media_dir).as_posix()] = digest.hexdigest()
    return out


def _revision(database_url: str) -> str | None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT version_num FROM alembic_version LIMIT 1"))
    except Exception:  # no alembic_version: an unmigrated database still backs up
        return None
    finally:
        engine.dispose()


def backup(database_url: str, media_dir: Path, path: Path) -> dict[str, Any]:
    """Write the archive to ``path`` atomically; returns the manifest."""
    path = path.resolve()
    with tempfile.TemporaryDirectory(prefix="riverchief-backup-") as tmp:
        dump = Path(tmp) / "db.dump"
        subprocess.run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                f"--dbname={libpq_url(database_url)}",
            ],
            check=True,
            capture_output=True,
        )
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "alembic_revision": _revision(database_url),
            "tables": table_fingerprints(database_url),
            "media": media_fingerprints(media_dir),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            payload = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(payload))
            archive.add(dump, arcname="db.dump")
            for rel in manifest["media"]:
                archive.add(media_dir / rel, arcname=f"media/{rel}", recursive=False)
        os.replace(partial, path)
    return manifest


def _has_tables(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            count = conn.scalar(
                text(
                    "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_name <> 'spatial_ref_sys'"
                )
            )
            return bool(count)
    finally:
        engine.dispose()


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        name = member.name
        ok_name = name in ("manifest.json", "db.dump") or name.startswith("media/")
        if not ok_name or ".." in Path(name).parts or name.startswith("/"):
            raise BadRequest(f"unexpected member {name!r} in the backup", code="bad_backup")
        if not (member.isfile() or member.isdir()):
            raise BadRequest(f"link or device {name!r} in the backup", code="bad_backup")
    return members


def restore(
    path: Path, database_url: str, media_dir: Path, *, force: bool = False
) -> dict[str, Any]:
    """Restore the archive into ``database_url`` and ``media_dir``, then verify it.

    Without ``force`` the database must have no tables and the media directory no files.
    Returns ``{"tables": n, "rows": n, "media": n}``; raises Conflict on a mismatch.
    """
    if not force and _has_tables(database_url):
        raise Conflict("the target database is not empty: restore into a new one, or --force")
    if not force and media_dir.is_dir() and any(media_dir.iterdir()):
        raise Conflict(f"{media_dir} is not empty: move it away, or --force")
    with (
        tempfile.TemporaryDirectory(prefix="riverchief-restore-") as tmp,
        tarfile.open(path, "r:*") as archive,
    ):
        members = _safe_members(archive)
        archive.extractall(tmp, members=members, filter="data")
        manifest = json.loads((Path(tmp) / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BadRequest(f"not a riverchief backup ({manifest.get('format')!r})")
        command = [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={libpq_url(database_url)}",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        subprocess.run([*command, str(Path(tmp) / "db.dump")], check=True, capture_output=True)
        staged = Path(tmp) / "media"
        if force and media_dir.exists():
            shutil.rmtree(media_dir)
        media_dir.mkdir(parents=True, exist_ok=True)
        if staged.is_dir():
            shutil.copytree(staged, media_dir, dirs_exist_ok=True)
    tables = table_fingerprints(database_url)
    media = media_fingerprints(media_dir)
    wrong = sorted(name for name, want in manifest["tables"].items() if tables.get(name) != want)
    missing_media = sorted(rel for rel, sha in manifest["media"].items() if media.get(rel) != sha)
    if wrong or missing_media:
        raise Conflict(
            "restored data differs from the backup",
            tables=wrong,
            media=missing_media[:20],
        )
    return {
        "tables": len(tables),
        "rows": sum(t["rows"] for t in tables.values()),
        "media": len(media),
        "alembic_revision": manifest.get("alembic_revision"),
    }
