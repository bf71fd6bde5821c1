"""HTTP routes of patrols (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
