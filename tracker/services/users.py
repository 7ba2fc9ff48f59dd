"""User accounts: their creation and administration (change role, deactivate, reset password),
a user's own password and language, and the demo accounts. Sign-in and its sessions are in
:mod:`tracker.services.logins`, password hashes in :mod:`tracker.services.passwords`."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Role, User, utcnow
from tracker.rules.accounts import normalise_username, username_skeleton
from tracker.rules.values import text_problem
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.services.history import audit
from tracker.services.logins import end_all_sessions
from tracker.services.passwords import hash_password, password_errors, password_matches

LANGUAGES = ("en", "ar")


def _username_errors(session: Session, username: str, *, user_id: int | None = None) -> str | None:
    """Why ``username`` (already normalised) cannot be taken, or None: another account has it,
    or a name a reader would confuse with it (``аdmin`` with a Cyrillic ``а`` beside
    ``admin``)."""
    if not username:
        return str(_("A username is required."))
    if text_problem(username) or any(
        unicodedata.category(c)[0] in "CZ" and c != " " for c in username
    ):
        return str(_("A username cannot hold control or invisible characters."))
    skeleton = username_skeleton(username)
    for other_id, other in session.execute(select(User.id, User.username)):
        if other_id != user_id and (
            normalise_username(other) == username or username_skeleton(other) == skeleton
        ):
            return str(
                _(
                    "The username %(name)s is taken or too like the existing %(other)s.",
                    name=username,
                    other=other,
                )
            )
    return None


#: The password hash of an account nobody signs in to: argon2 matches no password to it.
NO_SIGN_IN_HASH = "!"


def create_user(
    session: Session,
    username: str,
    password: str | None,
    role: str,
    *,
    actor: User | None = None,
    display_name: str | None = None,
    locale: str = "en",
) -> User:
    """Create a user. Without a ``password`` the account is one nobody signs in to
    (deactivated, :data:`NO_SIGN_IN_HASH`): entries made outside the application, such as the demo
    data set's, are attributed to it.

    :raises InvalidInputError: for an unknown role, a taken username or a short password.
    """
    username = normalise_username(username)
    errors: dict[str, str] = {}
    taken = _username_errors(session, username)
    if taken:
        errors["username"] = taken
    if role not in {r.value for r in Role}:
        errors["role"] = _(
            "Unknown role %(role)s: choose one of %(roles)s.",
            role=role,
            roles=", ".join(r.value for r in Role),
        )
    if password is not None:
        errors |= password_errors(password, (username, display_name))
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    user = User(
        username=username,
        display_name=display_name or None,
        password_hash=NO_SIGN_IN_HASH if password is None else hash_password(password),
        role=role,
        locale=locale if locale in LANGUAGES else "en",
        is_active=password is not None,
        failed_logins=0,
        password_changed_at=None if password is None else utcnow(),
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


def get_user(session: Session, user_id: int) -> User:
    """The user with ``user_id``.

    :raises NotFoundError: when there is none.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(_("There is no user %(id)d.", id=user_id))
    return user


def change_password(
    session: Session,
    user: User,
    current_password: str,
    new_password: str,
    *,
    keep_token: str | None,
) -> None:
    """Change the user's own password and end their other sessions.

    :raises InvalidInputError: when the current password is wrong or the new one too short.
    """
    errors: dict[str, str] = {}
    if not password_matches(user, current_password):
        errors["current_password"] = _("This is not your current password.")
    new_errors = password_errors(new_password, (user.username, user.display_name))
    if new_errors:
        errors["new_password"] = new_errors["password"]
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user, "password_changed", keep_token=keep_token)
    audit(session, "user.password_change", user=user, entity_type="users", entity_id=user.id)


def reset_password(session: Session, user: User, new_password: str, *, actor: User) -> None:
    """Set a new password for ``user`` (an administrator's act); ends all their sessions and
    lifts a lock.

    :raises InvalidInputError: when the password is too short.
    """
    errors = password_errors(new_password, (user.username, user.display_name))
    if errors:
        raise InvalidInputError(errors["password"], errors)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    end_all_sessions(session, user, "password_reset")
    audit(session, "user.password_reset", user=actor, entity_type="users", entity_id=user.id)


def set_locale(session: Session, user: User, locale: str) -> None:
    """Remember the user's interface language.

    :raises InvalidInputError: for a language the interface does not speak.
    """
    if locale not in LANGUAGES:
        message = _("Unknown language %(locale)s.", locale=locale)
        raise InvalidInputError(message, {"locale": message})
    user.locale = locale
    session.flush()


def update_user(
    session: Session,
    user: User,
    *,
    actor: User,
    role: str,
    display_name: str | None,
    is_active: bool,
) -> None:
    """Change a user's role, display name and whether the account may sign in; deactivating
    ends the user's sessions. Users are never deleted.

    :raises InvalidInputError: for an unknown role, or when administrators would take away their
        own administration rights or deactivate themselves.
    """
    errors: dict[str, str] = {}
    if role not in {r.value for r in Role}:
        errors["role"] = _("Unknown role %(role)s.", role=role)
    if user.id == actor.id and role != Role.ADMIN:
        errors["role"] = _("You cannot take away your own administration rights.")
    if user.id == actor.id and not is_active:
        errors["is_active"] = _("You cannot deactivate your own account.")
    if errors:
        raise InvalidInputError("; ".join(errors.values()), errors)
    changes = {}
    for field, value in (("role", role), ("display_name", display_name or None)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if user.is_active != is_active:
        changes["is_active"] = [user.is_active, is_active]
        user.is_active = is_active
        if not is_active:
            end_all_sessions(session, user, "deactivated")
    if changes:
        audit(
            session,
            "user.update",
            user=actor,
            entity_type="users",
            entity_id=user.id,
            details={"changes": changes},
        )
    session.flush()


#: The demo accounts, one per role, named after it.
DEMO_USERNAMES = ("viewer", "analyst", "reviewer", "admin")


def ensure_demo_users(session: Session, password: str) -> dict[str, User]:
    """Create the demo accounts that do not exist yet (username = role); return the created
    ones by role. Existing accounts are kept as they are.

    :raises InvalidInputError: when the password is too short.
    """
    created: dict[str, User] = {}
    for role in DEMO_USERNAMES:
        if session.scalar(select(User.id).where(User.username == role)) is None:
            created[role] = create_user(session, role, password, role, display_name=f"Demo {role}")
    return created
