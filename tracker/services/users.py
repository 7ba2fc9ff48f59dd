"""Users: argon2id passwords, sign-in with lockout and throttling, server-side sessions, and the
administration of accounts (create, change role, deactivate, reset password)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import LoginAttempt, Role, User, UserSession, utcnow
from tracker.rules.accounts import (
    MIN_PASSWORD_LENGTH,
    normalise_username,
    password_problem,
    username_skeleton,
)
from tracker.rules.values import text_problem
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.services.history import audit

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

ADDRESS_WINDOW = dt.timedelta(minutes=15)
LANGUAGES = ("en", "ar")


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed sign-ins lock an account and for how long; how many attempts one
    address may make per quarter of an hour."""

    max_failures: int = 5
    lock_minutes: int = 15
    max_per_address: int = 30


@cache
def _dummy_hash() -> str:
    """A hash verified against when the username is unknown, so that both answers take the
    same time; made on first use (one argon2 hash), not when the module is imported."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the user's password (never raises on a bad hash)."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _password_errors(password: str, names: tuple[str | None, ...] = ()) -> dict[str, str]:
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
        errors |= _password_errors(password, (username, display_name))
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


def token_hash(token: str) -> str:
    """The SHA-256 of a session token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(
    session: Session,
    username: str,
    password: str,
    address: str,
    policy: LoginPolicy,
    *,
    now: dt.datetime | None = None,
) -> User | None:
    """The user whose ``username`` and ``password`` these are, or None. None also when the
    account is deactivated or locked, or when ``address`` made too many attempts lately: the
    caller shows one message for all of these, so that nobody learns which accounts exist.
    Failed attempts count towards the account lock; a hash made with older parameters is
    replaced. Writes the attempt (flushes, never commits)."""
    now = now or utcnow()
    username = username.strip()[:80]
    address = address[:45]
    recent = session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.created_at >= now - ADDRESS_WINDOW,
        )
    )
    user = session.scalar(
        select(User).where(User.username.in_({username, normalise_username(username)}))
    )
    if user is None:
        _safe_verify(_dummy_hash(), password)
        matched = False
    else:
        matched = password_matches(user, password)
    throttled = (recent or 0) >= policy.max_per_address
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    ok = user is not None and matched and user.is_active and not locked and not throttled
    session.add(LoginAttempt(username=username, address=address, succeeded=ok, created_at=now))
    if user is not None:
        if ok:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
        elif not locked:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= policy.max_failures:
                user.locked_until = now + dt.timedelta(minutes=policy.lock_minutes)
                user.failed_logins = 0
                audit(session, "user.locked", user=None, entity_type="users", entity_id=user.id)
    session.flush()
    return user if ok else None


def _safe_verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(
    session: Session, user: User, *, address: str | None, user_agent: str | None
) -> str:
    """Open a server-side session for ``user``; return the random token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            address=(address or "")[:45] or None,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    session.flush()
    return token


def session_for_token(
    session: Session, token: str, *, idle: dt.timedelta, now: dt.datetime | None = None
) -> UserSession | None:
    """The open session of ``token`` whose user is active, or None. A session idle for longer
    than ``idle`` is ended here. ``last_seen_at`` is refreshed at most once a minute."""
    now = now or utcnow()
    record = session.scalar(
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == token_hash(token))
    )
    if record is None or record.ended_at is not None:
        return None
    if not record.user.is_active:
        return None
    if now - record.last_seen_at > idle:
        _end(record, "idle", now)
        session.flush()
        return None
    if now - record.last_seen_at > dt.timedelta(minutes=1):
        record.last_seen_at = now
        session.flush()
    return record


def _end(record: UserSession, reason: str, now: dt.datetime) -> None:
    record.ended_at = now
    record.end_reason = reason


def end_session(session: Session, token: str, reason: str = "sign_out") -> None:
    """End the session of ``token`` (nothing happens when it is unknown or already ended)."""
    record = session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    if record is not None and record.ended_at is None:
        _end(record, reason, utcnow())
        session.flush()


def end_all_sessions(
    session: Session, user: User, reason: str, *, keep_token: str | None = None
) -> int:
    """End every open session of ``user`` except the one of ``keep_token``; return how many."""
    keep = token_hash(keep_token) if keep_token else None
    now = utcnow()
    ended = 0
    open_sessions = session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    )
    for record in open_sessions:
        if record.token_hash != keep:
            _end(record, reason, now)
            ended += 1
    session.flush()
    return ended


def open_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's open sessions, most recently seen first."""
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


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
    new_errors = _password_errors(new_password, (user.username, user.display_name))
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
    errors = _password_errors(new_password, (user.username, user.display_name))
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


#: Sign-in attempts younger than this are never pruned (the throttling reads them).
SHORTEST_KEEP = dt.timedelta(days=1)


def prune_login_attempts(
    session: Session,
    keep: dt.timedelta,
    *,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Delete the sign-in attempts older than ``keep`` and record how many in the audit log;
    the number deleted.

    :raises InvalidInputError: when ``keep`` is shorter than :data:`SHORTEST_KEEP`.
    """
    if keep < SHORTEST_KEEP:
        raise InvalidInputError(
            _("Keep sign-in attempts for at least one day: throttling reads them."), {}
        )
    cutoff = (now or utcnow()) - keep
    deleted = session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < cutoff))
    count = int(getattr(deleted, "rowcount", 0) or 0)
    audit(
        session,
        "login_attempts.prune",
        user=actor,
        details={"deleted": count, "before": cutoff.isoformat()},
    )
    return count
