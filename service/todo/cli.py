"""``riverchief remind``: the daily reminder job (see docs/reminders.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from service.commands import CommandGroups


def register(groups: CommandGroups) -> None:
    """Add the ``remind`` command to the ``riverchief`` app."""

    @groups.app.command("remind")
    def remind_cmd(
        days: Annotated[
            int | None,
            typer.Option(
                "--days",
                min=0,
                help="remind of items due within this many days (and overdue); "
                "default RIVERCHIEF_REMINDER_DAYS",
            ),
        ] = None,
    ) -> None:
        """Record reminders of to-do items due soon or overdue, and queue each account's
        daily digest and the day's notifications (sent by `riverchief notify run`). Run it
        daily (cron or a systemd timer)."""
        from service.db import get_sessionmaker
        from service.security.audit import acting_as
        from service.todo.remind import remind

        with acting_as("remind"), get_sessionmaker()() as session:
            result = remind(session, days)
            session.commit()
        typer.echo(f"reminders recorded: {result.recorded}, notifications queued: {result.queued}")
