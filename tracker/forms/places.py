"""The place form: names in both languages, aliases and transliterations, admin areas and
P-codes, coordinates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FloatField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from tracker import labels
from tracker.forms.common import SLUG_VALIDATORS, CheckedForm, LinesField, blank_to_none, options
from tracker.i18n import lazy_labels

PLACE_KIND_LABELS = lazy_labels(labels.PLACE_KIND_LABELS)


def _text(label: str, length: int) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=length)], filters=[blank_to_none])


class PlaceForm(CheckedForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=300)])
    name_ar = _text(_l("Name in Arabic"), 300)
    slug = StringField(_l("Short name for links"), validators=[DataRequired(), *SLUG_VALIDATORS])
    aliases = LinesField(
        _l("Other names and transliterations"),
        description=_l("One per line, in any language (e.g. Kafranbouda)."),
    )
    kind = SelectField(
        _l("Kind"), choices=options((str(k), label) for k, label in PLACE_KIND_LABELS.items())
    )
    pcode = _text(_l("P-code"), 20)
    admin1_name = _text(_l("Governorate"), 120)
    admin1_pcode = _text(_l("Governorate P-code"), 20)
    admin2_name = _text(_l("District"), 120)
    admin2_pcode = _text(_l("District P-code"), 20)
    admin3_name = _text(_l("Sub-district"), 120)
    admin3_pcode = _text(_l("Sub-district P-code"), 20)
    latitude = FloatField(
        _l("Latitude"),
        validators=[Optional(), NumberRange(min=-90, max=90)],
        description=_l("Decimal degrees, e.g. 35.4167."),
    )
    longitude = FloatField(
        _l("Longitude"),
        validators=[Optional(), NumberRange(min=-180, max=180)],
        description=_l("Decimal degrees, e.g. 36.5167."),
    )

    def validate_longitude(self, field: FloatField) -> None:
        if (field.data is None) != (self.latitude.data is None):
            raise ValidationError(_l("Give both latitude and longitude, or neither."))
