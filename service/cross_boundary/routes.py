"""HTTP routes of cross_boundary (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
