"""A revision's changes in words: field labels in the page's language, values as pages show them
(names not ids, local dates, translated statuses), one row per change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup, escape

from tracker import date_display, labels
from tracker.i18n import current_locale, lazy_labels, localized
from tracker.models import Revision
from tracker.rules import local_time

#: Bookkeeping columns that say nothing a reader needs (the revision's head says who and when).
HIDDEN = frozenset(
    {"id", "created_at", "created_by_id", "updated_at", "updated_by_id", "version", "search_key"}
)
#: The stored columns of an incident's date, shown together as one "Date" row.
DATE_FIELDS = ("occurred_start", "occurred_end", "occurred_on", "date_precision")
#: Labels of columns that no form names.
COMMON_LABELS = lazy_labels(labels.FIELD_LABELS)
STATE_LABELS = lazy_labels(labels.STATE_LABELS)


@dataclass(frozen=True)
class ChangeRow:
    """One change: what the field is called, and its value before and after."""

    field: str
    label: str
    before: Markup
    after: Markup


def _moment(value: str) -> dt.datetime | None:
    if len(value) < 16 or value[4] != "-" or ("T" not in value[:11] and " " not in value[:11]):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _day(value: str) -> dt.date | None:
    if len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _record_name(record: Any) -> str:
    if hasattr(record, "title"):
        return str(record.title)
    if type(record).__name__ == "Incident":
        return str(_("Incident %(number)s", number=record.id))
    if type(record).__name__ == "User":
        return str(record.label)
    if hasattr(record, "code") and hasattr(record, "title_en"):
        return f"{record.code}: {localized(record, 'title')}"
    return localized(record, "name") or str(getattr(record, "id", ""))


def show_value(
    field: str,
    value: Any,
    *,
    referenced: Mapping[str, Mapping[int, Any]],
    value_labels: Mapping[str, Mapping[str, Any]],
    users: Mapping[int, Any],
) -> Markup:
    """``value`` of ``field`` as the pages show it."""
    if value is None or value == "" or value == []:
        return Markup("—")
    if isinstance(value, bool):
        return escape(_("yes") if value else _("no"))
    if isinstance(value, int) and field.endswith("_by_id") and value in users:
        return Markup("<bdi>{}</bdi>").format(users[value].label)
    if isinstance(value, int) and value in referenced.get(field, {}):
        return Markup("<bdi>{}</bdi>").format(_record_name(referenced[field][value]))
    labels = value_labels.get(field, {})
    if isinstance(value, str) and value in labels:
        return escape(str(labels[value]))
    if field in {"state", "status"} and isinstance(value, str) and value in STATE_LABELS:
        return escape(str(STATE_LABELS[value]))
    if isinstance(value, list):
        return Markup("<bdi>{}</bdi>").format(", ".join(str(v) for v in value))
    if isinstance(value, str):
        moment = _moment(value)
        if moment is not None:
            return date_display.local_time_html(moment)
        day = _day(value)
        if day is not None:
            return date_display.local_time_html(day)
    return escape(str(value))


def _date_value(state: Mapping[str, Any]) -> Markup:
    start, end = (_moment(str(state.get(f) or "")) for f in ("occurred_start", "occurred_end"))
    precision = str(state.get("date_precision") or "day")
    if start is None or end is None:
        return Markup("—")
    language = "ar" if current_locale() == "ar" else "en"
    text = local_time.span_text(start, end, precision, language)
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        start.astimezone(dt.UTC).isoformat(), local_time.utc_text(start), text
    )


def change_rows(
    revision: Revision,
    *,
    field_labels: Mapping[str, Any] | None = None,
    value_labels: Mapping[str, Mapping[str, Any]] | None = None,
    referenced: Mapping[str, Mapping[int, Any]] | None = None,
    users: Mapping[int, Any] | None = None,
) -> list[ChangeRow]:
    """The changes of ``revision``, one row each, in the page's language; an incident's date
    columns make one "Date" row."""
    changes: dict[str, Any] = dict(revision.changes or {})
    labels = {**COMMON_LABELS, **(field_labels or {})}
    found, kinds, people = referenced or {}, value_labels or {}, users or {}
    rows: list[ChangeRow] = []
    if any(f in changes for f in DATE_FIELDS):
        after = dict(revision.snapshot or {})
        before = {**after, **{f: pair[0] for f, pair in changes.items() if f in DATE_FIELDS}}
        after.update({f: pair[1] for f, pair in changes.items() if f in DATE_FIELDS})
        old, new = _date_value(before), _date_value(after)
        if not any(changes[f][0] is not None for f in DATE_FIELDS if f in changes):
            old = Markup("—")
        if old != new:
            rows.append(ChangeRow("date", str(labels["occurred_start"]), old, new))
    for field, pair in sorted(changes.items()):
        if field in HIDDEN or field in DATE_FIELDS:
            continue
        old = show_value(field, pair[0], referenced=found, value_labels=kinds, users=people)
        new = show_value(field, pair[1], referenced=found, value_labels=kinds, users=people)
        if old == new:
            continue
        label = labels.get(field)
        rows.append(ChangeRow(field, str(label) if label else field, old, new))
    return rows


def init_app(app: Flask) -> None:
    """Make :func:`change_rows` a template global."""
    app.add_template_global(change_rows, "change_rows")
