"""Sign-in plumbing: Flask-Login over server-side sessions (the cookie holds only a random
token), helpers to sign in and out, and CSRF protection for every form."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import CSRFProtect

from tracker import security
from tracker.db import get_session
from tracker.models import User
from tracker.services import logins

login_manager = LoginManager()
csrf = CSRFProtect()

DEFAULT_IDLE_MINUTES = 8 * 60


class SignedInUser(UserMixin):
    """The signed-in user as Flask-Login sees it; its id is the session token."""

    def __init__(self, user: User, token: str) -> None:
        self.record = user
        self.token = token
        self.user_id = user.id
        self.role = user.role
        self.username = user.username
        self.locale = user.locale

    def get_id(self) -> str:
        return self.token


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(
        minutes=int(current_app.config.get("SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))
    )


@login_manager.user_loader
def _load_user(token: str) -> SignedInUser | None:
    db_session = get_session()
    record = logins.session_for_token(db_session, token, idle=_idle_limit())
    if db_session.dirty or db_session.new:
        db_session.commit()
    if record is None:
        return None
    return SignedInUser(record.user, token)


def client_address() -> str:
    """The address the request came from (as the WSGI server or proxy fix reports it)."""
    return request.remote_addr or "unknown"


def sign_in(user: User) -> None:
    """Open a server-side session for ``user`` and put its token in the (new) cookie session."""
    token = logins.start_session(
        get_session(),
        user,
        address=client_address(),
        user_agent=request.headers.get("User-Agent"),
    )
    session.clear()
    login_user(SignedInUser(user, token))


def sign_out() -> None:
    """End the server-side session of the current user and clear the cookie session."""
    if current_user.is_authenticated:
        logins.end_session(get_session(), current_user.token)
    logout_user()
    session.clear()


def current_record() -> User | None:
    """The signed-in user's database record, or None when signed out."""
    if not current_user.is_authenticated:
        return None
    record: User = current_user.record
    return record


def current_token() -> str | None:
    """The session token of the signed-in user, or None when signed out."""
    return current_user.token if current_user.is_authenticated else None


def init_app(app: Flask) -> None:
    """Sessions for signed-in users (no remember-me cookie), cookie settings and security
    headers, and CSRF."""
    security.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # server-side sessions end sign-ins instead
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked after authorisation: permissions.py
    csrf.init_app(app)
