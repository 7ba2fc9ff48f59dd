"""The one authorisation function: every endpoint declares who may use it; others are refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.auth import csrf
from tracker.models import ROLE_ORDER, Role

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
Rule = str | dict[str, str]


def requires(rule: Rule) -> Callable[[F], F]:
    """Declare who may call the decorated view: ``"public"``, the least role needed
    (viewer < analyst < reviewer < admin), or per method: ``{"GET": "viewer", "POST": "analyst"}``.
    """

    def decorate(view: F) -> F:
        view.__dict__["_tracker_rule"] = rule
        return view

    return decorate


def rules(app: Flask) -> dict[str, Rule]:
    """The rule of every endpoint of ``app`` that declared one."""
    found: dict[str, Rule] = {"static": PUBLIC}
    for endpoint, view in app.view_functions.items():
        rule = getattr(view, "_tracker_rule", None)
        if rule is not None:
            found[endpoint] = rule
    return found


def rule_for(app: Flask, endpoint: str, method: str) -> str | None:
    """The rule deciding ``method`` on ``endpoint``, or None when the endpoint declared none."""
    rule: Rule | None = app.extensions["tracker_rules"].get(endpoint)
    if isinstance(rule, dict):
        return rule.get("GET" if method in {"HEAD", "OPTIONS"} else method)
    return rule


def allowed(role: str | None, rule: str) -> bool:
    """Whether a user with ``role`` (None when signed out) passes ``rule``."""
    if rule == PUBLIC:
        return True
    if role is None:
        return False
    return ROLE_ORDER.index(Role(role)) >= ROLE_ORDER.index(Role(rule))


def can(endpoint: str, method: str = "GET") -> bool:
    """Whether the current visitor passes the rule of ``endpoint`` for ``method`` (templates use
    it to show only the links and buttons that would be allowed)."""
    rule = rule_for(current_app, endpoint, method)
    if rule is None:
        return False
    return allowed(current_user.role if current_user.is_authenticated else None, rule)


def authorise() -> Response | None:
    """Refuse the request unless the signed-in user's role passes its endpoint's rule; send a
    signed-out visitor to the sign-in page instead."""
    if request.endpoint is None:
        return None  # Flask answers 404 and 405 itself
    rule = rule_for(current_app, request.endpoint, request.method)
    if request.blueprint == "api":
        from tracker.api.auth import authorise_api

        return authorise_api(rule, allowed)
    if rule is None:
        abort(403)
    role = current_user.role if current_user.is_authenticated else None
    if allowed(role, rule):
        return None
    if role is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def check_csrf() -> None:
    """Check the CSRF token of every unsafe request, after authorisation so that a refused
    visitor learns nothing from the token check; raises ``CSRFError`` (see tracker/errors.py).
    API requests carry a token in a header, never the session cookie: no CSRF token there."""
    if request.endpoint is None or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return  # Flask answers 404 and 405 itself
    if request.blueprint == "api":
        return
    if request.method in current_app.config.get(
        "WTF_CSRF_METHODS", ("POST", "PUT", "PATCH", "DELETE")
    ):
        csrf.protect()


def init_app(app: Flask) -> None:
    """Collect the rules of the registered views and check every request against them, then
    its CSRF token; call it after every blueprint is registered."""
    app.extensions["tracker_rules"] = rules(app)
    app.add_template_global(can, "can")
    app.before_request(authorise)
    app.before_request(check_csrf)
