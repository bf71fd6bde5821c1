"""HTTP: monitoring sections (监测断面), their readings and water-quality classes (issue 20)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.concurrency import run_in_threadpool

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.db import SessionDep
from service.errors import Forbidden, InvalidInput
from service.params import FromQ, ToQ, YearFilter, check_range
from service.security.uploads import read_upload
from service.settings import get_settings
from service.timeutil import today_local
from service.water_quality import events, queries, readings, registry
from service.water_quality.indicators import river_water_quality
from service.water_quality.models import Section
from service.water_quality.schemas import (
    ImportOut,
    ReadingEntryOut,
    ReadingIn,
    ReadingOut,
    RiverWaterQualityOut,
    SectionExceeded,
    SectionIn,
    SectionKind,
    SectionMonthOut,
    SectionOut,
    SectionSeries,
)

router = APIRouter(prefix="/api/v1", tags=["water quality"])

Reader = Annotated[UserAccount | None, Depends(requires("sections.read"))]
Writer = Annotated[UserAccount, Depends(requires("sections.write"))]
ReadingsReader = Annotated[UserAccount, Depends(requires("sections.readings"))]
Month = Annotated[int | None, Query(ge=1, le=12, description="month 1-12; none: the year")]


#: Longest period of a readings list or a class series: ten years of months.
MAX_PERIOD_DAYS = 3660


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    """``from``..``to`` (local days, bounded by ``FromQ``/``ToQ``); default this year to
    today; at most ten years apart (a series has a row per month)."""
    check_range(start, end)
    today = today_local()
    end = end or (today if start is None or start.year == today.year else date(start.year, 12, 31))
    start = start or date(end.year, 1, 1)
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput("the period is longer than ten years", code="period_too_long")
    return start, end


def _may_read(user: UserAccount, section: Section) -> Section:
    """A neighbour city reads the readings of the sections at its own border only."""
    if user.role == "neighbor_viewer" and section.neighbor_code != user.neighbor_code:
        raise Forbidden(
            f"this account reads the sections at the border with {user.neighbor_code} only",
            code="not_your_border",
        )
    return section


@router.get("/sections", response_model=list[SectionOut], operation_id="list_sections")
def list_sections(
    session: SessionDep,
    _: Reader,
    river_id: int | None = None,
    kind: SectionKind | None = None,
    neighbor_code: Annotated[
        str | None, Query(description="sections at the border with this city (交接断面)")
    ] = None,
) -> list[SectionOut]:
    """Monitoring sections (国控/省控/市控/县控/交接), upstream to downstream per river, each
    with where it lies, its target and its latest class."""
    return queries.list_sections(session, river_id, kind, neighbor_code)


@router.post(
    "/sections", status_code=201, response_model=SectionOut, operation_id="register_section"
)
def register_section(session: SessionDep, body: SectionIn, user: Writer) -> SectionOut:
    """Register a section: the point is snapped to the nearest river of the city within the
    snapping limit (``RIVERCHIEF_SECTION_SNAP_LIMIT_M``); the answer has its ``id``,
    ``river_id``, ``measure_m`` and ``snap_distance_m``. 409 for a code in use; 422 when the
    point is far from every river, or a ``border`` section far from every crossing."""
    section = registry.register_section(session, body, user)
    session.commit()
    return queries.one_section(session, section.id)


@router.get("/sections.geojson", operation_id="sections_geojson")
def sections_geojson(session: SessionDep, _: Reader) -> dict[str, Any]:
    """The map layer: sections (EPSG:4326) coloured by their latest class, with a legend."""
    return queries.sections_geojson(session)


@router.get("/sections/{section_id}", response_model=SectionOut, operation_id="get_section")
def get_section(session: SessionDep, section_id: int, _: Reader) -> SectionOut:
    return queries.one_section(session, section_id)


@router.post(
    "/sections/readings/import", response_model=ImportOut, operation_id="import_section_readings"
)
async def import_readings(
    session: SessionDep,
    user: Writer,
    file: Annotated[UploadFile, File(description="CSV or XLSX, Chinese headers (see docs)")],
    dry_run: Annotated[bool, Form(description="true: only show what would be imported")] = False,
) -> ImportOut:
    """Import the environment bureau's readings (CSV or XLSX): 200 with the rows imported
    (with ``dry_run=true``: what would be), each classified by GB 3838-2002, and the
    exceedances that opened or supervised a 水质异常 problem; a file with any bad row is
    refused whole, 422 with every bad row's number (the header is row 1) and reason."""
    data = await read_upload(file, get_settings().readings_max_bytes, what="readings file")
    if not data:
        raise InvalidInput("the file is empty", code="empty_file", field="file")

    def run() -> ImportOut:
        result = readings.import_readings(
            session, file.filename or "readings", data, user, dry_run=dry_run
        )
        if not dry_run:
            session.commit()
        return ImportOut(
            dry_run=result.dry_run,
            import_id=result.import_id,
            rows=len(result.readings),
            readings=result.readings,
            refused=[],
            exceedances=result.exceedances,
        )

    return await run_in_threadpool(run)


