"""``riverchief demo patrols``: more synthetic patrols for a year."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from service.commands import CommandGroups, fail


def demo_patrols_cmd(
    year: Annotated[int, typer.Option(help="calendar year of the patrols")],
    count: Annotated[int, typer.Option(help="how many synthetic patrols to add")] = 100,
) -> None:
    """Add synthetic patrols along the Leshan rivers (is_synthetic), matched and judged."""
    from service.db import get_sessionmaker
    from service.patrols.demo import generate
    from service.timeutil import today_local

    today = today_local()
    if year > today.year or count < 1:
        fail("give a year up to this one and a positive --count")
    with get_sessionmaker()() as session:
        report = generate(session, year, count, until=today if year == today.year else None)
        session.commit()
    typer.echo(json.dumps({"year": year, **report}, ensure_ascii=False))


def register(groups: CommandGroups) -> None:
    groups.demo.command("patrols")(demo_patrols_cmd)
