"""Imports the demo modules of every domain so their activity steps register (in order)."""

import service.cross_boundary.demo  # crossings, agreements, joint meetings
import service.patrols.demo  # noqa: F401  (patrols: last year and this year to date)
import service.problems.demo  # noqa: F401  (problems in every state; after patrols)
import service.governance.demo  # noqa: F401  (meetings, lists, health, inspections, assessment)
import service.public.demo  # noqa: F401  (public reports; after problems)
