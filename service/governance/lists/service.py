"""Plans (一河一策) and the four annual lists: drafting, approval, issue, reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput, NotFound
from service.governance.common import Actor, check_county, check_river, get_or_404
from service.governance.docflow import advance, doc_workflow, local_noon
from service.governance.documents import document_number
from service.governance.lists.models import LIST_KINDS, AnnualList, AnnualListItem, RiverPlan
from service.governance.lists.schemas import AnnualListsIn, ListItemIn, RiverPlanIn
from service.governance.permissions import require_drafter
from service.officials.queries import liaison_unit_of, municipal_chief
from service.problems.models import Problem
from service.timeutil import today_local

ITEM_FIELDS = tuple(ListItemIn.model_fields)
LISTS_FLOW = doc_workflow("annual_lists")
PLAN_FLOW = doc_workflow("river_plan")


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"year {year} is out of range 2000-2100")
    return year


def find_lists(session: Session, river_id: int, year: int) -> AnnualList | None:
    return session.scalar(
        select(AnnualList).where(AnnualList.river_id == river_id, AnnualList.year == year)
    )


def get_lists(session: Session, river_id: int, year: int) -> AnnualList:
    check_river(session, river_id)
    found = find_lists(session, river_id, check_year(year))
    if found is None:
        raise NotFound(f"river {river_id} has no annual lists for {year}")
    return found


def save_lists(
    session: Session,
    river_id: int,
    year: int,
    data: AnnualListsIn,
    actor: Actor,
    *,
    on: date | None = None,
    is_synthetic: bool = False,
) -> AnnualList:
    """Create or replace the four lists of a river and year (only while drafted)."""
    check_river(session, river_id)
    check_year(year)
    day = on or today_local()
    lists = find_lists(session, river_id, year)
    if lists is None:
        require_drafter(session, actor, river_id, day)
    else:  # state first (409 once approved), then who (403)
        LISTS_FLOW.check(lists, "revise", actor)
    linked: set[int] = set()
    for kind in LIST_KINDS:
        for item in getattr(data, kind):
            if item.county_code is not None:
                check_county(session, item.county_code)
            if item.problem_id is not None:
                linked.add(item.problem_id)
    known = set(session.scalars(select(Problem.id).where(Problem.id.in_(linked))))
    if linked - known:
        raise InvalidInput(f"problem points not found: {sorted(linked - known)}")
    at = local_noon(day) if on is not None else None
    if lists is None:
        unit = liaison_unit_of(session, river_id, day)
        lists = AnnualList(
            river_id=river_id,
            year=year,
            state=LISTS_FLOW.initial,
            is_synthetic=is_synthetic,
            assignee_unit_id=unit.id if unit else None,
        )
        session.add(lists)
        session.flush()
        LISTS_FLOW.start(session, lists, actor, note="起草四张清单", at=at)
    else:
        LISTS_FLOW.apply(session, lists, "revise", actor, note="修改四张清单", at=at)
    session.execute(delete(AnnualListItem).where(AnnualListItem.list_id == lists.id))
    for kind in LIST_KINDS:
        for n, item in enumerate(getattr(data, kind), start=1):
            session.add(AnnualListItem(list_id=lists.id, kind=kind, ord=n, **item.model_dump()))
    session.flush()
    return lists


def lists_data(session: Session, lists: AnnualList) -> AnnualListsIn:
    """The four lists as input-shaped data (what an import must reproduce)."""
    items = session.scalars(
        select(AnnualListItem)
        .where(AnnualListItem.list_id == lists.id)
        .order_by(AnnualListItem.kind, AnnualListItem.ord)
    ).all()
    grouped: dict[str, list[ListItemIn]] = {k: [] for k in LIST_KINDS}
    for it in items:
        grouped[it.kind].append(ListItemIn(**{f: getattr(it, f) for f in ITEM_FIELDS}))
    return AnnualListsIn(**grouped)


def lists_out(session: Session, lists: AnnualList) -> dict[str, Any]:
    river = check_river(session, lists.river_id)
    data = lists_data(session, lists)
    out: dict[str, Any] = {
        "id": lists.id,
        "river_id": lists.river_id,
        "river_name": river.name,
        "year": lists.year,
        "state": lists.state,
        "approved_by_official_id": lists.approved_by_official_id,
        "approved_on": lists.approved_on,
        "document_number": document_number(session, lists.document_id),
        "history": LISTS_FLOW.history(session, [lists.id])[lists.id],
    }
    for kind in LIST_KINDS:
        out[kind] = [{"ord": n, **i.model_dump()} for n, i in enumerate(getattr(data, kind), 1)]
    return out


def authority_day(on: date, backdate: bool) -> date:
    """The day whose roster decides who may approve: today (issue 14: a chief replaced since
    cannot approve by dating the step back to their term), except when the demo writes
    back-dated history (``backdate``), where the step really is of that day."""
    return on if backdate else today_local()


def step_lists(
    session: Session,
    lists: AnnualList,
    action: str,
    actor: Actor,
    on: date,
    *,
    note: str | None = None,
    is_synthetic: bool = False,
    backdate: bool = False,
) -> AnnualList:
    """approve / return (the river's municipal chief today, §12) or issue (the office)."""
    river = check_river(session, lists.river_id)
    chief = municipal_chief(session, lists.river_id, authority_day(on, backdate))
    advance(
        session,
        LISTS_FLOW,
        lists,
        action,
        actor,
        on=on,
        chief_id=chief.id if chief else None,
        note=note,
        kind="annual_lists",
        is_synthetic=is_synthetic,
        backdate=backdate,
        title=f"{river.name}{lists.year}年度河湖长制目标、问题、任务、责任清单",
    )
    return lists


# --- 一河一策 ---------------------------------------------------------------------------


def create_plan(
    session: Session,
    river_id: int,
    data: RiverPlanIn,
    actor: Actor,
    *,
    on: date | None = None,
    is_synthetic: bool = False,
) -> RiverPlan:
    check_river(session, river_id)
    day = on or today_local()
    require_drafter(session, actor, river_id, day)
    if data.period_end < data.period_start:
        raise InvalidInput("period_end must not be before period_start")
    overlap = session.scalar(
        select(RiverPlan.id).where(
            RiverPlan.river_id == river_id,
            RiverPlan.period_start <= data.period_end,
            RiverPlan.period_end >= data.period_start,
        )
    )
    if overlap is not None:
        raise Conflict(f"plan {overlap} of this river already covers part of that period")
    unit = liaison_unit_of(session, river_id, day)
    plan = RiverPlan(
        river_id=river_id,
        **data.model_dump(),
        state=PLAN_FLOW.initial,
        is_synthetic=is_synthetic,
        assignee_unit_id=unit.id if unit else None,
    )
    session.add(plan)
    session.flush()
    at = local_noon(day) if on is not None else None
    PLAN_FLOW.start(session, plan, actor, note="起草一河一策方案", at=at)
    return plan


def get_plan(session: Session, plan_id: int) -> RiverPlan:
    return get_or_404(session, RiverPlan, plan_id, "plan")


def plan_out(session: Session, plan: RiverPlan) -> dict[str, Any]:
    out = {
        c: getattr(plan, c)
        for c in (
            "id",
            "river_id",
            "title",
            "period_start",
            "period_end",
            "summary",
            "state",
            "approved_by_official_id",
            "approved_on",
        )
    }
    out["document_number"] = document_number(session, plan.document_id)
    return out


def step_plan(
    session: Session,
    plan: RiverPlan,
    action: str,
    actor: Actor,
    on: date,
    *,
    note: str | None = None,
    is_synthetic: bool = False,
    backdate: bool = False,
) -> RiverPlan:
    """approve / return (the river's municipal chief today) or issue (the office)."""
    chief = municipal_chief(session, plan.river_id, authority_day(on, backdate))
    advance(
        session,
        PLAN_FLOW,
        plan,
        action,
        actor,
        on=on,
        chief_id=chief.id if chief else None,
        note=note,
        kind="river_plan",
        title=plan.title,
        is_synthetic=is_synthetic,
        backdate=backdate,
    )
    return plan
