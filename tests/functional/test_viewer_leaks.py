"""No leaks to viewers: counts are of what the viewer may see, hidden records are not found,
and a failed statement's values are never logged (every route, report, export and dump is
searched for canaries by ``test_canaries.py``)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.conftest import create_user
from tests.factories import make_actor, make_agreement, make_incident, make_place, make_source
from tracker.db import engine_for, session_factory
from tracker.models import AgreementSource, IncidentSource, User
from tracker.services.history import record_revision, snapshot

LoginAs = Callable[..., int]
UTC = dt.UTC
CANARIES = (
    "canary-confidential-title",
    "canary-confidential-publisher",
    "canary-confidential-claim",
    "canary-confidential-excerpt",
    "canary-confidential-link-excerpt",
    "canary-withdrawn-title",
    "canary-withdrawn-publisher",
    "canary-withdrawn-claim",
    "canary-withdrawn-excerpt",
    "canary-status-reason",
    "canary-draft-description",
    "canary-source-notes",
    "canaryanalyst",
    "Canary Analyst Name",
)


def _plant(database_url: str) -> dict[str, Any]:
    analyst_id = create_user(database_url, "canaryanalyst", "analyst")
    with session_factory(database_url)() as db, db.begin():
        analyst = db.get(User, analyst_id)
        assert analyst is not None
        analyst.display_name = "Canary Analyst Name"
        agreement = make_agreement(
            db,
            slug="canary",
            effective_from=dt.datetime(2019, 5, 1, tzinfo=UTC),
            expires_at=dt.datetime(2019, 7, 1, tzinfo=UTC),
        )
        place = make_place(db)
        actor = make_actor(db)
        confidential = make_source(
            db,
            title="canary-confidential-title",
            publisher="canary-confidential-publisher",
            notes="canary-source-notes",
            is_confidential=True,
        )
        withdrawn = make_source(
            db,
            title="canary-withdrawn-title",
            publisher="canary-withdrawn-publisher",
            state="retracted",
            retraction_reason="wrong",
        )
        public_source = make_source(db, title="Public report", notes="canary-source-notes")
        for source, kind in ((confidential, "confidential"), (withdrawn, "withdrawn")):
            db.add(
                AgreementSource(
                    agreement_id=agreement.id,
                    source=source,
                    claim=f"canary-{kind}-claim",
                    excerpt=f"canary-{kind}-excerpt",
                )
            )
        published = make_incident(
            db,
            agreement=agreement,
            place=place,
            perpetrator=actor,
            occurred_start=dt.datetime(2019, 5, 20, 9, tzinfo=UTC),
            status="verified",
            status_reason="canary-status-reason",
            created_by_id=analyst_id,
        )
        before = snapshot(published)
        published.weapon = "mortar"
        record_revision(db, published, user=analyst, action="incident.update", before=before)
        draft = make_incident(
            db,
            agreement=agreement,
            place=place,
            perpetrator=actor,
            occurred_start=dt.datetime(2019, 5, 20, 11, tzinfo=UTC),
            status="draft",
            description_en="canary-draft-description",
        )
        retracted = make_incident(
            db, agreement=agreement, place=place, perpetrator=actor, status="retracted"
        )
        db.flush()
        for source, excerpt in (
            (confidential, "canary-confidential-link-excerpt"),
            (withdrawn, "canary-withdrawn-excerpt"),
            (public_source, "a public quote"),
        ):
            db.add(IncidentSource(incident_id=published.id, source=source, excerpt=excerpt))
        return {
            "published": published.id,
            "draft": draft.id,
            "retracted": retracted.id,
            "place": place.slug,
            "actor": actor.slug,
            "sources": [confidential.id, withdrawn.id, public_source.id],
        }


def test_a_viewer_sees_public_counts_and_no_hidden_record(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    ids = _plant(database_url)
    login_as("viewer")
    page = client.get(f"/incidents/{ids['published']}").get_data(as_text=True)
    assert not [c for c in CANARIES if c in page]
    assert f"/incidents/{ids['draft']}" not in page, "a draft is named as a duplicate"
    assert "a public quote" in page
    assert "Public report" in page
    for hidden in ("draft", "retracted"):
        assert client.get(f"/incidents/{ids[hidden]}").status_code == 404
    counts = {
        "/agreements/canary": r"Incidents \((\d+)\)",
        f"/actors/{ids['actor']}": r'perpetrator=[^"]+">(\d+)<',
        f"/places/{ids['place']}": r'place=\d+">(\d+)<',
    }
    for url, pattern in counts.items():
        match = re.search(pattern, client.get(url).get_data(as_text=True))
        assert match is not None, url
        assert match.group(1) == "1", (url, "counts drafts or retracted incidents")


def test_a_server_error_never_logs_the_values_of_a_failed_statement(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str, caplog: Any
) -> None:
    def broken() -> str:
        with engine_for(database_url).begin() as conn:
            conn.execute(
                text("INSERT INTO actors (id, slug) VALUES (:id, :slug)"),
                {"id": 1, "slug": "canary-witness-name"},
            )
        return "unreachable"

    app.add_url_rule("/broken", "broken", broken)
    app.extensions["tracker_rules"]["broken"] = "viewer"
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_as("viewer")
    with caplog.at_level(logging.DEBUG):
        response = client.get("/broken")
    assert response.status_code == 500
    assert "INSERT INTO actors" in caplog.text, "the failure is logged"
    assert "canary-witness-name" not in caplog.text
    assert "canary-witness-name" not in response.get_data(as_text=True)
