"""The API token section of the account page: create a token (its secret shown once) and
revoke one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.api_tokens import TokenCreateForm
from tracker.forms.common import options
from tracker.permissions import requires
from tracker.services import api_tokens as token_service
from tracker.services.errors import InvalidInputError, NotFoundError
from tracker.views.common import show_errors, signed_in_user

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


@bp.route("/", methods=["GET", "POST"])
@requires("viewer")
def index() -> str | Response:
    user = signed_in_user()
    form = TokenCreateForm()
    if not user.has_role("analyst"):
        form.scope.choices = options([("read", _("read only"))])
    secret = None
    if form.validate_on_submit():
        db_session = get_session()
        try:
            _token, secret = token_service.create_token(
                db_session,
                user,
                form.name.data or "",
                form.scope.data or "read",
                int(form.days.data or 0),
                actor=user,
            )
        except InvalidInputError as error:
            db_session.rollback()
            show_errors(form, error)
        else:
            db_session.commit()
            form = TokenCreateForm(formdata=None)
    tokens = token_service.user_tokens(get_session(), user)
    body = render_template("auth/tokens.html", form=form, tokens=tokens, secret=secret)
    response = Response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@requires("viewer")
def revoke(token_id: int) -> Response:
    db_session = get_session()
    user = signed_in_user()
    try:
        token = token_service.revoke_token(db_session, token_id, actor=user)
    except NotFoundError as error:
        db_session.rollback()
        flash(str(error), "error")
        return redirect(url_for("api_tokens.index"))
    db_session.commit()
    flash(_("The token is revoked."), "info")
    if token.user_id != user.id:  # an admin, on the user's page
        return redirect(url_for("users.edit", user_id=token.user_id))
    return redirect(url_for("api_tokens.index"))
