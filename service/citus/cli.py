"""``riverchief db distribute``: the schema onto a Citus cluster (issue 23)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from service.commands import CommandGroups, fail


def distribute_cmd(
    shard_count: Annotated[
        int | None, typer.Option(help="shards per distributed table (default citus.shard_count)")
    ] = None,
) -> None:
    """Distribute patrols, problems and their history by region_code on the Citus coordinator
    (DATABASE_URL); every other table becomes a reference table (docs/scaling.md)."""
    from service.citus.distribute import distribute
    from service.db import get_engine
    from service.errors import DomainError

    try:
        with get_engine().begin() as conn:
            report = distribute(conn, shard_count=shard_count)
    except DomainError as exc:
        fail(exc.message)
        return
    typer.echo(json.dumps(asdict(report), indent=2))


def register(groups: CommandGroups) -> None:
    groups.db.command("distribute")(distribute_cmd)
