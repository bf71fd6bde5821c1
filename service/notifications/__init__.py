"""Notifications (issue 21): channels, events, preferences, the outbox and its worker."""
