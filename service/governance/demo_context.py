"""What the governance demo's steps share: the session, today, one seeded random source, counts.

``demo.py`` walks the year (meetings, lists, health); ``demo_records.py`` adds the yearly
records (inspections, accountability, assessment). Both take a :class:`DemoContext`, so
neither imports the other's module.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from service.officials.models import LiaisonUnit, Official
from service.timeutil import today_local


@dataclass(frozen=True)
class DemoRiver:
    """A river the demo makes activity for, with who was responsible at the start."""

    id: int
    name: str
    chief: Official
    unit: LiaisonUnit
    n: int  # its place in id order: spreads the rivers' meetings over the month
    counties: list[str]  # county codes upstream to downstream
    counties_named: list[str]


class DemoContext:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.today = today_local()
        self.rng = random.Random(2025)
        self.counts: dict[str, int] = {}
        self.general_id = 0  # the city's general chief (chairs the assessment meeting)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def past(self, day: date) -> bool:
        """Nothing dated after today is made."""
        return day <= self.today
