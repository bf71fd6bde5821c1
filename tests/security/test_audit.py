"""The audit log: every write recorded once, in one place, with who/when/what/before/after."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.officials.models import Official
from service.security.audit import acting_as
from service.security.models import AuditLog
from tests.support import Headers


def _rows(db: Session, **where: object) -> list[AuditLog]:
    query = select(AuditLog).order_by(AuditLog.id)
    for name, value in where.items():
        query = query.where(getattr(AuditLog, name) == value)
    return list(db.scalars(query))


def test_api_writes_are_audited_with_the_user(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    office = auth_headers("office")
    office_id = client.get("/api/v1/auth/me", headers=office).json()["id"]
    created = client.post(
        "/api/v1/users",
        json={
            "username": "audited",
            "role": "county",
            "county_code": "511111",
            "password": "a-long-password",
        },
        headers=office,
    )
    assert created.status_code == 201
    uid = str(created.json()["id"])
    client.patch(f"/api/v1/users/{uid}", json={"disabled": True}, headers=office)

    rows = _rows(db, table_name="user_account", row_id=uid)
    assert [r.action for r in rows] == ["insert", "update"]
    insert, change = rows
    assert insert.actor == "user:office" and insert.actor_id == office_id
    assert insert.request == "POST /api/v1/users" and insert.ip == "testclient"
    assert insert.after is not None and insert.after["username"] == "audited"
    assert insert.after["password_hash"] == "***"  # secrets never copied
    assert change.before == {"disabled": False, "token_version": 0}
    assert change.after == {"disabled": True, "token_version": 1}
    assert change.at >= insert.at


def test_failed_login_is_audited_as_the_attempt(client: TestClient, db: Session) -> None:
    client.post("/api/v1/auth/token", data={"username": "office", "password": "wrong-guess"})
    row = _rows(db, table_name="user_account", action="update")[-1]
    assert row.actor == "login:office"
    assert row.after == {"failed_logins": 1}


def test_commands_and_bulk_writes(db: Session) -> None:
    with acting_as("cli"):
        for i in range(30):  # one flush of 30 inserts: one summary row, not 30
            db.add(Official(name=f"审计测试{i}", title="test"))
        db.flush()
        db.execute(update(Official).where(Official.title == "test").values(title="t2"))
        db.execute(text("UPDATE official SET title = 't3' WHERE title = 't2'"))
    rows = _rows(db, table_name="official")
    assert [r.action for r in rows][-3:] == ["bulk_insert", "bulk_update", "bulk_update"]
    bulk, orm_update, raw = rows[-3:]
    assert {r.actor for r in (bulk, orm_update, raw)} == {"cli"}
    assert bulk.after is not None and bulk.after["rows"] == 30
    assert orm_update.after is not None and orm_update.after["rowcount"] == 30
    assert raw.after is not None and "UPDATE official" in raw.after["statement"]


def test_delete_and_rolled_back_write(db: Session) -> None:
    official = Official(name="临时", title="x")
    db.add(official)
    db.flush()
    oid = str(official.id)
    savepoint = db.begin_nested()
    db.delete(official)
    db.flush()
    assert [r.action for r in _rows(db, table_name="official", row_id=oid)] == ["insert", "delete"]
    savepoint.rollback()  # the delete never happened: neither did its audit row
    assert [r.action for r in _rows(db, table_name="official", row_id=oid)] == ["insert"]
    assert _rows(db, table_name="official", row_id=oid)[0].actor == "system"


def test_reads_write_nothing(client: TestClient, db: Session, auth_headers: Headers) -> None:
    before = db.scalar(select(func.count()).select_from(AuditLog))
    client.get("/api/v1/rivers", headers=auth_headers("chief"))
    client.get("/api/v1/auth/me", headers=auth_headers("chief"))
    assert db.scalar(select(func.count()).select_from(AuditLog)) == before


def test_audit_endpoint_is_office_only_with_filters(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    assert client.get("/api/v1/audit").status_code == 401
    for name in ("chief", "liaison", "county", "patrol", "meishan"):
        r = client.get("/api/v1/audit", headers=auth_headers(name))
        assert r.status_code == 403 and r.json()["code"] == "role_forbidden"
    office = auth_headers("office")
    for i in range(3):
        client.post(
            "/api/v1/users",
            json={"username": f"aud{i}", "role": "office", "password": "long-password-1"},
            headers=office,
        )
    r = client.get(
        "/api/v1/audit?actor=user:office&table=user_account&action=insert&limit=2", headers=office
    )
    assert r.status_code == 200
    assert r.headers["X-Total-Count"] == "3"
    page1 = r.json()
    assert [row["after"]["username"] for row in page1] == ["aud2", "aud1"]  # newest first
    page2 = client.get(
        "/api/v1/audit?actor=user:office&table=user_account&action=insert&limit=2&offset=2",
        headers=office,
    ).json()
    assert [row["after"]["username"] for row in page2] == ["aud0"]
    actor = client.get("/api/v1/audit?actor=user:office&table=user_account", headers=office)
    assert actor.headers["X-Total-Count"] == "3"
    uid = db.scalar(select(UserAccount.id).where(UserAccount.username == "aud1"))
    one = client.get(f"/api/v1/audit?row_id={uid}&table=user_account", headers=office).json()
    assert len(one) == 1
    bad = client.get("/api/v1/audit?from=2026-02-01&to=2026-01-01", headers=office)
    assert bad.status_code == 422
    none = client.get("/api/v1/audit?from=2000-01-01&to=2000-01-02", headers=office)
    assert none.json() == [] and none.headers["X-Total-Count"] == "0"


def test_other_domains_are_audited_without_their_cooperation(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    """A patrol upload (issue 3 code, which knows nothing of the audit log) is recorded."""
    from tests.security.test_scopes import _gpx

    r = client.post(
        "/api/v1/patrols",
        files={"file": ("a.gpx", _gpx(11), "application/gpx+xml")},
        headers=auth_headers("chief"),
    )
    assert r.status_code == 201, r.text
    rows = _rows(db, table_name="patrol", row_id=str(r.json()["id"]))
    assert [row.action for row in rows][:1] == ["insert"]
    assert rows[0].actor == "user:chief" and rows[0].request == "POST /api/v1/patrols"
    after = rows[0].after
    assert after is not None and after["format"] == "gpx" and after["points"] == 60
    # The track is set from a SQL expression, unknown until read back: never copied whole.
    assert after.get("geom", "<geometry>") == "<geometry>"
