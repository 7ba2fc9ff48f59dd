"""Report figures never claim more precision than their inputs, and independent sources are
counted by origin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.factories import make_agreement, make_incident, make_source
from tracker.db import session_factory
from tracker.models import IncidentSource
from tracker.services.report_store import changing

UTC = dt.UTC


def _report(client: FlaskClient, slug: str) -> dict[str, Any]:
    response = client.get(f"/agreements/{slug}/report?format=json")
    assert response.status_code == 200
    data: dict[str, Any] = response.get_json()
    return data


def _killed(report: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in report["casualties"]["all"] if c["group"] == "civilians_killed")


def test_at_least_two_killed_is_summed_and_shown_as_a_minimum(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        truce = make_agreement(session, slug="precise")
        make_incident(
            session, agreement=truce, civilians_killed_low=2, civilians_killed_qualifier="at_least"
        )
        make_incident(session, agreement=truce, civilians_killed_best=3)
    login_as("analyst")
    report = _report(client, "precise")
    killed = _killed(report)
    assert (killed["low"], killed["best"]) == (5, 5)
    assert killed["open_high"] == 1
    assert killed["text"] == "≥ 5"
    assert "≥ 5" in client.get("/agreements/precise/report").get_data(as_text=True)


def test_about_figures_make_the_sum_approximate_and_at_most_counts_from_zero(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        truce = make_agreement(session, slug="rough")
        make_incident(
            session, agreement=truce, civilians_killed_best=10, civilians_killed_qualifier="about"
        )
        make_incident(
            session, agreement=truce, civilians_killed_high=4, civilians_killed_qualifier="at_most"
        )
        make_incident(session, agreement=truce, event_count=12, count_qualifier="about")
        make_incident(session, agreement=truce, event_count=3, count_qualifier="at_least")
    login_as("analyst")
    report = _report(client, "rough")
    killed = _killed(report)
    # "at most 4" adds nothing to the low and best sums (no best estimate was given)
    assert (killed["low"], killed["best"], killed["high"]) == (10, 10, 14)
    assert killed["text"] == "about 10–14"
    assert report["events"]["text"] == "about 15"


def _cite(session: Any, incident_id: int, source_id: int) -> None:
    with changing(session, [incident_id]):
        session.add(IncidentSource(incident_id=incident_id, source_id=source_id))


def test_independent_sources_are_counted_by_origin_not_by_name(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        truce = make_agreement(session, slug="origins")
        article = make_source(session, publisher="Sasa Post (ساسة بوست)", title="The feature")
        same_outlet = make_source(session, publisher="Sasa Post", title="Another piece")
        quote = make_source(
            session, publisher="National Front for Liberation", carried_by_id=article.id
        )
        other = make_source(session, publisher="Syrian Observatory for Human Rights (SOHR)")
        one_outlet = make_incident(session, agreement=truce)
        _cite(session, one_outlet.id, article.id)
        _cite(session, one_outlet.id, same_outlet.id)
        carried = make_incident(session, agreement=truce)
        _cite(session, carried.id, article.id)
        _cite(session, carried.id, quote.id)
        two = make_incident(session, agreement=truce)
        _cite(session, two.id, quote.id)
        _cite(session, two.id, other.id)
        assert article.publisher_id == same_outlet.publisher_id
    login_as("analyst")
    quality = _report(client, "origins")["source_quality"]
    assert quality["with_sources"] == 3
    assert quality["two_or_more_independent"] == 1
