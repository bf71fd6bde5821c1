"""The decided-item machine (§4, §5, §8) and the minutes' one, on the shared engine.

Decided items: assigned (交办, with a due date) → supervised (督办: the organiser takes it up
and notifies the assignee) → in_progress (progress updates, repeatable) → done (the assignee,
with a note) → verified (复核 by the organiser; or rejected back to in_progress) → reported
(报告 to the chief who chaired). Overdue: past due and not yet done.
"""

from __future__ import annotations

from typing import Any

from service.governance.docflow import doc_workflow
from service.workflow import NOTE, Actor, Transition, Workflow, is_assignee

MINUTES_FLOW = doc_workflow("minutes")


def is_supervisor(entity: Any, actor: Actor) -> bool:
    """The liaison unit that organised the meeting supervises its items (§8)."""
    return (
        actor.role == "liaison"
        and actor.liaison_unit_id is not None
        and entity.supervisor_unit_id == actor.liaison_unit_id
    )


OFFICE = frozenset({"office"})
ACTION_ITEM_FLOW = Workflow(
    entity_type="action_item",
    states=("assigned", "supervised", "in_progress", "done", "verified", "reported"),
    initial="assigned",
    initial_action="assign",
    open_states=frozenset({"assigned", "supervised", "in_progress", "done"}),
    done_states=frozenset({"done", "verified", "reported"}),
    state_labels={
        "assigned": "已交办",
        "supervised": "督办中",
        "in_progress": "落实中",
        "done": "已完成",
        "verified": "已复核",
        "reported": "已报告",
    },
    transitions=(
        Transition(
            "supervise",
            frozenset({"assigned"}),
            "supervised",
            roles=OFFICE,
            guards=(is_supervisor,),
            label="督办",
        ),
        Transition(
            "progress",
            frozenset({"supervised", "in_progress"}),
            "in_progress",
            roles=OFFICE,
            guards=(is_assignee,),
            requires=frozenset({NOTE}),
            label="进展报送",
        ),
        Transition(
            "done",
            frozenset({"supervised", "in_progress"}),
            "done",
            roles=OFFICE,
            guards=(is_assignee,),
            requires=frozenset({NOTE}),
            label="办结",
        ),
        Transition(
            "reject",
            frozenset({"done"}),
            "in_progress",
            roles=OFFICE,
            guards=(is_supervisor,),
            requires=frozenset({NOTE}),
            label="复核不通过",
        ),
        Transition(
            "verify",
            frozenset({"done"}),
            "verified",
            roles=OFFICE,
            guards=(is_supervisor,),
            label="复核",
        ),
        Transition(
            "report",
            frozenset({"verified"}),
            "reported",
            roles=OFFICE,
            guards=(is_supervisor,),
            label="报告河长",
        ),
    ),
)
