"""The incident form: agreement and provisions, date, pickers, counts, casualties and sources."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import labels
from tracker.forms.common import CheckedForm, WholeNumberField, options
from tracker.forms.sources import SOURCE_DATA_FIELDS, SourceFields
from tracker.i18n import lazy_labels, localized
from tracker.models import (
    CASUALTY_GROUPS,
    Incident,
    Status,
)
from tracker.rules.values import parse_id
from tracker.services.incident_input import MAX_COUNT, MAX_EXCERPT, TEXT_LIMITS

CATEGORY_LABELS = lazy_labels(labels.CATEGORY_LABELS)
LOCATION_PRECISION_LABELS = lazy_labels(labels.LOCATION_PRECISION_LABELS)
CONFIDENCE_LABELS = lazy_labels(labels.CONFIDENCE_LABELS)
QUALIFIER_LABELS = lazy_labels(labels.QUALIFIER_LABELS)
STANCE_LABELS = lazy_labels(labels.STANCE_LABELS)
STATUS_LABELS = lazy_labels(labels.STATUS_LABELS)
PRECISION_LABELS = lazy_labels(labels.PRECISION_LABELS)
CREDIBILITY_LABELS = lazy_labels(labels.CREDIBILITY_LABELS)
FIGURE_QUALIFIER_LABELS = lazy_labels(labels.FIGURE_QUALIFIER_LABELS)
GROUP_LABELS = lazy_labels(labels.GROUP_LABELS)


def _choices(labels: dict[Any, Any], blank: bool = False) -> list[Any]:
    items = [(str(key), label) for key, label in labels.items()]
    return options([("", "—"), *items] if blank else items)


class PickerForm(Form):
    """Find a record by name: typed text, the id a suggestion or an earlier page chose, and a
    choice list when the text matched several records."""

    text = StringField(validators=[Optional(), Length(max=300)])
    selected = HiddenField()
    choice = RadioField(choices=[], validate_choice=False)
    #: The spelling the analyst typed before a suggestion replaced it, and whether to keep it
    #: as another name (alias) of the record chosen.
    typed = HiddenField(validators=[Optional(), Length(max=300)])
    remember = BooleanField(_l("Remember this spelling as another name"))


class NewPlaceForm(Form):
    """A place added to the gazetteer from the incident form: names, and a point or a P-code."""

    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=300)])
    name_ar = StringField(_l("Arabic name"), validators=[Optional(), Length(max=300)])
    pcode = StringField(_l("P-code"), validators=[Optional(), Length(max=20)])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(min=-90, max=90)])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(min=-180, max=180)])


def _longest(field: str) -> Length:
    """The length limit of the incident's text field ``field`` (defined by the service)."""
    return Length(max=TEXT_LIMITS[field])


def _count() -> WholeNumberField:
    return WholeNumberField(validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])


class SourceLinkForm(Form, SourceFields):
    """One source of the incident: an existing one picked by title, or a new one described."""

    source = FormField(PickerForm, label=_l("Existing source"))
    credibility = SelectField(
        _l("Credibility of the information"), choices=_choices(CREDIBILITY_LABELS), default="6"
    )
    blames = FormField(PickerForm, label=_l("Whom it blames"))
    stance = SelectField(_l("Stance"), choices=_choices(STANCE_LABELS), default="supports")
    excerpt = TextAreaField(_l("Quoted excerpt"), validators=[Optional(), Length(max=MAX_EXCERPT)])


class IncidentForm(CheckedForm):
    """Create or edit an incident with its sources."""

    version = HiddenField()
    alleged_agreement_id = SelectField(_l("Alleged agreement"), choices=[], default="")
    update_provisions = SubmitField(_l("Update provisions"))
    provision_ids = SelectMultipleField(
        _l("Breached provisions"),
        choices=[],
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    when = StringField(
        _l("Date"),
        validators=[DataRequired(), Length(max=80)],
        description=_l(
            "For example 17 May 2019, 17/05/2019, 2019-05-17 14:30, morning of 17 May 2019, "
            "17–19 May 2019, May 2019, 2019-W21, early 2018; or counted from the first cited "
            "source's publication day: yesterday, 3 days ago, the 10th of last month."
        ),
    )
    place = FormField(PickerForm, label=_l("Place"))
    new_place = FormField(NewPlaceForm, label=_l("A place not in the gazetteer"))
    add_place = SubmitField(_l("Add this place"))
    location_precision = SelectField(
        _l("Location precision"), choices=_choices(LOCATION_PRECISION_LABELS), default="exact"
    )
    perpetrator = FormField(PickerForm, label=_l("Alleged perpetrator"))
    perpetrator_confidence = SelectField(
        _l("Confidence in the attribution"),
        choices=_choices(CONFIDENCE_LABELS, blank=True),
        default="",
    )
    target_actor = FormField(PickerForm, label=_l("Target"))
    category = SelectField(
        _l("Category"), choices=_choices(CATEGORY_LABELS, blank=True), validators=[DataRequired()]
    )
    weapon = StringField(_l("Weapon"), validators=[Optional(), _longest("weapon")])
    event_count = WholeNumberField(
        _l("Number of events"), validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)]
    )
    count_qualifier = SelectField(
        _l("Count is"), choices=_choices(QUALIFIER_LABELS), default="exact"
    )
    count_period_hours = WholeNumberField(
        _l("Over how many hours"), validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)]
    )
    civilians_killed_low = _count()
    civilians_killed_best = _count()
    civilians_killed_high = _count()
    civilians_injured_low = _count()
    civilians_injured_best = _count()
    civilians_injured_high = _count()
    combatants_killed_low = _count()
    combatants_killed_best = _count()
    combatants_killed_high = _count()
    civilians_killed_qualifier = SelectField(
        choices=_choices(FIGURE_QUALIFIER_LABELS), default="exact"
    )
    civilians_injured_qualifier = SelectField(
        choices=_choices(FIGURE_QUALIFIER_LABELS), default="exact"
    )
    combatants_killed_qualifier = SelectField(
        choices=_choices(FIGURE_QUALIFIER_LABELS), default="exact"
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Optional(), _longest("description_en")]
    )
    description_ar = TextAreaField(
        _l("Description (Arabic)"), validators=[Optional(), _longest("description_ar")]
    )
    claimed_justification = TextAreaField(
        _l("Claimed justification"), validators=[Optional(), _longest("claimed_justification")]
    )
    claimed_target = FormField(PickerForm, label=_l("Claimed target"))
    status = SelectField(
        _l("Save as"),
        choices=options(
            [("draft", STATUS_LABELS[Status.DRAFT]), ("submitted", _l("Submitted for review"))]
        ),
        default="submitted",
    )
    sources = FieldList(FormField(SourceLinkForm), min_entries=2, max_entries=30)
    add_source = SubmitField(_l("Add another source"))
    save = SubmitField(_l("Save"))


