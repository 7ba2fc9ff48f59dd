"""Refusal of hostile request values before any view or query sees them: control characters
in the path, the query string or a form post, overlong query values, and path ids beyond the
columns' range (a 404, as for any record that does not exist)."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter as WerkzeugIntegerConverter
from werkzeug.routing import ValidationError

from tracker.rules.values import INT32_MAX, text_problem

#: The longest value a query parameter may carry (search words, dates, slugs, ids).
MAX_QUERY_VALUE = 1000


class IntegerConverter(WerkzeugIntegerConverter):
    """``<int:...>`` in a route: ASCII digits naming a 32-bit id; anything longer or larger
    matches no route (404) instead of reaching the database."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > 10:
            raise ValidationError
        return super().to_python(value)


def _refuse(message: str) -> None:
    raise BadRequest(message)


def check_request() -> None:
    """Answer 400 with a message when the path or a query parameter holds a control
    character, a query value is overlong, or a form post holds a NUL character (other control
    characters in a form are shown beside their field by the form itself)."""
    if text_problem(request.path):
        _refuse(_("The address holds a control character."))
    for key, value in request.args.items(multi=True):
        if text_problem(key) or text_problem(value):
            _refuse(_("The parameter %(name)s holds a control character.", name=key[:40]))
        if len(value) > MAX_QUERY_VALUE:
            _refuse(
                _(
                    "The parameter %(name)s is too long (at most %(max)s characters).",
                    name=key[:40],
                    max=MAX_QUERY_VALUE,
                )
            )
    if request.method == "POST" and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        for key, value in request.form.items(multi=True):
            if text_problem(key) == "nul" or text_problem(value) == "nul":
                _refuse(
                    _("The form holds a NUL character, which cannot be stored: nothing was saved.")
                )


def init_app(app: Flask) -> None:
    """Route ids within range; request values checked before every view."""
    app.url_map.converters["int"] = IntegerConverter
    app.before_request(check_request)
