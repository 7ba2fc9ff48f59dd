"""Sign-in: the check of a username and password with lockout and throttling, the server-side
sessions it opens, and the pruning of the record of attempts."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import LoginAttempt, User, UserSession, utcnow
from tracker.rules.accounts import normalise_username
from tracker.services.errors import InvalidInputError
from tracker.services.history import audit
from tracker.services.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_matches,
    verify_quietly,
)

ADDRESS_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed sign-ins lock an account and for how long; how many attempts one
    address may make per quarter of an hour."""

    max_failures: int = 5
    lock_minutes: int = 15
    max_per_address: int = 30


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
        verify_quietly(dummy_hash(), password)
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
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
        elif not locked:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= policy.max_failures:
                user.locked_until = now + dt.timedelta(minutes=policy.lock_minutes)
                user.failed_logins = 0
                audit(session, "user.locked", user=None, entity_type="users", entity_id=user.id)
    session.flush()
    return user if ok else None


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
