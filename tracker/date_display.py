"""The Jinja filters that show dates and times in the local zone, named, with UTC on hover."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

from tracker.i18n import current_locale
from tracker.rules import local_time


def _language() -> str:
    return "ar" if current_locale() == "ar" else "en"


def _markup(shown: local_time.Shown) -> Markup:
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        shown.machine, shown.utc, shown.text
    )


def shown(value: Any, mode: str = "full") -> local_time.Shown | None:
    """``value`` as the page shows it (see :func:`local_time_html`), or None when empty."""
    if value is None or value == "":
        return None
    language = _language()
    if isinstance(value, dt.datetime):
        return local_time.show_moment(
            value,
            language,
            date_only=mode == "date",
            midnight_as_date=mode == "typed",
        )
    if isinstance(value, dt.date):
        if mode == "month":
            return local_time.Shown(
                local_time.month_text(value, language), value.isoformat()[:7], value.isoformat()
            )
        return local_time.show_day(value, language)
    return local_time.Shown(str(value), str(value), str(value))


def local_time_html(value: Any, mode: str = "full") -> Markup:
    """``{{ value|local_time }}``: a ``<time>`` element with the local words ("18 May 2019 00:00
    Damascus"), the UTC instant in ``datetime`` and on hover. ``mode``: ``"full"``, ``"date"``
    (the local day only), ``"typed"`` (the day only when the time is local midnight, as for a
    value typed as a date), ``"month"`` (a date's month: "May 2019"). A ``date`` is shown as
    the day it names; None gives an empty string."""
    found = shown(value, mode)
    return _markup(found) if found is not None else Markup("")


def local_time_text(value: Any, mode: str = "full") -> str:
    """The words of :func:`local_time_html` without markup (for attributes and chart labels)."""
    found = shown(value, mode)
    return found.text if found is not None else ""


def local_range_html(start: Any, end: Any, mode: str = "full") -> Markup:
    """Two moments as one range, isolated from the text around it: ``A – B``."""
    return Markup("<bdi>{} – {}</bdi>").format(
        local_time_html(start, mode), local_time_html(end, mode)
    )


def _use_configured_zone() -> None:
    local_time.set_display_zone(str(current_app.config["LOCAL_TIMEZONE"]))


def init_app(app: Flask) -> None:
    """Register the filters, and show dates in ``LOCAL_TIMEZONE`` during every request."""
    app.add_template_filter(local_time_html, "local_time")
    app.add_template_filter(local_time_text, "local_time_text")
    app.add_template_global(local_range_html, "local_range")
    app.add_template_global(incident_when, "incident_when")
    app.add_template_filter(occurred_words, "occurred_words")
    app.before_request(_use_configured_zone)
    local_time.set_display_zone(str(app.config["LOCAL_TIMEZONE"]))


def incident_when(incident: Any) -> Markup:
    """``{{ incident_when(incident) }}``: when the incident happened, in words and local time,
    with its UTC range on hover."""
    start, end = incident.occurred_start, incident.occurred_end
    text = local_time.span_text(start, end, incident.date_precision, _language())
    hint = local_time.utc_text(start)
    if end != start:
        hint = f"{hint} – {local_time.utc_text(end)}"
    machine = start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(machine, hint, text)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def occurred_words(text: str, precision: str = "day") -> Markup:
    """A report line's local date (``2019-05-01 – 2019-05-31``, ``2019-05-17 06:30``) in words
    (``May 2019``), isolated from the text around it."""
    days = [dt.date.fromisoformat(d) for d in _ISO_DAY.findall(text or "")]
    language = _language()
    if not days:
        return Markup("<bdi>{}</bdi>").format(text)
    clock = re.search(r"\d{2}:\d{2}", text)
    if clock is not None and len(days) == 1:
        words = f"{local_time.day_text(days[0], language)} {clock.group(0)}"
    else:
        words = local_time.days_text(days[0], days[-1], precision, language)
    return Markup('<bdi><time datetime="{}">{}</time></bdi>').format(days[0].isoformat(), words)
