"""drafted → approved → issued: documents issued in the name of the general chief office.

Minutes (§5, §8), the four lists and 一河一策 plans (§12) all follow it, on the shared
workflow engine (``service.workflow``), so every step is a ``workflow_event`` row. The engine
checks the state first (409 whoever asks) and the role (403); :func:`advance` then checks that
a chief approving is *the* chief responsible (403), and on issue allocates the document
number (乐总河长办发〔YYYY〕N号) and keeps it in the history row.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import Forbidden, InvalidInput
from service.governance.common import Actor
from service.governance.documents import issue_document
from service.timeutil import LOCAL_TZ, local_date, today_local
from service.workflow import NOTE, Transition, Workflow, WorkflowEvent, is_assignee

DOC_STATES = ("drafted", "approved", "issued")
STATE_LABELS = {"drafted": "起草中", "approved": "已审定", "issued": "已印发"}


def doc_workflow(entity_type: str) -> Workflow:
    """The drafted → approved → issued machine for one kind of document."""
    return Workflow(
        entity_type=entity_type,
        states=DOC_STATES,
        initial="drafted",
        initial_action="draft",
        open_states=frozenset({"drafted", "approved"}),
        done_states=frozenset({"issued"}),
        state_labels=STATE_LABELS,
        transitions=(
            # The drafting liaison unit (the entity's assignee) or the office revises a draft.
            Transition(
                "revise",
                frozenset({"drafted"}),
                "drafted",
                roles=frozenset({"office"}),
                guards=(is_assignee,),
                label="修改",
            ),
            # Which chief: checked in advance() (the chair, or the river's municipal chief).
            Transition(
                "approve",
                frozenset({"drafted"}),
                "approved",
                roles=frozenset({"chief"}),
                label="审定",
            ),
            Transition(
                "return",
                frozenset({"approved"}),
                "drafted",
                roles=frozenset({"chief"}),
                requires=frozenset({NOTE}),
                label="退回修改",
            ),
            Transition(
                "issue",
                frozenset({"approved"}),
                "issued",
                roles=frozenset({"office"}),
                label="印发",
            ),
        ),
    )


def local_noon(day: date) -> datetime:
    """The moment recorded for a step dated ``day`` (demo and back-dated records)."""
    return datetime.combine(day, time(12, 0), tzinfo=LOCAL_TZ)


def check_step_day(session: Session, flow: Workflow, entity: Any, on: date) -> None:
    """422 when ``on`` is after today or before the document's draft (its history row 1)."""
    today = today_local()
    if on > today:
        raise InvalidInput(
            f"on {on} is in the future (today is {today})", code="date_in_future", field="on"
        )
    drafted_at = session.scalar(
        select(WorkflowEvent.at).where(
            WorkflowEvent.entity_type == flow.entity_type,
            WorkflowEvent.entity_id == entity.id,
            WorkflowEvent.seq == 1,
        )
    )
    if drafted_at is not None and on < local_date(drafted_at):
        raise InvalidInput(
            f"on {on} is before the document was drafted ({local_date(drafted_at)})",
            code="date_before_draft",
            field="on",
        )


def advance(
    session: Session,
    flow: Workflow,
    entity: Any,
    action: str,
    actor: Actor,
    *,
    on: date,
    chief_id: int | None = None,
    note: str | None = None,
    title: str = "",
    kind: str = "other",
    is_synthetic: bool = False,
    backdate: bool = False,
) -> None:
    """Take ``action`` on a document; ``chief_id`` is who must approve or return it.

    ``on`` (the day the step is recorded for) may be neither in the future nor before the
    document was drafted (issue 14: a replaced chief back-dating an approval to a day they
    were still in office). Who ``chief_id`` is the caller decides: the chief responsible
    today, except for the demo's back-dated history.
    """
    flow.check(entity, action, actor, note=note)
    check_step_day(session, flow, entity, on)
    if action in ("approve", "return") and (
        actor.official_id is None or actor.official_id != chief_id
    ):
        raise Forbidden(
            "only the responsible chief may approve or return this",
            state=entity.state,
            allowed_actions=[],
        )
    approved_on = getattr(entity, "approved_on", None)
    if action == "issue" and approved_on is not None and on < approved_on:
        raise InvalidInput(f"cannot issue on {on}: it was approved on {approved_on}")
    at = local_noon(on) if backdate else None
    data: dict[str, Any] = {}
    number = None
    if action == "issue":
        doc = issue_document(
            session,
            kind=kind,
            title=title,
            issued_on=on,
            ref_id=entity.id,
            is_synthetic=is_synthetic,
        )
        data = {"document_number": doc.number, "document_id": doc.id}
        number = doc
    flow.apply(session, entity, action, actor, note=note, data=data, at=at)
    # After apply: it refreshes the entity from the database (row lock), dropping edits.
    if action == "approve":
        entity.approved_by_official_id = actor.official_id
        entity.approved_on = on
    elif action == "return":
        entity.approved_by_official_id = None
        entity.approved_on = None
    elif number is not None:
        entity.document_id = number.id
    session.flush()
