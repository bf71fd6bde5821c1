"""Cross-boundary (跨界) coordination: crossings, shared borders, agreements, the neighbour view.

Importing the package registers the crossing refresh with ``on_segments_recut``.
"""

from service.cross_boundary import hooks as hooks
