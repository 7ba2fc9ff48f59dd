"""Sign-in plumbing: the Flask-Login user loader and CSRF protection for every form."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager, UserMixin
from flask_wtf import CSRFProtect

from tracker.db import get_session
from tracker.models import User

login_manager = LoginManager()
csrf = CSRFProtect()


class SignedInUser(UserMixin):
    """The signed-in user as Flask-Login sees it."""

    def __init__(self, user: User) -> None:
        self.record = user
        self.id = str(user.id)
        self.role = user.role
        self.username = user.username
        self.locale = user.locale


@login_manager.user_loader
def _load_user(user_id: str) -> SignedInUser | None:
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    return SignedInUser(user)


def init_app(app: Flask) -> None:
    """Sessions for signed-in users, and CSRF tokens checked on every form post."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
