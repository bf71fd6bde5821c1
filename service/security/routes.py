"""HTTP routes of security (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
