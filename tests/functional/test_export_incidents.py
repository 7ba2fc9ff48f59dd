"""Incident exports (CSV, JSON, GeoJSON, ACLED) from the command line and the Export page, and
the SQL dump download."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import SHARED, csrf_token, empty_all_tables
from tests.functional.test_export_sql import CANARY, fill
from tracker.db import session_factory
from tracker.export.acled import COLUMNS
from tracker.models import AuditEvent


@pytest.fixture
def filled(database_url: str) -> Iterator[dict[str, int]]:
    ids = fill(database_url)
    try:
        yield ids
    finally:
        empty_all_tables(database_url)


def test_public_csv_export_of_one_agreement_is_filtered_and_neutralised(
    run_cli: object, filled: dict[str, int]
) -> None:
    result = run_cli("export", "incidents", "--format", "csv", "--agreement", "sochi", "--public")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [int(r["id"]) for r in rows] == [filled["public"]]
    assert CANARY not in result.output
    assert "status_reason" not in rows[0]
    assert rows[0]["sources"] == "Sasa Post"


def test_csv_cells_starting_like_formulas_are_neutralised(
    run_cli: object, database_url: str, filled: dict[str, int]
) -> None:
    from tracker.models import Incident

    with session_factory(database_url)() as session, session.begin():
        incident = session.get(Incident, filled["elsewhere"])
        assert incident is not None
        incident.description_en = '=HYPERLINK("http://evil")'
    result = run_cli("export", "incidents", "--agreement", "truce-72h")  # type: ignore[operator]
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["description_en"] == '\'=HYPERLINK("http://evil")'


def test_full_json_and_geojson_exports_carry_the_filters(
    run_cli: object, filled: dict[str, int]
) -> None:
    result = run_cli("export", "incidents", "--format", "json", "--status", "draft")  # type: ignore[operator]
    data = json.loads(result.output)
    assert [i["id"] for i in data["incidents"]] == [filled["draft"]]
    assert data["export"]["filters"] == {"status": "draft"}
    geo = run_cli("export", "incidents", "--format", "geojson", "--alleged", "sochi")  # type: ignore[operator]
    collection = json.loads(geo.output)
    assert collection["type"] == "FeatureCollection"
    assert {f["id"] for f in collection["features"]} == {filled["public"], filled["draft"]}
    point = collection["features"][0]["geometry"]
    assert point["type"] == "Point"
    assert point["coordinates"][1] == pytest.approx(35.4)


def test_acled_layout_has_acleds_columns_and_precision_codes(
    run_cli: object, filled: dict[str, int]
) -> None:
    reference = SHARED / "research-data" / "acled" / "acled_syria_2022H1_acledR_307.csv"
    if not reference.exists():
        pytest.skip(f"{reference.name} is absent")
    header = reference.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert list(COLUMNS) == header
    result = run_cli("export", "incidents", "--format", "acled", "--agreement", "sochi", "--public")  # type: ignore[operator]
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == header
    assert rows[0]["time_precision"] == "1"
    assert rows[0]["geo_precision"] == "1"
    assert rows[0]["event_type"] == "Explosions/Remote violence"
    assert rows[0]["event_date"] == "2019-05-23"  # 23:59 UTC on the 22nd, in Damascus


def test_bad_date_filter_is_a_clear_message(run_cli: object) -> None:
    result = run_cli("export", "incidents", "--from", "yesterday")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "'yesterday' is not a date" in result.output


def test_viewer_gets_public_incidents_and_the_export_is_audited(
    client: FlaskClient, login_as: object, filled: dict[str, int], database_url: str
) -> None:
    user_id = login_as("viewer")  # type: ignore[operator]
    page = client.get("/exports/")
    assert page.status_code == 200
    assert "SQL dump" not in page.get_data(as_text=True)
    response = client.get("/exports/incidents.csv?agreement=sochi")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert CANARY not in body
    assert len(list(csv.DictReader(io.StringIO(body)))) == 1
    with session_factory(database_url)() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.user_id == user_id
    assert event.details["public"] is True
    assert client.post("/exports/sql", data={}).status_code in (400, 403)


def test_reviewer_downloads_a_public_dump_and_cannot_take_a_full_one(
    client: FlaskClient, login_as: object, filled: dict[str, int]
) -> None:
    login_as("reviewer")  # type: ignore[operator]
    token = csrf_token(client.get("/exports/").get_data(as_text=True))
    full = client.post("/exports/sql", data={"csrf_token": token, "dialect": "sqlite", "full": "1"})
    assert full.status_code == 403
    response = client.post("/exports/sql", data={"csrf_token": token, "dialect": "postgresql"})
    assert response.status_code == 200
    assert response.is_streamed
    body = response.get_data()
    assert body.startswith(b"-- Ceasefire Tracker SQL dump (public, postgresql dialect")
    assert CANARY.encode() not in body


def test_admin_downloads_a_full_dump_of_one_agreement(
    client: FlaskClient, login_as: object, filled: dict[str, int], database_url: str
) -> None:
    login_as("admin")  # type: ignore[operator]
    token = csrf_token(client.get("/exports/").get_data(as_text=True))
    form = {"csrf_token": token, "dialect": "sqlite", "agreement": "sochi"}
    public = client.post("/exports/sql", data=form).get_data()
    assert b'"agreements": ["sochi"]' in public
    assert CANARY.encode() not in public, "a dump is public unless the admin asks for it all"
    response = client.post("/exports/sql", data={**form, "full": "1"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert b'"agreements": ["sochi"]' in body
    assert CANARY.encode() in body  # a full dump keeps the confidential data
    unknown = client.post(
        "/exports/sql", data={"csrf_token": token, "dialect": "sqlite", "agreement": "nowhere"}
    )
    assert unknown.status_code == 302
    with session_factory(database_url)() as session:
        events = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
            )
        )
    assert [e.details["scope"] for e in events] == ["public", "full"]
    assert events[-1].details == {
        "kind": "sql",
        "dialect": "sqlite",
        "scope": "full",
        "agreements": ["sochi"],
    }
