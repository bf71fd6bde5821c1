"""``riverchief demo province``: a synthetic province to measure at provincial scale."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from service.commands import CommandGroups, fail


def demo_province_cmd(
    database_url: Annotated[
        str | None,
        typer.Option(
            help="target database (default: riverchief_province on the "
            "configured server); never the Leshan demo's"
        ),
    ] = None,
    counties: Annotated[int, typer.Option(help="about this many counties")] = 130,
    cities: Annotated[int, typer.Option()] = 18,
    rivers: Annotated[int, typer.Option(help="rivers before clipping (~11 segments each)")] = 2600,
    patrols: Annotated[int, typer.Option(help="synthetic patrols with coverage intervals")] = 0,
    year: Annotated[int, typer.Option(help="year of the synthetic patrols")] = 2026,
    replace: Annotated[bool, typer.Option("--replace", help="regenerate if present")] = False,
) -> None:
    """A synthetic province (tens of thousands of segments, a hundred-odd counties) in its own
    database, marked synthetic, to measure tiles and coverage at provincial scale."""
    from service.errors import DomainError
    from service.province.generate import ProvinceSpec, build_province, default_url

    spec = ProvinceSpec(cities=cities, counties=counties, rivers=rivers)
    try:
        report = build_province(
            database_url or default_url(), spec, patrols=patrols, year=year, replace=replace
        )
    except DomainError as exc:
        fail(exc.message)
        return
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2))


def register(groups: CommandGroups) -> None:
    groups.demo.command("province")(demo_province_cmd)
