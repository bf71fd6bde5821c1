"""Constants shared by tests in several packages (the real Leshan data under ``gis_data``)."""

from __future__ import annotations

#: The 11 county-level units of 乐山市 that have a boundary in ``gis_data``.
LESHAN_COUNTIES = frozenset(
    {
        "511102",
        "511111",
        "511112",
        "511113",
        "511123",
        "511124",
        "511126",
        "511129",
        "511132",
        "511133",
        "511181",
    }
)
