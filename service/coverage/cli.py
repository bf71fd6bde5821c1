"""``riverchief coverage rebuild`` and ``riverchief coverage check``."""

from __future__ import annotations

import json

import typer

from service.commands import CommandGroups, fail

coverage_app = typer.Typer(help="The coverage store: per segment and day, merged on write.")


@coverage_app.command("rebuild")
def rebuild_cmd() -> None:
    """Rebuild the coverage store from the stored intervals (after a bulk load or a fault)."""
    from service.coverage.store import rebuild
    from service.db import get_sessionmaker

    with get_sessionmaker()() as session:
        report = rebuild(session)
        session.commit()
    typer.echo(json.dumps(report))


@coverage_app.command("check")
def check_cmd() -> None:
    """Compare the store with a full recompute from the intervals; exit 1 if they differ."""
    from service.coverage.store import check
    from service.db import get_sessionmaker

    with get_sessionmaker()() as session:
        found = check(session)
    if found:
        for m in found[:20]:
            typer.echo(
                f"{m.kind} {m.key} {m.grain} {m.period_start}: stored {m.stored}, "
                f"recomputed {m.recomputed}",
                err=True,
            )
        fail(f"{len(found)} stored rows differ from the recompute: run riverchief coverage rebuild")
    typer.echo(json.dumps({"differences": 0}))


def register(groups: CommandGroups) -> None:
    groups.app.add_typer(coverage_app, name="coverage")
