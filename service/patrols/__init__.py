"""Patrols (巡河): uploaded GPS tracks matched to river segments, coverage and compliance.

Importing the package registers the coverage rebuild for re-cut segments.
"""

from service.patrols import hooks as hooks
