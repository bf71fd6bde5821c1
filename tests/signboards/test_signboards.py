"""公示牌 (issue 19): the registry, the QR code and its public page, the printable board, and
a board going out of date when a chief changes through the API."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.reaches.models import Reach
from service.rivers.models import River
from service.settings import get_settings
from service.signboards.demo import load_demo_signboards
from service.signboards.models import Signboard
from service.timeutil import today_local

BASE = "https://hz.leshan.example.cn"


@pytest.fixture
def shawan(db: Session) -> Reach:
    """大渡河's county reach in 沙湾区."""
    reach = db.scalar(
        select(Reach)
        .join(River, River.id == Reach.river_id)
        .where(
            River.name == "大渡河",
            Reach.level == "county",
            Reach.admin_code == "511111",
            Reach.valid_to.is_(None),
        )
        .order_by(Reach.from_m)
    )
    assert reach is not None
    return reach


@pytest.fixture
def base_url(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(get_settings(), "public_base_url", BASE)
    return BASE


def _board(client, office, reach: Reach, number: str = "511111-T01") -> dict:
    r = client.post(
        "/api/v1/signboards",
        json={"reach_id": reach.id, "number": number, "installed_on": "2026-03-01"},
        headers=office,
    )
    assert r.status_code == 201, r.text
    return r.json()


def _listed(client, headers, board_id: int) -> dict:
    r = client.get("/api/v1/signboards", headers=headers)
    assert r.status_code == 200
    return next(b for b in r.json() if b["id"] == board_id)


def test_qr_opens_the_page_naming_the_chiefs_and_a_change_marks_the_board(
    client, db, shawan, auth_headers, base_url
) -> None:
    office = auth_headers("office")
    board = _board(client, office, shawan)
    listed = _listed(client, auth_headers("county"), board["id"])
    assert listed["reach_id"] == shawan.id and listed["print_status"] == "never_printed"

    png = client.get(f"/api/v1/signboards/{board['id']}/qr.png", headers=office)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [d.text for d in decoded] == [f"{BASE}/r/{shawan.code}"]

    chiefs = client.get(f"/api/v1/reaches/{shawan.id}").json()["chiefs"]
    assert chiefs, "the demo's county reach has a county chief"
    old = chiefs[0]
    page = client.get(urlparse(decoded[0].text).path)  # anonymous, as a phone scanning it
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert old["name"] in page.text and "大渡河" in page.text
    # The chain above: the city reach's municipal chief is on the board too.
    city = client.get(f"/api/v1/reaches/{shawan.parent_id}").json()["chiefs"]
    assert city and city[0]["name"] in page.text
    assert f"/report?reach={shawan.code}" in page.text and ">举报<" in page.text

    pdf = client.get(f"/api/v1/signboards/{board['id']}/print.pdf", headers=office)
    assert pdf.status_code == 200, pdf.text
    assert _listed(client, office, board["id"])["print_status"] == "current"

    # A new county chief from today, through the API.
    today = today_local()
    new = client.post(
        "/api/v1/officials", json={"name": "测试新河长", "title": "沙湾区副区长"}, headers=office
    ).json()
    r = client.post(
        f"/api/v1/assignments/{old['assignment_id']}/end",
        json={"valid_to": (today - timedelta(days=1)).isoformat()},
        headers=office,
    )
    assert r.status_code == 200, r.text
    r = client.post(
        "/api/v1/assignments",
        json={
            "reach_id": shawan.id,
            "official_id": new["id"],
            "role": "river_chief",
            "level": "county",
            "valid_from": today.isoformat(),
        },
        headers=office,
    )
    assert r.status_code == 201, r.text

    page = client.get(f"/r/{shawan.code}")
    assert "测试新河长" in page.text and "沙湾区副区长" in page.text
    assert old["name"] not in page.text
    listed = _listed(client, office, board["id"])
    assert listed["out_of_date"] is True and listed["print_status"] == "out_of_date"
    stale = client.get("/api/v1/signboards?status=out_of_date", headers=office).json()
    assert board["id"] in [b["id"] for b in stale]
    # Reprinted: current again.
    client.get(f"/api/v1/signboards/{board['id']}/print.pdf?paper=A3", headers=office)
    listed = _listed(client, office, board["id"])
    assert listed["print_status"] == "current" and listed["last_printed_paper"] == "A3"


def test_print_pdf_embeds_the_chinese_font(client, shawan, auth_headers, base_url) -> None:
    office = auth_headers("office")
    board = _board(client, office, shawan)
    r = client.get(f"/api/v1/signboards/{board['id']}/print.pdf", headers=office)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(r.content))
    page = reader.pages[0]
    assert abs(float(page.mediabox.width) - 595.28) < 1  # A4 portrait, points
    fonts = page["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        for desc in font.get("/DescendantFonts", [font]):
            d = desc.get_object().get("/FontDescriptor")
            if d is not None and "/FontFile2" in d.get_object():
                embedded.append(str(font["/BaseFont"]))
    assert any("WenQuanYi" in name for name in embedded), embedded
    text = page.extract_text()
    for expected in (
        "河长公示牌",
        "大渡河",
        shawan.name,
        "监督电话",
        get_settings().supervision_phone,
    ):
        assert expected in text, expected
    a3 = client.get(f"/api/v1/signboards/{board['id']}/print.pdf?paper=A3", headers=office)
    assert abs(float(PdfReader(io.BytesIO(a3.content)).pages[0].mediabox.width) - 841.89) < 1


def test_registry_edits_and_refusals(client, db, shawan, auth_headers) -> None:
    office = auth_headers("office")
    board = _board(client, office, shawan)
    # Numbers are unique; points far from the reach are refused; the public may not write.
    r = client.post(
        "/api/v1/signboards", json={"reach_id": shawan.id, "number": "511111-T01"}, headers=office
    )
    assert r.status_code == 409 and r.json()["code"] == "signboard_number_taken"
    r = client.post(
        "/api/v1/signboards",
        json={"reach_id": shawan.id, "number": "X2", "lon": 104.5, "lat": 30.5},
        headers=office,
    )
    assert r.status_code == 422 and r.json()["code"] == "point_off_reach"
    assert db.scalar(select(Signboard).where(Signboard.number == "X2")) is None
    r = client.post(
        "/api/v1/signboards",
        json={"reach_id": shawan.id, "number": "X3", "colour": "red"},
        headers=office,
    )
    assert r.status_code == 422
    r = client.post("/api/v1/signboards", json={"reach_id": shawan.id, "number": "X4"})
    assert r.status_code == 401
    r = client.post(
        "/api/v1/signboards",
        json={"reach_id": shawan.id, "number": "X5"},
        headers=auth_headers("county"),
    )
    assert r.status_code == 403
    assert client.get("/api/v1/signboards").status_code == 401
    r = client.patch(
        f"/api/v1/signboards/{board['id']}",
        json={"number": "511111-T09", "lon": board["lon"], "lat": board["lat"], "note": "桥头"},
        headers=office,
    )
    assert r.status_code == 200, r.text
    assert r.json()["number"] == "511111-T09" and r.json()["note"] == "桥头"
    assert client.get("/r/000000000000").status_code == 404
    assert client.get("/r/abc").status_code == 404


def test_demo_puts_a_printed_board_at_each_county_reach(db: Session) -> None:
    made = load_demo_signboards(db)
    county = db.scalars(
        select(Reach.id).where(Reach.level == "county", Reach.valid_to.is_(None))
    ).all()
    boards = db.scalars(select(Signboard).where(Signboard.is_demo)).all()
    assert made["signboards"] == len(county) > 0
    assert sorted(b.reach_id for b in boards) == sorted(county)
    assert load_demo_signboards(db)["signboards"] == 0  # idempotent
