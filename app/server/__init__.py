"""The county sync server on PostgreSQL: its database (`db`), its own migrations (`migrations`);
the protocol, the merge and the HTTP endpoints come on top of these."""
