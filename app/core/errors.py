"""The one error hierarchy. Messages are in Chinese: they are shown to the doctor as they are."""

from __future__ import annotations


class CunyiError(Exception):
    """Base of every error the application expects and explains to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(CunyiError):
    """Input that breaks a rule: a bad ID, a missing name, an impossible date."""


class NotFoundError(CunyiError):
    """A record that was asked for by id or number and is not there."""


class ConflictError(CunyiError):
    """A write that would break uniqueness or a state rule (same ID twice, illegal transition)."""


class StorageError(CunyiError):
    """The database file cannot be used: newer schema, corrupt file, missing file."""


class ImportFileError(CunyiError):
    """A workbook that cannot be read at all (not its rows: bad rows are reported, not raised)."""


class AuthError(CunyiError):
    """Wrong user name or password, or a user without the right to do something."""


class DatabaseDamagedError(StorageError):
    """The clinic database fails SQLite's quick_check: it must be restored from a good backup."""


class SignInWaitError(AuthError):
    """Too many wrong passwords: the next try is checked only after `seconds` (or an unlock)."""

    def __init__(self, message: str, *, seconds: float, locked: bool) -> None:
        super().__init__(message)
        self.seconds = seconds
        self.locked = locked
