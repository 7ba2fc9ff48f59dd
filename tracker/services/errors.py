"""Errors that services raise; views and commands turn them into messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A write was refused; the message says why in words a user can act on."""


class NotFoundError(ServiceError):
    """A record named in the request does not exist."""


class InvalidInputError(ServiceError):
    """The data breaks a rule; ``errors`` maps field names to messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class ForbiddenError(ServiceError):
    """The user's role does not allow this change of this record."""


class StaleEditError(ServiceError):
    """Someone else saved the record since it was opened; nothing was written."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version
