"""governance: cooperation agreements with neighbour cities and their joint meetings (§10)."""
