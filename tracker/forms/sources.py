"""Source forms: the source page's form and the source fields reused in the incident form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker import labels
from tracker.forms.common import CheckedForm, options
from tracker.i18n import lazy_labels
from tracker.models import Reliability

SOURCE_KIND_LABELS = lazy_labels(labels.SOURCE_KIND_LABELS)
RELIABILITY_LABELS = lazy_labels(labels.RELIABILITY_LABELS)


class SourceFields:
    """The fields that describe a source (all optional here; the service checks the rules)."""

    kind = SelectField(
        _l("Kind"),
        choices=options([("", "—"), *((str(k), label) for k, label in SOURCE_KIND_LABELS.items())]),
        validators=[Optional()],
        default="",
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=500)])
    url = StringField(_l("Web address"), validators=[Optional(), Length(max=2000)])
    publisher = StringField(_l("Publisher"), validators=[Optional(), Length(max=300)])
    author = StringField(_l("Author or speaker"), validators=[Optional(), Length(max=300)])
    language = StringField(
        _l("Language"),
        validators=[Optional(), Length(max=10)],
        description=_l("A language code such as ar or en."),
    )
    published_at = StringField(
        _l("Published"),
        validators=[Optional(), Length(max=40)],
        description=_l("2019-08-03 or 2019-08-03 14:30 (local time)."),
    )
    reliability = SelectField(
        _l("Reliability"),
        choices=options((str(r), label) for r, label in RELIABILITY_LABELS.items()),
        default=Reliability.F.value,
    )
    is_confidential = BooleanField(
        _l("Confidential"),
        description=_l("Never shown to viewers or in public reports and exports."),
    )


class SourceForm(CheckedForm, SourceFields):
    """Create or edit a source."""

    version = HiddenField()
    kind = SelectField(
        _l("Kind"),
        choices=options((str(k), label) for k, label in SOURCE_KIND_LABELS.items()),
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    archive_url = StringField(_l("Archived copy"), validators=[Optional(), Length(max=2000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=100_000)])


class RetractForm(CheckedForm):
    """Retract a record: a reason is required."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class ConfirmForm(CheckedForm):
    """A form with nothing but its CSRF token (restore, and similar one-click actions)."""


SOURCE_DATA_FIELDS = (
    "kind",
    "title",
    "url",
    "publisher",
    "author",
    "language",
    "published_at",
    "reliability",
    "is_confidential",
)


def source_data(form: SourceForm) -> dict[str, object]:
    """The service's input from a valid :class:`SourceForm`."""
    data: dict[str, object] = {name: form[name].data for name in SOURCE_DATA_FIELDS}
    data["archive_url"] = form.archive_url.data
    data["notes"] = form.notes.data
    return data
