"""The county sync server on PostgreSQL (to come)."""
