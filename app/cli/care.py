"""Follow-ups, health exams and the daily task list: `tasks`, `followup`, `exams`, `print followups|exam|referral`."""

from __future__ import annotations

from app.cli.common import AddCommand


def register(add: AddCommand, form: AddCommand) -> None:
    """Add this module's commands to the `cunyi` parser (`form` adds a `cunyi print` form)."""
