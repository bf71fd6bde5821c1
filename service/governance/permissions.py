"""Who may act for whom: the seed's bodies mapped onto accounts.

The role matrix (``service.auth.matrix``) lets a role reach an endpoint; these checks decide
whether this particular caller speaks for the body the seed names: the river's liaison unit
(§8, §12), the chief who chaired or the river's municipal chief (§5, §8, §12), a county.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from service.errors import Forbidden
from service.governance.common import Actor
from service.governance.meetings.models import Meeting
from service.officials.queries import liaison_unit_of


def is_office(actor: Actor) -> bool:
    return actor.role == "office"


def speaks_for_river_unit(session: Session, actor: Actor, river_id: int, on: date) -> bool:
    """The caller is a liaison account of the river's liaison unit on ``on``."""
    if actor.role != "liaison" or actor.liaison_unit_id is None:
        return False
    unit = liaison_unit_of(session, river_id, on)
    return unit is not None and unit.id == actor.liaison_unit_id


def require_drafter(session: Session, actor: Actor, river_id: int, on: date) -> None:
    """Office, or the river's liaison unit (§12: 联络员单位会同河长制办公室编制)."""
    if is_office(actor) or speaks_for_river_unit(session, actor, river_id, on):
        return
    raise Forbidden("only the river chief office or this river's liaison unit may draft this")


def speaks_for_convener(meeting: Meeting, actor: Actor) -> bool:
    """Office, or the liaison unit that organised the meeting (§5, §8)."""
    if actor.role == "office":
        return True
    return (
        actor.role == "liaison"
        and meeting.convener_unit_id is not None
        and actor.liaison_unit_id == meeting.convener_unit_id
    )
