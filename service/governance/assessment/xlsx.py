"""The assessment as a workbook: a ranking sheet and an evidence sheet."""

from __future__ import annotations

import json
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from service import xlsxsafe


def workbook(data: dict[str, Any]) -> bytes:
    """Sheet 考核排名: rank, county, total and each item's points (its maximum in the header);
    sheet 计分依据: one row per county and item with the rule and the evidence as JSON."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考核排名"
    counties = data["counties"]
    sheet_items = counties[0]["items"] if counties else []
    ws.append([f"{data['year']}年度河湖长制工作考核得分"])
    ws["A1"].font = Font(size=14, bold=True)
    ws.append(
        ["名次", "县（市、区）", "行政区划代码", "总分"]
        + [f"{i['item']}（{i['max']:g}）" for i in sheet_items]
    )
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for c in counties:
        ws.append(
            [c["rank"], c["county_name"], c["county_code"], c["score"]]
            + [i["points"] for i in c["items"]]
        )
    ev = wb.create_sheet("计分依据")
    ev.append(["县（市、区）", "考核项目", "得分", "满分", "计分规则", "依据（计数与编号）"])
    for c in counties:
        for i in c["items"]:
            evidence = {k: v for k, v in i["evidence"].items() if k != "rule"}
            ev.append(
                [
                    c["county_name"],
                    i["item"],
                    i["points"],
                    i["max"],
                    i["evidence"].get("rule", ""),
                    json.dumps(evidence, ensure_ascii=False, default=str),
                ]
            )
    return xlsxsafe.save(wb)
