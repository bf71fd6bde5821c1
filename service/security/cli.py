"""Commands of the security layer (declared in ``service.domains``).

``backup PATH``, ``restore PATH``, and ``users disable|enable|reset-password|unlock``.
(``docs role-matrix`` needs the whole app, so it lives with the composition in ``service/cli.py``.)

Writes made by commands are audited with the actor ``cli``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from service.commands import CommandGroups, fail


def backup_cmd(path: Path) -> None:
    """Back up the database (pg_dump custom format) and the photo directory into PATH."""
    from service.security.backup import backup
    from service.settings import get_settings

    settings = get_settings()
    manifest = backup(settings.database_url, settings.media_dir, path)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    typer.echo(
        f"wrote {path}: {len(manifest['tables'])} tables, {rows} rows, "
        f"{len(manifest['media'])} media files"
    )


def restore_cmd(
    path: Path,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite a non-empty database and media directory")
    ] = False,
) -> None:
    """Restore PATH into DATABASE_URL and the media directory, then verify counts/checksums."""
    from service.errors import DomainError
    from service.security.backup import restore
    from service.settings import get_settings

    settings = get_settings()
    try:
        report = restore(path, settings.database_url, settings.media_dir, force=force)
    except DomainError as exc:
        fail(f"{exc.message} {json.dumps(exc.detail, ensure_ascii=False) if exc.detail else ''}")
        return
    typer.echo(json.dumps(report, ensure_ascii=False))


def _account_command(name: str, action: str, password_stdin: bool = False) -> None:
    from sqlalchemy import select

    from service.auth.lifecycle import AccountChange, reset_password, unlock, update_account
    from service.auth.models import UserAccount
    from service.db import get_sessionmaker
    from service.errors import DomainError
    from service.security.audit import acting_as
    from service.security.ratelimit import forget_login_failures

    with acting_as("cli"), get_sessionmaker()() as session:
        user = session.scalar(select(UserAccount).where(UserAccount.username == name))
        if user is None:
            fail(f"no user {name!r}")
            return
        try:
            if action in ("disable", "enable"):
                update_account(session, user, AccountChange(disabled=action == "disable"))
                message = f"{action}d {name}; its tokens are revoked"
            elif action == "unlock":
                unlock(session, user)
                forget_login_failures(session, user.username)
                message = f"unlocked {name}"
            else:
                given = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
                generated = reset_password(session, user, given)
                forget_login_failures(session, user.username)
                message = f"password of {name} reset; its tokens are revoked"
                if generated:
                    message += f"\npassword: {generated}"
            session.commit()
        except DomainError as exc:
            fail(exc.message)
            return
    typer.echo(message)


def register(groups: CommandGroups) -> None:
    """Add the commands to the ``riverchief`` app and its ``users`` group."""
    app, users_app = groups.app, groups.users
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)

    @users_app.command("disable")
    def users_disable(name: str) -> None:
        """Disable an account and revoke its tokens."""
        _account_command(name, "disable")

    @users_app.command("enable")
    def users_enable(name: str) -> None:
        """Enable a disabled account."""
        _account_command(name, "enable")

    @users_app.command("unlock")
    def users_unlock(name: str) -> None:
        """Lift a lockout after failed sign-ins."""
        _account_command(name, "unlock")

    @users_app.command("reset-password")
    def users_reset_password(
        name: str,
        password_stdin: Annotated[bool, typer.Option(help="read the password from stdin")] = False,
    ) -> None:
        """Set a new password (generated and printed unless --password-stdin); revokes tokens."""
        _account_command(name, "reset", password_stdin)
