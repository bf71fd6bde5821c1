"""A small generic workflow engine: declared states and transitions, history as rows.

Used by problems (``service.problems.workflow``) and meant for any entity that is assigned,
worked on and closed (meeting decided items, ...). One history table, ``workflow_event``,
keyed by ``(entity_type, entity_id, seq)``; the entity caches its current state.

How another entity uses it::

    # models.py: the entity gets state / assignee_county / assignee_unit_id / due_date /
    # state_changed_at columns from the mixin (add them in your migration too).
    class ActionItem(WorkflowMixin, Base):
        __tablename__ = "action_item"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        ...

    # workflow.py: declare the machine once.
    ACTION_ITEM_FLOW = Workflow(
        entity_type="action_item",
        states=("assigned", "in_progress", "done", "verified"),
        initial="assigned",
        initial_action="create",
        open_states=frozenset({"assigned", "in_progress", "done"}),
        done_states=frozenset({"done", "verified"}),
        transitions=(
            Transition("start", frozenset({"assigned"}), "in_progress",
                       roles=frozenset({"office"}), guards=(is_assignee,)),
            Transition("done", frozenset({"in_progress"}), "done",
                       roles=frozenset({"office"}), guards=(is_assignee,),
                       requires=frozenset({NOTE})),
            Transition("verify", frozenset({"done"}), "verified", roles=frozenset({"office"})),
        ),
    )

    # service.py
    item = ActionItem(..., assignee_unit_id=unit_id, due_date=due)
    session.add(item); session.flush()
    ACTION_ITEM_FLOW.start(session, item, user, note="会议议定")       # history row 1
    ACTION_ITEM_FLOW.apply(session, item, "start", user, note="...")   # 409 / 403 / 422 or a row
    ACTION_ITEM_FLOW.history(session, [item.id])[item.id]              # ordered events
    select(ActionItem).where(ACTION_ITEM_FLOW.overdue(ActionItem, today_local()))

Errors: an action impossible from the current state raises ``Conflict`` (409) whoever asks;
possible but not for this caller ``Forbidden`` (403); both carry ``allowed_actions`` (for the
caller) and ``possible_actions`` (from the state) in the JSON body. Missing required fields
raise ``InvalidInput`` (422). ``SystemActor`` acts without an account (demo loaders).
"""

from service.workflow.engine import (
    ASSIGNEE,
    DUE_DATE,
    NOTE,
    Actor,
    SystemActor,
    Transition,
    Workflow,
    is_assignee,
)
from service.workflow.models import WorkflowEvent, WorkflowMixin

__all__ = [
    "ASSIGNEE",
    "DUE_DATE",
    "NOTE",
    "Actor",
    "SystemActor",
    "Transition",
    "Workflow",
    "WorkflowEvent",
    "WorkflowMixin",
    "is_assignee",
]
