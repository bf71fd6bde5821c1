"""Anonymous reports: proof-of-work, validation, photo limits, rate limits, tracking."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.public.models import PowChallenge, PublicReport, PublicReportPhoto
from service.public.pow import leading_zero_bits, solve, solves
from service.settings import Settings
from tests.public.conftest import IN_MEISHAN, Submit, png


def test_leading_zero_bits_hand_checked() -> None:
    assert leading_zero_bits(bytes([0, 0, 0x10, 0xFF])) == 19  # 8 + 8 + 3
    assert leading_zero_bits(bytes([0x80])) == 0
    assert leading_zero_bits(bytes([0x01])) == 7
    counter = solve("abc", 12)
    assert solves("abc", counter, 12)
    # The solver returns the FIRST counter: every smaller one fails.
    assert not any(solves("abc", str(c), 12) for c in range(int(counter)))


def test_report_gets_a_tracking_code_and_unknown_code_is_404(
    client: TestClient, submit: Submit, db: Session
) -> None:
    r = submit(contact="13800138000")
    assert r.status_code == 201, r.text
    body = r.json()
    code = body["code"]
    assert len(code) == 10 and body["status"] == "pending"
    assert body["status_label"] == "已提交，待审核" and body["county_name"] == "沙湾区"
    row = db.scalar(select(PublicReport).where(PublicReport.code == code))
    assert row is not None and row.contact == "13800138000" and row.county_code == "511111"
    # Tracking accepts the code in lower case and with a dash typed in the middle.
    t = client.get(f"/api/v1/public/reports/{code[:5].lower()}-{code[5:]}")
    assert t.status_code == 200 and t.json()["code"] == code
    assert client.get("/api/v1/public/reports/ZZZZZZZZZZ").status_code == 404


def test_proof_of_work_is_required_single_use_and_checked(
    client: TestClient, submit: Submit, db: Session, settings: Settings
) -> None:
    r = submit(solve_pow=False)
    assert r.status_code == 422 and r.json()["code"] == "challenge_required"
    ch = client.get("/api/v1/public/challenge").json()
    assert ch["difficulty"] == 8
    bad = next(str(c) for c in range(1000) if not solves(ch["nonce"], str(c), 8))
    r = submit(solve_pow=False, challenge_nonce=ch["nonce"], challenge_counter=bad)
    assert r.status_code == 422 and r.json()["code"] == "challenge_unsolved"
    # A failed attempt spends the challenge too (issue 14): no second counter is verified.
    good = solve(ch["nonce"], 8)
    r = submit(solve_pow=False, challenge_nonce=ch["nonce"], challenge_counter=good)
    assert r.status_code == 422 and r.json()["code"] == "challenge_used"
    ch = client.get("/api/v1/public/challenge").json()
    good = solve(ch["nonce"], 8)
    assert (
        submit(solve_pow=False, challenge_nonce=ch["nonce"], challenge_counter=good).status_code
        == 201
    )
    r = submit(solve_pow=False, challenge_nonce=ch["nonce"], challenge_counter=good)
    assert r.status_code == 422 and r.json()["code"] == "challenge_used"
    r = submit(solve_pow=False, challenge_nonce="f" * 32, challenge_counter="1")
    assert r.status_code == 422 and r.json()["code"] == "challenge_unknown"
    # An expired challenge is refused even when solved.
    ch2 = client.get("/api/v1/public/challenge").json()
    row = db.get(PowChallenge, ch2["nonce"])
    assert row is not None
    row.expires_at = row.expires_at.replace(year=2000)
    db.flush()
    r = submit(
        solve_pow=False, challenge_nonce=ch2["nonce"], challenge_counter=solve(ch2["nonce"], 8)
    )
    assert r.status_code == 422 and r.json()["code"] == "challenge_used"


def test_bad_input_is_a_clear_4xx_and_nothing_is_written(
    client: TestClient, submit: Submit, db: Session
) -> None:
    def count() -> int:
        return int(db.scalar(select(func.count()).select_from(PublicReport)) or 0)

    before = count()
    r = submit(point=IN_MEISHAN)
    assert r.status_code == 422 and "outside" in r.json()["detail"]
    r = submit(category="ufo")
    assert r.status_code == 422 and "category" in r.json()["detail"]
    r = submit(description="   ")
    assert r.status_code == 422 and "description" in r.json()["detail"]
    r = submit(contact="call me maybe")
    assert r.status_code == 422 and r.json()["field"] == "contact"
    r = submit(photos=[b"GIF89a not a photo"])
    assert r.status_code == 415
    r = submit(photos=[png((1, 1, 1)), png((2, 2, 2)), png((3, 3, 3)), png((4, 4, 4))])
    assert r.status_code == 422 and "at most 3" in r.json()["detail"]
    assert count() == before


def test_photos_are_stored_size_limited_and_a_resent_photo_is_refused(
    client: TestClient,
    submit: Submit,
    db: Session,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    r = submit(photos=[png((10, 20, 30)), png((40, 50, 60))])
    assert r.status_code == 201, r.text
    report = db.scalar(select(PublicReport).where(PublicReport.code == r.json()["code"]))
    assert report is not None
    photos = db.scalars(
        select(PublicReportPhoto).where(PublicReportPhoto.report_id == report.id)
    ).all()
    assert len(photos) == 2
    assert all((Path(settings.media_dir) / p.path).is_file() for p in photos)
    r = submit(photos=[png((10, 20, 30))])
    assert r.status_code == 409 and r.json()["code"] == "duplicate_photo"
    monkeypatch.setattr(settings, "photo_max_bytes", 100)
    r = submit(photos=[png((70, 80, 90))])
    assert r.status_code == 413 and r.json()["limit"] == 100


def test_the_n_plus_first_report_from_one_address_gets_429(
    client: TestClient, submit: Submit, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "public_report_limit", 3)
    for _ in range(3):
        assert submit().status_code == 201
    r = submit()
    assert r.status_code == 429, r.text
    retry = int(r.headers["Retry-After"])
    assert 0 < retry <= settings.public_report_window_minutes * 60
    assert "address" in r.json()["detail"]


def test_per_contact_limit_holds_across_addresses(
    submit: Submit, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "public_contact_limit", 2)
    assert submit(contact="someone@example.org").status_code == 201
    # The same address written differently is the same contact.
    assert submit(contact=" SomeOne@Example.org ").status_code == 201
    r = submit(contact="someone@example.org")
    assert r.status_code == 429 and "contact" in r.json()["detail"]
    assert submit(contact="other@example.org").status_code == 201


def test_guessing_tracking_codes_is_rate_limited(
    client: TestClient, submit: Submit, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "public_report_limit", 1)  # 20 unknown codes per window
    code = submit().json()["code"]
    for n in range(20):
        assert client.get(f"/api/v1/public/reports/ZZZZZZZZ{n:02d}").status_code == 404
    assert client.get(f"/api/v1/public/reports/{code}").status_code == 429
    assert client.get("/api/v1/public/reports/ZZZZZZZZ99").status_code == 429
