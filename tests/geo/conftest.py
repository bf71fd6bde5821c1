"""Fixtures for the track-reader tests: the real files in tests/fixtures/tracks (no database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

TRACKS = Path(__file__).resolve().parent.parent / "fixtures" / "tracks"


@pytest.fixture
def track_bytes() -> Callable[[str], bytes]:
    """Read a real fixture file by name."""

    def read(name: str) -> bytes:
        return (TRACKS / name).read_bytes()

    return read
