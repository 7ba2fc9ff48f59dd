"""The actor form: names in both languages, aliases and transliterations, kind, parent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from tracker import labels
from tracker.forms.common import SLUG_VALIDATORS, CheckedForm, LinesField, blank_to_none, options
from tracker.i18n import lazy_labels

ACTOR_KIND_LABELS = lazy_labels(labels.ACTOR_KIND_LABELS)


class ActorForm(CheckedForm):
    slug = StringField(_l("Short name for links"), validators=[DataRequired(), *SLUG_VALIDATORS])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=300)])
    name_ar = StringField(
        _l("Name in Arabic"), validators=[Optional(), Length(max=300)], filters=[blank_to_none]
    )
    aliases = LinesField(
        _l("Other names and transliterations"),
        description=_l("One per line, in any language."),
    )
    kind = SelectField(
        _l("Kind"), choices=options((str(k), label) for k, label in ACTOR_KIND_LABELS.items())
    )
    parent_id = SelectField(
        _l("Part of"), coerce=lambda v: int(v) if v not in (None, "", "None") else None
    )
    country = StringField(
        _l("Country (ISO code)"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. SY, TR, RU.")),
        ],
        filters=[blank_to_none, lambda v: v.upper() if isinstance(v, str) else v],
    )
