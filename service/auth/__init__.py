"""Accounts, password hashing, tokens and the role matrix."""
