"""Sign in and out, the own account page (password, language) and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from tracker.auth import client_address, current_record, current_token, sign_in, sign_out
from tracker.db import get_session
from tracker.forms.auth import LanguageForm, LoginForm, PasswordChangeForm
from tracker.i18n import SESSION_LOCALE_KEY
from tracker.permissions import PUBLIC, requires
from tracker.services import logins
from tracker.services import users as user_service
from tracker.services.errors import InvalidInputError
from tracker.views.common import show_errors, signed_in_user

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("home.index")


def _policy() -> logins.LoginPolicy:
    config = current_app.config
    return logins.LoginPolicy(
        max_failures=int(config["LOGIN_MAX_FAILURES"]),
        lock_minutes=int(config["LOGIN_LOCK_MINUTES"]),
        max_per_address=int(config["LOGIN_MAX_PER_ADDRESS"]),
    )


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        db_session = get_session()
        user = logins.authenticate(
            db_session,
            form.username.data or "",
            form.password.data or "",
            client_address(),
            _policy(),
        )
        db_session.commit()
        if user is not None:
            sign_in(user)
            db_session.commit()
            return redirect(safe_next(request.args.get("next")))
        flash(
            _(
                "Unknown username or wrong password, or too many attempts: "
                "check and try again in a while."
            ),
            "error",
        )
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires("viewer")
def logout() -> Response:
    sign_out()
    get_session().commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@requires("viewer")
def account() -> str | Response:
    user = signed_in_user()
    form = PasswordChangeForm()
    language_form = LanguageForm(locale=user.locale, next=url_for("auth.account"))
    if form.validate_on_submit():
        db_session = get_session()
        try:
            user_service.change_password(
                db_session,
                user,
                form.current_password.data or "",
                form.new_password.data or "",
                keep_token=current_token(),
            )
        except InvalidInputError as error:
            db_session.rollback()
            show_errors(form, error)
        else:
            db_session.commit()
            flash(_("Your password is changed; your other sessions are ended."), "info")
            return redirect(url_for("auth.account"))
    sessions = logins.open_sessions(get_session(), user)
    return render_template(
        "auth/account.html",
        form=form,
        language_form=language_form,
        user=user,
        sessions=sessions,
        current_hash=logins.token_hash(current_token() or ""),
    )


@bp.route("/account/sessions/end", methods=["POST"])
@requires("viewer")
def end_other_sessions() -> Response:
    ended = logins.end_all_sessions(
        get_session(), signed_in_user(), "signed_out_elsewhere", keep_token=current_token()
    )
    get_session().commit()
    flash(ngettext("%(num)d other session ended.", "%(num)d other sessions ended.", ended), "info")
    return redirect(url_for("auth.account"))


@bp.route("/language", methods=["POST"])
@requires(PUBLIC)
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        locale = form.locale.data or "en"
        user = current_record()
        if user is not None:
            user_service.set_locale(get_session(), user, locale)
            get_session().commit()
        session[SESSION_LOCALE_KEY] = locale
    else:
        flash(_("Unknown language."), "error")
    return redirect(safe_next(form.next.data or None))
