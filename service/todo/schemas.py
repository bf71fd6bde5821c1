"""API shapes of the personal to-do list."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class TodoItem(BaseModel):
    """One thing to do: ``due_date`` is the last day it may be done (ISO date)."""

    key: str = Field(description="stable id of the item (reminders refer to it)")
    kind: str = Field(
        description="patrol_half, patrol_year, meeting_chair, minutes_approve, "
        "action_item, action_item_verify, problem_assigned, problem_verify, "
        "patrol_organise, report_moderate, problem_overdue, "
        "action_item_overdue, problem_reported, water_quality"
    )
    title: str
    due_date: date
    link: str = Field(description="where it is done (a page of this site)")
    overdue: bool
    reminded: bool = Field(False, description="a reminder was recorded for it this week")


class ReminderOut(BaseModel):
    item_key: str
    kind: str
    title: str
    due_date: date
    link: str
    overdue: bool
    remind_on: date
    sent: bool = Field(description="a daily digest carrying it was delivered")


class TodoOut(BaseModel):
    """我的待办: items earliest due first, and the reminders recorded this week."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role": "chief",
                    "today": "2026-11-29",
                    "items": [
                        {
                            "key": "patrol:3:2026",
                            "kind": "patrol_year",
                            "title": "2026年还需巡河 2 次（全年至少 3 次，已巡 1 次）",
                            "due_date": "2026-12-31",
                            "link": "/#patrols",
                            "overdue": False,
                            "reminded": False,
                        }
                    ],
                    "reminders": [],
                }
            ]
        }
    )

    role: str
    today: date
    items: list[TodoItem]
    reminders: list[ReminderOut]
