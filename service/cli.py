"""The ``riverchief`` command: its groups, the core commands, and every domain's commands.

Domains add theirs through ``commands=...`` in ``service.domains.DOMAINS``; before any command
runs, the callback composes the domains (tables, audit listeners, re-cut hooks, demo steps),
exactly as ``create_app()`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from service.commands import CommandGroups, fail
from service.domains import DOMAINS, compose, resolve

app = typer.Typer(help="riverchief: river chief system GIS service", no_args_is_help=True)
groups = CommandGroups(
    app=app,
    db=typer.Typer(help="database schema", no_args_is_help=True),
    users=typer.Typer(help="accounts", no_args_is_help=True),
    imports=typer.Typer(help="import the river office's own layers", no_args_is_help=True),
    demo=typer.Typer(help="synthetic demo data (marked synthetic)", no_args_is_help=True),
)
app.add_typer(groups.db, name="db")
app.add_typer(groups.users, name="users")
app.add_typer(groups.imports, name="import")
app.add_typer(groups.demo, name="demo")
docs_app = typer.Typer(help="generated documentation", no_args_is_help=True)
app.add_typer(docs_app, name="docs")


@app.callback()
def main(ctx: typer.Context) -> None:
    """riverchief: river chief system GIS service"""
    compose()
    # Writes of every command but `serve` are audited as `cli` (requests name their user).
    if ctx.invoked_subcommand != "serve":
        from service.security.audit import Actor, _actor

        _actor.set(Actor("cli"))


@groups.db.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database (DATABASE_URL) to the latest schema."""
    from service.migrate import upgrade

    upgrade(revision=revision)
    typer.echo(f"database at {revision}")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option()] = 1,
) -> None:
    """Serve the API and the map over plain HTTP (TLS belongs to a reverse proxy)."""
    import uvicorn

    from service.settings import get_settings

    settings = get_settings()  # fail fast on a bad secret
    uvicorn.run(
        "service.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # X-Forwarded-For is applied by service.security.clients, from the proxies named in
        # RIVERCHIEF_TRUSTED_PROXIES only (uvicorn's would trust 127.0.0.1 by default).
        proxy_headers=False,
        timeout_keep_alive=settings.keep_alive_s,
    )


@app.command("load-demo")
def load_demo_cmd(
    no_activity: Annotated[
        bool, typer.Option("--no-activity", help="geography and roster only")
    ] = False,
) -> None:
    """Load the Leshan geography, a fictional roster and synthetic activity (idempotent)."""
    from service.db import get_sessionmaker
    from service.demo.load import load_demo

    with get_sessionmaker()() as session:
        report = load_demo(session, compose(), activity=not no_activity)
    typer.echo(json.dumps(report, ensure_ascii=False, default=str, indent=2))


@docs_app.command("role-matrix")
def role_matrix(
    output: Annotated[Path | None, typer.Option(help="default docs/role-matrix.md")] = None,
    check: Annotated[bool, typer.Option("--check", help="exit 1 if the file is stale")] = False,
) -> None:
    """Write the endpoint × role table generated from the routes and service/auth/matrix.py."""
    # Here rather than in the security domain's commands: it reads the whole app's routes.
    from service.main import create_app
    from service.security.rolematrix import DOC_PATH, render_markdown

    target = output or DOC_PATH
    content = render_markdown(create_app())
    if check:
        current = target.read_text() if target.exists() else ""
        if current != content:
            fail(f"{target} is stale: run `riverchief docs role-matrix`")
        typer.echo(f"{target} is up to date")
        return
    target.write_text(content)
    typer.echo(f"wrote {target}")


for _domain in DOMAINS:
    if _domain.commands:
        resolve(_domain.commands)(groups)


if __name__ == "__main__":
    app()
