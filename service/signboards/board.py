"""What a signboard shows: the river, the reach and its ends, the chiefs at every level, the
supervision phone and the link its QR code holds; and the hash that tells a printed board
from today's.

The chiefs at every level are those of the reach's chain (city reach, county reach, … down
to the reach itself, ``service.reaches.queries.ancestors``) and of the reaches nested one
level below it (a county board also names the township chiefs along it), on the asked day.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.reaches.models import Reach
from service.reaches.queries import LEVEL_ORDER, ancestors, reach_chiefs, reach_ends, reach_valid_on
from service.rivers.models import River
from service.settings import get_settings
from service.signboards.schemas import BoardChief, BoardContent

LEVEL_LABELS = {
    "city": "市级河长",
    "county": "县级河长",
    "township": "乡级河长",
    "village": "村级河长",
}
#: Nested reaches named on one board at most (a long county reach has a dozen townships).
MAX_NESTED = 40


def page_path(reach_code: str) -> str:
    return f"/r/{reach_code}"


def reach_by_code(session: Session, code: str) -> Reach:
    reach = session.scalar(select(Reach).where(Reach.code == code))
    if reach is None:
        raise NotFound(f"no reach has code {code}", code="reach_not_found")
    return reach


def _lonlat(point: tuple[float, float]) -> str:
    lon, lat = point
    return f"东经{lon:.4f}°，北纬{lat:.4f}°"


def board_content(session: Session, reach: Reach, on: date, base_url: str) -> BoardContent:
    """What a board of ``reach`` shows on local day ``on`` (``base_url``: no trailing /)."""
    chain = [session.get(Reach, i) for i in ancestors(session, reach.id)]
    nested = session.scalars(
        select(Reach)
        .where(Reach.parent_id == reach.id, reach_valid_on(on))
        .order_by(Reach.from_m, Reach.bank, Reach.id)
        .limit(MAX_NESTED)
    ).all()
    reaches = [r for r in chain if r is not None] + list(nested)
    chiefs = reach_chiefs(session, [r.id for r in reaches], on)
    listed: list[BoardChief] = []
    for r in sorted(reaches, key=lambda r: (LEVEL_ORDER[r.level], r.from_m, r.id)):
        for c in chiefs.get(r.id, []):
            listed.append(
                BoardChief(
                    level=r.level,
                    level_label=LEVEL_LABELS[r.level],
                    reach_name=r.name,
                    name=c["name"],
                    title=c["title"],
                )
            )
    river = session.get(River, reach.river_id)
    start, end = reach_ends(session, [reach])[reach.id]
    return BoardContent(
        river=river.name if river else "",
        reach_code=reach.code,
        reach_name=reach.name,
        level=reach.level,
        start=f"{_lonlat(start)}（距市内河源 {reach.from_m / 1000:.1f} km）",
        end=f"{_lonlat(end)}（距市内河源 {reach.to_m / 1000:.1f} km）",
        length_km=round((reach.length_m or 0.0) / 1000, 2),
        chiefs=listed,
        phone=get_settings().supervision_phone,
        url=base_url.rstrip("/") + page_path(reach.code),
    )


def content_hash(content: BoardContent) -> str:
    """sha256 of the canonical JSON of what a board shows (keys sorted, no spaces). The link
    counts by its path only: without ``RIVERCHIEF_PUBLIC_BASE_URL`` the host comes from the
    request, and a board printed from another address shows the same reach."""
    shown = content.model_dump(mode="json")
    shown["url"] = page_path(content.reach_code)
    canonical = json.dumps(shown, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
