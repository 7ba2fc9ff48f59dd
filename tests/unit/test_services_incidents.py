"""The incident and source services: validation, locking, status moves, retraction, history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tracker.forms.incidents import when_text
from tracker.models import Incident, Revision, User
from tracker.services import incidents, sources
from tracker.services.errors import InvalidInputError, NotFoundError, StaleEditError
from tracker.services.users import create_user

TZ = ZoneInfo("Asia/Damascus")


def user(session: Session, role: str) -> User:
    return create_user(session, f"{role}-{uuid.uuid4().hex[:8]}", "long enough password", role)


def entry(**overrides: Any) -> dict[str, Any]:
    return {"when": "2019-05-22", "category": "shelling", "status": "submitted"} | overrides


def test_create_reads_the_date_in_local_time_and_records_a_revision(session: Session) -> None:
    analyst = user(session, "analyst")
    incident = incidents.create_incident(
        session, entry(when="2019-05-22 01:30"), actor=analyst, tz=TZ
    )
    assert incident.occurred_start == dt.datetime(2019, 5, 21, 22, 30, tzinfo=dt.UTC)
    assert incident.occurred_on == dt.date(2019, 5, 22)
    assert incident.date_precision == "time"
    revision = session.scalars(select(Revision).where(Revision.entity_id == incident.id)).one()
    assert revision.user_id == analyst.id
    assert revision.changes["category"] == [None, "shelling"]


def test_invalid_input_names_each_field_and_writes_nothing(session: Session) -> None:
    analyst = user(session, "analyst")
    with pytest.raises(InvalidInputError) as caught:
        incidents.create_incident(
            session,
            entry(
                when="22 May",
                category="picnic",
                civilians_killed_low=5,
                civilians_killed_best=2,
                place_id=999_999,
                perpetrator_confidence="high",
                sources=[{"source_id": 999_999, "credibility": 7}],
            ),
            actor=analyst,
        )
    assert set(caught.value.errors) == {
        "when",
        "category",
        "civilians_killed_best",
        "place_id",
        "perpetrator_confidence",
        "sources-0-credibility",
        "sources-0-source_id",
    }
    assert "is not a date" in caught.value.errors["when"]
    assert session.scalars(select(Incident)).all() == []


def test_stale_version_is_refused(session: Session) -> None:
    analyst = user(session, "analyst")
    incident = incidents.create_incident(session, entry(), actor=analyst)
    incidents.update_incident(session, incident.id, entry(weapon="mortar"), 1, actor=analyst)
    with pytest.raises(StaleEditError) as caught:
        incidents.update_incident(session, incident.id, entry(weapon="Grad"), 1, actor=analyst)
    assert caught.value.current_version == 2
    assert incident.weapon == "mortar"


def test_unknown_incident_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        incidents.retract_incident(session, 999_999, "gone", actor=None)


def test_restore_brings_back_the_status_before_the_retraction(session: Session) -> None:
    analyst, reviewer = user(session, "analyst"), user(session, "reviewer")
    incident = incidents.create_incident(session, entry(), actor=analyst)
    incidents.change_status(session, incident.id, "verified", 1, actor=reviewer)
    with pytest.raises(InvalidInputError):
        incidents.retract_incident(session, incident.id, "  ", actor=analyst)
    incidents.retract_incident(session, incident.id, "entered twice", actor=analyst)
    assert (incident.status, incident.status_reason) == ("retracted", "entered twice")
    incidents.restore_incident(session, incident.id, actor=analyst)
    assert (incident.status, incident.status_reason) == ("verified", None)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["submitted", "verified", "disputed", "rejected", "submitted"], True),
        (["draft", "submitted", "draft"], True),
        (["draft", "verified"], False),
        (["submitted", "rejected", "verified"], False),
    ],
)
def test_status_moves_follow_the_table(session: Session, path: list[str], allowed: bool) -> None:
    analyst, reviewer = user(session, "analyst"), user(session, "reviewer")
    incident = incidents.create_incident(session, entry(status=path[0]), actor=analyst)
    moves = path[1:]
    for step, status in enumerate(moves):
        last = step == len(moves) - 1
        if last and not allowed:
            with pytest.raises(InvalidInputError, match="cannot go from"):
                incidents.change_status(
                    session, incident.id, status, incident.version, actor=reviewer
                )
        else:
            incidents.change_status(session, incident.id, status, incident.version, actor=reviewer)
    assert incident.status == (path[-1] if allowed else path[-2])


def test_reviewer_cannot_verify_an_incident_they_created(session: Session) -> None:
    reviewer = user(session, "reviewer")
    incident = incidents.create_incident(session, entry(), actor=reviewer)
    with pytest.raises(InvalidInputError, match="another reviewer"):
        incidents.change_status(session, incident.id, "verified", 1, actor=reviewer)
    incidents.change_status(session, incident.id, "disputed", 1, actor=reviewer)
    assert incident.status == "disputed"


def test_analyst_cannot_change_status(session: Session) -> None:
    analyst = user(session, "analyst")
    incident = incidents.create_incident(session, entry(), actor=analyst)
    with pytest.raises(InvalidInputError, match="Only reviewers"):
        incidents.change_status(session, incident.id, "verified", 1, actor=analyst)


def test_sources_are_linked_new_and_existing_and_a_link_is_retracted_not_deleted(
    session: Session,
) -> None:
    analyst = user(session, "analyst")
    existing = factories.make_source(session)
    blamed = factories.make_actor(session)
    rows = [
        {"source_id": existing.id, "credibility": 2, "blames_actor_id": blamed.id},
        {
            "new_source": {"kind": "witness", "title": "Witness", "reliability": "E"},
            "credibility": 5,
        },
        {"new_source": {"kind": "", "reliability": "F"}, "credibility": 6},
    ]
    incident = incidents.create_incident(session, entry(sources=rows), actor=analyst)
    assert [link.credibility for link in incident.source_links] == [2, 5]
    assert incident.source_links[1].source.title == "Witness"
    link = incident.source_links[0]
    incidents.retract_link(session, link.id, "misread", actor=analyst)
    assert link.state == "retracted"
    incidents.update_incident(
        session,
        incident.id,
        entry(sources=[{"source_id": existing.id, "credibility": 1}]),
        1,
        actor=analyst,
    )
    assert (link.state, link.credibility) == ("active", 1)


def test_source_edit_is_locked_and_retraction_is_reversible(session: Session) -> None:
    analyst = user(session, "analyst")
    source = sources.create_source(
        session,
        {"kind": "news_article", "title": "Report", "url": "https://example.org/a"},
        actor=analyst,
    )
    sources.update_source(
        session, source.id, {"kind": "news_article", "title": "Report 2"}, 1, actor=analyst
    )
    with pytest.raises(StaleEditError):
        sources.update_source(
            session, source.id, {"kind": "news_article", "title": "Old"}, 1, actor=analyst
        )
    sources.retract_source(session, source.id, "fabricated", actor=analyst)
    sources.restore_source(session, source.id, actor=analyst)
    assert (source.title, source.state, source.version) == ("Report 2", "active", 4)


@pytest.mark.parametrize(
    "text",
    [
        "2019-05-22",
        "2019-05-22 14:30",
        "2019-W21",
        "2019-05",
        "2019",
        "2018-01/2018-04",
        "2019-07-10/2019-07-11",
    ],
)
def test_the_stored_date_is_written_back_as_it_was_typed(session: Session, text: str) -> None:
    incident = incidents.create_incident(session, entry(when=text), actor=None, tz=TZ)
    assert when_text(incident, TZ) == text


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("the 10th of last month", dt.date(2019, 7, 10), "day"),
        ("yesterday", dt.date(2019, 8, 2), "day"),
        ("أمس", dt.date(2019, 8, 2), "day"),
        ("3 days ago", dt.date(2019, 7, 31), "day"),
        ("last month", dt.date(2019, 7, 1), "month"),
    ],
)
def test_relative_dates_count_from_the_cited_sources_publication_day(
    session: Session, text: str, day: dt.date, precision: str
) -> None:
    source = factories.make_source(session, published_at=dt.datetime(2019, 8, 3, 9, tzinfo=dt.UTC))
    rows = [{"source_id": source.id, "credibility": 3}]
    incident = incidents.create_incident(session, entry(when=text, sources=rows), actor=None, tz=TZ)
    assert (incident.occurred_on, incident.date_precision) == (day, precision)


def test_relative_date_without_a_dated_source_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        incidents.create_incident(session, entry(when="the 10th of last month"), actor=None)
    assert "publication date" in caught.value.errors["when"]
    rows = [
        {
            "source_id": factories.make_source(
                session, published_at=dt.datetime(2019, 3, 5, tzinfo=dt.UTC)
            ).id,
            "credibility": 3,
        }
    ]
    with pytest.raises(InvalidInputError) as impossible:
        incidents.create_incident(
            session, entry(when="the 31st of last month", sources=rows), actor=None
        )
    assert "not a real date" in impossible.value.errors["when"]
