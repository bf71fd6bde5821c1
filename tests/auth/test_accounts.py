"""Sign-in, tokens, the secret-key rule and `riverchief users create`."""

from __future__ import annotations

import subprocess

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.service import create_user
from service.db import get_sessionmaker
from service.demo.load import DEMO_PASSWORD
from service.errors import InvalidInput
from service.settings import REPO_ROOT, Settings


def test_password_flow_gives_a_working_token(client: TestClient) -> None:
    bad = client.post("/api/v1/auth/token", data={"username": "office", "password": "nope"})
    assert bad.status_code == 401
    good = client.post("/api/v1/auth/token", data={"username": "office", "password": DEMO_PASSWORD})
    assert good.status_code == 200 and good.json()["token_type"] == "bearer"
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {good.json()['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["role"] == "office"
    assert client.get("/api/v1/auth/me").status_code == 401
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": "Bearer junk"}).status_code == 401
    )


def test_passwords_are_hashed_with_argon2(db: Session) -> None:
    user = db.scalar(select(UserAccount).where(UserAccount.username == "office"))
    assert user is not None and user.password_hash.startswith("$argon2")


def test_role_bindings_are_checked(db: Session) -> None:
    with pytest.raises(InvalidInput, match="official"):
        create_user(db, "c1", "long-enough-pw", "chief")
    with pytest.raises(InvalidInput, match="county"):
        create_user(db, "c2", "long-enough-pw", "county", county_code="511400")
    with pytest.raises(InvalidInput, match="neighbour"):
        create_user(db, "c3", "long-enough-pw", "neighbor_viewer", neighbor_code="511102")
    with pytest.raises(InvalidInput, match="role"):
        create_user(db, "c4", "long-enough-pw", "admin")


@pytest.mark.parametrize("secret", ["", "changeme", "short-secret"])
def test_placeholder_secrets_are_refused_in_production(secret: str) -> None:
    with pytest.raises(ValidationError, match="RIVERCHIEF_SECRET_KEY"):
        Settings(env="production", secret_key=secret)


def test_development_has_a_default_and_production_accepts_a_real_secret() -> None:
    assert Settings(env="development", secret_key="").secret_key
    assert Settings(env="production", secret_key="x" * 40).secret_key == "x" * 40


def test_plain_postgresql_url_is_accepted() -> None:
    s = Settings(env="development", database_url="postgresql://u@h:5/d")
    assert s.database_url == "postgresql+psycopg://u@h:5/d"


def test_cli_users_create_reads_password_from_stdin(database_url: str) -> None:
    cli = str(REPO_ROOT / ".venv" / "bin" / "riverchief")
    env = {"DATABASE_URL": database_url, "RIVERCHIEF_ENV": "development", "PATH": "/usr/bin:/bin"}
    try:
        done = subprocess.run(
            [
                cli,
                "users",
                "create",
                "cli_county",
                "--role",
                "county",
                "--county-code",
                "511123",
                "--password-stdin",
            ],
            input="s3cret-password\n",
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        generated = subprocess.run(
            [cli, "users", "create", "cli_office", "--role", "office"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert generated.returncode == 0 and "password: " in generated.stdout
        refused = subprocess.run(
            [cli, "users", "create", "cli_bad", "--role", "county", "--password-stdin"],
            input="s3cret-password\n",
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert refused.returncode != 0 and "county" in refused.stderr
        from service.auth.service import authenticate

        with get_sessionmaker()() as session:
            assert authenticate(session, "cli_county", "s3cret-password").county_code == "511123"
    finally:
        with get_sessionmaker()() as session:
            session.execute(delete(UserAccount).where(UserAccount.username.like("cli_%")))
            session.commit()
