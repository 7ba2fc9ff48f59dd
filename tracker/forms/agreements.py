"""Agreement forms: the agreement itself (with its version for optimistic locking), a party,
a provision and a territory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from tracker import labels
from tracker.forms.common import (
    SLUG_VALIDATORS,
    CheckedForm,
    WholeNumberField,
    blank_to_none,
    options,
)
from tracker.i18n import lazy_labels

AGREEMENT_KIND_LABELS = lazy_labels(labels.AGREEMENT_KIND_LABELS)
PARTY_ROLE_LABELS = lazy_labels(labels.PARTY_ROLE_LABELS)
PROVISION_KIND_LABELS = lazy_labels(labels.PROVISION_KIND_LABELS)
LOCAL_TIME_HINT = _l("Local time (Syria).")


def _optional_int(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", "None") else None


class AgreementForm(CheckedForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=300)])
    name_ar = StringField(
        _l("Name in Arabic"), validators=[Optional(), Length(max=300)], filters=[blank_to_none]
    )
    slug = StringField(_l("Short name for links"), validators=[DataRequired(), *SLUG_VALIDATORS])
    kind = SelectField(
        _l("Kind"), choices=options((str(k), label) for k, label in AGREEMENT_KIND_LABELS.items())
    )
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    effective_from = DateTimeLocalField(
        _l("In force from"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired(message=_l("Enter the date and time it took effect."))],
        description=LOCAL_TIME_HINT,
    )
    expires_at = DateTimeLocalField(
        _l("Expires at"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        description=_l("Leave empty for an agreement without an end. Local time (Syria)."),
    )
    is_unilateral = BooleanField(_l("Unilateral (binds only the party that announced it)"))
    parent_id = SelectField(_l("Stands on (parent agreement)"), coerce=_optional_int)
    summary_en = TextAreaField(
        _l("Summary in English"),
        validators=[Optional(), Length(max=20000)],
        filters=[blank_to_none],
    )
    summary_ar = TextAreaField(
        _l("Summary in Arabic"), validators=[Optional(), Length(max=20000)], filters=[blank_to_none]
    )
    text_url = StringField(
        _l("Link to the text"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full web address (https://…).")),
            Length(max=1000),
        ],
        filters=[blank_to_none],
    )
    pax_id = WholeNumberField(
        _l("PA-X agreement number"), validators=[Optional(), NumberRange(min=1)]
    )
    version = HiddenField()

    def validate_expires_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.effective_from.data and field.data <= self.effective_from.data:
            raise ValidationError(_l("The end must come after the start."))


class PartyForm(CheckedForm):
    actor_id = SelectField(_l("Actor"), coerce=_optional_int, validators=[DataRequired()])
    role = SelectField(
        _l("Role"), choices=options((str(k), label) for k, label in PARTY_ROLE_LABELS.items())
    )
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=5000)], filters=[blank_to_none]
    )


class PartyEditForm(CheckedForm):
    role = SelectField(
        _l("Role"), choices=options((str(k), label) for k, label in PARTY_ROLE_LABELS.items())
    )
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=5000)], filters=[blank_to_none]
    )


class ProvisionForm(CheckedForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=300)])
    title_ar = StringField(
        _l("Title in Arabic"), validators=[Optional(), Length(max=300)], filters=[blank_to_none]
    )
    kind = SelectField(
        _l("Kind"), choices=options((str(k), label) for k, label in PROVISION_KIND_LABELS.items())
    )
    deadline = DateTimeLocalField(
        _l("Deadline"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        description=LOCAL_TIME_HINT,
    )
    text = TextAreaField(
        _l("Text"), validators=[Optional(), Length(max=20000)], filters=[blank_to_none]
    )


class TerritoryForm(CheckedForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=300)])
    name_ar = StringField(
        _l("Name in Arabic"), validators=[Optional(), Length(max=300)], filters=[blank_to_none]
    )
    admin_pcodes = StringField(
        _l("Admin area P-codes"),
        description=_l("Separated by commas or spaces, e.g. SY07, SY0703."),
        validators=[Optional(), Length(max=5000)],
    )
    geometry = TextAreaField(
        _l("Shape (GeoJSON)"),
        description=_l("A GeoJSON Polygon or MultiPolygon, longitude before latitude."),
        validators=[Optional(), Length(max=1_000_000)],
    )

    def validate_admin_pcodes(self, field: StringField) -> None:
        if not (field.data or "").strip() and not (self.geometry.data or "").strip():
            raise ValidationError(_l("Give admin area P-codes, a shape, or both."))
