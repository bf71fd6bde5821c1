"""HTTP routes of problems (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
