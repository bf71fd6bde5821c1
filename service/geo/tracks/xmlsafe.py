"""A hardened, streaming XML reader for GPX and KML.

lxml's iterparse with entity resolution, DTD loading and network access all off, and any
document type declaration refused at the first element: GPX and KML never need a DTD, and
refusing it outright means a billion-laughs or external-entity file is rejected before a
single entity could be expanded or fetched. ``huge_tree`` stays off, so libxml2's own
depth and text-size limits apply too.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from service.errors import BadRequest

XmlEvent = tuple[str, etree._Element]


def localname(tag: object) -> str:
    """``{namespace}name`` → ``name``; comments and PIs (non-string tags) → ``""``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    """``{namespace}name`` → ``namespace`` (``""`` when there is none)."""
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def iter_xml(
    data: bytes, events: tuple[str, ...] = ("start", "end"), tags: list[str] | None = None
) -> Iterator[XmlEvent]:
    """Yield lxml iterparse events for ``data``, refusing DTDs.

    ``tags`` restricts events to those element names (``{ns}name``, ``{*}name``): the
    readers skip the Python work for every ``ele``/``time``/extension element that way.
    Broken XML raises BadRequest naming the line and column.
    """
    if tags is not None:
        # A filtered parse may see its first event late (or never): vet the root first.
        root_tag(data)
    parser = etree.iterparse(
        io.BytesIO(data),
        events=events,
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    first = tags is None
    try:
        for event, element in parser:
            if first:
                first = False
                _refuse_dtd(element)
            yield event, element
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise BadRequest(
            f"broken XML at line {line}, column {column}: {exc.msg}",
            code="broken_xml",
            line=line,
            column=column,
        ) from None
    if first:
        raise BadRequest("XML document has no root element", code="broken_xml")


def root_tag(data: bytes) -> str:
    """Tag of the root element (``{namespace}gpx``…), reading only up to it; DTDs refused."""
    for _event, element in iter_xml(data, events=("start",)):
        return str(element.tag)
    raise BadRequest("XML document has no root element", code="broken_xml")  # pragma: no cover


def root_name(data: bytes) -> str:
    """Local name of the root element (``gpx``, ``kml``…)."""
    return localname(root_tag(data))


def _refuse_dtd(element: etree._Element) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise BadRequest(
            "XML with a document type declaration (DTD) is refused: GPX and KML need none, "
            "and DTD entities are how XML bombs and external-entity reads work",
            code="xml_dtd_forbidden",
        )


def clear(element: etree._Element) -> None:
    """Free a processed element and its earlier siblings so memory stays flat while streaming."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
