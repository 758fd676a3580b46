"""Domain errors. Each carries a message meant for the user; the CLI prints it on one line."""

from __future__ import annotations


class CrmError(Exception):
    """Base of every error the user can cause and fix."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(CrmError):
    """Bad input. ``field`` names what was wrong where it is known."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(CrmError):
    pass


class PermissionDenied(CrmError):
    pass


class ConflictError(CrmError):
    """A stale save, a duplicate, or another writer got there first."""


class StateError(CrmError):
    """The record is in a state that does not allow this action (e.g. a confirmed document)."""


class AuthError(CrmError):
    pass
