"""Which reach answers for the water at a monitoring section.

The one question asked of the river's pieces is :func:`reaches_around`: the piece just
upstream and the piece just downstream of a measure on a river. Today the pieces are the
county segments (``service/sql/section_reaches.sql``); when reaches of every level land
(issue 18), this function asks for the lowest-level reach instead and nothing else changes.

Where a problem goes (:func:`responsible_reach`): water measured at a section was last in the
reach just upstream, so that reach's chief answers for it. At an inflow border section the
water comes from the neighbour city: the first reach of the city (just downstream) takes it,
and the neighbour hears of it at the next joint meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from service.settings import get_settings
from service.sql import load_sql


@dataclass(frozen=True)
class ReachRef:
    """A piece of a river (today a county segment): ``from_m``/``to_m`` planar metres along
    the river's downstream line (``settings.metric_srid``), its county."""

    segment_id: int
    county_code: str
    from_m: float
    to_m: float


@dataclass(frozen=True)
class Around:
    """The pieces on either side of a measure (the same piece when it holds the measure)."""

    upstream: ReachRef | None
    downstream: ReachRef | None


def reaches_around(session: Session, river_id: int, measure_m: float, on: date) -> Around:
    """The reach just upstream of ``measure_m`` on ``river_id`` (holding it, else the last
    ending above it) and the one just downstream, on day ``on`` (reaches have history; the
    county segments of today do not)."""
    del on  # segments have no validity period; reaches (issue 18) will
    rows = session.execute(
        load_sql("section_reaches"),
        {"river_id": river_id, "measure_m": measure_m, "srid": get_settings().metric_srid},
    ).all()
    found = {
        r.side: ReachRef(int(r.segment_id), r.county_code, float(r.from_m), float(r.to_m))
        for r in rows
    }
    return Around(found.get("upstream"), found.get("downstream"))


def responsible_reach(around: Around, direction: str | None) -> ReachRef | None:
    """The reach a problem at the section is routed to: just upstream, except at an inflow
    border section (the first reach inside the city, just downstream). A section above every
    reach of the city (near a source) falls back to the first reach below it."""
    if direction == "inflow":
        return around.downstream or around.upstream
    return around.upstream or around.downstream
