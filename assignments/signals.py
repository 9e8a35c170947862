"""Signals of the directive's data, for the apps that build on it (the reports app keeps the open years'
reports in line with the agencies and their assignments)."""

from django.dispatch import Signal

# Sent after agencies were reorganised or their assignments derived again; no arguments beyond the sender.
agencies_changed = Signal()
