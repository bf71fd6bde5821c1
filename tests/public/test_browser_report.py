"""Done-when, in a real browser: an anonymous report on a phone-size page gets a tracking
code; the office accepts it; it is a routed problem; when the problem closes, the tracking
page says so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.public.conftest import BESIDE_DADU, LiveServer, PageWatch, png

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A phone: 390x844 CSS px, touch, zh-CN, its GPS 56 m from 大渡河 in 沙湾区."""
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers="block",
        geolocation={"longitude": BESIDE_DADU[0], "latitude": BESIDE_DADU[1]},
        permissions=["geolocation"],
    )
    page = ctx.new_page()
    page.watch = PageWatch(page, live_server.url)
    yield page
    ctx.close()


def _post(live: LiveServer, path: str, user: str, body: dict[str, Any] | None = None) -> Any:
    r = httpx.post(
        f"{live.url}{path}",
        json=body or {},
        timeout=30,
        headers={"Authorization": f"Bearer {live.token(user)}"},
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_anonymous_phone_report_is_accepted_routed_and_closed(
    phone: Any, browser: Any, live_server: LiveServer
) -> None:
    page = phone
    page.goto(live_server.url + "/report")
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    # Phone-size: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#btn-locate")
    expect(page.locator("#pos-text")).to_have_text("29.33960, 103.62620")
    page.select_option("#in-category", "garbage")
    page.fill("#in-description", "桥下河岸堆放大量生活垃圾")
    page.fill("#in-contact", "13811112222")
    page.set_input_files(
        "#in-photos", [{"name": "river.png", "mimeType": "image/png", "buffer": png((30, 120, 60))}]
    )
    page.click("#btn-submit")
    code_el = page.locator("#tracking-code")
    code_el.wait_for(timeout=30000)
    code = code_el.inner_text().strip()
    assert len(code) == 10 and code.isalnum()

    # The office, signed in on the map in its own browser, accepts it on the report page's
    # moderation tab (the contact is shown there, to staff only).
    office = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", service_workers="block"
    )
    try:
        desk = office.new_page()
        desk.watch = PageWatch(desk, live_server.url)
        desk.goto(live_server.url + "/report")
        desk.evaluate(
            "t => sessionStorage.setItem('riverchief.token', t)", live_server.token("office")
        )
        desk.goto(live_server.url + "/report#moderate")
        desk.reload()  # a fragment change does not re-run the page's start-up
        desk.wait_for_selector("body[data-ready='1']", timeout=20000)
        card = desk.locator(f"li.mod-item[data-code='{code}']")
        expect(card).to_contain_text("13811112222")
        expect(card.locator("img.thumb")).to_have_count(1)
        card.locator("button.accept").click()
        expect(card.locator("[role=status]")).to_contain_text("已处理：问题 #")
        pid = int(card.locator("[role=status]").inner_text().split("#")[1])
        desk.watch.assert_clean()
    finally:
        office.close()
    problem = live_server.api(f"/api/v1/problems/{pid}", user="office")
    assert problem["river_name"] == "大渡河" and problem["county_code"] == "511111"

    page.click("#tracking-link")
    expect(page.locator("#track-status")).to_have_text("受理")
    for action, fields in (
        ("assign", {"assignee_county": "511111"}),
        ("start", {}),
        ("rectified", {"note": "垃圾已清运"}),
        ("verify", {}),
        ("close", {}),
    ):
        _post(
            live_server,
            f"/api/v1/problems/{pid}/transitions",
            "office",
            {"action": action, **fields},
        )
    page.reload()
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    expect(page.locator("#track-status")).to_have_text("已办结")
    assert "13811112222" not in page.content()
    page.watch.assert_clean()
