"""Stats (issue 17): the 驾驶舱 overview, each figure with the list that reproduces it."""