class StatusForm(CheckedForm):
    """A reviewer's change of an incident's status."""

    version = HiddenField()
    status = SelectField(
        _l("New status"),
        choices=options(
            [
                (s.value, STATUS_LABELS[s])
                for s in (Status.SUBMITTED, Status.VERIFIED, Status.DISPUTED, Status.REJECTED)
            ]
            + [(Status.DRAFT.value, STATUS_LABELS[Status.DRAFT])]
        ),
    )
    reason = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


#: Picker subforms of the incident form and the service field each one fills.
PICKERS = {
    "place": "place_id",
    "perpetrator": "perpetrator_id",
    "target_actor": "target_actor_id",
    "claimed_target": "claimed_target_id",
}
PLAIN_FIELDS = (
    "when",
    "location_precision",
    "perpetrator_confidence",
    "category",
    "weapon",
    "event_count",
    "count_qualifier",
    "count_period_hours",
    *(f"{g}_{level}" for g in CASUALTY_GROUPS for level in ("low", "best", "high")),
    *(f"{g}_qualifier" for g in CASUALTY_GROUPS),
    "description_en",
    "description_ar",
    "claimed_justification",
    "status",
)


def incident_data(form: IncidentForm, resolved: dict[str, int | None]) -> dict[str, Any]:
    """The service's input from a valid form; ``resolved`` maps the names of picker fields
    (``place``, ``sources-0-source``, ...) to the ids the pickers resolved to."""
    data: dict[str, Any] = {name: form[name].data for name in PLAIN_FIELDS}
    data["alleged_agreement_id"] = parse_id(form.alleged_agreement_id.data)
    data["provision_ids"] = list(form.provision_ids.data or [])
    for picker, field in PICKERS.items():
        data[field] = resolved.get(picker)
    rows = []
    for entry in form.sources:
        row = entry.form
        rows.append(
            {
                "source_id": resolved.get(row.source.name),
                "new_source": {name: row[name].data for name in SOURCE_DATA_FIELDS},
                "credibility": row.credibility.data,
                "blames_actor_id": resolved.get(row.blames.name),
                "stance": row.stance.data,
                "excerpt": row.excerpt.data,
            }
        )
    data["sources"] = rows
    return data


def when_text(incident: Incident, tz: ZoneInfo) -> str:
    """The stored date of ``incident`` written the way analysts type it."""
    start = incident.occurred_start.astimezone(tz)
    end = incident.occurred_end.astimezone(tz)
    precision = incident.date_precision
    if precision == "time":
        if start == end:
            return start.strftime("%Y-%m-%d %H:%M")
        return f"{start:%Y-%m-%d %H:%M}/{end:%Y-%m-%d %H:%M}"
    last = (end - dt.timedelta(days=1)).date()
    first = start.date()
    if precision == "week" and first.weekday() == 0 and (last - first).days == 6:
        year, week, _day = first.isocalendar()
        return f"{year}-W{week:02d}"
    if precision == "year":
        if first.year == last.year:
            return str(first.year)
        return f"{first.year}/{last.year}"
    if precision == "month":
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%Y-%m}"
        return f"{first:%Y-%m}/{last:%Y-%m}"
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()}/{last.isoformat()}"


def fill_from_incident(form: IncidentForm, incident: Incident, tz: ZoneInfo) -> None:
    """Put the stored values of ``incident`` into a fresh edit form."""
    form.version.data = str(incident.version)
    form.alleged_agreement_id.data = str(incident.alleged_agreement_id or "")
    form.provision_ids.data = [p.id for p in incident.provisions]
    form.when.data = when_text(incident, tz)
    for name in PLAIN_FIELDS:
        if name not in {"when", "status"}:
            form[name].data = getattr(incident, name)
    form.perpetrator_confidence.data = incident.perpetrator_confidence or ""
    for picker, field in PICKERS.items():
        record_id = getattr(incident, field)
        related = getattr(incident, picker)
        subform = form[picker].form
        subform.selected.data = str(record_id or "")
        subform.text.data = picker_label(related) if related is not None else ""


def picker_label(record: Any) -> str:
    """How a place, an actor or a source is written in a picker's text field: its name in the
    page's language (a source's title)."""
    if hasattr(record, "title"):
        return str(record.title)
    return localized(record, "name") or str(record.name_en)
