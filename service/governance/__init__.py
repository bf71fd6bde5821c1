"""Governance (seed chapters 2-5): meetings and decided items, plans and the four lists,
river health, inspections, accountability, the annual assessment and the periodic duties.

Importing the package registers the health assessments' re-link for re-cut segments.
"""

from service.governance import hooks as hooks
