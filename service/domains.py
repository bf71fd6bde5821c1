"""The one list of riverchief's domains and what each contributes.

Read ``DOMAINS`` to see how the service is put together. ``create_app()`` (service/main.py),
the ``riverchief`` command (service/cli.py), jobs and the tests all load this list through
``compose()``; no module registers anything by being imported. A domain that adds a router,
tables, work to redo when river segments are re-cut, demo activity, a cached map read, a
file upload, a capability the map page asks about or a command declares it here, in its own
entry; ``tests/test_domains.py`` resolves every declaration and checks that each re-cut hook
runs from every entry point.

Why strings ("module:attribute") rather than imported objects: the list stays readable at a
glance, this module imports nothing of the domains (so any layer may name it without an
import cycle), and the command line does not import the web application to print its help.
pygeoapi's plugin table works the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from service.settings import Settings

#: "package.module:attribute", resolved by ``resolve`` when composing.
Ref = str

#: Work on per-segment data after segments of some rivers were re-cut: (session, river_ids).
RecutHook = Callable[["Session", list[int]], object]
#: A demo activity step: (session) -> a short report.
DemoRun = Callable[["Session"], object]
#: A reaction to a domain event, in the emitting transaction: (session, event) -> a result.
EventHook = Callable[["Session", Any], object]

#: The domain events a domain may react to (``on_events``): who emits them, and what with.
#: - ``workflow.transition``: the workflow engine after every history row
#:   (``service.workflow.engine.Transitioned``: the entity and its ``WorkflowEvent``);
#: - ``public.reply``: the office replied to a public report (``service.public.service.Replied``);
#: - ``todo.remind``: ``riverchief remind`` recorded the day's reminders
#:   (``service.todo.remind.Reminded``: the day and the days ahead);
#: - ``water_quality.section_exceeded``: a monitoring section was worse than its target in a
#:   month (``service.water_quality.schemas.SectionExceeded``, from the readings' import).
EVENTS = frozenset(
    {"workflow.transition", "public.reply", "todo.remind", "water_quality.section_exceeded"}
)


@dataclass(frozen=True)
class CachedRead:
    """A GET path answered from memory while the layers it reads keep their versions
    (``service.tiles.models.LAYER_TABLES`` names the tables of each layer)."""

    path: str
    layers: tuple[str, ...]


@dataclass(frozen=True)
class BodyLimit:
    """Routes taking files: (method, path pattern) -> the body cap in bytes from settings."""

    method: str
    pattern: str
    cap: Callable[[Settings], int]


@dataclass(frozen=True)
class DemoStep:
    """One step of ``riverchief load-demo``'s synthetic activity (idempotent, marked
    synthetic). Steps run in the order of ``DOMAINS``, then in the order given here."""

    label: str
    run: Ref


@dataclass(frozen=True)
class Domain:
    """What one folder under ``service/`` contributes. Every field but ``name`` is optional."""

    name: str
    #: The APIRouter included by ``create_app`` (in the order of ``DOMAINS``).
    router: Ref | None = None
    #: The module of its tables (imported for ``Base.metadata``: Alembic, tests, relationships).
    models: str | None = None
    #: Run after segments are re-cut (river import, load-demo): per-segment data follows.
    on_recut: tuple[Ref, ...] = ()
    demo: tuple[DemoStep, ...] = ()
    cached_reads: tuple[CachedRead, ...] = ()
    body_limits: tuple[BodyLimit, ...] = ()
    #: capability -> the route path whose presence lets the map page call it.
    capabilities: Mapping[str, str] = field(default_factory=dict)
    #: ``register(groups: service.commands.CommandGroups)``: adds the domain's commands.
    commands: Ref | None = None
    #: Called once per process before any session is made (e.g. the audit log's listeners).
    session_setup: Ref | None = None
    #: Domain events (``EVENTS``) -> hooks run in the emitting transaction, in the order of
    #: ``DOMAINS``: what the change means for this domain (e.g. a notification to queue).
    on_events: Mapping[str, tuple[Ref, ...]] = field(default_factory=dict)


#: Room for multipart boundaries and the small form fields next to the file(s).
FORM_OVERHEAD = 256 * 1024

DOMAINS: tuple[Domain, ...] = (
    Domain(
        "security",  # audit log, backups, OpenAPI completion, account lifecycle commands
        router="service.security.routes:router",
        models="service.security.models",
        commands="service.security.cli:register",
        session_setup="service.security.audit:install",
    ),
    Domain(
        "auth",
        router="service.auth.routes:router",
        models="service.auth.models",
        capabilities={"download_links": "/api/v1/download-links"},
        commands="service.auth.cli:register",
    ),
    Domain(
        "rivers",
        router="service.rivers.routes:router",
        models="service.rivers.models",
        cached_reads=(CachedRead("/api/v1/rivers", ("registry",)),),
        commands="service.rivers.cli:register",
    ),
    Domain("areas", router="service.areas.routes:router", models="service.areas.models"),
    Domain(
        "officials",
        router="service.officials.routes:router",
        models="service.officials.models",
    ),
    Domain("workflow", models="service.workflow.models"),
    Domain(
        "reaches",  # 河段 at four levels, who is responsible here, township offices (issue 18)
        router="service.reaches.routes:router",
        models="service.reaches.models",
        # Before patrols and problems: patrol validity and problem routing read the reaches.
        on_recut=("service.reaches.placement:place_reaches",),
        demo=(DemoStep("reach patrols", "service.reaches.demo:load_demo_reach_patrols"),),
        cached_reads=(CachedRead("/api/v1/reaches.geojson", ("reaches", "registry")),),
        capabilities={
            "reaches": "/api/v1/reaches",
            "reaches_geojson": "/api/v1/reaches.geojson",
            "responsibility": "/api/v1/responsibility",
            "reach_cut": "/api/v1/reaches/snap",
        },
    ),
    Domain(
        "cross_boundary",
        router="service.cross_boundary.routes:router",
        models="service.cross_boundary.models",
        on_recut=("service.cross_boundary.crossings:refresh_after_recut",),
        # First: agreements and joint meetings exist before the patrols and problems near them.
        demo=(DemoStep("cross-boundary", "service.cross_boundary.demo:load_demo_cross_boundary"),),
        capabilities={
            "cross_boundary": "/api/v1/cross-boundary",
            "cross_boundary_view": "/api/v1/cross-boundary/{neighbor_code}",
            "cross_boundary_brief": "/api/v1/cross-boundary/{neighbor_code}/brief",
        },
        commands="service.cross_boundary.cli:register",
    ),
    Domain(
        "patrols",
        router="service.patrols.routes:router",
        models="service.patrols.models",
        on_recut=("service.patrols.matching:rebuild_after_recut",),
        demo=(DemoStep("patrols", "service.patrols.demo:load_demo_patrols"),),
        cached_reads=(CachedRead("/api/v1/coverage", ("segments", "coverage")),),
        body_limits=(
            BodyLimit("POST", r"^/api/v1/patrols/?$", lambda s: s.track_max_bytes + FORM_OVERHEAD),
        ),
        capabilities={
            "coverage": "/api/v1/coverage",
            "coverage_segments": "/api/v1/coverage/segments.geojson",
            "patrols": "/api/v1/patrols",
            "patrol_track": "/api/v1/patrols/{patrol_id}/track.geojson",
            "compliance": "/api/v1/compliance",
        },
        commands="service.patrols.cli:register",
    ),
    Domain(
        "coverage",  # merged on write per segment and day, month, year (issue 22)
        models="service.coverage.models",
        # After patrols' re-match: the rivers' patrol counts of every day follow.
        on_recut=("service.coverage.store:after_recut",),
        commands="service.coverage.cli:register",
        # On Citus (no triggers on distributed tables) writers' notes refresh it at commit.
        session_setup="service.coverage.sync:install",
    ),
    Domain(
        "problems",
        router="service.problems.routes:router",
        models="service.problems.models",
        on_recut=("service.problems.service:resnap_after_recut",),
        # After patrols: some problems are found on synthetic patrols.
        demo=(DemoStep("problems", "service.problems.demo:load_demo_problems"),),
        cached_reads=(CachedRead("/api/v1/problems.geojson", ("problems",)),),
        body_limits=(
            BodyLimit(
                "POST",
                r"^/api/v1/problems/[^/]+/photos/?$",
                lambda s: s.photo_max_bytes + FORM_OVERHEAD,
            ),
        ),
        capabilities={
            "problems": "/api/v1/problems",
            "problems_geojson": "/api/v1/problems.geojson",
            "problem_photos": "/api/v1/problems/{problem_id}/photos",
        },
    ),
    Domain(
        "governance",
        router="service.governance.routes:router",
        models="service.governance.models",
        on_recut=("service.governance.hooks:relink_after_recut",),
        demo=(DemoStep("governance", "service.governance.demo:load_demo_governance"),),
    ),
    Domain(
        "water_quality",  # monitoring sections (监测断面), readings, classes, exceedances
        router="service.water_quality.routes:router",
        models="service.water_quality.models",
        # After problems' re-snap: problems opened by a section follow the reach that answers
        # for it (just upstream), not the nearest segment; sections re-snap to a new line.
        on_recut=("service.water_quality.registry:resnap_after_recut",),
        # After governance: its demo health assessments type the water-quality score by hand,
        # which a river with readings of that year no longer takes.
        demo=(DemoStep("water quality", "service.water_quality.demo:load_demo_water_quality"),),
        cached_reads=(CachedRead("/api/v1/sections.geojson", ("sections",)),),
        body_limits=(
            BodyLimit(
                "POST",
                r"^/api/v1/sections/readings/import/?$",
                lambda s: s.readings_max_bytes + FORM_OVERHEAD,
            ),
        ),
        capabilities={
            "sections": "/api/v1/sections",
            "sections_geojson": "/api/v1/sections.geojson",
            "sections_import": "/api/v1/sections/readings/import",
            "water_quality": "/api/v1/water-quality",
            "water_quality_series": "/api/v1/water-quality/series",
        },
    ),
    Domain(
        "archive",  # 一河一档: each river's archive (issue 19)
        router="service.archive.routes:router",
        models="service.archive.models",
        capabilities={"river_archive": "/api/v1/rivers/{river_id}/archive"},
    ),
    Domain(
        "signboards",  # 公示牌: boards by reaches, QR codes, printable boards, /r pages (issue 19)
        router="service.signboards.routes:router",
        models="service.signboards.models",
        # After the reaches' demo roster: a board at each county reach names its chiefs.
        demo=(DemoStep("signboards", "service.signboards.demo:load_demo_signboards"),),
        body_limits=(
            BodyLimit(
                "POST",
                r"^/api/v1/signboards/[^/]+/photo/?$",
                lambda s: s.photo_max_bytes + FORM_OVERHEAD,
            ),
        ),
        capabilities={"signboards": "/api/v1/signboards"},
    ),
    Domain(
        "public",
        router="service.public.routes:router",
        models="service.public.models",
        # After problems: accepted reports become problems.
        demo=(DemoStep("public reports", "service.public.demo:load_demo_public"),),
        body_limits=(
            BodyLimit(
                "POST",
                r"^/api/v1/public/reports/?$",
                lambda s: 3 * s.photo_max_bytes + FORM_OVERHEAD,
            ),
        ),
        capabilities={"public_reports": "/api/v1/public/reports"},
    ),
    Domain(
        "todo",
        router="service.todo.routes:router",
        models="service.todo.models",
        capabilities={"todo": "/api/v1/me/todo"},
        commands="service.todo.cli:register",
    ),
    Domain(
        "notifications",  # 企业微信, 钉钉, SMS, e-mail; the outbox and its worker (issue 21)
        router="service.notifications.routes:router",
        models="service.notifications.models",
        capabilities={
            "notifications": "/api/v1/me/notification-preferences",
            "notification_outbox": "/api/v1/notifications/outbox",
        },
        commands="service.notifications.cli:register",
        on_events={
            "workflow.transition": ("service.notifications.hooks:on_transition",),
            "public.reply": ("service.notifications.hooks:on_public_reply",),
            "todo.remind": ("service.notifications.hooks:after_remind",),
            "water_quality.section_exceeded": ("service.notifications.hooks:on_section_exceeded",),
        },
    ),
    Domain(
        "exports",  # layers as GeoPackage/GeoJSON, tables as XLSX (issue 15)
        router="service.exports.routes:router",
        body_limits=(
            BodyLimit("POST", r"^/api/v1/exports/table\.xlsx$", lambda s: s.table_export_max_bytes),
        ),
        capabilities={
            "exports": "/api/v1/exports/problems.{fmt}",
            "table_xlsx": "/api/v1/exports/table.xlsx",
        },
    ),
    Domain(
        "search",  # one box: rivers, counties, officials, problems (issue 15)
        router="service.search.routes:router",
        capabilities={"search": "/api/v1/search"},
    ),
    Domain(
        "stats",  # issue 17: the 驾驶舱 overview and its page
        router="service.stats.routes:router",
        capabilities={
            "stats": "/api/v1/stats/overview",
            "river_panel": "/api/v1/stats/rivers/{river_id}",
        },
    ),
    Domain("tiles", router="service.tiles.routes:router", models="service.tiles.models"),
    Domain("ogc", router="service.ogc.routes:router"),
    Domain("province", commands="service.province.cli:register"),
    # Running on a Citus cluster: `riverchief db distribute` (issue 23, docs/scaling.md).
    Domain("citus", commands="service.citus.cli:register"),
    Domain(
        "web",  # last: it serves "/" and the static files
        router="service.web.routes:router",
        cached_reads=(
            CachedRead("/api/v1/map/rivers.geojson", ("registry",)),
            CachedRead("/api/v1/map/areas.geojson", ("areas",)),
        ),
    ),
)


def resolve(ref: Ref) -> Any:
    """The object a "module:attribute" reference names (ImportError/AttributeError if none)."""
    module, _, attribute = ref.partition(":")
    if not attribute:
        raise ValueError(f"{ref!r} is not of the form 'module:attribute'")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class Composition:
    """The declarations of ``DOMAINS``, resolved: what the app, the CLI and jobs run with."""

    domains: tuple[Domain, ...]
    #: (declared name "domain:ref", hook) in the order of ``DOMAINS``.
    recut_hooks: tuple[tuple[str, RecutHook], ...]
    demo_steps: tuple[tuple[str, DemoRun], ...]
    cached_reads: Mapping[str, tuple[str, ...]]
    body_limits: tuple[tuple[str, re.Pattern[str], Callable[[Settings], int]], ...]
    capabilities: Mapping[str, str]
    #: event -> (declared name "domain:ref", hook) in the order of ``DOMAINS``.
    event_hooks: Mapping[str, tuple[tuple[str, EventHook], ...]] = field(default_factory=dict)

    def routers(self) -> list[APIRouter]:
        return [resolve(d.router) for d in self.domains if d.router]

    def command_registrars(self) -> list[Callable[..., None]]:
        return [resolve(d.commands) for d in self.domains if d.commands]

    def run_recut_hooks(self, session: Session, river_ids: list[int]) -> list[str]:
        """Every declared re-cut hook, in order; returns their names (for reports and tests)."""
        ran = []
        for name, hook in self.recut_hooks:
            hook(session, river_ids)
            ran.append(name)
        return ran

    def emit(self, session: Session, event_name: str, event: object) -> list[object]:
        """Run every hook declared for ``event_name`` in the caller's transaction, in order;
        returns their results. Producers call this explicitly where the change is made."""
        if event_name not in EVENTS:
            raise KeyError(f"unknown domain event {event_name!r}: add it to EVENTS")
        return [hook(session, event) for _name, hook in self.event_hooks.get(event_name, ())]


def _check_unique(kind: str, keys: list[str]) -> None:
    seen = {k for k in keys if keys.count(k) > 1}
    if seen:
        raise ValueError(f"{kind} declared by more than one domain: {sorted(seen)}")


def _compose(domains: tuple[Domain, ...]) -> Composition:
    _check_unique("domain names", [d.name for d in domains])
    _check_unique("cached reads", [c.path for d in domains for c in d.cached_reads])
    _check_unique("capabilities", [k for d in domains for k in d.capabilities])
    unknown = {e for d in domains for e in d.on_events} - EVENTS
    if unknown:
        raise ValueError(f"hooks declared for unknown domain events: {sorted(unknown)}")
    for d in domains:
        if d.models:
            import_module(d.models)
        if d.session_setup:
            resolve(d.session_setup)()
    from service import db

    db.sessions_configured()
    return Composition(
        domains=domains,
        recut_hooks=tuple((f"{d.name}:{ref}", resolve(ref)) for d in domains for ref in d.on_recut),
        demo_steps=tuple((s.label, resolve(s.run)) for d in domains for s in d.demo),
        cached_reads={c.path: c.layers for d in domains for c in d.cached_reads},
        body_limits=tuple(
            (b.method, re.compile(b.pattern), b.cap) for d in domains for b in d.body_limits
        ),
        capabilities={k: v for d in domains for k, v in d.capabilities.items()},
        event_hooks={
            name: tuple(
                (f"{d.name}:{ref}", resolve(ref))
                for d in domains
                for ref in d.on_events.get(name, ())
            )
            for name in sorted(EVENTS)
        },
    )


@lru_cache
def compose() -> Composition:
    """Resolve ``DOMAINS`` once per process: import the table modules, run the session setup
    (so every session writes the audit log) and collect what each domain contributes."""
    return _compose(DOMAINS)
