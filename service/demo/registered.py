"""Imports the demo modules of every domain so their activity steps register, in this order.

Order matters (problems refer to patrols, public reports to problems), so the modules are
listed here rather than left to an import sorter.
"""

from importlib import import_module

DEMO_MODULES = (
    "service.cross_boundary.demo",  # crossings, agreements, joint meetings
    "service.patrols.demo",  # patrols: last year and this year to date
    "service.problems.demo",  # problems in every state; after patrols
    "service.governance.demo",  # meetings, lists, health, inspections, assessment
    "service.public.demo",  # public reports; after problems
)

for _name in DEMO_MODULES:
    import_module(_name)