@router.get(
    "/sections/{section_id}/readings",
    response_model=list[ReadingOut],
    operation_id="list_section_readings",
)
def list_readings(
    session: SessionDep, section_id: int, user: ReadingsReader, from_: FromQ = None, to: ToQ = None
) -> list[ReadingOut]:
    """The section's readings on days ``from``..``to`` (default: this year), each with its
    class by parameter and overall."""
    start, end = _period(from_, to)
    section = _may_read(user, queries.get_section(session, section_id))
    return queries.readings_of(session, section, start, end)


@router.post(
    "/sections/{section_id}/readings",
    status_code=201,
    response_model=ReadingEntryOut,
    operation_id="add_section_reading",
)
def add_reading(
    session: SessionDep, section_id: int, body: ReadingIn, user: Writer
) -> ReadingEntryOut:
    """Enter a reading by hand (mg/L; pH unitless): classified and checked against the
    target as an imported one; 409 if the section has a reading that day."""
    section = queries.get_section(session, section_id)
    reading, found = readings.add_reading(session, section, body, user)
    session.commit()
    return ReadingEntryOut(reading=readings.stored_reading(section, reading), exceedances=found)


@router.get(
    "/water-quality", response_model=list[SectionMonthOut], operation_id="water_quality_classes"
)
def water_quality(
    session: SessionDep, _: Reader, year: YearFilter = None, month: Month = None
) -> list[SectionMonthOut]:
    """Every section with its ``class`` (1-6, 6 = 劣V) for the month, or for the year (the
    class of the annual means) without ``month``, its ``target_class`` and ``target_met``
    (null without readings)."""
    return queries.water_quality(session, year or today_local().year, month)


@router.get(
    "/water-quality/series", response_model=list[SectionSeries], operation_id="water_quality_series"
)
def water_quality_series(
    session: SessionDep,
    _: Reader,
    river_id: int | None = None,
    neighbor_code: str | None = None,
    from_: FromQ = None,
    to: ToQ = None,
) -> list[SectionSeries]:
    """Each section's class month by month over ``from``..``to`` (default this year) and the
    class of the period's means: the river panel's chart, the 交接断面水质清单."""
    start, end = _period(from_, to)
    return queries.series(session, start, end, river_id=river_id, neighbor_code=neighbor_code)


@router.get(
    "/water-quality/exceedances",
    response_model=list[SectionExceeded],
    operation_id="list_exceedances",
)
def list_exceedances(
    session: SessionDep,
    user: ReadingsReader,
    from_: FromQ = None,
    to: ToQ = None,
    section_id: int | None = None,
    repeat: Annotated[bool | None, Query(description="true: repeats that supervised")] = None,
) -> list[SectionExceeded]:
    """Months a section was worse than its target (over ``from``..``to``, default this
    year) and the problem each opened or supervised (督办)."""
    start, end = _period(from_, to)
    neighbor = user.neighbor_code if user.role == "neighbor_viewer" else None
    found = events.list_exceedances(
        session, start, end, section_id=section_id, repeat=repeat, neighbor_code=neighbor
    )
    return found


@router.get(
    "/water-quality/rivers/{river_id}",
    response_model=RiverWaterQualityOut,
    operation_id="river_water_quality",
)
def river_quality(
    session: SessionDep, river_id: int, _: Reader, year: YearFilter = None
) -> RiverWaterQualityOut:
    """A river's class for the year from its sections (what the health assessment's
    水质优劣程度 is filled from); ``class`` null without readings."""
    y = year or today_local().year
    found = river_water_quality(session, river_id, y)
    if found is None:
        return RiverWaterQualityOut(
            river_id=river_id,
            year=y,
            sections=0,
            water_class=None,
            worst=[],
            means={},
            share_i_to_iii=None,
            measured=None,
        )
    return RiverWaterQualityOut(
        **{k: v for k, v in asdict(found).items() if k != "worst"},
        worst=list(found.worst),
        measured=found.measured_text(),
    )
