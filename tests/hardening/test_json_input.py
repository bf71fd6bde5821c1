"""Class 2: non-finite and broken JSON, unknown keys, and one error shape.

On the code issue 14 started from: a JSON body with NaN, Infinity, 1e999 or a lone surrogate
made every JSON endpoint answer 500 (the validation error echoed input that cannot be
serialised; the test client raises it); ``PATCH /users/{id}`` ignored a misspelt key and
answered 200; ``POST /users/{id}/password`` with ``{}`` generated a password and revoked every
token; validation errors had a list as ``detail`` and no ``code``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.hardening.conftest import Headers, count

#: (method, path, role, a valid body as JSON text with a ``{X}`` where a value goes)
JSON_ENDPOINTS = [
    (
        "POST",
        "/api/v1/problems",
        "patrol",
        '{"lon": {X}, "lat": 29.3396, "category": "garbage", "description": "d", '
        '"observed_at": "2026-03-02T10:30:00+08:00"}',
    ),
    (
        "POST",
        "/api/v1/health-assessments",
        "office",
        '{"river_id": 1, "year": 2025, "assessed_on": "2025-06-01", "scores": {"flow": {X}}}',
    ),
    ("PATCH", "/api/v1/users/1", "office", '{"disabled": false, "official_id": {X}}'),
    (
        "POST",
        "/api/v1/meetings",
        "office",
        '{"kind": "office", "title": {X}, "held_on": "2025-06-01", "chair_official_id": 1}',
    ),
    ("POST", "/api/v1/auth/password", "office", '{"current_password": {X}, "new_password": "x"}'),
]
HOSTILE = {
    "NaN": "not_finite",
    "Infinity": "not_finite",
    "-Infinity": "not_finite",
    "1e999": "not_finite",
    '"\\ud800"': "invalid_unicode",
    '"a\\udfff b"': "invalid_unicode",
}


@pytest.mark.parametrize(("method", "path", "role", "template"), JSON_ENDPOINTS)
@pytest.mark.parametrize("value", list(HOSTILE))
def test_non_finite_numbers_and_lone_surrogates_are_422(
    client: TestClient,
    db: Session,
    auth_headers: Headers,
    method: str,
    path: str,
    role: str,
    template: str,
    value: str,
) -> None:
    before = count(db, "audit_log")
    r = client.request(
        method,
        path,
        content=template.replace("{X}", value).encode(),
        headers={**auth_headers(role), "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == HOSTILE[value] and isinstance(body["detail"], str)
    assert count(db, "audit_log") == before  # nothing written


@pytest.mark.parametrize(
    "raw",
    [b"[" * 50_000 + b"]" * 50_000, b'{"a": 1', b"\xff\xfe", b"1" * 5000],
)
def test_broken_json_is_422_with_a_code(
    client: TestClient, auth_headers: Headers, raw: bytes
) -> None:
    r = client.post(
        "/api/v1/problems",
        content=raw,
        headers={**auth_headers("patrol"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] in ("too_deep", "invalid_json") and isinstance(r.json()["detail"], str)


def test_form_floats_must_be_finite(client: TestClient) -> None:
    for value in ("nan", "inf", "-Infinity"):
        r = client.post(
            "/api/v1/public/reports",
            data={"lon": value, "lat": "29.3", "category": "garbage", "description": "d"},
        )
        assert r.status_code == 422 and r.json()["code"] == "not_finite", r.text
        assert r.json()["field"] == "lon"


def test_validation_errors_have_a_sentence_a_code_and_the_field(
    client: TestClient, auth_headers: Headers
) -> None:
    r = client.post(
        "/api/v1/problems",
        json={"lon": 103.6, "lat": 29.3, "category": "garbage", "description": "d"},
        headers=auth_headers("patrol"),
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "field_required" and body["field"] == "observed_at"
    assert isinstance(body["detail"], str) and "observed_at" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "observed_at"]
    assert "input" not in body["errors"][0]  # the caller's input is never echoed
    wrong_type = client.get(
        "/api/v1/problems", params={"river_id": "x"}, headers=auth_headers("office")
    )
    assert (
        wrong_type.json()["code"] == "not_an_integer" and wrong_type.json()["field"] == "river_id"
    )
    for r in (
        client.get("/api/v1/no-such-path"),
        client.get("/api/v1/problems/999999", headers=auth_headers("office")),
        client.get("/api/v1/problems"),
    ):
        assert 400 <= r.status_code < 500
        assert isinstance(r.json()["detail"], str) and r.json()["code"], r.text


def test_unknown_keys_are_refused_where_a_typo_changes_the_meaning(
    client: TestClient, db: Session, make_target: Callable[[], int], auth_headers: Headers
) -> None:
    uid = make_target()
    office = auth_headers("office")
    r = client.patch(f"/api/v1/users/{uid}", json={"rol": "office"}, headers=office)
    assert r.status_code == 422 and r.json()["code"] == "unknown_field", r.text
    assert r.json()["field"] == "rol"
    # No password and no explicit "generate": refused, nothing changed.
    version = _version(db, uid)
    for body in (
        {},
        {"pasword": "a-long-password"},
        {"password": "a-long-password", "generate": True},
    ):
        r = client.post(f"/api/v1/users/{uid}/password", json=body, headers=office)
        assert r.status_code == 422, (body, r.text)
    assert _version(db, uid) == version
    generated = client.post(
        f"/api/v1/users/{uid}/password", json={"generate": True}, headers=office
    )
    assert generated.status_code == 200 and len(generated.json()["password"]) >= 12
    chosen = client.post(
        f"/api/v1/users/{uid}/password", json={"password": "a-long-password"}, headers=office
    )
    assert chosen.status_code == 200 and chosen.json()["password"] is None
    assert _version(db, uid) == version + 2


def _version(db: Session, uid: int) -> int:
    from service.auth.models import UserAccount

    db.expire_all()
    user = db.get(UserAccount, uid)
    assert user is not None
    return user.token_version


@pytest.fixture
def make_target(db: Session) -> Callable[[], int]:
    from service.auth.service import create_user

    def make() -> int:
        return create_user(db, "h14_target", "target-password-1", "county", county_code="511111").id

    return make
