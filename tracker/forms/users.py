"""Forms of the user administration pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from tracker import labels
from tracker.forms.common import CheckedForm, options
from tracker.i18n import LANGUAGE_NAMES, LANGUAGES, lazy_labels
from tracker.models import ROLE_ORDER

ROLE_LABELS = lazy_labels(labels.ROLE_LABELS)


def _role_choices() -> list[Any]:
    return options((str(role), ROLE_LABELS[str(role)]) for role in ROLE_ORDER)


class UserCreateForm(CheckedForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(
                r"^[\w.@-]+$",
                message=_l("Use letters, digits and . _ @ - only, without spaces."),
            ),
        ],
    )
    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=_role_choices(), default="viewer")
    locale = SelectField(
        _l("Language"), choices=options((c, LANGUAGE_NAMES[c]) for c in LANGUAGES), default="en"
    )
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=500)])


class UserEditForm(CheckedForm):
    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=_role_choices())
    is_active = BooleanField(_l("Account active (may sign in)"))


class PasswordResetForm(CheckedForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=500)])
