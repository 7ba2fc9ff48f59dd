"""What an incident's input may be: each field of an incident and of its source links read,
checked and turned into column values, with a message per wrong field. Relative dates
("yesterday", "3 days ago") count from the first cited source's publication day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.i18n import date_error_message
from tracker.models import (
    CASUALTY_GROUPS,
    Actor,
    Agreement,
    Category,
    Confidence,
    CountQualifier,
    DatePrecision,
    FigureQualifier,
    LocationPrecision,
    Place,
    Provision,
    Source,
    Stance,
)
from tracker.rules.dates import DateInputError, When, local_date, parse_when
from tracker.rules.values import integer_problem
from tracker.services.errors import InvalidInputError
from tracker.services.sources import source_values

CASUALTY_FIELDS = tuple(
    f"{g}_{level}" for g in CASUALTY_GROUPS for level in ("low", "best", "high")
)
#: The longest text of each text field of an incident (the entry form reads these limits).
TEXT_LIMITS = {
    "weapon": 200,
    "description_en": 100_000,
    "description_ar": 100_000,
    "claimed_justification": 100_000,
    "ref": 120,
}
_CHOICES: dict[str, tuple[type[Any], str | None]] = {
    # field: (enumeration, value when left empty)
    "category": (Category, ""),
    "location_precision": (LocationPrecision, LocationPrecision.EXACT.value),
    "count_qualifier": (CountQualifier, CountQualifier.EXACT.value),
    **{
        f"{group}_qualifier": (FigureQualifier, FigureQualifier.EXACT.value)
        for group in CASUALTY_GROUPS
    },
    "perpetrator_confidence": (Confidence, None),
}
_ACTOR_FIELDS = ("perpetrator_id", "target_actor_id", "claimed_target_id")
#: The largest number of events or of casualties an incident records.
MAX_COUNT = 1_000_000
#: The longest excerpt a source link quotes.
MAX_EXCERPT = 20_000
#: The fields whose text shows that a source row describes a new source.
_NEW_SOURCE_TEXT = ("title", "url", "publisher", "author", "published_at")


def clean_text(value: Any) -> str | None:
    """``value`` as stripped text, None when empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any, field: str, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("Write a whole number.")
        return None
    if number < 0:
        errors[field] = _("The number cannot be negative.")
    elif number > MAX_COUNT:
        errors[field] = _("The number is too large.")
    return number


def _get(session: Session, model: type[Any], record_id: Any) -> Any:
    """The record, or None for an unknown id or a value that is no id at all."""
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        return None
    return session.get(model, record_id) if integer_problem(record_id, 1) is None else None


def _exists(session: Session, model: type[Any], record_id: Any) -> bool:
    return _get(session, model, record_id) is not None


def _when_values(
    session: Session, data: Mapping[str, Any], tz: ZoneInfo, errors: dict[str, str]
) -> dict[str, Any]:
    """The date columns from ``data["when"]`` (a relative date counts from the first cited
    source's publication day, and a :class:`When` is taken as read); a message in
    ``errors["when"]`` when it cannot be read."""
    given = data.get("when")
    if isinstance(given, When):
        return _date_columns(given, tz)
    text = clean_text(given)
    if text is None:
        errors["when"] = _("A date is required.")
        return {}
    try:
        when = parse_when(text, tz)
    except DateInputError as exc:
        relative = _relative(text, _reference_day(session, data, tz))
        if relative is None:
            errors["when"] = date_error_message(exc)
            return {}
        if relative == "":
            errors["when"] = _(
                "A relative date is counted from a source's publication date: cite a "
                "source with one, or write the date itself."
            )
            return {}
        try:
            when = parse_when(relative, tz)
        except DateInputError as relative_exc:
            errors["when"] = date_error_message(relative_exc)
            return {}
    return _date_columns(when, tz)


def _date_columns(when: When, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "occurred_start": when.start,
        "occurred_end": when.end,
        "occurred_on": local_date(when.start, tz),
        "date_precision": DatePrecision(when.precision).value,
    }


