"""Class 12: a fuzz of every JSON body (non-finite numbers, lone surrogates, unknown keys)
and every date parameter (far dates), and schemathesis with extreme numbers, far dates and
unicode edge cases mapped into what it generates. No 5xx, and a refused request writes
no row (every write leaves an audit row in the same transaction, so the audit log's row
count is the witness).

Bounded for ``make test``: the body and date fuzz are deterministic (one request per
operation and mutation, a few hundred in all); schemathesis runs two examples per operation
that has a JSON body or a date parameter. Marked ``fuzz`` (``-m "not fuzz"`` skips them).

On the code issue 14 started from: NaN in any body was a 500 (the validation error could not
be serialised), far dates overflowed in five places, lone surrogates reached psycopg.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session

from tests.hardening.conftest import FAR_DATES, FAR_TIMES, count

os.environ.setdefault("RIVERCHIEF_ENV", "development")  # the schema is read at collection
from service.db import get_session
from service.main import create_app

pytestmark = pytest.mark.fuzz

APP = create_app()
DOCUMENT: dict[str, Any] = APP.openapi()
COMPONENTS: dict[str, Any] = DOCUMENT.get("components", {}).get("schemas", {})
SAMPLES = {
    "neighbor_code": "511400",
    "collection_id": "problems",
    "layer": "segments",
    "z": "8",
    "x": "200",
    "y": "105",
    "year": "2026",
    "code": "511111",
    "county_code": "511111",
    "item": "x",
}
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
DATE_NAMES = {"from", "to", "on", "datetime"}
#: Placeholders replaced in the serialised body by raw JSON (not valid Python floats).
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999"]
SURROGATES = ['"\\ud800"', '"x\\udc00y"']


def _concrete(path: str) -> str:
    return PARAM.sub(lambda m: SAMPLES.get(m.group(1), "1"), path)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def sample(schema: dict[str, Any], depth: int = 0) -> Any:
    """A small valid-looking value for a JSON schema (required properties only)."""
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s).get("type") != "null"]
            return sample(options[0] if options else schema[key][0], depth)
    if "allOf" in schema:
        return sample(schema["allOf"][0], depth)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        props = schema.get("properties", {})
        return {k: sample(props[k], depth + 1) for k in schema.get("required", []) if k in props}
    if kind == "array":
        n = schema.get("minItems", 0)
        return [sample(schema.get("items", {}), depth + 1) for _ in range(n)]
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2025-06-01"
        if fmt == "date-time":
            return "2025-06-01T08:00:00+08:00"
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.5))
    if kind == "boolean":
        return False
    return "x"


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _set(copy[path[0]], path[1:], new)
    return copy


def hostile_bodies(body: Any) -> list[str]:
    """The body with non-finite numbers where numbers are, lone surrogates where text is,
    or as a whole; serialised by hand (json.dumps would refuse or escape them)."""
    marker = "\x00HOSTILE\x00"
    out = [raw for raw in NON_FINITE]
    leaves = list(_leaves(body))
    numbers = [p for p, v in leaves if isinstance(v, int | float) and not isinstance(v, bool)]
    texts = [p for p, v in leaves if isinstance(v, str)]
    for raw in NON_FINITE if numbers else []:
        out.append(json.dumps(_set(body, numbers[0], marker)).replace(json.dumps(marker), raw))
    for raw in SURROGATES if texts else []:
        out.append(json.dumps(_set(body, texts[0], marker)).replace(json.dumps(marker), raw))
    if isinstance(body, dict):
        out.append(json.dumps({**body, "h14_unknown_key": 1}))
    return out


def _json_operations() -> list[tuple[str, str, Any]]:
    ops = []
    for path, item in DOCUMENT["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {}) if isinstance(op, dict) else {}
            if "application/json" in content:
                ops.append((method.upper(), path, sample(content["application/json"]["schema"])))
    return ops


def _date_operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    ops = []
    for path, item in DOCUMENT["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or method.upper() not in ("GET", "POST"):
                continue
            params = [p for p in op.get("parameters", []) if p.get("in") == "query"]
            required = {p["name"]: sample(p.get("schema", {})) for p in params if p.get("required")}
            for p in params:
                fmt = _resolve(p.get("schema", {}))
                formats = {fmt.get("format")} | {
                    _resolve(s).get("format") for s in fmt.get("anyOf", [])
                }
                if p["name"] in DATE_NAMES or formats & {"date", "date-time"}:
                    ops.append((method.upper(), path, p["name"], required))
    return ops


JSON_OPERATIONS = _json_operations()
DATE_OPERATIONS = _date_operations()


@pytest.fixture
def on_test_session(db: Session) -> Iterator[Session]:
    APP.dependency_overrides[get_session] = lambda: db
    try:
        yield db
    finally:
        APP.dependency_overrides.clear()


def test_the_fuzz_reaches_every_json_body_and_date_parameter() -> None:
    assert len(JSON_OPERATIONS) >= 30
    named = {(path, name) for _m, path, name, _r in DATE_OPERATIONS}
    assert ("/api/v1/problems.geojson", "to") in named
    assert ("/api/v1/audit", "from") in named
    assert ("/api/v1/cross-boundary/{neighbor_code}", "from") in named


@pytest.mark.parametrize(("method", "path", "body"), JSON_OPERATIONS)
def test_every_json_body_refuses_hostile_values(
    on_test_session: Session,
    auth_headers: Callable[[str], dict[str, str]],
    method: str,
    path: str,
    body: Any,
) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(APP)
    headers = {**auth_headers("office"), "Content-Type": "application/json"}
    for raw in hostile_bodies(body):
        on_test_session.rollback()
        before = count(on_test_session, "audit_log")
        r = client.request(method, _concrete(path), content=raw.encode(), headers=headers)
        assert r.status_code < 500, (path, raw, r.text)
        assert 400 <= r.status_code < 500, (path, raw, r.status_code)
        assert isinstance(r.json()["detail"], str) and r.json()["code"]
        on_test_session.rollback()
        assert count(on_test_session, "audit_log") == before, (path, raw)


@pytest.mark.parametrize(("method", "path", "name", "required"), DATE_OPERATIONS)
def test_every_date_parameter_refuses_far_dates(
    on_test_session: Session,
    auth_headers: Callable[[str], dict[str, str]],
    method: str,
    path: str,
    name: str,
    required: dict[str, Any],
) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(APP)
    for value in (*FAR_DATES, *FAR_TIMES):
        on_test_session.rollback()
        before = count(on_test_session, "audit_log")
        params = {**required, name: value}
        r = client.request(method, _concrete(path), params=params, headers=auth_headers("office"))
        assert 400 <= r.status_code < 500, (path, name, value, r.status_code, r.text[:200])
        on_test_session.rollback()
        assert count(on_test_session, "audit_log") == before


# ---- schemathesis, with hostile values mapped into what it generates -----------------------

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"
)
_turn = {"n": 0}


@schema.hook
def map_query(ctx: Any, query: dict[str, Any] | None) -> dict[str, Any] | None:
    """Every date-like parameter gets a far date (in turn), whatever was generated."""
    if not query:
        return query
    _turn["n"] += 1
    far = (*FAR_DATES, *FAR_TIMES)
    return {k: far[_turn["n"] % len(far)] if k in DATE_NAMES else v for k, v in query.items()}


#: Extreme numbers schemathesis can send (its transport refuses NaN and infinities: those are
#: in the raw-body fuzz above) and unicode edge cases: a lone surrogate (sent escaped, decoded
#: by the server), right-to-left override, NUL, an astral character.
EXTREME_NUMBERS = [1e308, -1e308, 2**63, -(2**31) - 1]
EDGE_TEXT = "\ud800\u202e\x00\U0001f30a"


@schema.hook
def map_body(ctx: Any, body: Any) -> Any:
    """The first number becomes extreme and the first text an edge case, in turn."""
    if not isinstance(body, dict):
        return body
    _turn["n"] += 1
    leaves = list(_leaves(body))
    numbers = [p for p, v in leaves if isinstance(v, float | int) and not isinstance(v, bool)]
    texts = [p for p, v in leaves if isinstance(v, str)]
    if numbers and _turn["n"] % 2:
        return _set(body, numbers[0], EXTREME_NUMBERS[_turn["n"] % len(EXTREME_NUMBERS)])
    if texts:
        return _set(body, texts[0], EDGE_TEXT)
    return body


def _hostile_operation(ctx: Any) -> bool:
    definition = ctx.operation.definition.raw
    if "requestBody" in definition and "application/json" in definition["requestBody"].get(
        "content", {}
    ):
        return True
    return any(p.get("name") in DATE_NAMES for p in definition.get("parameters", []))


@schema.include(func=_hostile_operation).parametrize()
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_schemathesis_with_hostile_values(
    case: Any, on_test_session: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    on_test_session.rollback()
    before = count(on_test_session, "audit_log")
    response = case.call(headers=auth_headers("office"))
    case.validate_response(response, checks=[not_a_server_error])
    # As at the end of a real request: what was not committed is gone (a commit of a route is
    # a savepoint release here, so committed writes would still be counted).
    on_test_session.rollback()
    if response.status_code >= 400:
        assert count(on_test_session, "audit_log") == before, case.operation.label
