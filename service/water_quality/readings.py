"""Writes of readings: spreadsheet import (with a dry run) and hand entry.

Everything is checked before anything is written: a file with any bad row is refused whole
(422, every bad row with its number and reason, and the preview of the good ones), so nothing
of it is imported. Good readings are classified (``standard.classify``), stored, and the
months they touch are checked against the sections' targets (``exceedance.check_sections``)
in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput
from service.settings import get_settings
from service.timeutil import today_local
from service.water_quality.aggregate import month_start
from service.water_quality.exceedance import SectionExceeded, check_sections
from service.water_quality.models import Section, SectionReading, SectionReadingImport
from service.water_quality.schemas import BadRow as BadRowOut
from service.water_quality.schemas import ReadingIn, ReadingOut
from service.water_quality.spreadsheet import BadRow, ParsedRow, date_fault, parse, parse_value
from service.water_quality.standard import BY_CODE, class_label, classify
from service.workflow import Actor


@dataclass(frozen=True)
class ImportResult:
    dry_run: bool
    import_id: int | None
    readings: list[ReadingOut]
    exceedances: list[SectionExceeded]


def reading_out(
    section: Section,
    sampled_on: date,
    kind: str,
    values: dict[str, float],
    below: list[str],
    *,
    reading_id: int | None = None,
    row: int | None = None,
    synthetic: bool = False,
) -> ReadingOut:
    """A reading as ``ReadingOut`` (classified here, so a preview and a stored reading agree)."""
    c = classify(values)
    return ReadingOut(
        id=reading_id,
        section_id=section.id,
        section_code=section.code,
        sampled_on=sampled_on,
        kind=kind,  # type: ignore[arg-type]  # ck_section_reading_kind
        values=values,
        below_detection=below,
        water_class=c.water_class,
        label=class_label(c.water_class),
        by_parameter=c.by_parameter,
        worst_parameters=list(c.worst),
        ph_in_range=c.ph_in_range,
        target_class=section.target_class,
        target_met=c.meets(section.target_class),
        row=row,
        is_synthetic=synthetic,
    )


def stored_reading(section: Section, r: SectionReading, row: int | None = None) -> ReadingOut:
    values = {c: getattr(r, c) for c in BY_CODE if getattr(r, c) is not None}
    return reading_out(
        section,
        r.sampled_on,
        r.kind,
        values,
        list(r.below_detection),
        reading_id=r.id,
        row=row,
        synthetic=r.is_synthetic,
    )


def _new_reading(
    section: Section,
    sampled_on: date,
    kind: str,
    values: dict[str, float],
    below: list[str],
    source: str,
    actor: Actor | None,
    synthetic: bool,
) -> SectionReading:
    c = classify(values)
    return SectionReading(
        section_id=section.id,
        sampled_on=sampled_on,
        kind=kind,
        **{code: values.get(code) for code in BY_CODE},
        below_detection=below,
        water_class=c.water_class,
        worst_parameters=list(c.worst),
        ph_in_range=c.ph_in_range,
        target_met=c.meets(section.target_class),
        source=source,
        entered_by=actor.id if actor is not None else None,
        is_synthetic=synthetic,
    )


def _already_stored(
    session: Session, rows: list[ParsedRow], sections: dict[str, Section]
) -> list[BadRow]:
    keys = [(sections[r.section_code].id, r.sampled_on) for r in rows]
    if not keys:
        return []
    found = {
        (sid, day): rid
        for sid, day, rid in session.execute(
            select(SectionReading.section_id, SectionReading.sampled_on, SectionReading.id).where(
                tuple_(SectionReading.section_id, SectionReading.sampled_on).in_(keys)
            )
        )
    }
    return [
        BadRow(
            r.row,
            None,
            "already_imported",
            f"section {r.section_code} already has a reading on {r.sampled_on} "
            f"(reading {found[key]})",
        )
        for r, key in zip(rows, keys, strict=True)
        if key in found
    ]


def _refusal(bad: list[BadRow], previews: list[ReadingOut]) -> InvalidInput:
    refused = sorted(bad, key=lambda b: (b.row, b.column or ""))
    return InvalidInput(
        f"{len({b.row for b in refused})} row(s) refused; nothing was imported",
        code="bad_rows",
        refused=[BadRowOut(**asdict(b)).model_dump(mode="json") for b in refused],
        rows=len(previews),
        readings=[p.model_dump(mode="json", by_alias=True) for p in previews],
    )


def _check(
    session: Session,
    rows: list[tuple[Section, SectionReading]],
    actor: Actor | None,
    synthetic: bool,
    now: datetime | None,
) -> list[SectionExceeded]:
    months: dict[int, set[date]] = defaultdict(set)
    for section, reading in rows:
        months[section.id].add(month_start(reading.sampled_on))
    return check_sections(session, dict(months), actor, now=now, synthetic=synthetic)


def import_readings(
    session: Session,
    filename: str,
    content: bytes,
    actor: Actor | None,
    *,
    dry_run: bool = False,
    today: date | None = None,
    synthetic: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Import (or with ``dry_run`` preview) a readings spreadsheet; 422 with every bad row.
    ``now``: when the import happens (the demo backdates it; problems are reported then)."""
    today = today or today_local()
    sections = {s.code: s for s in session.scalars(select(Section))}
    parsed = parse(filename, content, sections, today, get_settings().readings_max_rows)
    bad = list(parsed.bad) + _already_stored(session, parsed.rows, sections)
    bad_rows = {b.row for b in bad}
    good = [r for r in parsed.rows if r.row not in bad_rows]
    previews = [
        reading_out(
            sections[r.section_code],
            r.sampled_on,
            r.kind,
            r.values,
            list(r.below_detection),
            row=r.row,
            synthetic=synthetic,
        )
        for r in good
    ]
    if bad:
        raise _refusal(bad, previews)
    if not good:
        raise InvalidInput("the file has no data rows", code="empty_file")
    if dry_run:
        return ImportResult(True, None, previews, [])
    # One import writes at a time (after the file is checked, before the first write): on a
    # Citus cluster two imports' writes to the reference tables (readings, sections' locks)
    # took shard locks in different orders on the workers and deadlocked; on one PostGIS it
    # only queues what the sections' row locks queued anyway.
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('water_quality.import'))"))
    batch = SectionReadingImport(
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        file_format=parsed.file_format,
        rows=len(good),
        imported_by=actor.id if actor is not None else None,
    )
    session.add(batch)
    session.flush()
    written: list[tuple[Section, SectionReading]] = []
    for r in good:
        section = sections[r.section_code]
        reading = _new_reading(
            section,
            r.sampled_on,
            r.kind,
            r.values,
            list(r.below_detection),
            "demo" if synthetic else "import",
            actor,
            synthetic,
        )
        reading.import_id = batch.id
        session.add(reading)
        written.append((section, reading))
    _flush_once(session)
    events = _check(session, written, actor, synthetic, now)
    out = [stored_reading(s, r, p.row) for (s, r), p in zip(written, previews, strict=True)]
    return ImportResult(False, batch.id, out, events)


