"""The demo: real Leshan geography, a fictional roster, synthetic activity (all marked)."""
