"""Performance harness: realistic data, measured against a floor taken in the same run."""
