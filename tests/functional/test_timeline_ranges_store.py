"""The timeline's date ranges (incidents dated to a week, a month or a year) come from the
report store, and stay what a recount from the evidence gives through every kind of write."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.demo_data import demo_into
from tracker.models import Actor, Agreement, Incident, Place, User
from tracker.queries.applicability import judge_incidents, judged_agreements, judged_incidents
from tracker.queries.incidents import COUNTED_STATUSES
from tracker.queries.timeline_ranges import DateRange, imprecise_ranges
from tracker.services import incidents
from tracker.services.report_rebuild import ensure_built
from tracker.services.users import create_user

TZ = ZoneInfo("Asia/Damascus")


def _recounted(session: Session, agreement_id: int) -> list[DateRange]:
    """The agreement's date ranges counted from the incidents and the rule alone."""
    session.flush()
    rows = list(session.scalars(judged_incidents()))
    agreements = list(session.scalars(judged_agreements().where(Agreement.id == agreement_id)))
    by_id = {incident.id: incident for incident in rows}
    counted = {str(status) for status in COUNTED_STATUSES}
    shared: Counter[tuple[dt.date, dt.date, str]] = Counter()
    for (incident_id, _agreement), judged in judge_incidents(rows, agreements).items():
        incident = by_id[incident_id]
        if (
            judged.in_report
            and incident.status in counted
            and incident.date_precision in {"week", "month", "year"}
        ):
            first = incident.occurred_start.astimezone(TZ).date()
            last = (incident.occurred_end - dt.timedelta(seconds=1)).astimezone(TZ).date()
            shared[(first, last, str(incident.date_precision))] += 1
    return sorted((DateRange(*key, count) for key, count in shared.items()), key=_order)


def _order(found: DateRange) -> tuple[dt.date, dt.date, str, int]:
    return (found.first, found.last, found.precision, found.count)


def _assert_current(session: Session) -> None:
    session.flush()
    for agreement_id, slug in session.execute(select(Agreement.id, Agreement.slug)):
        expected = _recounted(session, agreement_id)
        for public in (False, True):
            stored = imprecise_ranges(
                session, slug, public=public, date_from=None, date_to=None, tz=TZ
            )
            assert sorted(stored, key=_order) == expected, (slug, public)


@pytest.fixture
def demo(session: Session) -> Session:
    demo_into(session)
    for agreement_id in session.scalars(select(Agreement.id)):
        ensure_built(session, agreement_id)
    return session


def _id(session: Session, model: type[Actor] | type[Agreement] | type[Place], slug: str) -> int:
    return int(session.scalars(select(model.id).where(model.slug == slug)).one())


def _user(session: Session, role: str) -> User:
    return create_user(session, f"{role}-{uuid.uuid4().hex[:8]}", "long enough password", role)


def test_stored_date_ranges_equal_a_recount_through_every_kind_of_write(demo: Session) -> None:
    session = demo
    analyst, reviewer = _user(session, "analyst"), _user(session, "reviewer")
    _assert_current(session)
    truce = _id(session, Agreement, "truce-2019-05-17")
    place = _id(session, Place, "kafr-nabudah")
    perpetrator = _id(session, Actor, "syrian-government-forces")

    def create(when: str, status: str = "submitted") -> Incident:
        return incidents.create_incident(
            session,
            {
                "when": when,
                "alleged_agreement_id": truce,
                "place_id": place,
                "perpetrator_id": perpetrator,
                "category": "shelling",
                "status": status,
            },
            actor=analyst,
            tz=TZ,
        )

    week, month = create("2019-W21"), create("2019-05")
    create("2019")
    draft = create("2019-06", status="draft")
    twin = create("2019-05")  # shares its range with another
    _assert_current(session)
    shown = imprecise_ranges(
        session, "truce-2019-05-17", public=False, date_from=None, date_to=None, tz=TZ
    )
    assert {r.precision for r in shown} >= {"week", "month", "year"}
    assert max(r.count for r in shown) >= 2

    changed = {
        "when": "2019-W22",
        "alleged_agreement_id": truce,
        "place_id": place,
        "category": "ground_assault",
        "status": "submitted",
    }
    incidents.update_incident(session, month.id, changed, month.version, actor=analyst, tz=TZ)
    _assert_current(session)
    incidents.update_incident(
        session, week.id, {**changed, "when": "2019-05-20"}, week.version, actor=analyst, tz=TZ
    )
    _assert_current(session)

    incidents.change_status(session, draft.id, "submitted", draft.version, actor=reviewer)
    _assert_current(session)
    incidents.change_status(session, twin.id, "rejected", twin.version, actor=reviewer)
    _assert_current(session)
    incidents.retract_incident(session, month.id, "duplicate", actor=analyst)
    _assert_current(session)
    incidents.restore_incident(session, month.id, actor=analyst)
    _assert_current(session)


def test_the_period_keeps_the_ranges_that_meet_it(demo: Session) -> None:
    slug = "sochi-2018"
    whole = imprecise_ranges(demo, slug, public=False, date_from=None, date_to=None, tz=TZ)
    assert whole
    middle = whole[len(whole) // 2]
    kept = imprecise_ranges(
        demo, slug, public=False, date_from=middle.first, date_to=middle.first, tz=TZ
    )
    assert middle in kept
    assert kept == [r for r in whole if r.first <= middle.first <= r.last]
