"""The annual assessment's score sheet (考核评分表): items, maximum points, how computed.

§16: the office assesses every county each year; §15: inspection findings' rectification is
an important reference; §21: reminders, circulars and admonitions are deductions; §19:
counties that do well get incentives. The sheet is configuration: the built-in one below, or
a JSON file of the same shape named by ``RIVERCHIEF_ASSESSMENT_SHEET``. ``method`` names the
computation (``service.governance.assessment.compute``); ``manual`` items are entered by the
assessors. Where the base of a computed item is empty (no problems to rectify), the county
gets the full points: nothing was asked of it (the usual rule in Sichuan score sheets).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

METHODS = (
    "patrol_compliance",
    "rectification_on_time",
    "overdue_problems",
    "action_items_done",
    "inspection_findings",
    "manual",
    "deductions",
    "commendations",
)


@dataclass(frozen=True)
class SheetItem:
    code: str
    label: str
    method: str
    max: float
    params: dict[str, Any] = field(default_factory=dict)


DEFAULT_SHEET: tuple[SheetItem, ...] = (
    SheetItem("patrol_compliance", "县乡村级河长巡河履职", "patrol_compliance", 20),
    SheetItem("rectification_on_time", "问题按时整改率", "rectification_on_time", 25),
    SheetItem("overdue_problems", "逾期未整改问题", "overdue_problems", 15, {"per_problem": 2}),
    SheetItem("action_items_done", "会议议定事项落实", "action_items_done", 15),
    SheetItem("inspection_findings", "督查发现问题整改", "inspection_findings", 10),
    SheetItem("plans_and_lists", "一河一策及四张清单任务落实", "manual", 10),
    SheetItem("publicity", "宣传引导与社会监督", "manual", 5),
    SheetItem(
        "deductions",
        "提示、通报、约谈扣分",
        "deductions",
        0,
        {"reminder": 1, "circular": 2, "admonition": 3, "cap": 20},
    ),
    SheetItem(
        "commendations",
        "表彰、表扬、激励加分",
        "commendations",
        5,
        {"commendation": 2, "praise": 1, "incentive": 1},
    ),
)


@cache
def load_sheet(path: str | None) -> tuple[SheetItem, ...]:
    if not path:
        return DEFAULT_SHEET
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    items = tuple(SheetItem(**i) for i in raw["items"])
    for item in items:
        if item.method not in METHODS:
            raise ValueError(f"score sheet item {item.code}: unknown method {item.method!r}")
    return items
