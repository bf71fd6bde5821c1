"""The problem workflow (issue 4), declared once for the engine in ``service.workflow``.

| action | from -> to | who |
|---|---|---|
| assign | reported / reopened -> assigned (county or unit, due date) | office, liaison |
| start | assigned -> rectifying | the assigned county or unit, office |
| rectified | rectifying -> rectified (evidence: note, photos) | the assigned county/unit, office |
| verify | rectified -> verified | office, liaison |
| reject | rectified -> rectifying (reason) | office, liaison |
| close | verified -> closed | office |
| close_not_fixed | any open state -> closed_not_fixed (reason) | office |
| mark_duplicate | reported -> duplicate (of another problem) | office |
| reopen | closed / closed_not_fixed -> reopened | office |

A liaison account acts only on problems of rivers its unit is responsible for (the unit
recorded when the problem was routed) or assigned to its unit: the seed (§8, §15) gives the
liaison unit the follow-up of its chief's rivers, not of every river.
"""

from __future__ import annotations

from typing import Any

from service.workflow import ASSIGNEE, NOTE, Actor, Transition, Workflow, is_assignee

STATE_LABELS = {
    "reported": "已上报",
    "assigned": "已交办",
    "rectifying": "整改中",
    "rectified": "整改完成",
    "verified": "复核通过",
    "closed": "已销号",
    "closed_not_fixed": "未整改关闭",
    "duplicate": "重复",
    "reopened": "重新打开",
}
ACTION_LABELS = {
    "report": "上报",
    "assign": "交办",
    "start": "开始整改",
    "rectified": "整改完成",
    "verify": "复核通过",
    "reject": "复核不通过",
    "close": "销号",
    "close_not_fixed": "未整改关闭",
    "mark_duplicate": "标记重复",
    "reopen": "重新打开",
    # A history row that changes no state (``Workflow.record``): the problem is chased (督办).
    "supervise": "督办",
}
OPEN_STATES = frozenset({"reported", "assigned", "rectifying", "rectified", "verified", "reopened"})
#: The due date stops running once the problem is rectified (or closed / a duplicate).
DONE_STATES = frozenset({"rectified", "verified", "closed", "closed_not_fixed", "duplicate"})
OFFICE = frozenset({"office"})


def is_responsible_liaison(problem: Any, actor: Actor) -> bool:
    """A liaison account of the unit responsible for the problem's river (or assigned to it)."""
    if actor.role != "liaison" or actor.liaison_unit_id is None:
        return False
    return actor.liaison_unit_id in (problem.liaison_unit_id, problem.assignee_unit_id)


def _s(*states: str) -> frozenset[str]:
    return frozenset(states)


PROBLEM_FLOW = Workflow(
    entity_type="problem",
    states=tuple(STATE_LABELS),
    initial="reported",
    initial_action="report",
    open_states=OPEN_STATES,
    done_states=DONE_STATES,
    state_labels=STATE_LABELS,
    transitions=(
        Transition(
            "assign",
            _s("reported", "reopened"),
            "assigned",
            roles=OFFICE,
            guards=(is_responsible_liaison,),
            requires=_s(ASSIGNEE),
            assigns=True,
            label=ACTION_LABELS["assign"],
        ),
        Transition(
            "start",
            _s("assigned"),
            "rectifying",
            roles=OFFICE,
            guards=(is_assignee,),
            label=ACTION_LABELS["start"],
        ),
        Transition(
            "rectified",
            _s("rectifying"),
            "rectified",
            roles=OFFICE,
            guards=(is_assignee,),
            requires=_s(NOTE),
            label=ACTION_LABELS["rectified"],
        ),
        Transition(
            "verify",
            _s("rectified"),
            "verified",
            roles=OFFICE,
            guards=(is_responsible_liaison,),
            label=ACTION_LABELS["verify"],
        ),
        Transition(
            "reject",
            _s("rectified"),
            "rectifying",
            roles=OFFICE,
            guards=(is_responsible_liaison,),
            requires=_s(NOTE),
            label=ACTION_LABELS["reject"],
        ),
        Transition("close", _s("verified"), "closed", roles=OFFICE, label=ACTION_LABELS["close"]),
        Transition(
            "close_not_fixed",
            OPEN_STATES,
            "closed_not_fixed",
            roles=OFFICE,
            requires=_s(NOTE),
            label=ACTION_LABELS["close_not_fixed"],
        ),
        Transition(
            "mark_duplicate",
            _s("reported"),
            "duplicate",
            roles=OFFICE,
            requires=_s("duplicate_of"),
            label=ACTION_LABELS["mark_duplicate"],
        ),
        Transition(
            "reopen",
            _s("closed", "closed_not_fixed"),
            "reopened",
            roles=OFFICE,
            clears_assignment=True,
            label=ACTION_LABELS["reopen"],
        ),
    ),
)
