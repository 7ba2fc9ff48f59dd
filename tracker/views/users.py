"""User administration (administrators only): list, create, change role, deactivate, reset a
password. Accounts are never deleted."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.users import PasswordResetForm, UserCreateForm, UserEditForm
from tracker.models import User
from tracker.permissions import requires
from tracker.services import logins
from tracker.services import users as user_service
from tracker.services.api_tokens import user_tokens
from tracker.services.errors import InvalidInputError
from tracker.views.common import get_or_404, save_form, show_errors, signed_in_user

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.route("/")
@requires("admin")
def index() -> str:
    users = get_session().scalars(select(User).order_by(User.is_active.desc(), User.username))
    return render_template("users/list.html", users=list(users))


@bp.route("/new", methods=["GET", "POST"])
@requires("admin")
def new() -> str | Response:
    form = UserCreateForm()
    if form.validate_on_submit():
        user = save_form(
            form,
            lambda db: user_service.create_user(
                db,
                form.username.data or "",
                form.password.data or "",
                form.role.data or "viewer",
                actor=signed_in_user(),
                display_name=form.display_name.data,
                locale=form.locale.data or "en",
            ),
            _("User %(name)s created.", name=(form.username.data or "").strip()),
        )
        if user is not None:
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/new.html", form=form)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@requires("admin")
def edit(user_id: int) -> str | Response:
    user = get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        db_session = get_session()
        try:
            user_service.update_user(
                db_session,
                user,
                actor=signed_in_user(),
                role=form.role.data or user.role,
                display_name=form.display_name.data,
                is_active=bool(form.is_active.data),
            )
        except InvalidInputError as error:
            db_session.rollback()
            show_errors(form, error)
        else:
            db_session.commit()
            flash(_("User %(name)s saved.", name=user.username), "info")
            return redirect(url_for("users.edit", user_id=user.id))
    sessions = logins.open_sessions(get_session(), user)
    return render_template(
        "users/edit.html",
        form=form,
        user=user,
        sessions=sessions,
        reset_form=PasswordResetForm(formdata=None),
        tokens=user_tokens(get_session(), user),
    )


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@requires("admin")
def reset_password(user_id: int) -> str | Response:
    user = get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        db_session = get_session()
        try:
            user_service.reset_password(
                db_session, user, form.password.data or "", actor=signed_in_user()
            )
        except InvalidInputError as error:
            db_session.rollback()
            show_errors(form, error)
        else:
            db_session.commit()
            flash(
                _(
                    "The password of %(name)s is reset; their sessions are ended.",
                    name=user.username,
                ),
                "info",
            )
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/password.html", form=form, user=user)
