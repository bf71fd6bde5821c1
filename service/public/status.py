"""Moderation of public reports on the shared workflow engine, and the public status.

| action | from -> to | who |
|---|---|---|
| submit | (new) -> pending | anyone (row 1, no account) |
| accept | pending -> accepted (a new problem, routed by geography) | office |
| merge | pending -> merged (into an existing problem) | office |
| reject | pending -> rejected (public reason) | office |

Once accepted or merged, the public status is derived from the linked problem's state each
time it is read (never copied), so it follows every transition of the problem workflow.
"""

from __future__ import annotations

from service.public.models import REPORT_STATES
from service.workflow import NOTE, Transition, Workflow

OFFICE = frozenset({"office"})

PUBLIC_REPORT_FLOW = Workflow(
    entity_type="public_report",
    states=REPORT_STATES,
    initial="pending",
    initial_action="submit",
    open_states=frozenset({"pending"}),
    done_states=frozenset({"accepted", "merged", "rejected"}),
    state_labels={
        "pending": "待审核",
        "accepted": "已受理",
        "merged": "已合并",
        "rejected": "未采纳",
    },
    transitions=(
        Transition("accept", frozenset({"pending"}), "accepted", roles=OFFICE, label="受理"),
        Transition(
            "merge",
            frozenset({"pending"}),
            "merged",
            roles=OFFICE,
            requires=frozenset({"problem_id"}),
            label="合并",
        ),
        Transition(
            "reject",
            frozenset({"pending"}),
            "rejected",
            roles=OFFICE,
            requires=frozenset({NOTE}),
            label="不予采纳",
        ),
    ),
)

#: Public status code -> the plain words shown to the reporter (zh-CN).
PUBLIC_LABELS = {
    "pending": "已提交，待审核",
    "accepted": "受理",
    "assigned": "已交办",
    "rectifying": "整改中",
    "closed": "已办结",
    "closed_not_fixed": "已关闭（未整改）",
    "rejected": "未采纳",
}

#: Problem state -> public status code.
FROM_PROBLEM_STATE = {
    "reported": "accepted",
    "reopened": "accepted",
    "assigned": "assigned",
    "rectifying": "rectifying",
    "rectified": "rectifying",
    "verified": "rectifying",
    "closed": "closed",
    "closed_not_fixed": "closed_not_fixed",
}


def public_status(report_state: str, problem_state: str | None) -> str:
    """The public status code of a report in ``report_state`` linked to a problem in
    ``problem_state`` (the original's state when the problem was marked a duplicate)."""
    if report_state == "rejected":
        return "rejected"
    if report_state == "pending" or problem_state is None:
        return "pending" if report_state == "pending" else "accepted"
    return FROM_PROBLEM_STATE.get(problem_state, "accepted")
