"""``riverchief import rivers``: the river office loads its own river layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from service.commands import CommandGroups, fail


def import_rivers_cmd(
    path: Path,
    encoding: Annotated[str | None, typer.Option(help="attribute encoding, e.g. GBK")] = None,
    name_field: Annotated[str | None, typer.Option(help="the attribute holding the name")] = None,
    crs: Annotated[str | None, typer.Option(help="source CRS if the file has none: 4523")] = None,
    datum: Annotated[str, typer.Option(help="wgs84|gcj02")] = "wgs84",
    accuracy_m: Annotated[float | None, typer.Option(help="positional accuracy, m")] = None,
) -> None:
    """Add or update rivers by name from a Shapefile (or .zip), GeoPackage or GeoJSON.

    Segments of changed rivers are re-cut, and every domain's re-cut hook runs (problems
    re-snapped, coverage rebuilt, crossings refreshed, health assessments re-linked)."""
    from service.db import get_sessionmaker
    from service.domains import compose
    from service.errors import DomainError
    from service.rivers.importer import ImportOptions, import_rivers

    options = ImportOptions(
        encoding=encoding, name_field=name_field, crs=crs, datum=datum, accuracy_m=accuracy_m
    )
    with get_sessionmaker()() as session:
        try:
            report = import_rivers(session, path, options, on_recut=compose().run_recut_hooks)
            session.commit()
        except DomainError as exc:
            session.rollback()
            fail(exc.message)
            return
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2))


def register(groups: CommandGroups) -> None:
    groups.imports.command("rivers")(import_rivers_cmd)
