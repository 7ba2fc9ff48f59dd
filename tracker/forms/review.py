"""The review queue's decision form: verify, dispute or reject, with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.forms.common import options

DECISION_LABELS = {
    "verified": _l("Verify"),
    "disputed": _l("Dispute"),
    "rejected": _l("Reject"),
}


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
