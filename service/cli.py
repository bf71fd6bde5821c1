"""The ``riverchief`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cross_boundary import cli as cross_boundary_cli
from service.errors import DomainError
from service.security import cli as security_cli
from service.todo import cli as todo_cli

app = typer.Typer(help="riverchief: river chief system GIS service", no_args_is_help=True)
db_app = typer.Typer(help="database schema", no_args_is_help=True)
users_app = typer.Typer(help="accounts", no_args_is_help=True)
import_app = typer.Typer(help="import the river office's own layers", no_args_is_help=True)
demo_app = typer.Typer(help="synthetic demo data (marked synthetic)", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(import_app, name="import")
app.add_typer(demo_app, name="demo")
security_cli.register(app, users_app)  # docs role-matrix, backup, restore, users disable…
todo_cli.register(app)  # remind
cross_boundary_cli.register(app)  # cross-boundary refresh


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@db_app.command("upgrade")
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


@users_app.command("create")
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
        report = load_demo(session, activity=not no_activity)
    typer.echo(json.dumps(report, ensure_ascii=False, default=str, indent=2))


@import_app.command("rivers")
def import_rivers_cmd(
    path: Path,
    encoding: Annotated[str | None, typer.Option(help="attribute encoding, e.g. GBK")] = None,
    name_field: Annotated[str | None, typer.Option(help="the attribute holding the name")] = None,
    crs: Annotated[str | None, typer.Option(help="source CRS if the file has none: 4523")] = None,
    datum: Annotated[str, typer.Option(help="wgs84|gcj02")] = "wgs84",
    accuracy_m: Annotated[float | None, typer.Option(help="positional accuracy, m")] = None,
) -> None:
    """Add or update rivers by name from a Shapefile (or .zip), GeoPackage or GeoJSON."""
    import service.cross_boundary  # registers the crossing refresh on re-cut
    import service.patrols  # noqa: F401  (registers the patrol coverage rebuild on re-cut)
    from service.db import get_sessionmaker
    from service.rivers.importer import ImportOptions, import_rivers

    options = ImportOptions(
        encoding=encoding, name_field=name_field, crs=crs, datum=datum, accuracy_m=accuracy_m
    )
    with get_sessionmaker()() as session:
        try:
            report = import_rivers(session, path, options)
            session.commit()
        except DomainError as exc:
            session.rollback()
            fail(exc.message)
            return
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2))


@demo_app.command("patrols")
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


@demo_app.command("province")
def demo_province(
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


if __name__ == "__main__":
    app()
