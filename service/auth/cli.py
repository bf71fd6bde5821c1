"""``riverchief users create``: accounts from the command line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from service.commands import CommandGroups, fail


def users_create(
    name: str,
    role: Annotated[str, typer.Option(help="office|chief|liaison|county|patrol|neighbor_viewer")],
    official_id: Annotated[int | None, typer.Option()] = None,
    liaison_unit_id: Annotated[int | None, typer.Option()] = None,
    county_code: Annotated[str | None, typer.Option()] = None,
    neighbor_code: Annotated[str | None, typer.Option()] = None,
    password_stdin: Annotated[bool, typer.Option(help="read the password from stdin")] = False,
) -> None:
    """Create an account; without --password-stdin a generated password is printed."""
    from service.auth.passwords import generate_password
    from service.auth.service import create_user
    from service.db import get_sessionmaker
    from service.errors import DomainError

    generated = not password_stdin
    password = generate_password() if generated else sys.stdin.readline().rstrip("\r\n")
    with get_sessionmaker()() as session:
        try:
            user = create_user(
                session,
                name,
                password,
                role,
                official_id=official_id,
                liaison_unit_id=liaison_unit_id,
                county_code=county_code,
                neighbor_code=neighbor_code,
            )
            session.commit()
        except DomainError as exc:
            fail(exc.message)
            return
    typer.echo(f"created user {user.username} (id {user.id}, role {user.role})")
    if generated:
        typer.echo(f"password: {password}")


def register(groups: CommandGroups) -> None:
    groups.users.command("create")(users_create)
