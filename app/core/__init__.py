"""Pure domain: records, code lists and rules. No I/O, no Qt, no database."""
