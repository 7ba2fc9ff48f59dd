"""The review queue's decision form: verify, dispute or reject, with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker import labels
from tracker.forms.common import options
from tracker.i18n import lazy_labels

DECISION_LABELS = lazy_labels(labels.DECISION_LABELS)


class DecisionForm(FlaskForm):
    """A reviewer's decision on an incident waiting for review."""

    version = HiddenField()
    decision = RadioField(
        _l("Decision"), choices=options(DECISION_LABELS.items()), validators=[DataRequired()]
    )
    reason = TextAreaField(
        _l("Reason (required to dispute or reject; the analyst sees it)"),
        validators=[Optional(), Length(max=5000)],
    )
