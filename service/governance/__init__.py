"""Governance (seed chapters 2-5): meetings and decided items, plans and the four lists,
river health, inspections, accountability, the annual assessment and the periodic duties."""
