"""The sign-in form, the own-password form and the language switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from tracker.forms.common import CheckedForm, options
from tracker.i18n import LANGUAGE_NAMES, LANGUAGES


class LoginForm(CheckedForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=500)])


class PasswordChangeForm(CheckedForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=500)]
    )
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=500)])
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
    )


class LanguageForm(CheckedForm):
    locale = SelectField(
        _l("Language"),
        choices=options((code, LANGUAGE_NAMES[code]) for code in LANGUAGES),
        validators=[AnyOf(LANGUAGES)],
    )
    next = HiddenField()
