"""The time test: does the incident fall within the agreement's window, honouring the
precision of its date."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from tracker.rules import local_time
from tracker.rules.applicability.facts import AgreementFacts, IncidentFacts
from tracker.rules.applicability.findings import N_, Finding, Name, Reason, Text, say

#: The words for precisions inside reasons, marked for translation.
PRECISION_WORDS = {
    "time": N_("time"),
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "year": N_("year"),
}


def moment_text(moment: dt.datetime, zone: ZoneInfo | None = None) -> Text:
    """``moment`` in ``zone`` (by default the zone dates are shown in), named in both languages:
    ``18 May 2019 00:00 Damascus``."""
    return _moment_text(moment, zone or local_time.display_zone())


@lru_cache(maxsize=4096)
def _moment_text(moment: dt.datetime, zone: ZoneInfo) -> Text:
    """:func:`moment_text` in ``zone``, kept: a report names the same window ends and days for
    hundreds of incidents."""
    local = moment.astimezone(zone)
    return say(
        "%(day)s %(month)s %(year)s %(clock)s %(zone)s",
        day=str(local.day),
        month=Name(*(local_time.month_name(local.month, lang) for lang in ("en", "ar"))),
        year=str(local.year),
        clock=f"{local:%H:%M}",
        zone=Name(*(local_time.zone_label(zone, lang) for lang in ("en", "ar"))),
    )


def within(
    start: dt.datetime, end: dt.datetime, low: dt.datetime, high: dt.datetime | None
) -> Finding:
    """Where the incident's interval lies against the half-open window ``[low, high)``."""
    if start == end:  # an instant
        inside = low <= start and (high is None or start < high)
        return Finding.INSIDE if inside else Finding.OUTSIDE
    if end <= low or (high is not None and start >= high):
        return Finding.OUTSIDE
    if start >= low and (high is None or end <= high):
        return Finding.INSIDE
    return Finding.UNCERTAIN


def check_time(incident: IncidentFacts, agreement: AgreementFacts) -> Reason:
    """Whether the incident falls within the agreement's time window, honouring precision."""
    start = moment_text(agreement.effective_from)
    window = (
        say(N_("%(start)s to %(end)s"), start=start, end=moment_text(agreement.expires_at))
        if agreement.expires_at
        else say(N_("%(start)s to no expiry"), start=start)
    )
    when: Text | str = (
        moment_text(incident.start)
        if incident.start == incident.end
        else say(
            N_("between %(start)s and %(end)s (%(precision)s)"),
            start=moment_text(incident.start),
            end=moment_text(incident.end),
            precision=say(PRECISION_WORDS.get(incident.precision, incident.precision)),
        )
    )
    finding = within(incident.start, incident.end, agreement.effective_from, agreement.expires_at)
    template = {
        Finding.INSIDE: N_("the incident (%(when)s) is within the agreement's window (%(window)s)"),
        Finding.OUTSIDE: N_(
            "the incident (%(when)s) is outside the agreement's window (%(window)s)"
        ),
        Finding.UNCERTAIN: N_(
            "the incident is dated only %(when)s: that period straddles the edge of the "
            "agreement's window (%(window)s)"
        ),
    }[finding]
    return Reason("time", finding, say(template, when=when, window=window))
