"""Cross-boundary (跨界) coordination: crossings, shared borders, agreements, the neighbour view."""
