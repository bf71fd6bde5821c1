"""Reaches (河段): stretches of a river by measure, at city, county, township and village level.

Declared in ``service.domains``: its re-cut hook (``placement.place_reaches``) runs before
those of patrols and problems, which read the reaches it places.
"""
