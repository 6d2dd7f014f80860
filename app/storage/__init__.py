"""Storage: the clinic's SQLite file, its migrations, the tracked write path and the Workspace."""
