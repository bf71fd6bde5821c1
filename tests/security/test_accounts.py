"""Account lifecycle: office staff disable, re-role and reset; users change their own password;
each change revokes the tokens issued before. Sign-in lockout and rate limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from tests.security.conftest import PASSWORD

Headers = Callable[..., dict[str, str]]


def test_office_disables_an_account_and_its_token_stops_working(
    client: TestClient, make_user: Callable[..., int], login: Headers, auth_headers: Headers
) -> None:
    uid = make_user("sec_county", "county", county_code="511111")
    token = login("sec_county")
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200
    office = auth_headers("office")
    r = client.patch(f"/api/v1/users/{uid}", json={"disabled": True}, headers=office)
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    bad = client.post("/api/v1/auth/token", data={"username": "sec_county", "password": PASSWORD})
    assert bad.status_code == 401
    # Enabling again does not bring the old token back (token_version moved on twice).
    client.patch(f"/api/v1/users/{uid}", json={"disabled": False}, headers=office)
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    assert client.get("/api/v1/auth/me", headers=login("sec_county")).status_code == 200


def test_role_change_revokes_and_takes_effect(
    client: TestClient, make_user: Callable[..., int], login: Headers, auth_headers: Headers
) -> None:
    uid = make_user("sec_role", "county", county_code="511111")
    old = login("sec_role")
    r = client.patch(
        f"/api/v1/users/{uid}",
        json={"role": "neighbor_viewer", "neighbor_code": "511400"},
        headers=auth_headers("office"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["role"] == "neighbor_viewer" and body["county_code"] is None
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401
    assert client.get("/api/v1/auth/me", headers=login("sec_role")).json()["role"] == (
        "neighbor_viewer"
    )


def test_role_change_needs_its_binding(
    client: TestClient, make_user: Callable[..., int], auth_headers: Headers
) -> None:
    uid = make_user("sec_bind", "county", county_code="511111")
    r = client.patch(f"/api/v1/users/{uid}", json={"role": "chief"}, headers=auth_headers("office"))
    assert r.status_code == 422 and "official" in r.json()["detail"]


def test_reset_password_generated_once(
    client: TestClient, make_user: Callable[..., int], login: Headers, auth_headers: Headers
) -> None:
    uid = make_user("sec_reset", "office")
    old = login("sec_reset")
    r = client.post(
        f"/api/v1/users/{uid}/password", json={"generate": True}, headers=auth_headers("office")
    )
    assert r.status_code == 200
    new_password = r.json()["password"]
    assert new_password and len(new_password) >= 12
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401
    fail = client.post("/api/v1/auth/token", data={"username": "sec_reset", "password": PASSWORD})
    assert fail.status_code == 401
    assert (
        client.get("/api/v1/auth/me", headers=login("sec_reset", new_password)).status_code == 200
    )
    chosen = client.post(
        f"/api/v1/users/{uid}/password",
        json={"password": "another-long-one"},
        headers=auth_headers("office"),
    )
    assert chosen.json()["password"] is None
    short = client.post(
        f"/api/v1/users/{uid}/password", json={"password": "short"}, headers=auth_headers("office")
    )
    assert short.status_code == 422


def test_user_changes_own_password(
    client: TestClient, make_user: Callable[..., int], login: Headers
) -> None:
    make_user("sec_self", "neighbor_viewer", neighbor_code="511400")
    first, second = login("sec_self"), login("sec_self")
    wrong = client.post(
        "/api/v1/auth/password",
        json={"current_password": "nope-nope-nope", "new_password": "brand-new-secret"},
        headers=first,
    )
    assert wrong.status_code == 403
    r = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "brand-new-secret"},
        headers=first,
    )
    assert r.status_code == 200
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=fresh).status_code == 200
    for stale in (first, second):  # other devices are signed out
        assert client.get("/api/v1/auth/me", headers=stale).status_code == 401
    assert client.get("/api/v1/auth/me", headers=login("sec_self", "brand-new-secret")).is_success
    anonymous = client.post(
        "/api/v1/auth/password", json={"current_password": "a", "new_password": "b"}
    )
    assert anonymous.status_code == 401


def test_last_office_cannot_lock_itself_out(
    client: TestClient, auth_headers: Headers, db: object
) -> None:
    from sqlalchemy import select

    from service.auth.models import UserAccount

    office = auth_headers("office")
    offices = db.scalars(  # type: ignore[attr-defined]
        select(UserAccount).where(UserAccount.role == "office", UserAccount.disabled.is_(False))
    ).all()
    for extra in offices[1:]:
        extra.disabled = True
    db.flush()  # type: ignore[attr-defined]
    me = client.get("/api/v1/auth/me", headers=office).json()["id"]
    r = client.patch(f"/api/v1/users/{me}", json={"disabled": True}, headers=office)
    assert r.status_code == 409 and r.json()["code"] == "last_office"
    r = client.patch(
        f"/api/v1/users/{me}", json={"role": "county", "county_code": "511111"}, headers=office
    )
    assert r.status_code == 409


def test_account_admin_is_office_only(
    client: TestClient, auth_headers: Headers, make_user: Callable[..., int]
) -> None:
    uid = make_user("sec_target", "office")
    assert client.get("/api/v1/users").status_code == 401
    for name in ("chief", "liaison", "county", "patrol", "meishan"):
        h = auth_headers(name)
        assert client.get("/api/v1/users", headers=h).status_code == 403
        assert (
            client.patch(f"/api/v1/users/{uid}", json={"disabled": True}, headers=h).status_code
            == 403
        )
        # A forbidden caller learns nothing about which ids exist.
        assert client.get("/api/v1/users/999999", headers=h).status_code == 403
    listed = client.get("/api/v1/users", headers=auth_headers("office"))
    assert listed.status_code == 200 and int(listed.headers["X-Total-Count"]) >= 7
    assert all("password_hash" not in u for u in listed.json())
    created = client.post(
        "/api/v1/users",
        json={"username": "sec_new", "role": "county", "county_code": "511111"},
        headers=auth_headers("office"),
    )
    assert created.status_code == 201 and len(created.json()["password"]) >= 12
    dup = client.post(
        "/api/v1/users",
        json={"username": "sec_new", "role": "office", "password": "x" * 12},
        headers=auth_headers("office"),
    )
    assert dup.status_code == 409


def test_lockout_after_failures_then_unlock(
    client: TestClient,
    make_user: Callable[..., int],
    auth_headers: Headers,
    login: Headers,
    settings_override: Callable[..., None],
) -> None:
    settings_override(login_max_failures=3)
    uid = make_user("sec_lock", "office")
    for _ in range(3):
        r = client.post("/api/v1/auth/token", data={"username": "sec_lock", "password": "wrong!!"})
        assert r.status_code == 401
    # Even the right password is refused while locked; the response says how long.
    r = client.post("/api/v1/auth/token", data={"username": "sec_lock", "password": PASSWORD})
    assert r.status_code == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    unlocked = client.post(f"/api/v1/users/{uid}/unlock", headers=auth_headers("office"))
    assert unlocked.status_code == 200 and unlocked.json()["locked_until"] is None
    # Unlocking lifts the per-username window too (it is in the database, for every worker).
    assert client.get("/api/v1/auth/me", headers=login("sec_lock")).status_code == 200


def test_unknown_usernames_are_limited_like_real_ones(
    client: TestClient, settings_override: Callable[..., None]
) -> None:
    settings_override(login_max_failures=3)
    codes = [
        client.post("/api/v1/auth/token", data={"username": "ghost", "password": "x"}).status_code
        for _ in range(4)
    ]
    assert codes == [401] * 3 + [429]


def test_per_address_limit(client: TestClient, settings_override: Callable[..., None]) -> None:
    settings_override(login_ip_max_failures=4)
    codes = [
        client.post(
            "/api/v1/auth/token", data={"username": f"spray{i}", "password": "x"}
        ).status_code
        for i in range(5)
    ]
    assert codes == [401] * 4 + [429]


def test_expired_and_foreign_tokens_are_refused(client: TestClient, db: object) -> None:
    from service.settings import get_settings

    now = datetime.now(UTC)
    claims = {"sub": "1", "ver": 0, "iat": now - timedelta(hours=2), "exp": now - timedelta(1)}
    expired = jwt.encode(claims, get_settings().secret_key, algorithm="HS256")
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    claims["exp"] = now + timedelta(hours=1)
    forged = jwt.encode(claims, "another-secret-" * 4, algorithm="HS256")
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    unsigned = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {unsigned}"})
    assert r.status_code == 401


@pytest.mark.parametrize(
    "secret", ["", "changeme", "secret", "development-secret-key-not-for-production-use", "x" * 31]
)
def test_no_default_or_weak_secret_outside_development(secret: str) -> None:
    from service.settings import Settings

    with pytest.raises(ValidationError, match="RIVERCHIEF_SECRET_KEY"):
        Settings(env="production", secret_key=secret)
    assert Settings(env="production", secret_key="k" * 16 + "9f3a" * 5).secret_key
    assert Settings(env="development", secret_key="").secret_key  # dev gets its own key
