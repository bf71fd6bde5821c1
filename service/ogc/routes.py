"""HTTP routes of ogc (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
