"""一河一档: each river's archive (issue 19)."""
