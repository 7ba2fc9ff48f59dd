"""Refusal of hostile request values before any view or query sees them: control characters
in the path, the query string or a form post, overlong query values, and path ids beyond the
columns' range (a 404, as for any record that does not exist)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter as WerkzeugIntegerConverter
from werkzeug.wrappers import Response

from tracker.rules.values import INT32_MAX, text_problem

#: The longest value a query parameter may carry (search words, dates, slugs, ids).
MAX_QUERY_VALUE = 1000
#: Parameters of free text, where a long number is words to look for, not a number.
FREE_TEXT = frozenset({"q", "text", "next"})
_DIGITS = re.compile(r"[0-9]+")


class IntegerConverter(WerkzeugIntegerConverter):
    """``<int:...>`` in a route: ASCII digits naming a 32-bit id; anything longer or larger
    matches no route (404) instead of reaching the database."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        number = int(value)
        if len(value) > 10 or number > INT32_MAX:
            # no such record, whatever the method (a ValidationError would let the router
            # answer 405 for a method another rule of the same path allows)
            raise NotFound
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
        if key not in FREE_TEXT and any(
            len(run) > 10 or int(run) > INT32_MAX for run in _DIGITS.findall(value)
        ):
            _refuse(
                _(
                    "The number in the parameter %(name)s is beyond the range the database "
                    "holds (at most %(max)s).",
                    name=key[:40],
                    max=f"{INT32_MAX:,}",
                )
            )
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


def refuse_form_values() -> None:
    """Note that a form of this request held a value beyond the rules (a number beyond the
    columns' range, a date outside the configured years, a control character): the form is
    shown again with its messages, answering 400 instead of 200."""
    if has_request_context():
        g.refused_form_values = True


def answer_conflict() -> None:
    """Note that this request's write was refused as stale (someone saved the record since
    the form was opened): the form shown again with both versions answers 409."""
    if has_request_context():
        g.stale_edit = True


def _answer_400_to_refused_values(response: Response) -> Response:
    if response.status_code == 200:
        if g.get("stale_edit"):
            response.status_code = 409
        elif g.get("refused_form_values"):
            response.status_code = 400
    return response


def init_app(app: Flask) -> None:
    """Route ids within range; request values checked before every view; a form refused for
    its values answers 400."""
    app.url_map.converters["int"] = IntegerConverter
    app.before_request(check_request)
    app.after_request(_answer_400_to_refused_values)
