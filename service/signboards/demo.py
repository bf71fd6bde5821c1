"""Demo signboards: one board at the middle of each county reach in force today (``is_demo``),
numbered by county, each with a recorded printing of what it shows today, so changing a
chief in the demo marks its boards out of date."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.reaches.models import Reach
from service.reaches.queries import reach_valid_on
from service.settings import get_settings
from service.signboards.board import board_content
from service.signboards.models import Signboard
from service.signboards.schemas import SignboardIn
from service.signboards.service import create_signboard, record_print
from service.timeutil import today_local


def load_demo_signboards(session: Session) -> dict[str, object]:
    """A board at each county reach without one (idempotent)."""
    today = today_local()
    base = get_settings().public_base_url.rstrip("/")
    have = set(session.scalars(select(Signboard.reach_id)))
    reaches = session.scalars(
        select(Reach)
        .where(Reach.level == "county", reach_valid_on(today))
        .order_by(Reach.admin_code, Reach.code)
    ).all()
    seq: dict[str, int] = {}
    made = 0
    for reach in reaches:
        if reach.id in have:
            continue
        seq[reach.admin_code] = seq.get(reach.admin_code, 0) + 1
        number = f"{reach.admin_code}-{seq[reach.admin_code]:03d}"
        while session.scalar(select(Signboard.id).where(Signboard.number == number)):
            seq[reach.admin_code] += 1
            number = f"{reach.admin_code}-{seq[reach.admin_code]:03d}"
        board = create_signboard(
            session,
            SignboardIn(
                reach_id=reach.id,
                number=number,
                installed_on=max(reach.valid_from, today.replace(month=1, day=1)),
                note="演示公示牌",
            ),
            is_demo=True,
        )
        record_print(session, board, board_content(session, reach, today, base), "A4", None)
        made += 1
    session.flush()
    return {"signboards": made, "existing": len(have)}
