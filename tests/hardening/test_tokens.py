"""Class 6: tokens need ``exp``, ``sub`` and ``ver``; development has no published secret.

On the code issue 14 started from: a token without ``exp`` was accepted (it never expired),
and development mode signed with ``development-secret-key-not-for-production-use``, written
in the source, so anyone could mint an office token for a ``make run`` server.
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.settings import Settings, get_settings

PUBLISHED = "development-secret-key-not-for-production-use"


def _office(db: Session) -> UserAccount:
    user = db.scalar(select(UserAccount).where(UserAccount.username == "office"))
    assert user is not None
    return user


def _token(claims: dict[str, object], secret: str | None = None) -> str:
    return jwt.encode(claims, secret or get_settings().secret_key, algorithm="HS256")


def test_exp_sub_and_ver_are_required(client: TestClient, db: Session) -> None:
    office = _office(db)
    soon = datetime.now(UTC) + timedelta(minutes=5)
    full = {"sub": str(office.id), "ver": office.token_version, "exp": soon}
    ok = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {_token(full)}"})
    assert ok.status_code == 200
    for missing in ("exp", "sub", "ver"):
        claims = {k: v for k, v in full.items() if k != missing}
        r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {_token(claims)}"})
        assert r.status_code == 401, (missing, r.text)
        assert r.json()["code"] == "invalid_token"
    bad_ver = {**full, "ver": "0"}
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {_token(bad_ver)}"})
    assert r.status_code == 401


def test_development_never_signs_with_the_published_secret(client: TestClient, db: Session) -> None:
    settings = get_settings()
    assert settings.env == "development" and not os.environ.get("RIVERCHIEF_SECRET_KEY")
    assert settings.secret_key != PUBLISHED and len(settings.secret_key) >= 32
    office = _office(db)
    claims = {
        "sub": str(office.id),
        "ver": office.token_version,
        "exp": datetime.now(UTC) + timedelta(minutes=5),
    }
    forged = _token(claims, PUBLISHED)
    r = client.get("/api/v1/users", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401


def test_the_development_secret_is_random_per_data_directory(tmp_path: Path) -> None:
    one = Settings(env="development", secret_key="", state_dir=tmp_path / "one")
    again = Settings(env="development", secret_key="", state_dir=tmp_path / "one")
    other = Settings(env="development", secret_key="", state_dir=tmp_path / "two")
    assert one.secret_key == again.secret_key != other.secret_key
    assert len(one.secret_key) >= 32 and one.secret_key != PUBLISHED
    mode = stat.S_IMODE((tmp_path / "one" / "development-secret-key").stat().st_mode)
    assert mode == 0o600
    with pytest.raises(ValueError):
        Settings(env="production", secret_key=PUBLISHED)
