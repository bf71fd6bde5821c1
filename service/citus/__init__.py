"""Running riverchief on a Citus cluster (issue 23): ``riverchief db distribute``."""
