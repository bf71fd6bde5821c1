"""The assessment as a workbook: a ranking sheet and an evidence sheet."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font


def workbook(data: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考核排名"
    counties = data["counties"]
    labels = [i["item"] for i in counties[0]["items"]] if counties else []
    ws.append([f"{data['year']}年度河湖长制工作考核得分"])
    ws["A1"].font = Font(size=14, bold=True)
    ws.append(
        [
            "名次",
            "县（市、区）",
            "行政区划代码",
            "总分",
            *[
                f"{lab}（{i['max']:g}）"
                for lab, i in zip(labels, counties[0]["items"], strict=True)
            ],
        ]
        if counties
        else []
    )
    for c in counties:
        ws.append(
            [
                c["rank"],
                c["county_name"],
                c["county_code"],
                c["score"],
                *[i["points"] for i in c["items"]],
            ]
        )
    for col in ws.iter_cols(min_row=2, max_row=2):
        col[0].font = Font(bold=True)
        col[0].alignment = Alignment(wrap_text=True)
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
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
