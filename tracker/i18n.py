"""The interface language: English or Arabic (right to left), chosen per user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations, gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup

from tracker.rules.applicability import Reason
from tracker.rules.dates import DateInputError
from tracker.rules.values import date_bounds

LANGUAGES = ("en", "ar")
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}
RTL = frozenset({"ar"})
SESSION_LOCALE_KEY = "locale"

babel = Babel()
K = TypeVar("K")


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice kept in the session, else the
    browser's preference, else English (always English outside a request, e.g. in commands)."""
    if not has_request_context():
        return "en"
    if current_user and current_user.is_authenticated:
        locale = getattr(current_user, "locale", None)
        if locale in LANGUAGES:
            return str(locale)
    chosen = session.get(SESSION_LOCALE_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_locale() -> str:
    """The language of the page being built (English outside a request)."""
    if not has_request_context():
        return "en"
    locale = g.get("locale")
    return str(locale) if locale in LANGUAGES else select_locale()


def localized(record: Any, field: str, locale: str | None = None) -> str:
    """``record.<field>_ar`` on an Arabic page and ``record.<field>_en`` otherwise, falling back
    to the other language when the chosen one is empty; ``""`` when both are empty or the record
    is None. In templates: ``{{ localized(agreement, "name") }}`` or
    ``{{ agreement|localized("name") }}``."""
    if record is None:
        return ""
    chosen = locale or current_locale()
    order = ("ar", "en") if chosen == "ar" else ("en", "ar")
    for language in order:
        value = getattr(record, f"{field}_{language}", None)
        if value:
            return str(value)
    return ""


def lazy_labels(labels: Mapping[K, str]) -> dict[K, Any]:
    """``labels`` (of :mod:`tracker.labels`) translated when shown, into the page's language:
    for form choices and templates."""
    return {key: lazy_gettext(text) for key, text in labels.items()}


def text_direction(locale: str | None = None) -> str:
    """``"rtl"`` for a right-to-left language, else ``"ltr"``."""
    return "rtl" if (locale or current_locale()) in RTL else "ltr"


def _expose_locale() -> None:
    g.locale = select_locale()


def init_app(app: Flask) -> None:
    """Translations from ``tracker/translations``; ``g.locale`` set for the templates; the
    ``localized`` filter and global for names in the page's language."""
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_expose_locale)
    app.add_template_filter(localized, "localized")
    app.add_template_global(localized, "localized")
    app.add_template_global(text_direction, "text_direction")
    app.add_template_global(reason_text, "reason_text")
    app.add_template_global(isolated, "isolated")
    app.add_template_global(code, "code")
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES


def isolated(text: object) -> Markup:
    """``text`` (escaped) inside ``<bdi>``, so that a name or a number in the other script's
    direction does not scramble the sentence around it."""
    return Markup("<bdi>{}</bdi>").format(text)


def code(text: object) -> Markup:
    """``text`` (escaped) as left-to-right code: a command to type."""
    return Markup('<code dir="ltr">{}</code>').format(text)


def date_error_message(error: DateInputError) -> str:
    """The reason a typed date was refused, in the page's language."""
    if error.kind == "reversed":
        return str(gettext("The end of the range is before its start."))
    if error.kind == "range":
        low, high = date_bounds()
        return str(
            gettext(
                "Dates must lie between %(low)s and %(high)s.",
                low=low.isoformat(),
                high=high.isoformat(),
            )
        )
    if error.kind == "impossible":
        return str(gettext("%(text)s is not a real date.", text=error.text))
    return str(
        gettext(
            "%(text)s is not a date this form reads. Write it, for example, as 17 May 2019, "
            "17/05/2019, 2019-05-17 14:30, morning of 17 May 2019, 17–19 May 2019, May 2019 "
            "or early 2018.",
            text=error.text,
        )
    )


def reason_text(reason: Reason) -> str:
    """A verdict's reason in the page's language (English outside a request)."""
    return reason_writer()(reason)


def translator() -> Callable[[str], str]:
    """``gettext`` bound to the page's catalogue, looked up once: for long loops, where
    looking it up at each call costs more than the rest of the page."""
    catalogue = get_translations()
    return lambda text: str(catalogue.gettext(str(text)))


def reason_writer() -> Callable[[Reason], str]:
    """:func:`reason_text` for many reasons: the page's catalogue is looked up once."""
    if not has_request_context():
        return lambda reason: reason.message
    language = str(get_locale() or "en")[:2]
    translate = translator()

    def write(reason: Reason) -> str:
        return reason.text.render(translate, language)

    return write
