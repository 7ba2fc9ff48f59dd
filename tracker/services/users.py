"""Users: creation with argon2id password hashes, and password checks."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Role, User
from tracker.services.errors import InvalidInputError
from tracker.services.history import audit

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the user's password (never raises on a bad hash)."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    actor: User | None = None,
    display_name: str | None = None,
) -> User:
    """Create a user.

    :raises InvalidInputError: for an unknown role, a taken username or a short password.
    """
    username = username.strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "A username is required."
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = f"The username {username!r} is taken."
    if role not in {r.value for r in Role}:
        errors["role"] = f"Unknown role {role!r}: choose one of {', '.join(r.value for r in Role)}."
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
    )
    session.add(user)
    session.flush()
    audit(
        session,
        "user.create",
        user=actor,
        entity_type="users",
        entity_id=user.id,
        details={"username": username, "role": role},
    )
    return user
