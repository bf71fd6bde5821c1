"""A synthetic province (tens of thousands of river segments, a hundred-odd counties) to
measure the map and coverage at provincial scale. Everything it makes is marked synthetic."""
