"""The API token section of the account page: create a token (its secret shown once) and
revoke one."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.forms.api_tokens import TokenCreateForm
from tracker.forms.common import options
from tracker.permissions import requires
from tracker.services import api_tokens as token_service
from tracker.views.common import save, signed_in_user

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
        saved = save(
            lambda db: token_service.create_token(
                db,
                user,
                form.name.data or "",
                form.scope.data or "read",
                int(form.days.data or 0),
                actor=user,
            ),
            None,
            form=form,
        )
        if saved.record is not None:
            secret = saved.record[1]
            form = TokenCreateForm(formdata=None)
    tokens = token_service.user_tokens(get_session(), user)
    body = render_template("auth/tokens.html", form=form, tokens=tokens, secret=secret)
    response = Response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@requires("viewer")
def revoke(token_id: int) -> Response:
    user = signed_in_user()
    saved = save(
        lambda db: token_service.revoke_token(db, token_id, actor=user),
        _("The token is revoked."),
        category="info",
    )
    token = saved.record
    if token is None:
        return redirect(url_for("api_tokens.index"))
    if token.user_id != user.id:  # an admin, on the user's page
        return redirect(url_for("users.edit", user_id=token.user_id))
    return redirect(url_for("api_tokens.index"))
