"""``riverchief load-demo``: geography, roster, demo accounts, then synthetic activity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from tqdm import tqdm

from service.auth.models import UserAccount
from service.auth.service import create_user
from service.demo.roster import MUNICIPAL, load_roster
from service.domains import Composition
from service.officials.models import LiaisonUnit, Official
from service.rivers.geography import load_geography
from service.settings import get_settings

#: Demo accounts exist only with RIVERCHIEF_ENV=development; never a known password in production.
DEMO_PASSWORD = "riverchief-demo"


def demo_accounts(session: Session) -> list[str]:
    """One account per role, password ``DEMO_PASSWORD``; development only."""
    chief_name = MUNICIPAL["岷江"][0]
    chief = session.scalar(select(Official).where(Official.name == chief_name))
    unit = session.scalar(select(LiaisonUnit).where(LiaisonUnit.name == MUNICIPAL["岷江"][2]))
    wanted: list[tuple[str, str, dict[str, Any]]] = [
        ("office", "office", {}),
        ("chief", "chief", {"official_id": chief.id if chief else None}),
        ("liaison", "liaison", {"liaison_unit_id": unit.id if unit else None}),
        ("county", "county", {"county_code": "511111"}),
        ("patrol", "patrol", {"official_id": chief.id if chief else None}),
        ("meishan", "neighbor_viewer", {"neighbor_code": "511400"}),
    ]
    made = []
    for username, role, binding in wanted:
        if session.scalar(select(UserAccount).where(UserAccount.username == username)):
            continue
        create_user(session, username, DEMO_PASSWORD, role, **binding)
        made.append(username)
    return made


def load_demo(
    session: Session, composition: Composition, *, activity: bool = True, progress: bool = True
) -> dict[str, Any]:
    """Load everything; idempotent; commits after each step so a long step shows progress.

    The geography's re-cut runs the composition's re-cut hooks; the activity is its demo
    steps, in the order of ``service.domains.DOMAINS``."""
    settings = get_settings()
    report: dict[str, Any] = {}
    todo: list[tuple[str, Callable[[Session], object]]] = [
        ("geography", lambda s: load_geography(s, settings.data_dir, composition.run_recut_hooks)),
        ("roster", load_roster),
    ]
    if settings.env == "development":
        todo.append(("demo accounts", demo_accounts))
    if activity:
        todo.extend(composition.demo_steps)
    bar = tqdm(todo, desc="load-demo", unit="step", disable=not progress)
    for label, step in bar:
        bar.set_postfix_str(label)
        report[label] = step(session)
        session.commit()
    return report
