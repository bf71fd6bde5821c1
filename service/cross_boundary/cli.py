"""``riverchief cross-boundary ...``: recompute crossings and shared borders by hand."""

from __future__ import annotations

import json

import typer

from service.commands import CommandGroups

cross_boundary_app = typer.Typer(
    help="cross-boundary crossings and shared borders", no_args_is_help=True
)


@cross_boundary_app.command("refresh")
def refresh() -> None:
    """Recompute every river's crossings and the shared borders (after areas changed)."""
    from service.cross_boundary.crossings import refresh_all
    from service.db import get_sessionmaker

    with get_sessionmaker()() as session:
        report = refresh_all(session)
        session.commit()
    typer.echo(json.dumps(report))


def register(groups: CommandGroups) -> None:
    groups.app.add_typer(cross_boundary_app, name="cross-boundary")
