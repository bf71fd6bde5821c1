"""API shapes of public supervision. The public ones name every field they carry (an
allow-list): the contact, the sender and the exact place never appear in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.inputs import InputModel

PublicStatus = Literal[
    "pending", "accepted", "assigned", "rectifying", "closed", "closed_not_fixed", "rejected"
]


class ErrorOut(BaseModel):
    """A refused request: ``detail`` says what is wrong (a message, or FastAPI's list of
    field errors); ``code``/``field`` and the like add machine-readable context."""

    model_config = ConfigDict(extra="allow")
    detail: Any


#: Documented on routes whose 422 comes from domain checks as well as from FastAPI's parsing.
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "invalid input (the detail says what)"}
}
ReportState = Literal["pending", "accepted", "merged", "rejected"]


class ChallengeOut(BaseModel):
    """Find a decimal ``counter`` with ``sha256(nonce + counter)`` having ``difficulty``
    leading zero bits; send both with the report before ``expires_at``. Single use."""

    nonce: str
    difficulty: int
    expires_at: datetime
    algorithm: str = "sha256(nonce + counter), leading zero bits"


class PublicReply(BaseModel):
    body: str
    on: date


class TrackingOut(BaseModel):
    """公众举报办理进度: status in plain words (受理 / 已交办 / 整改中 / 已办结 / 未采纳)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "7KQ2MZ9XPA",
                    "status": "assigned",
                    "status_label": "已交办",
                    "reason": None,
                    "category": "garbage",
                    "category_label": "垃圾",
                    "county_name": "沙湾区",
                    "submitted_on": "2026-11-29",
                    "replies": [{"body": "已交沙湾区处理", "on": "2026-11-29"}],
                }
            ]
        }
    )

    code: str
    status: PublicStatus
    status_label: str
    reason: str | None = Field(None, description="why it was not taken up (未采纳)")
    category: str
    category_label: str
    county_name: str | None
    submitted_on: date
    replies: list[PublicReply]


class SubmittedOut(TrackingOut):
    """The tracking code: keep it to follow the report at /report#track=CODE."""


class Counts(BaseModel):
    received: int
    accepted: int = Field(description="accepted or merged into a known problem")
    rejected: int
    pending: int
    closed: int = Field(description="the linked problem was closed (销号)")
    median_days: float | None = Field(description="median days from report to closing")


class CountyCounts(Counts):
    code: str
    name: str


class StatsOut(Counts):
    """公众监督统计 (counts only)."""

    from_: date | None = Field(None, alias="from")
    to: date | None = None
    counties: list[CountyCounts]

    model_config = ConfigDict(populate_by_name=True)


class DuplicateProblem(BaseModel):
    id: int
    state: str | None
    category: str | None
    distance_m: float | None
    same_photo: bool


class DuplicateReport(BaseModel):
    id: int
    code: str
    category: str
    distance_m: float


class Duplicates(BaseModel):
    problems: list[DuplicateProblem]
    reports: list[DuplicateReport]


class ModerationItem(BaseModel):
    """A report as the office sees it (the contact included: staff only)."""

    id: int
    code: str
    state: str
    state_label: str
    public_status: PublicStatus
    public_status_label: str
    category: str
    category_label: str
    description: str
    lon: float
    lat: float
    datum: str
    input_lon: float
    input_lat: float
    county_code: str
    county_name: str | None
    contact: str | None
    submitted_at: datetime
    problem_id: int | None
    reject_reason: str | None
    photo_ids: list[int]
    reports_from_same_source: int
    duplicates: Duplicates


class AcceptIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(None, max_length=2000)


class MergeIn(InputModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"problem_id": 12}]})
    problem_id: int
    note: str | None = Field(None, max_length=2000)


class RejectIn(InputModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "经核实，该处为正常施工，已办理许可"}]},
    )
    reason: str = Field(max_length=2000, description="public: the reporter reads it")


class ReplyIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=2000)


class ModeratedOut(BaseModel):
    report: ModerationItem
    problem_id: int | None = None
