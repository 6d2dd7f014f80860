"""Claims and the settlement engine: `settle`, `claims`, `policy`, `print settlement`."""

from __future__ import annotations

from app.cli.common import AddCommand


def register(add: AddCommand, form: AddCommand) -> None:
    """Add this module's commands to the `cunyi` parser (`form` adds a `cunyi print` form)."""
