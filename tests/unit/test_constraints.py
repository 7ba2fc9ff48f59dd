"""The database itself refuses what must never be stored, and stays unchanged after refusing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests import factories
from tracker.models import Actor, Incident, IncidentSource, Place, Source

UTC = dt.UTC


def counts(session: Session) -> dict[str, int]:
    models = (Actor, Place, Incident, Source, IncidentSource)
    return {
        m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models
    }


def refused(session: Session, write: Callable[[], Any]) -> None:
    """``write`` fails with an integrity error and leaves every table as it was."""
    before = counts(session)
    savepoint = session.begin_nested()

    def write_and_flush() -> None:
        write()
        session.flush()

    with pytest.raises(IntegrityError):
        write_and_flush()
    savepoint.rollback()
    assert counts(session) == before


def written(record: Any, **values: Any) -> None:
    """Write ``values`` straight into a valid record made by the factories: the services would
    refuse them before the database is asked."""
    for key, value in values.items():
        setattr(record, key, value)


def test_negative_casualties_are_refused(session: Session) -> None:
    refused(session, lambda: written(factories.make_incident(session), civilians_killed_best=-1))


def test_low_above_best_is_refused(session: Session) -> None:
    refused(
        session,
        lambda: written(
            factories.make_incident(session), civilians_injured_low=5, civilians_injured_best=3
        ),
    )


def test_best_above_high_is_refused(session: Session) -> None:
    refused(
        session,
        lambda: written(
            factories.make_incident(session), combatants_killed_best=9, combatants_killed_high=4
        ),
    )


def test_low_best_high_in_order_are_stored(session: Session) -> None:
    incident = factories.make_incident(
        session, civilians_killed_low=2, civilians_killed_best=3, civilians_killed_high=7
    )
    assert session.get(Incident, incident.id) is not None


def test_reliability_outside_a_to_f_is_refused(session: Session) -> None:
    refused(session, lambda: written(factories.make_source(session), reliability="G"))


def test_credibility_seven_is_refused(session: Session) -> None:
    incident = factories.make_incident(session)
    source = factories.make_source(session)

    def link() -> None:
        session.add(IncidentSource(incident_id=incident.id, source_id=source.id, credibility=7))
        session.flush()

    refused(session, link)


def test_latitude_91_is_refused(session: Session) -> None:
    refused(session, lambda: written(factories.make_place(session), latitude=91.0))


def test_longitude_181_is_refused(session: Session) -> None:
    refused(session, lambda: written(factories.make_place(session), longitude=-181.0))


def test_end_before_start_is_refused(session: Session) -> None:
    start = dt.datetime(2019, 5, 19, tzinfo=UTC)
    refused(
        session,
        lambda: written(
            factories.make_incident(session, occurred_start=start),
            occurred_end=start - dt.timedelta(hours=1),
        ),
    )


def test_unknown_category_is_refused(session: Session) -> None:
    refused(session, lambda: written(factories.make_incident(session), category="picnic"))


def test_negative_event_count_is_refused(session: Session) -> None:
    refused(session, lambda: written(factories.make_incident(session), event_count=-400))


def test_duplicate_agreement_slug_is_refused(session: Session) -> None:
    factories.make_agreement(session, slug="sochi-test")
    refused(session, lambda: written(factories.make_agreement(session), slug="sochi-test"))


def test_expiry_before_entry_into_force_is_refused(session: Session) -> None:
    start = dt.datetime(2019, 6, 12, tzinfo=UTC)
    refused(
        session,
        lambda: written(
            factories.make_agreement(session, effective_from=start, expires_at=None),
            expires_at=start - dt.timedelta(days=1),
        ),
    )


def test_deleting_an_actor_an_incident_references_is_refused(session: Session) -> None:
    actor = factories.make_actor(session)
    factories.make_incident(session, perpetrator=actor)
    actor_id = actor.id
    session.expunge_all()
    refused(session, lambda: session.execute(delete(Actor).where(Actor.id == actor_id)))
    assert session.get(Actor, actor_id) is not None


def test_deleting_a_source_an_incident_cites_is_refused(session: Session) -> None:
    incident = factories.make_incident(session)
    source = factories.make_source(session)
    session.add(IncidentSource(incident_id=incident.id, source_id=source.id, credibility=2))
    session.flush()
    source_id = source.id
    session.expunge_all()
    refused(session, lambda: session.execute(delete(Source).where(Source.id == source_id)))


def test_naive_timestamps_are_refused_before_reaching_the_database(session: Session) -> None:
    agreement = factories.make_agreement(session)
    written(agreement, effective_from=dt.datetime(2019, 5, 18))  # noqa: DTZ001
    with pytest.raises(Exception, match="time zone is required"):
        session.flush()
    session.rollback()


def test_timestamps_come_back_time_zone_aware_in_utc(session: Session) -> None:
    moment = dt.datetime(2019, 5, 18, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    agreement = factories.make_agreement(session, effective_from=moment)
    session.expire_all()
    session.refresh(agreement)
    assert agreement.effective_from == moment
    assert agreement.effective_from.utcoffset() == dt.timedelta(0)
