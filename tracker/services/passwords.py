"""Passwords: argon2id hashes, their checks, and why a new password is refused."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

from tracker.models import User
from tracker.rules.accounts import MIN_PASSWORD_LENGTH, password_problem

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def dummy_hash() -> str:
    """A hash verified against when the username is unknown, so that both answers take the
    same time; made on first use (one argon2 hash), not when the module is imported."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the user's password (never raises on a bad hash)."""
    return verify_quietly(user.password_hash, password)


def needs_rehash(hashed: str) -> bool:
    """Whether ``hashed`` was made with older parameters than the current ones."""
    return _hasher.check_needs_rehash(hashed)


def verify_quietly(hashed: str, password: str) -> bool:
    """Whether ``password`` matches ``hashed`` (False, never an error, on a bad hash)."""
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def password_errors(password: str, names: tuple[str | None, ...] = ()) -> dict[str, str]:
    """``{"password": why}`` when ``password`` is refused (too short, common, holding one of
    ``names``, a pattern), else ``{}``."""
    problem = password_problem(password, names=names)
    if problem == "short":
        message = _(
            "The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
        )
    elif problem == "common":
        message = _("This password is among the most common ones: choose another.")
    elif problem == "name":
        message = _("The password must not contain the user's name.")
    elif problem == "pattern":
        message = _("The password is a repeated or sequential pattern: choose another.")
    else:
        return {}
    return {"password": message}
