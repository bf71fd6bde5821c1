"""Administrative areas: Leshan, its counties, the neighbour cities and counties."""