def incident_values(
    session: Session, data: Mapping[str, Any], tz: ZoneInfo
) -> tuple[dict[str, Any], list[Provision], dict[str, str]]:
    """Column values, breached provisions and a message per wrong field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    agreement_id = data.get("alleged_agreement_id") or None
    if agreement_id is not None and not _exists(session, Agreement, agreement_id):
        errors["alleged_agreement_id"] = _("Choose an agreement from the list.")
    values["alleged_agreement_id"] = agreement_id

    provisions: list[Provision] = []
    provision_ids = list(data.get("provision_ids") or ())
    if any(_get(session, Provision, p) is None for p in provision_ids):
        errors["provision_ids"] = _("Choose provisions from the list.")
    elif provision_ids:
        provisions = list(session.scalars(select(Provision).where(Provision.id.in_(provision_ids))))
        if len(provisions) != len(set(provision_ids)):
            errors["provision_ids"] = _("Choose provisions from the list.")

    values.update(_when_values(session, data, tz, errors))

    place_id = data.get("place_id") or None
    if place_id is not None and not _exists(session, Place, place_id):
        errors["place_id"] = _("Choose a place from the gazetteer.")
    values["place_id"] = place_id
    for field in _ACTOR_FIELDS:
        actor_id = data.get(field) or None
        if actor_id is not None and not _exists(session, Actor, actor_id):
            errors[field] = _("Choose an actor from the list.")
        values[field] = actor_id

    for field, (kind, default) in _CHOICES.items():
        value = clean_text(data.get(field)) or default
        if value is not None and value not in {k.value for k in kind}:
            errors[field] = _("Choose one of the listed values.")
        values[field] = value

    for field, longest in TEXT_LIMITS.items():
        text = clean_text(data.get(field))
        if text is not None and len(text) > longest:
            errors[field] = _("At most %(number)s characters.", number=longest)
        values[field] = text
    if not values["ref"]:
        values.pop("ref")

    for field in ("event_count", "count_period_hours", *CASUALTY_FIELDS):
        values[field] = _number(data.get(field), field, errors)
    for group in CASUALTY_GROUPS:
        low, best, high = (values[f"{group}_{level}"] for level in ("low", "best", "high"))
        present = [n for n in (low, best, high) if n is not None]
        if present != sorted(present):
            errors[f"{group}_best"] = _("The figures must run low ≤ best ≤ high.")
    if values["perpetrator_id"] is None and values["perpetrator_confidence"]:
        errors["perpetrator_confidence"] = _("Name the perpetrator the confidence is about.")
    return values, provisions, errors


_ORDINAL = r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?"
_RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:today|اليوم)$"), "today"),
    (re.compile(r"^(?:yesterday|أمس|امس|البارحة)$"), "yesterday"),
    (re.compile(r"^(\d{1,3})\s+days?\s+ago$"), "days_ago"),
    (re.compile(rf"^(?:on\s+)?{_ORDINAL}\s+of\s+last\s+month$"), "day_of_last_month"),
    (re.compile(rf"^(?:on\s+)?{_ORDINAL}\s+of\s+this\s+month$"), "day_of_this_month"),
    (re.compile(r"^last\s+week$"), "last_week"),
    (re.compile(r"^last\s+month$"), "last_month"),
]


def _month_before(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _relative(text: str, reference: dt.date | None) -> str | None:
    """``text`` as an absolute date counted from ``reference`` (the publication day of a
    cited source): None when it is no relative date, "" when it is one but there is no
    reference."""
    phrase = " ".join(text.casefold().split())
    for pattern, kind in _RELATIVE:
        match = pattern.match(phrase)
        if match is None:
            continue
        if reference is None:
            return ""
        if kind in {"today", "yesterday", "days_ago"}:
            back = {"today": 0, "yesterday": 1}.get(kind) or int(match.group(1))
            return (reference - dt.timedelta(days=back)).isoformat()
        if kind == "last_week":
            year, week, _day = (reference - dt.timedelta(days=7)).isocalendar()
            return f"{year}-W{week:02d}"
        if kind == "last_month":
            return f"{_month_before(reference):%Y-%m}"
        month = _month_before(reference) if kind == "day_of_last_month" else reference
        return f"{month:%Y-%m}-{int(match.group(1)):02d}"
    return None


def _reference_day(session: Session, data: Mapping[str, Any], tz: ZoneInfo) -> dt.date | None:
    """The local publication day of the first cited source that has one."""
    for row in data.get("sources") or ():
        source = _get(session, Source, row.get("source_id"))
        if source is not None and source.published_at is not None:
            return local_date(source.published_at, tz)
        published = clean_text((row.get("new_source") or {}).get("published_at"))
        if source is None and published:
            try:
                return local_date(parse_when(published, tz).start, tz)
            except DateInputError:
                continue
    return None


def link_values(
    session: Session, rows: Sequence[Mapping[str, Any]], tz: ZoneInfo, errors: dict[str, str]
) -> list[tuple[Source | dict[str, Any], dict[str, Any]]]:
    """For each source row that is not empty: the existing source (or a new source's values)
    and the link's values. Errors are keyed ``sources-<row>-<field>``."""
    links: list[tuple[Source | dict[str, Any], dict[str, Any]]] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        prefix = f"sources-{index}-"
        new = row.get("new_source") or {}
        has_new = any(clean_text(new.get(k)) for k in _NEW_SOURCE_TEXT)
        source_id = row.get("source_id") or None
        if source_id is None and not has_new:
            continue
        link: dict[str, Any] = {}
        credibility = _number(row.get("credibility"), prefix + "credibility", errors)
        if credibility is None or not 1 <= credibility <= 6:
            errors[prefix + "credibility"] = _("Grade the information from 1 to 6.")
        link["credibility"] = credibility
        stance = clean_text(row.get("stance")) or Stance.SUPPORTS.value
        if stance not in {s.value for s in Stance}:
            errors[prefix + "stance"] = _("Choose one of the listed values.")
        link["stance"] = stance
        blames = row.get("blames_actor_id") or None
        if blames is not None and not _exists(session, Actor, blames):
            errors[prefix + "blames_actor_id"] = _("Choose an actor from the list.")
        link["blames_actor_id"] = blames
        link["excerpt"] = clean_text(row.get("excerpt"))
        if link["excerpt"] is not None and len(link["excerpt"]) > MAX_EXCERPT:
            errors[prefix + "excerpt"] = _("At most %(number)s characters.", number=MAX_EXCERPT)
        if source_id is not None:
            if has_new:
                errors[prefix + "source_id"] = _(
                    "Pick an existing source or describe a new one, not both."
                )
                continue
            source = _get(session, Source, source_id)
            if source is None:
                errors[prefix + "source_id"] = _("Choose a source from the list.")
                continue
            if source.id in seen:
                errors[prefix + "source_id"] = _("This source is already cited above.")
            seen.add(source.id)
            links.append((source, link))
        else:
            values, source_errors = source_values(new, tz)
            errors.update({prefix + k: v for k, v in source_errors.items()})
            links.append((values, link))
    return links


def raise_if_any(errors: dict[str, str]) -> None:
    """Refuse the input when ``errors`` holds a message.

    :raises InvalidInputError: with ``errors``."""
    if errors:
        raise InvalidInputError(_("Nothing was saved: correct the marked fields."), errors)
