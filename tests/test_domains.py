"""The one list of domains (``service/domains.py``): every declaration resolves, nothing a
domain has goes undeclared, and every entry point runs every declared re-cut hook.

A forgotten declaration fails here:
- a ``routes.py``, ``models.py``, ``cli.py`` or ``demo.py`` in a domain folder that its
  ``Domain`` entry does not name (``test_every_domain_module_is_declared``);
- a table holding a foreign key to ``segment`` in a domain with no re-cut hook
  (``test_per_segment_data_has_a_recut_hook``): re-cutting would orphan its rows;
- a cached read, body limit or capability naming a route the app does not have.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI

from service.domains import DOMAINS, Domain, compose, resolve
from service.security.rolematrix import route_rules
from service.settings import REPO_ROOT, get_settings
from service.tiles.models import LAYER_TABLES
from tests.support import cli_env, scratch_database

SERVICE = REPO_ROOT / "service"
#: Folders under service/ that are not domains, and why.
NOT_DOMAINS = {
    "demo": "the load-demo orchestrator: runs the domains' declared demo steps",
    "geo": "CRS, datum and track-file readers used by several domains",
    "sql": "the named .sql files of every domain",
}


def _declared(module_file: Path) -> str:
    return ".".join(module_file.relative_to(REPO_ROOT).with_suffix("").parts)


def _domain(name: str) -> Domain:
    return next(d for d in DOMAINS if d.name == name)


@pytest.fixture(scope="module")
def app(database_url: str) -> FastAPI:
    from service.main import create_app

    return create_app()


def test_every_declaration_resolves() -> None:
    composition = compose()
    assert [type(r) for r in composition.routers()] == [APIRouter] * sum(
        1 for d in DOMAINS if d.router
    )
    for d in DOMAINS:
        for ref in (*d.on_recut, *(s.run for s in d.demo)):
            assert callable(resolve(ref)), ref
        if d.commands:
            assert callable(resolve(d.commands)), d.commands
    assert DOMAINS[-1].name == "web"  # its catch-all static routes come last


def test_every_domain_module_is_declared() -> None:
    for folder in sorted(p for p in SERVICE.iterdir() if (p / "__init__.py").exists()):
        if folder.name in NOT_DOMAINS:
            continue
        declared = [d for d in DOMAINS if d.name == folder.name]
        assert declared, f"service/{folder.name}/ is not declared in service/domains.py"
        domain = declared[0]
        if (folder / "routes.py").exists():
            assert domain.router == f"service.{folder.name}.routes:router", folder.name
        if (folder / "models.py").exists():
            assert domain.models == f"service.{folder.name}.models", folder.name
        if (folder / "cli.py").exists():
            assert domain.commands == f"service.{folder.name}.cli:register", folder.name
        if (folder / "demo.py").exists():
            module = _declared(folder / "demo.py")
            assert any(s.run.startswith(f"{module}:") for s in domain.demo), folder.name


def test_per_segment_data_has_a_recut_hook() -> None:
    """Re-cutting deletes a river's segments: a table pointing at ``segment`` loses its links
    (ON DELETE SET NULL or CASCADE) unless its domain declares a hook that restores them."""
    from service.models import Base

    #: Tables that point at a segment and need no hook, and why.
    exempt = {
        "segment": "the segments themselves",
        "assignment": "segment_id is an optional detail of a county chief's assignment; its "
        "county_code survives a re-cut (reaches replace it: issue 18)",
    }
    by_module = {d.models: d for d in DOMAINS if d.models}
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table.name in exempt:
            continue
        if not any(fk.column.table.name == "segment" for fk in table.foreign_keys):
            continue
        module = mapper.class_.__module__
        owner = next(
            (d for m, d in by_module.items() if module.startswith(m.rsplit(".", 1)[0])), None
        )
        assert owner is not None, f"{table.name}: no domain declares {module}"
        assert owner.on_recut, f"{table.name} points at segment but {owner.name} has no re-cut hook"


def test_cached_reads_limits_and_capabilities_name_real_routes(app: FastAPI) -> None:
    routes = route_rules(app)
    gets = {r.path for r in routes if r.method == "GET"}
    for path, layers in compose().cached_reads.items():
        assert path in gets, path
        assert set(layers) <= set(LAYER_TABLES), (path, layers)
    for method, pattern, cap in compose().body_limits:
        assert any(method == r.method and pattern.match(r.path) for r in routes), pattern
        assert cap(get_settings()) > get_settings().request_max_bytes // 2
    for name, path in compose().capabilities.items():
        assert path in {r.path for r in routes}, (name, path)


#: Run in a fresh interpreter, so only what the entry point itself loads is loaded: wrap every
#: declared hook in a recorder, load the entry point, re-cut one river through it, and print
#: which hooks ran with which rivers.
ENTRY_POINT_PROBE = r"""
import json, sys
from service import domains

ran = []
def recorder(ref, hook):
    def record(session, river_ids):
        ran.append([ref, sorted(river_ids)])
        return hook(session, river_ids)
    return record

original = domains.resolve
declared = {ref for d in domains.DOMAINS for ref in d.on_recut}
def resolve(ref):
    found = original(ref)
    return recorder(ref, found) if ref in declared else found
domains.resolve = resolve

entry = sys.argv[1]
if entry == "cli":
    from typer.testing import CliRunner
    from service.cli import app
    result = CliRunner().invoke(app, ["import", "rivers", sys.argv[2], "--accuracy-m", "500"])
    assert result.exit_code == 0, result.output
else:
    from service.main import create_app
    from service.db import get_sessionmaker
    from service.rivers.geography import recut_segments
    from sqlalchemy import text
    application = create_app()
    with get_sessionmaker()() as session:
        river = session.scalar(text("SELECT min(id) FROM river"))
        recut_segments(session, [river], application.state.composition.run_recut_hooks)
        session.rollback()
print(json.dumps({"declared": sorted(declared), "ran": ran}))
"""


@pytest.fixture(scope="module")
def entry_database() -> Iterator[str]:
    """Geography and roster only: enough to re-cut (the CLI's re-import commits)."""
    with scratch_database("rc_entry") as url:
        for args in (["db", "upgrade"], ["load-demo", "--no-activity"]):
            subprocess.run(
                [sys.executable, "-m", "service.cli", *args],
                env=cli_env(url),
                cwd=REPO_ROOT,
                check=True,
                capture_output=True,
                timeout=300,
            )
        yield url


@pytest.mark.parametrize("entry", ["app", "cli"])
def test_every_declared_recut_hook_runs_from_every_entry_point(
    entry: str, entry_database: str
) -> None:
    rivers = REPO_ROOT / "gis_data" / "leshan" / "rivers.geojson"
    done = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT_PROBE, entry, str(rivers)],
        env=cli_env(entry_database),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["declared"]) >= 4  # patrols, problems, cross-boundary, governance
    ran = {ref for ref, river_ids in report["ran"] if river_ids}
    assert ran == set(report["declared"]), f"{entry}: hooks that did not run"
