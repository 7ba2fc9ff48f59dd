"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.auth import SignedInUser
from tracker.db import get_session
from tracker.forms.auth import LoginForm
from tracker.models import User
from tracker.permissions import PUBLIC, requires
from tracker.services.users import password_matches

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        user = session.scalar(select(User).where(User.username == form.username.data))
        if user is not None and user.is_active and password_matches(user, form.password.data or ""):
            login_user(SignedInUser(user))
            return redirect(safe_next(request.args.get("next")))
        flash("Unknown username or wrong password.", "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires("viewer")
def logout() -> Response:
    logout_user()
    return redirect(url_for("auth.login"))
