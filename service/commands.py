"""The command groups of ``riverchief`` that domains add their commands to.

Each domain with commands declares ``commands="service.<domain>.cli:register"`` in
``service.domains.DOMAINS``; ``service/cli.py`` calls every ``register(groups)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import typer


@dataclass(frozen=True)
class CommandGroups:
    app: typer.Typer  # top-level commands: riverchief remind, riverchief backup, ...
    db: typer.Typer  # riverchief db ...
    users: typer.Typer  # riverchief users ...
    imports: typer.Typer  # riverchief import ...
    demo: typer.Typer  # riverchief demo ...


def fail(message: str, code: int = 1) -> None:
    """Print ``error: message`` on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
