"""Reaches (河段): stretches of a river by measure, at city, county, township and village level.

Importing the package registers the placement of reaches for re-cut segments, first among
the hooks: patrol validity and problem routing read the reaches it places.
"""

from service.reaches import hooks as hooks
