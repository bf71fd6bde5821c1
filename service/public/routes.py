"""HTTP routes of public (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
