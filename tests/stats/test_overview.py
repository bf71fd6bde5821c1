"""The 驾驶舱 overview: every number equals what the list it links to gives back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.patrols.demo import generate
from service.problems.demo import load_demo_problems
from service.public.demo import load_demo_public

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def activity(db: Session) -> int:
    """Problems, public reports and a few patrols of last year (the demo's own steps)."""
    year = date.today().year - 1
    generate(db, year, 12, None, seed=17)
    load_demo_problems(db)
    load_demo_public(db)
    db.flush()
    return year


def _figures(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every Figure ({value, list, ...}) in the answer, with where it sits."""
    if isinstance(node, dict):
        if "value" in node and "list" in node:
            return [(path, node)]
        return [f for k, v in node.items() for f in _figures(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [f for i, v in enumerate(node) for f in _figures(v, f"{path}[{i}]")]
    return []


def _matches(props: dict[str, Any], where: dict[str, Any]) -> bool:
    return all(props.get(k) == v for k, v in where.items())


def _reproduce(client: TestClient, headers: dict[str, str], fig: dict[str, Any]) -> Any:
    """The number the figure's list gives back, read as the figure says."""
    response = client.get(fig["list"], headers=headers)
    assert response.status_code == 200, (fig["list"], response.text[:300])
    body = response.json()
    where, field = fig.get("where"), fig.get("field")
    if field and field.startswith("sum(covered_km)"):
        length = sum(r["length_km"] for r in body)
        return round(sum(r["covered_km"] for r in body) / length, 4) if length else None
    if field and field.startswith("median"):
        return None  # a median: checked against its list below
    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        items = [f["properties"] for f in body["features"]]
    elif isinstance(body, list):
        if where is None and field is None and "X-Total-Count" in response.headers:
            return int(response.headers["X-Total-Count"])
        items = body
    else:
        return body[field]
    if field == "coverage":
        (row,) = [i for i in items if _matches(i, where)]
        return row["coverage"]
    if field and field.startswith("distinct"):
        return len({r["river_id"] for i in items for r in i["rivers"]})
    return sum(_matches(i, where or {}) for i in items)


def _check_all(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> int:
    figures = _figures(body)
    checked = 0
    for where, fig in figures:
        expected = _reproduce(client, headers, fig)
        if expected is None:
            continue
        assert fig["value"] == pytest.approx(expected, abs=0.002), (where, fig)
        checked += 1
    return checked


def test_staff_overview_numbers_match_their_lists(
    client: TestClient, auth_headers: Headers, activity: int
) -> None:
    office = auth_headers("office")
    today = date.today()  # the demo's public reports are of this year
    period = f"from={activity}-01-01&to={today}"
    response = client.get(f"/api/v1/stats/overview?{period}", headers=office)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == f"{activity}-01-01" and body["public"] is False
    problems = body["problems"]
    assert problems["total"]["value"] > 20  # the demo's problems of that year
    assert sum(b["count"]["value"] for b in problems["by_state"]) == problems["total"]["value"]
    assert sum(b["count"]["value"] for b in problems["by_category"]) == problems["total"]["value"]
    months = body["patrols_by_month"]
    assert [m["month"] for m in months][:13] == [
        *(f"{activity}-{m:02d}" for m in range(1, 13)),
        f"{activity + 1}-01",
    ]
    assert months[-1]["month"] == today.strftime("%Y-%m") and months[-1]["to"] == str(today)
    assert sum(m["patrols"]["value"] for m in months) >= 12
    assert body["compliance"]["year"] == today.year and body["compliance"]["levels"]
    assert any(r["coverage"]["value"] > 0 for r in body["coverage_rivers"])
    assert body["cross_boundary"]["neighbors"]["value"] >= 1
    assert body["public_reports"]["received"]["value"] >= 1
    checked = _check_all(client, office, body)
    assert checked > 60
    # The median is of the closed list's days from report to closing.
    closed = problems["closed"]
    assert closed["value"] > 0 and problems["median_days_to_close"]["value"] > 0
    assert problems["closure_rate"] == round(closed["value"] / problems["total"]["value"], 4)


def test_public_overview_shows_public_figures_only(
    client: TestClient, auth_headers: Headers, activity: int
) -> None:
    period = f"from={activity}-01-01&to={activity}-12-31"
    anonymous = client.get(f"/api/v1/stats/overview?{period}")
    assert anonymous.status_code == 200, anonymous.text
    body = anonymous.json()
    assert body["public"] is True
    assert body["compliance"] is None and body["patrols_by_month"] is None
    assert all("problems.geojson" in f["list"] for _, f in _figures(body["problems"]))
    assert _check_all(client, {}, body) > 30
    # Staff asking for the public variant get the same public numbers.
    staff = client.get(f"/api/v1/stats/overview?{period}&public=1", headers=auth_headers("office"))
    assert staff.json()["problems"] == body["problems"]
    # The public never sees covert checks or duplicates: fewer problems than the office.
    office = client.get(f"/api/v1/stats/overview?{period}", headers=auth_headers("office"))
    assert body["problems"]["total"]["value"] < office.json()["problems"]["total"]["value"]


def test_overview_period_is_bounded(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")
    reversed_ = client.get("/api/v1/stats/overview?from=2025-05-01&to=2025-04-01", headers=office)
    assert reversed_.status_code == 422 and reversed_.json()["code"] == "empty_period"
    long = client.get("/api/v1/stats/overview?from=2020-01-01&to=2025-12-31", headers=office)
    assert long.status_code == 422 and long.json()["code"] == "period_too_long"
    short = client.get("/api/v1/stats/overview?from=2025-05-01&to=2025-05-03")
    assert short.status_code == 422 and short.json()["code"] == "period_too_short"
    far = client.get("/api/v1/stats/overview?from=1900-01-01", headers=office)
    assert far.status_code == 422


def test_dashboard_page_is_served(client: TestClient) -> None:
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "/static/js/dashboard/main.js" in page.text
