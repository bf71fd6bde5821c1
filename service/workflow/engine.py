"""A declarative state machine whose every step is a history row.

A :class:`Workflow` lists its states, which of them are open or done, and its
:class:`Transition` s. :meth:`Workflow.check` decides whether an action may be taken — first
whether it is possible from the current state at all (:class:`~service.errors.Conflict`, 409,
whoever asks), then whether this caller may take it (:class:`~service.errors.Forbidden`, 403),
then whether the fields it needs were given (:class:`~service.errors.InvalidInput`, 422).
:meth:`Workflow.apply` writes the ``workflow_event`` row and updates the entity's cached state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from service.db import refresh_for_update
from service.errors import Conflict, Forbidden, InvalidInput
from service.timeutil import now_utc
from service.workflow.models import WorkflowEvent

#: The domain event emitted after every history row (``service.domains``: ``on_events``).
TRANSITION_EVENT = "workflow.transition"


@dataclass(frozen=True)
class Transitioned:
    """A history row was written: ``entity`` (its state already updated) and ``event``."""

    entity: Any
    event: WorkflowEvent


class Actor(Protocol):
    """Who acts: a ``UserAccount`` fits, so does :class:`SystemActor` (demo loaders, imports)."""

    @property
    def id(self) -> int | None: ...
    @property
    def role(self) -> str: ...
    @property
    def county_code(self) -> str | None: ...
    @property
    def township_code(self) -> str | None: ...
    @property
    def liaison_unit_id(self) -> int | None: ...
    @property
    def official_id(self) -> int | None: ...


@dataclass(frozen=True)
class SystemActor:
    """An actor without an account (``actor_id`` NULL in the history), e.g. a demo loader."""

    role: str = "office"
    id: int | None = None
    county_code: str | None = None
    township_code: str | None = None
    liaison_unit_id: int | None = None
    official_id: int | None = None


#: ``guard(entity, actor) -> bool``: lets a caller outside ``roles`` take a transition.
Guard = Callable[[Any, Actor], bool]


def is_assignee(entity: Any, actor: Actor) -> bool:
    """The caller is the county, township office or unit the entity is assigned to."""
    if actor.role == "county" and actor.county_code:
        return bool(entity.assignee_county == actor.county_code)
    if actor.role == "township" and actor.township_code:
        return bool(entity.assignee_township == actor.township_code)
    if actor.liaison_unit_id is not None and entity.assignee_unit_id is not None:
        return bool(entity.assignee_unit_id == actor.liaison_unit_id)
    return False


#: Field names a transition may require besides entries of ``data``.
ASSIGNEE = "assignee"  # at least one of assignee_county / assignee_unit_id / assignee_township
NOTE = "note"
DUE_DATE = "due_date"


@dataclass(frozen=True)
class Transition:
    """``action`` moves an entity from any of ``sources`` to ``target``.

    Who may take it: any role in ``roles``, or any caller for whom one of ``guards`` is true.
    ``requires`` names what must be given: ``note``, ``assignee``, ``due_date`` or a key of
    ``data``. ``assigns`` sets the entity's assignee and due date from the request;
    ``clears_assignment`` removes them (the entity waits to be assigned again).
    """

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()
    requires: frozenset[str] = frozenset()
    assigns: bool = False
    clears_assignment: bool = False
    label: str = ""

    def permits(self, entity: Any, actor: Actor) -> bool:
        return actor.role in self.roles or any(g(entity, actor) for g in self.guards)


@dataclass(frozen=True)
class Workflow:
    """A state machine for one entity type (``entity_type`` keys its rows in the history).

    ``open_states``: not finished (duplicates are searched among them). ``done_states``: the
    responsible body's work is done, so the due date no longer runs (overdue = past
    ``due_date`` and not in ``done_states``).
    """

    entity_type: str
    states: tuple[str, ...]
    initial: str
    transitions: tuple[Transition, ...]
    open_states: frozenset[str]
    done_states: frozenset[str]
    initial_action: str = "report"
    state_labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = set(self.states)
        assert self.initial in known, self.initial
        assert self.open_states <= known and self.done_states <= known
        actions = [t.action for t in self.transitions]
        assert len(actions) == len(set(actions)), "one Transition per action"
        for t in self.transitions:
            assert t.sources <= known and t.target in known, t.action

    # ---- questions -------------------------------------------------------------------------
    def transition(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        known = ", ".join(t.action for t in self.transitions)
        raise InvalidInput(f"unknown action {action!r}; actions are: {known}")

    def possible_actions(self, state: str) -> list[str]:
        """Actions possible from ``state``, whoever asks."""
        return [t.action for t in self.transitions if state in t.sources]

    def allowed_actions(self, entity: Any, actor: Actor | None) -> list[str]:
        """Actions this caller may take now (empty for anonymous callers)."""
        if actor is None:
            return []
        return [
            t.action
            for t in self.transitions
            if entity.state in t.sources and t.permits(entity, actor)
        ]

    def check(
        self,
        entity: Any,
        action: str,
        actor: Actor,
        *,
        note: str | None = None,
        assignee_county: str | None = None,
        assignee_unit_id: int | None = None,
        assignee_township: str | None = None,
        due_date: date | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Transition:
        """The transition for ``action``, or the error that says why it cannot be taken.

        State before role: an impossible action is 409 whoever asks; a possible one the caller
        may not take is 403; missing fields are 422. Both 409 and 403 list ``allowed_actions``
        (for this caller) and ``possible_actions`` (from this state, for anyone).
        """
        t = self.transition(action)
        state = entity.state
        context = {
            "state": state,
            "allowed_actions": self.allowed_actions(entity, actor),
            "possible_actions": self.possible_actions(state),
        }
        if state not in t.sources:
            raise Conflict(
                f"cannot {action} a {self.entity_type} in state {state!r} "
                f"(only from {', '.join(sorted(t.sources))})",
                **context,
            )
        if not t.permits(entity, actor):
            raise Forbidden(
                f"role {actor.role!r} may not {action} this {self.entity_type}", **context
            )
        given = {
            NOTE: bool(note and note.strip()),
            ASSIGNEE: any(
                a is not None for a in (assignee_county, assignee_unit_id, assignee_township)
            ),
            DUE_DATE: due_date is not None,
        }
        missing = [
            name
            for name in sorted(t.requires)
            if not (given[name] if name in given else (data or {}).get(name) is not None)
        ]
        if missing:
            raise InvalidInput(f"{action} needs: {', '.join(missing)}", missing=missing)
        return t

    def overdue(self, model: Any, today: date) -> ColumnElement[bool]:
        """SQL: past its due date (local day ``today``) and not yet done."""
        return and_(
            model.due_date.is_not(None),
            model.due_date < today,
            model.state.not_in(sorted(self.done_states)),
        )

    def is_overdue(self, entity: Any, today: date) -> bool:
        return (
            entity.due_date is not None
            and entity.due_date < today
            and entity.state not in self.done_states
        )

    # ---- writes ----------------------------------------------------------------------------
    def start(
        self,
        session: Session,
        entity: Any,
        actor: Actor | None,
        *,
        note: str | None = None,
        data: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> WorkflowEvent:
        """Put a new entity (already flushed, so it has an id) in the initial state: row 1."""
        at = at or now_utc()
        entity.state = self.initial
        entity.state_changed_at = at
        return self._write(session, entity, 1, self.initial_action, None, actor, note, data, at)

    def apply(
        self,
        session: Session,
        entity: Any,
        action: str,
        actor: Actor,
        *,
        note: str | None = None,
        assignee_county: str | None = None,
        assignee_unit_id: int | None = None,
        assignee_township: str | None = None,
        due_date: date | None = None,
        data: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> WorkflowEvent:
        """Check and take ``action``: lock the entity, write the history row, cache the state.

        Entity-specific validation (does the county exist?) belongs to the caller, before.
        """
        # Lock the row and re-read its state, so two concurrent actions cannot both pass check.
        refresh_for_update(session, entity)
        t = self.check(
            entity,
            action,
            actor,
            note=note,
            assignee_county=assignee_county,
            assignee_unit_id=assignee_unit_id,
            assignee_township=assignee_township,
            due_date=due_date,
            data=data,
        )
        at = at or now_utc()
        from_state = entity.state
        if t.assigns:
            entity.assignee_county = assignee_county
            entity.assignee_unit_id = assignee_unit_id
            entity.assignee_township = assignee_township
            if due_date is not None:
                entity.due_date = due_date
        elif due_date is not None:
            entity.due_date = due_date
        if t.clears_assignment:
            entity.assignee_county = None
            entity.assignee_unit_id = None
            entity.assignee_township = None
            entity.due_date = None
        entity.state = t.target
        entity.state_changed_at = at
        seq = self._next_seq(session, entity)
        return self._write(session, entity, seq, action, from_state, actor, note, data, at)

    def record(
        self,
        session: Session,
        entity: Any,
        action: str,
        actor: Actor | None,
        *,
        note: str | None = None,
        data: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> WorkflowEvent:
        """A history row that changes no state (``from_state`` = ``to_state``): something
        happened to the entity, e.g. 督办 (supervise) of a problem that failed again. Only an
        open entity takes one (409 otherwise); the caller decides who may write it."""
        refresh_for_update(session, entity)
        if entity.state not in self.open_states:
            raise Conflict(
                f"cannot {action} a {self.entity_type} in state {entity.state!r} (not open)",
                state=entity.state,
            )
        at = at or now_utc()
        seq = self._next_seq(session, entity)
        return self._write(session, entity, seq, action, entity.state, actor, note, data, at)

    def _next_seq(self, session: Session, entity: Any) -> int:
        return (
            session.scalar(
                select(func.max(WorkflowEvent.seq)).where(
                    WorkflowEvent.entity_type == self.entity_type,
                    WorkflowEvent.entity_id == entity.id,
                )
            )
            or 0
        ) + 1

    def _write(
        self,
        session: Session,
        entity: Any,
        seq: int,
        action: str,
        from_state: str | None,
        actor: Actor | None,
        note: str | None,
        data: Mapping[str, Any] | None,
        at: datetime,
    ) -> WorkflowEvent:
        event = WorkflowEvent(
            entity_type=self.entity_type,
            entity_id=entity.id,
            seq=seq,
            action=action,
            from_state=from_state,
            to_state=entity.state,
            actor_id=actor.id if actor is not None else None,
            actor_role=actor.role if actor is not None else None,
            note=note.strip() if note else None,
            assignee_county=entity.assignee_county,
            assignee_unit_id=entity.assignee_unit_id,
            assignee_township=entity.assignee_township,
            due_date=entity.due_date,
            data=dict(data or {}),
            at=at,
        )
        session.add(event)
        session.flush()
        # Other domains react in this transaction (hooks declared in service/domains.py):
        # notifications queue what the change means for people.
        from service.domains import compose

        compose().emit(session, TRANSITION_EVENT, Transitioned(entity, event))
        return event

    # ---- reads -----------------------------------------------------------------------------
    def history(
        self, session: Session, entity_ids: Iterable[int]
    ) -> dict[int, list[WorkflowEvent]]:
        """Events per entity id, in order (``seq``)."""
        ids = list(entity_ids)
        out: dict[int, list[WorkflowEvent]] = {i: [] for i in ids}
        if not ids:
            return out
        rows = session.scalars(
            select(WorkflowEvent)
            .where(WorkflowEvent.entity_type == self.entity_type, WorkflowEvent.entity_id.in_(ids))
            .order_by(WorkflowEvent.entity_id, WorkflowEvent.seq)
        )
        for event in rows:
            out[event.entity_id].append(event)
        return out
