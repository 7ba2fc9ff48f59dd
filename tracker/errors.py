"""Error handlers: pages (400, 403, 404, 405, 500) in the site's layout, and the answer to a
form post whose CSRF token is missing or expired: the same form again, with what was typed."""

from __future__ import annotations

import logging

from flask import Flask, current_app, flash, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.api.problems import is_api_request, problem
from tracker.security import safe_description

log = logging.getLogger(__name__)

PAGES = (400, 403, 404, 405, 500)


def _rollback() -> None:
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()


def _page(code: int, message: str | None = None) -> ResponseReturnValue:
    return render_template(f"errors/{code}.html", code=code, message=message), code


def csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """A form page is shown again with everything typed kept (its form fails validation on the
    same token, so nothing is written); any other post gets the 400 page."""
    _rollback()
    rule = request.url_rule
    view = current_app.view_functions.get(request.endpoint or "")
    message = _(
        "Your session expired or the form was out of date, so nothing was saved. "
        "Your entries are kept below: check them and submit again."
    )
    if view is not None and rule is not None and "GET" in (rule.methods or set()):
        flash(message, "error")
        try:
            response = current_app.make_response(
                current_app.ensure_sync(view)(**(request.view_args or {}))
            )
        except HTTPException as error:  # e.g. the record of the form does not exist
            return http_error(error)
        if response.status_code == 200:
            response.status_code = 400
        return response
    flash(message, "error")
    return _page(400)


def http_error(error: HTTPException) -> ResponseReturnValue:
    """Known HTTP errors in the site's layout; others keep Werkzeug's page."""
    _rollback()
    code = error.code or 500
    if is_api_request():
        headers = {}
        if code == 405 and error.get_response().headers.get("Allow"):
            headers["Allow"] = error.get_response().headers["Allow"]
        return problem(code, error.description, headers=headers)
    if code in PAGES:
        # A description the application wrote (not Werkzeug's stock text) says what was wrong.
        stock = type(error).description
        message = error.description if error.description != stock else None
        response = current_app.make_response(_page(code, message))
        if code == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response
    return error


def server_error(error: InternalServerError) -> ResponseReturnValue:
    """Any unexpected failure: roll back, log, and show a page that says nothing was saved."""
    _rollback()
    original = error.original_exception
    log.error(
        "unexpected error on %s %s: %s",
        request.method,
        request.path,
        safe_description(original) if original is not None else "unknown",
    )
    if is_api_request():
        return problem(500, _("Something went wrong and nothing was saved."))
    try:
        return _page(500)
    except Exception:  # the layout itself failed: answer in plain text
        log.exception("the error page failed")
        return _("Something went wrong and nothing was saved."), 500


def init_app(app: Flask) -> None:
    """Register the handlers: CSRF failures, HTTP errors, unexpected failures."""
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, server_error)
