"""Synthetic activity for the demo, added by each capability (patrols, problems, meetings).

A step is ``(label, function(session))``; ``load-demo`` runs them in order after the
geography and roster unless ``--no-activity``. Steps must be idempotent (check whether their
synthetic rows exist) and mark what they make as synthetic.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

ActivityStep = tuple[str, Callable[[Session], object]]

#: Filled in by the domains' demo modules, imported in ``steps()``.
ACTIVITY_STEPS: list[ActivityStep] = []


def steps() -> list[ActivityStep]:
    """The registered steps, in order (domains register on import)."""
    # Each domain's demo module appends to ACTIVITY_STEPS when imported; import them here.
    import service.demo.registered  # noqa: F401

    return list(ACTIVITY_STEPS)
