"""The compliance rows as an .xlsx workbook (zh-CN headers) for the office's report."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from service import xlsxsafe
from service.patrols.schemas import ComplianceRow

XLSX_HEADERS = (
    ("official_id", "官员编号"),
    ("name", "姓名"),
    ("role", "角色"),
    ("level", "级别"),
    ("rule", "巡河要求"),
    ("required_total", "全年应巡（次）"),
    ("required_per_half", "每半年应巡（次）"),
    ("h1", "上半年（次）"),
    ("h2", "下半年（次）"),
    ("total", "全年合计（次）"),
    ("coverage", "责任河段巡河覆盖率"),
    ("compliant", "是否达标"),
    ("missing", "尚缺"),
)
ROLE_ZH = {"general_chief": "市总河长", "river_chief": "河长"}
LEVEL_ZH = {"city": "市级", "county": "县级", "township": "乡级", "village": "村级"}
WIDTHS = (10, 10, 10, 8, 40, 14, 16, 12, 12, 14, 18, 10, 50)


def compliance_xlsx(rows: list[ComplianceRow], year: int) -> bytes:
    """The rows with zh-CN headers, one sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{year}年巡河履职"
    ws.append([zh for _key, zh in XLSX_HEADERS])
    for row in rows:
        values: list[Any] = []
        for key, _zh in XLSX_HEADERS:
            value: Any = getattr(row, key)
            if key == "role":
                value = ROLE_ZH.get(value, value)
            elif key == "level":
                value = LEVEL_ZH.get(value, value)
            elif key == "compliant":
                value = "是" if value else "否"
            elif key == "missing":
                value = "; ".join(value)
            values.append(value)
        ws.append(values)
    for column, width in zip("ABCDEFGHIJKLM", WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    return xlsxsafe.save(wb)
