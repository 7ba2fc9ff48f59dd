"""Who calls the API: a personal token in ``Authorization: Bearer``, never the browser session;
its scope, its user's role and a rate limit per token decide what it may do."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Response, current_app, g, request
from flask_babel import gettext as _

from tracker.api.problems import problem
from tracker.db import get_session
from tracker.models import ApiToken, TokenScope, User
from tracker.services.api_tokens import token_for_secret

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimiter:
    """At most ``limit`` requests per token in each window of ``seconds`` (per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[int, tuple[float, int]] = {}

    def retry_after(self, token_id: int, limit: int, seconds: int) -> int | None:
        """Count a request of ``token_id``; the seconds to wait when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            started, count = self._windows.get(token_id, (now, 0))
            if now - started >= seconds:
                started, count = now, 0
            count += 1
            self._windows[token_id] = (started, count)
            if len(self._windows) > 10_000:
                self._windows = {token_id: (started, count)}
        if count > limit:
            return max(1, int(seconds - (now - started)) + 1)
        return None


def _limiter() -> RateLimiter:
    found = current_app.extensions.get("tracker_api_limiter")
    if found is None:
        found = current_app.extensions["tracker_api_limiter"] = RateLimiter()
    return found


def authorise_api(rule: str | None, allowed: Callable[[str | None, str], bool]) -> Response | None:
    """Refuse the API request unless a usable token of a user whose role passes ``rule``
    sent it, within its scope and rate limit; public endpoints need no token."""
    if rule is None:
        return problem(403, _("This endpoint is not open to anyone."))
    if rule == "public":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
    if scheme.lower() != "bearer" or not secret.strip():
        detail = _("Send a personal API token: Authorization: Bearer TOKEN.")
        if request.cookies:
            detail = _(
                "The API does not accept the browser's session; send a personal API token "
                "(Authorization: Bearer TOKEN), created on your account page."
            )
        return problem(401, detail, headers=challenge)
    session = get_session()
    token = token_for_secret(session, secret.strip())
    if token is None:
        return problem(401, _("This token is unknown, expired or revoked."), headers=challenge)
    session.commit()  # when it was last used
    user: User = token.user
    if request.method not in SAFE_METHODS and token.scope != TokenScope.WRITE:
        return problem(403, _("This token may only read: create a read-write token to write."))
    if not allowed(user.role, rule):
        return problem(403, _("Your role may not do this."))
    limit = int(current_app.config.get("API_RATE_LIMIT", 600))
    wait = _limiter().retry_after(token.id, limit, 60)
    if wait is not None:
        return problem(
            429,
            _("More than %(limit)s requests in a minute with this token.", limit=limit),
            headers={"Retry-After": str(wait)},
        )
    g.api_user = user
    g.api_token = token
    return None


def api_user() -> User:
    """The user whose token made the current API request."""
    user: User = g.api_user
    return user


def api_token() -> ApiToken:
    """The token of the current API request."""
    token: ApiToken = g.api_token
    return token
