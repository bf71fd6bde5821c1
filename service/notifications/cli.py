"""``riverchief notify run [--once]``: the outbox worker (docs/notifications.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from service.commands import CommandGroups


def register(groups: CommandGroups) -> None:
    """Add the ``notify`` command group to the ``riverchief`` app."""
    notify_app = typer.Typer(help="notifications: the outbox worker", no_args_is_help=True)
    groups.app.add_typer(notify_app, name="notify")

    @notify_app.command("run")
    def run_cmd(
        once: Annotated[
            bool, typer.Option("--once", help="send what is due now, then exit")
        ] = False,
        limit: Annotated[
            int | None, typer.Option("--limit", min=1, help="with --once: at most this many")
        ] = None,
    ) -> None:
        """Send the outbox's due notifications (钉钉, 企业微信, e-mail, SMS, webhook) with
        retries and back-off. Without --once it keeps running (a service)."""
        from service.db import get_sessionmaker
        from service.notifications.worker import run_forever, run_once
        from service.security.audit import acting_as
        from service.settings import get_settings

        if not get_settings().public_base_url:
            typer.echo(
                "warning: RIVERCHIEF_PUBLIC_BASE_URL is not set: links in messages are "
                "relative paths",
                err=True,
            )
        with acting_as("notify"):
            if not once:
                run_forever(get_sessionmaker(), typer.echo)
                return
            report = run_once(get_sessionmaker(), limit=limit)
        typer.echo(
            f"sent: {report.sent}, retry later: {report.retried}, failed: {report.failed}, "
            f"quiet hours: {report.deferred}"
        )
        if report.failed:
            raise typer.Exit(1)
