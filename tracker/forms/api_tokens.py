"""The form that creates a personal API token on the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from tracker.forms.common import options
from tracker.services.api_tokens import MAX_DAYS


class TokenCreateForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    scope = SelectField(
        _l("Scope"),
        choices=options([("read", _l("read only")), ("write", _l("read and write"))]),
        default="read",
    )
    days = IntegerField(
        _l("Expires after (days)"),
        default=90,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_DAYS)],
    )
