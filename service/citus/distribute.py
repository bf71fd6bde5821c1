"""Distribute the schema on a Citus coordinator (docs/scaling.md, "Schema changes for Citus").

Run once after ``riverchief db upgrade`` on the coordinator, before or after loading data:

- the tables of patrols, their uploads and covered intervals, problems, their photos and the
  workflow history are distributed by ``region_code`` (the city code), all co-located with
  ``patrol``; their primary and unique keys and the foreign keys between them get
  ``region_code`` first;
- ``layer_version_region`` is distributed the same way (a trigger on a shard bumps its own
  region's row, on its own node);
- every other table of the schema becomes a reference table (a copy on every node), except
  ``layer_version`` and ``alembic_version``, which stay on the coordinator;
- foreign keys Citus cannot keep (from a reference table to a distributed one, and between
  distributed rows of possibly different regions) are dropped; ``DROPPED_FOREIGN_KEYS`` says
  why for each.

Idempotent: a table already distributed is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from service.errors import Conflict

#: Distributed by region_code, co-located with ``patrol`` (the first one), in this order.
DISTRIBUTED: tuple[str, ...] = (
    "patrol_upload",
    "patrol",
    "patrol_coverage",
    "problem",
    "problem_photo",
    "workflow_event",
    "layer_version_region",
)
#: Triggers of the incremental coverage store (issue 22, migration 0016) on the distributed
#: tables. They refresh the store, keyed by segment, from all regions' intervals of a segment:
#: on a shard that is a read of other nodes' shards and a write of reference tables, which
#: Citus refuses inside a trigger. On Citus they are dropped: the store is not kept up to
#: date there (docs/scaling.md, "Not done").
STORE_TRIGGERS: tuple[tuple[str, str], ...] = (
    ("patrol_coverage", "trg_coverage_on_intervals_insert"),
    ("patrol_coverage", "trg_coverage_on_intervals_delete"),
    ("patrol_coverage", "trg_coverage_on_intervals_update"),
    ("patrol", "trg_coverage_on_patrols_update"),
    ("patrol", "trg_coverage_on_patrols_delete"),
    ("patrol", "trg_patrol_coverage_truncate"),
    ("patrol_coverage", "trg_patrol_coverage_coverage_truncate"),
)
#: The coverage store (migration 0016): its columns are of a multirange type, which Citus 13.0
#: cannot create on the workers, so it cannot be a reference table; it stays on the
#: coordinator, without its foreign keys to segments and rivers (reference tables).
STORE_TABLES: tuple[str, ...] = (
    "coverage_segment_period",
    "coverage_river_period",
    "coverage_county_river_period",
    "coverage_segment_version",
)
#: Tables that stay on the coordinator only.
LOCAL: frozenset[str] = frozenset(
    {"layer_version", "alembic_version", "spatial_ref_sys", *STORE_TABLES}
)

#: Primary and unique keys of the distributed tables, with region_code first.
KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # table: ((constraint, kind, columns), ...)
    "patrol_upload": (("patrol_upload_pkey", "PRIMARY KEY", "region_code, sha256"),),
    "patrol": (
        ("patrol_pkey", "PRIMARY KEY", "region_code, id"),
        ("uq_patrol_chief_upload", "UNIQUE", "region_code, chief_id, upload_sha256"),
        ("patrol_client_id_key", "UNIQUE", "region_code, client_id"),
    ),
    "patrol_coverage": (
        ("patrol_coverage_pkey", "PRIMARY KEY", "region_code, patrol_id, segment_id, start_frac"),
    ),
    "problem": (("problem_pkey", "PRIMARY KEY", "region_code, id"),),
    "problem_photo": (("problem_photo_pkey", "PRIMARY KEY", "region_code, id"),),
    "workflow_event": (
        ("workflow_event_pkey", "PRIMARY KEY", "region_code, id"),
        ("uq_workflow_event_seq", "UNIQUE", "region_code, entity_type, entity_id, seq"),
    ),
}

#: Foreign keys between distributed tables, recreated with region_code.
REGIONAL_FOREIGN_KEYS: dict[str, tuple[str, str, str]] = {
    # constraint: (table, definition, ON DELETE action)
    "patrol_upload_sha256_fkey": (
        "patrol",
        "FOREIGN KEY (region_code, upload_sha256) REFERENCES patrol_upload (region_code, sha256)",
        "",
    ),
    "patrol_coverage_patrol_id_fkey": (
        "patrol_coverage",
        "FOREIGN KEY (region_code, patrol_id) REFERENCES patrol (region_code, id)",
        " ON DELETE CASCADE",
    ),
    "problem_photo_problem_id_fkey": (
        "problem_photo",
        "FOREIGN KEY (region_code, problem_id) REFERENCES problem (region_code, id)",
        " ON DELETE CASCADE",
    ),
}

#: Foreign keys dropped on Citus, and why (the column stays, with its index).
DROPPED_FOREIGN_KEYS: dict[str, tuple[str, str]] = {
    "problem_patrol_id_fkey": (
        "problem",
        "a problem's region is its county's city, its patrol's is the chief's: they may differ",
    ),
    "problem_duplicate_of_fkey": (
        "problem",
        "a duplicate may be reported across a city border (another region)",
    ),
    "action_item_patrol_id_fkey": ("action_item", "reference table -> distributed table"),
    "inspection_finding_problem_id_fkey": (
        "inspection_finding",
        "reference table -> distributed table",
    ),
    "public_report_problem_id_fkey": ("public_report", "reference table -> distributed table"),
    "section_exceedance_problem_id_fkey": (
        "section_exceedance",
        "reference table -> distributed table",
    ),
}


@dataclass
class DistributeReport:
    distributed: list[str] = field(default_factory=list)
    reference: list[str] = field(default_factory=list)
    dropped_foreign_keys: list[str] = field(default_factory=list)
    dropped_triggers: list[str] = field(default_factory=list)
    already: bool = False


def is_citus(conn: Connection) -> bool:
    return bool(
        conn.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")).scalar()
    )


def _citus_tables(conn: Connection) -> set[str]:
    return {
        str(name)
        for (name,) in conn.execute(
            text("SELECT logicalrelid::regclass::text FROM pg_dist_partition")
        )
    }


def _tables(conn: Connection) -> list[str]:
    return [
        str(name)
        for (name,) in conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                "ORDER BY c.relname"
            )
        )
    ]


def _references(conn: Connection) -> dict[str, set[str]]:
    """table -> the tables its foreign keys point at (itself excluded)."""
    out: dict[str, set[str]] = {}
    for src, dst in conn.execute(
        text(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        )
    ):
        if src != dst:
            out.setdefault(str(src), set()).add(str(dst))
    return out


def _has_constraint(conn: Connection, table: str, name: str) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT count(*) FROM pg_constraint WHERE conname = :n "
                "AND conrelid = to_regclass(:t)"
            ),
            {"n": name, "t": table},
        ).scalar()
    )


def _dependents(conn: Connection, table: str) -> list[tuple[str, str]]:
    """Foreign keys pointing at ``table``: (table, constraint)."""
    return [
        (str(t), str(c))
        for t, c in conn.execute(
            text(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid = to_regclass(:t) AND conrelid <> confrelid"
            ),
            {"t": table},
        )
    ]


def distribute(conn: Connection, *, shard_count: int | None = None) -> DistributeReport:
    """Distribute the schema (see the module docstring); ``conn`` is in a transaction."""
    if not is_citus(conn):
        raise Conflict(
            "the database has no Citus extension: `riverchief db distribute` runs on a Citus "
            "coordinator (make citus-up); one PostGIS needs nothing",
            code="not_citus",
        )
    report = DistributeReport()
    done = _citus_tables(conn)
    tables = set(_tables(conn))
    distributed = [t for t in DISTRIBUTED if t in tables]
    if "patrol" in done:
        report.already = True
        return report
    conn.execute(text("SET LOCAL citus.enable_unsafe_triggers = on"))
    conn.execute(text("SET LOCAL citus.multi_shard_modify_mode = 'sequential'"))
    if shard_count:
        conn.execute(text(f"SET LOCAL citus.shard_count = {int(shard_count)}"))
    db = conn.execute(text("SELECT current_database()")).scalar_one()
    conn.execute(text(f'ALTER DATABASE "{db}" SET citus.enable_repartition_joins = on'))
    conn.execute(text(f'ALTER DATABASE "{db}" SET citus.enable_unsafe_triggers = on'))
    # One connection per worker for multi-shard writes: the app mixes them with reads of
    # reference tables in one transaction (docs/scaling.md).
    conn.execute(text(f'ALTER DATABASE "{db}" SET citus.multi_shard_modify_mode = sequential'))
    conn.execute(text("SET LOCAL citus.enable_repartition_joins = on"))

    # 1. Foreign keys Citus cannot keep, and the regional ones (recreated after the keys).
    for name, (table, _why) in DROPPED_FOREIGN_KEYS.items():
        if _has_constraint(conn, table, name):
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
            report.dropped_foreign_keys.append(f"{table}.{name}")
    for name, (table, _definition, _action) in REGIONAL_FOREIGN_KEYS.items():
        if _has_constraint(conn, table, name):
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
    for table in distributed:
        for src, name in _dependents(conn, table):
            if src not in distributed:  # a reference table pointing at a distributed one
                conn.execute(text(f"ALTER TABLE {src} DROP CONSTRAINT {name}"))
                report.dropped_foreign_keys.append(f"{src}.{name}")

    for table in STORE_TABLES:
        for name in conn.execute(
            text(
                "SELECT conname FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid = to_regclass(:t)"
            ),
            {"t": table},
        ).scalars():
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
            report.dropped_foreign_keys.append(f"{table}.{name}")
    for table, trigger in STORE_TRIGGERS:
        exists = conn.execute(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = :n AND tgrelid = to_regclass(:t)"),
            {"n": trigger, "t": table},
        ).scalar()
        if exists:
            conn.execute(text(f"DROP TRIGGER {trigger} ON {table}"))
            report.dropped_triggers.append(f"{table}.{trigger}")

    # 2. region_code into the keys (the column itself comes from migration 0017).
    for table in distributed:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS region_code varchar(6)"))
        for name, kind, columns in KEYS.get(table, ()):
            if _has_constraint(conn, table, name):
                conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
            conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {kind} ({columns})"))
    # 3. Reference tables, the ones pointed at first.
    refs = _references(conn)
    reference = sorted(tables - set(distributed) - LOCAL)
    placed: set[str] = set()

    def place(table: str, path: tuple[str, ...] = ()) -> None:
        if table in placed or table in path:
            return
        for target in sorted(refs.get(table, ())):
            if target in reference:
                place(target, (*path, table))
        conn.execute(text("SELECT create_reference_table(CAST(:t AS regclass))"), {"t": table})
        placed.add(table)
        report.reference.append(table)

    for table in reference:
        place(table)

    # 4. Distributed tables by region, co-located with patrol.
    first = "patrol"
    for table in ["patrol"] + [t for t in distributed if t != "patrol"]:
        conn.execute(
            text(
                "SELECT create_distributed_table(CAST(:t AS regclass), 'region_code', "
                "colocate_with => :c)"
            ),
            {"t": table, "c": "default" if table == first else first},
        )
        report.distributed.append(table)

    # 5. Foreign keys between co-located tables, now that both sides are distributed.
    for name, (table, definition, action) in REGIONAL_FOREIGN_KEYS.items():
        conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}{action}"))
    return report
