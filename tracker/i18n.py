"""The interface language: English or Arabic (right to left), chosen per user."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel
from flask_login import current_user

LANGUAGES = ("en", "ar")
RTL = frozenset({"ar"})

babel = Babel()


def select_locale() -> str:
    """The signed-in user's language, else the browser's preference, else English."""
    if current_user and current_user.is_authenticated:
        locale = getattr(current_user, "locale", None)
        if locale in LANGUAGES:
            return str(locale)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _expose_locale() -> None:
    g.locale = select_locale()


def init_app(app: Flask) -> None:
    """Translations from ``tracker/translations``; ``g.locale`` set for the templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_expose_locale)
