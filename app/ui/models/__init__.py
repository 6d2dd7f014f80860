"""Table models: ordered ids from SQL plus a row cache filled on the database worker."""
