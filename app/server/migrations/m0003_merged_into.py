"""Server schema 3: the clinic's schema 16 column `people.merged_into` (the file a merged
resident's file was merged into), kept like every other column of a synced table."""

from __future__ import annotations

SQL = """
ALTER TABLE people ADD COLUMN merged_into TEXT;
"""
