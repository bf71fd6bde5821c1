"""The yearly county assessment in the browser (issue 16, point 5): the office opens the
ranking and clicks through from a county's patrol item to the patrols it counted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, open_map, sign_in
from tests.browser.test_governance_meetings import open_governance

pytestmark = pytest.mark.browser

PATROL_ITEM = "县乡村级河长巡河履职"


def test_office_clicks_from_a_county_patrol_item_to_its_patrols(
    page: Any, live_server: LiveServer
) -> None:
    year = date.today().year
    result = live_server.api(f"/api/v1/assessments/{year}", "office")
    # The county whose patrol item counted the fewest patrols, at least three (one page).
    county, counted = min(
        (
            (c, {p for ch in c["items"][0]["evidence"]["chiefs"] for p in ch["patrol_ids"]})
            for c in result["counties"]
        ),
        key=lambda pair: len(pair[1]) if len(pair[1]) >= 3 else 10**6,
    )
    assert county["items"][0]["item"] == PATROL_ITEM and len(counted) >= 3
    points = county["items"][0]["points"]

    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    page.watch.expected_status.add(404)  # "not issued yet" is how the screen learns it
    screen = open_governance(page, "年度考核")
    ranking = screen.get_by_role("table", name=f"{year}年度各区县考核排名")
    expect(ranking.locator("tbody tr")).to_have_count(len(result["counties"]))
    first = ranking.locator("tbody tr").first
    expect(first).to_contain_text(result["counties"][0]["county_name"])

    screen.get_by_role("button", name=f"{county['county_name']} {PATROL_ITEM} {points:.1f}").click()
    evidence = screen.get_by_role("region", name="考核依据")
    expect(evidence).to_contain_text(f"{county['county_name']} · {PATROL_ITEM}")
    evidence.get_by_role("button", name=f"查看计入的巡河记录（{len(counted)} 次）").click()
    patrols = evidence.get_by_role("table", name=f"{county['county_name']}计入考核的巡河记录")
    rows = patrols.locator("tbody tr")
    expect(rows).to_have_count(len(counted))
    expect(evidence.get_by_role("status").last).to_contain_text(f"共 {len(counted)} 条")
    shown = {int(r.get_attribute("data-patrol")) for r in rows.all()}
    assert shown == counted
    one = live_server.api(f"/api/v1/patrols/{min(counted)}", "office")
    expect(patrols.locator(f"tr[data-patrol='{one['id']}']")).to_contain_text(one["chief_name"])
    page.watch.assert_clean()
