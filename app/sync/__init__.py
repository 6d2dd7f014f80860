"""Sync with the county: protocol, merge, sessions, USB bundles (to come)."""
