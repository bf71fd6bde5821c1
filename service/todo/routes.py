"""HTTP: the caller's to-do list (我的待办, issue 10)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.db import SessionDep
from service.timeutil import today_local
from service.todo.items import todo_items
from service.todo.remind import recent_reminders
from service.todo.schemas import ReminderOut, TodoItem, TodoOut

router = APIRouter(prefix="/api/v1", tags=["to-do"])

Reader = Annotated[UserAccount, Depends(requires("todo.read"))]


@router.get("/me/todo", response_model=TodoOut, operation_id="my_todo")
def my_todo(session: SessionDep, user: Reader) -> TodoOut:
    """What is the caller's to do, per role, with due dates and links; and the reminders
    ``riverchief remind`` recorded for them this week."""
    today = today_local()
    items = todo_items(session, Scope.of(user), today)
    reminders = recent_reminders(session, user.id, today)
    reminded = {r.item_key for r in reminders}
    return TodoOut(
        role=user.role,
        today=today,
        items=[TodoItem(**i, reminded=i["key"] in reminded) for i in items],
        reminders=[
            ReminderOut(
                item_key=r.item_key,
                kind=r.kind,
                title=r.title,
                due_date=r.due_date,
                link=r.link,
                overdue=r.overdue,
                remind_on=r.remind_on,
                sent=r.sent_at is not None,
            )
            for r in reminders
        ],
    )
