"""Fixtures of the security tests: throwaway accounts and sign-in through the real endpoint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its defaults costs ~0.7 s per hash on a loaded 2-core runner; these tests
    hash dozens of times. Hashes record their own parameters, so verifying the demo
    accounts' full-cost hashes still works."""
    from argon2 import PasswordHasher

    from service.auth import passwords, service

    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    monkeypatch.setattr(service, "_dummy_hash", [])


@pytest.fixture
def settings_override(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``settings_override(login_max_failures=2)`` for this test only."""
    from service.settings import get_settings

    def apply(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setattr(get_settings(), name, value)

    return apply


@pytest.fixture
def make_user(db: Session) -> Callable[..., int]:
    """``make_user("name", "county", county_code="511111")`` -> id (rolled back after)."""
    from service.auth.service import create_user

    def make(username: str, role: str = "office", **binding: object) -> int:
        user = create_user(db, username, PASSWORD, role, **binding)  # type: ignore[arg-type]
        return user.id

    return make


@pytest.fixture
def login(client: TestClient) -> Callable[..., dict[str, str]]:
    """Sign in through POST /api/v1/auth/token; returns bearer headers (asserts 200)."""

    def sign_in(username: str, password: str = PASSWORD) -> dict[str, str]:
        response = client.post(
            "/api/v1/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return sign_in
