"""The drafted → approved → issued path of documents issued by the general chief office.

Plans and the four lists (§12) follow it. Minutes (§5, §8) follow the same path through the
shared workflow engine in ``service.governance.meetings``; this module holds the rules that
are the same for all of them: approval by the responsible chief, issue with a document
number by the office, and nothing out of order.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from service.errors import Conflict, Forbidden
from service.governance.common import Actor
from service.governance.documents import issue_document
from service.governance.permissions import is_office


class Approvable(Protocol):
    id: int
    state: str
    approved_by_official_id: int | None
    approved_on: date | None
    document_id: int | None


def approve(doc: Approvable, actor: Actor, chief_id: int | None, on: date) -> None:
    """drafted → approved, by ``chief_id`` (the river's municipal chief on ``on``)."""
    if doc.state != "drafted":
        raise Conflict(
            f"cannot approve: it is {doc.state}, approval needs drafted",
            state=doc.state,
            allowed_actions=_allowed(doc.state),
        )
    if actor.role != "chief" or actor.official_id is None or actor.official_id != chief_id:
        raise Forbidden("only the responsible municipal river chief may approve this")
    doc.state = "approved"
    doc.approved_by_official_id = actor.official_id
    doc.approved_on = on


def issue(
    session: Session,
    doc: Approvable,
    actor: Actor,
    *,
    kind: str,
    title: str,
    on: date,
    is_synthetic: bool = False,
) -> str:
    """approved → issued in the name of the general chief office; returns the number."""
    if doc.state != "approved":
        raise Conflict(
            f"cannot issue: it is {doc.state}, issuing needs approved",
            state=doc.state,
            allowed_actions=_allowed(doc.state),
        )
    if not is_office(actor):
        raise Forbidden("only the general chief office issues documents")
    if doc.approved_on is not None and on < doc.approved_on:
        raise Conflict("cannot issue before the day it was approved")
    document = issue_document(
        session, kind=kind, title=title, issued_on=on, ref_id=doc.id, is_synthetic=is_synthetic
    )
    doc.state = "issued"
    doc.document_id = document.id
    return document.number


def _allowed(state: str) -> list[str]:
    return {"drafted": ["approve"], "approved": ["issue"], "issued": []}.get(state, [])