def _flush_once(session: Session) -> None:
    """Flush new readings; a reading of the same section and day written meanwhile by another
    import is a conflict (409), not a half-import."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "readings of the same section and day were stored meanwhile; nothing was imported",
            code="concurrent_import",
        ) from exc


def add_reading(
    session: Session,
    section: Section,
    body: ReadingIn,
    actor: Actor | None,
    *,
    today: date | None = None,
    synthetic: bool = False,
) -> tuple[SectionReading, list[SectionExceeded]]:
    """Enter one reading by hand: the same checks as a spreadsheet row; 409 for a day that
    already has a reading."""
    today = today or today_local()
    fault = date_fault(body.sampled_on, today)
    if fault is not None:
        raise InvalidInput(fault[1], code=fault[0], field="sampled_on")
    values: dict[str, float] = {}
    for code, raw in body.values.items():
        if code not in BY_CODE:
            raise InvalidInput(
                f"unknown parameter {code!r}", code="unknown_parameter", valid=list(BY_CODE)
            )
        value, _, problem = parse_value(code, raw)
        if problem is not None or value is None:
            what = "is negative" if problem == "negative" else f": {problem}"
            raise InvalidInput(
                f"{BY_CODE[code].name} {what}".replace(" :", ":"),
                code="negative_value" if problem == "negative" else "invalid_value",
                field=f"values.{code}",
            )
        values[code] = value
    existing = session.scalar(
        select(SectionReading.id).where(
            SectionReading.section_id == section.id, SectionReading.sampled_on == body.sampled_on
        )
    )
    if existing is not None:
        raise Conflict(
            f"section {section.code} already has a reading on {body.sampled_on} "
            f"(reading {existing})",
            code="already_imported",
        )
    source = "demo" if synthetic else "manual"
    reading = _new_reading(
        section, body.sampled_on, body.kind, values, [], source, actor, synthetic
    )
    session.add(reading)
    _flush_once(session)
    return reading, _check(session, [(section, reading)], actor, synthetic, None)
