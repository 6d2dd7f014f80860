"""Cunyi (村医): offline-first software for village clinics."""

__version__ = "0.1.0"
