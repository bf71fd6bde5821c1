"""CRS helpers: parse ``--crs`` values and repair Gauss-Kruger zone prefixes.

Chinese layers in Gauss-Kruger often disagree with their declared CRS about the zone prefix
(easting 35 500 000 with the zone number vs 500 000 without). The prefix is detected from the
coordinates and the declared CRS swapped for its twin with or without prefix.
"""

from __future__ import annotations

import math

from pyproj import CRS
from pyproj.exceptions import CRSError

from service.errors import InvalidInput


def parse_crs(value: str | int) -> CRS:
    """``4523``, ``EPSG:4523``, a WKT or PROJ string -> CRS, else InvalidInput."""
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise InvalidInput(
            f"unknown CRS {value!r}: give an EPSG code such as 4490 or 4523"
        ) from exc


def false_easting(crs: CRS) -> float | None:
    """The false easting of a Transverse Mercator CRS, None otherwise."""
    op = crs.coordinate_operation
    if op is None or "Transverse Mercator" not in (op.method_name or ""):
        return None
    for param in op.params:
        if param.name == "False easting":
            return float(param.value)
    return None


def central_meridian(crs: CRS) -> float | None:
    op = crs.coordinate_operation
    if op is None:
        return None
    for param in op.params:
        if param.name == "Longitude of natural origin":
            return float(param.value)
    return None


def fix_zone_prefix(crs: CRS, min_x: float, max_x: float) -> CRS:
    """A CRS that matches the eastings actually found (with or without the zone prefix).

    A 3-degree zone n has central meridian 3n; a 6-degree zone n has 6n - 3. Eastings of a
    zone-prefixed layer are ``n * 1e6 + 500000 +/- 400000``.
    """
    fe = false_easting(crs)
    cm = central_meridian(crs)
    if fe is None or cm is None or not (math.isfinite(min_x) and math.isfinite(max_x)):
        return crs
    has_prefix_in_data = min_x > 1_000_000
    has_prefix_in_crs = fe > 1_000_000
    if has_prefix_in_data == has_prefix_in_crs:
        return crs
    if has_prefix_in_data:
        zone = int(min_x // 1_000_000)
        new_fe = zone * 1_000_000 + 500_000
    else:
        new_fe = 500_000
    proj = crs.to_dict()
    proj["x_0"] = new_fe
    return CRS.from_dict(proj)
