"""No leaks to viewers: canary strings planted in confidential and withdrawn sources, status
reasons, drafts, user names and notes never reach a viewer's page, nor any role's public
report or export; counts are of what the viewer may see."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.conftest import create_user
from tests.factories import make_actor, make_agreement, make_incident, make_place, make_source
from tests.functional.test_incidents import sign_in
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


def _viewer_pages(ids: dict[str, Any]) -> list[str]:
    report = "/agreements/canary/report"
    return [
        "/",
        "/incidents/",
        "/incidents/?retracted=1&status=draft,retracted",
        f"/incidents/{ids['published']}",
        "/sources/",
        *(f"/sources/{i}" for i in ids["sources"]),
        "/agreements/",
        "/agreements/canary",
        f"/actors/{ids['actor']}",
        f"/places/{ids['place']}",
        report,
        f"{report}?public=0",
        f"{report}?format=csv",
        f"{report}?format=json",
        f"{report}?format=geojson",
        "/reports/compare?agreements=canary",
        "/exports/incidents.csv",
        "/exports/incidents.json",
        "/exports/incidents.geojson",
        "/exports/incidents.acled",
        "/lookup/sources?q=canary",
    ]


def _assert_clean(body: str, where: str) -> None:
    leaked = [c for c in CANARIES if c in body]
    assert leaked == [], (where, leaked)


def test_a_viewer_sees_no_canary_on_any_page_report_or_export(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    ids = _plant(database_url)
    login_as("viewer")
    for url in _viewer_pages(ids):
        response = client.get(url)
        assert response.status_code in {200, 403, 404}, (url, response.status_code)
        _assert_clean(response.get_data(as_text=True), url)
    page = client.get(f"/incidents/{ids['published']}").get_data(as_text=True)
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


@pytest.mark.parametrize("role", ["analyst", "reviewer", "admin"])
def test_public_reports_and_exports_of_every_role_hold_no_canary(
    app: Flask, database_url: str, role: str
) -> None:
    ids = _plant(database_url)
    client, _user = sign_in(app, database_url, role, f"{role}-canary")
    report = "/agreements/canary/report?public=1"
    for url in (
        report,
        f"{report}&format=csv",
        f"{report}&format=json",
        f"{report}&format=geojson",
        "/exports/incidents.csv?public=1",
        "/exports/incidents.json?public=1",
        "/exports/incidents.geojson?public=1",
        "/reports/compare?agreements=canary&public=1",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for canary in CANARIES:
            if canary.startswith("canary-confidential") or canary in {
                "canary-withdrawn-title",
                "canary-draft-description",
                "canary-status-reason",
                "canary-source-notes",
                "canaryanalyst",
            }:
                assert canary not in body, (role, url, canary)
    assert ids


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
