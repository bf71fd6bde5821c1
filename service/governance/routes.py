"""HTTP routes of governance (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
