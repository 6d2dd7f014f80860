"""The printed forms' input read from an open Workspace, so that app.printing never reads the database."""
