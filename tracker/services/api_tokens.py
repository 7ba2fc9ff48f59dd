"""Personal API tokens: create (the secret is returned once), revoke, and find the token of a
request. Every change is written to the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import ApiToken, TokenScope, User
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.services.history import audit

#: Every secret starts with this, so that leaked tokens are easy to find in logs and code.
TOKEN_PREFIX = "ctk_"  # noqa: S105 (a marker, not a secret)
#: The longest life a token may be given, in days.
MAX_DAYS = 366


def digest(secret: str) -> str:
    """The SHA-256 of a token's secret, as stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session,
    user: User,
    name: str,
    scope: str,
    days: int,
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token of ``user`` named ``name`` with ``scope`` (read or write) that expires in
    ``days`` days, and its secret (never stored; shown once).

    :raises InvalidInputError: for an empty or long name, an unknown scope or a life outside
        1 to :data:`MAX_DAYS` days."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors["name"] = str(_("Name the token (at most 100 characters)."))
    if scope not in {s.value for s in TokenScope}:
        errors["scope"] = str(_("Choose read or read-write."))
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = str(_("A token lives from 1 to %(days)s days.", days=MAX_DAYS))
    if errors:
        raise InvalidInputError(" ".join(errors.values()), errors)
    moment = now or dt.datetime.now(dt.UTC)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=digest(secret),
        prefix=secret[:12],
        scope=scope,
        created_at=moment,
        expires_at=moment + dt.timedelta(days=days),
    )
    session.add(token)
    session.flush()
    audit(
        session,
        "api_token.create",
        user=actor,
        entity_type="user",
        entity_id=user.id,
        details={"token_id": token.id, "name": name, "scope": scope, "days": days},
    )
    return token, secret


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    """The tokens of ``user``, newest first (revoked and expired ones included)."""
    statement = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(statement))


def revoke_token(session: Session, token_id: int, *, actor: User) -> ApiToken:
    """Revoke a token of ``actor`` (or of anyone, when ``actor`` is an admin).

    :raises NotFoundError: when there is no such token, or it is another user's."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.has_role("admin")):
        raise NotFoundError(str(_("There is no such token.")))
    if token.revoked_at is None:
        token.revoked_at = dt.datetime.now(dt.UTC)
        session.flush()
        audit(
            session,
            "api_token.revoke",
            user=actor,
            entity_type="user",
            entity_id=token.user_id,
            details={"token_id": token.id},
        )
    return token


def token_for_secret(
    session: Session, secret: str, *, now: dt.datetime | None = None
) -> ApiToken | None:
    """The usable token whose secret is ``secret`` (its user active), or None; records when
    it was last used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    moment = now or dt.datetime.now(dt.UTC)
    if token is None or not token.usable(moment) or not token.user.is_active:
        return None
    if token.last_used_at is None or moment - token.last_used_at > dt.timedelta(minutes=1):
        token.last_used_at = moment
        session.flush()
    return token
