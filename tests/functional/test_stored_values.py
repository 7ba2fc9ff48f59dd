"""What is stored is valid: shapes, dates, integers and text are checked on every path, and
``db check`` names the stored rows that break the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from tests.conftest import csrf_token
from tests.factories import make_actor, make_agreement
from tracker.db import engine_for, session_factory
from tracker.models import Agreement, Incident, Territory
from tracker.services.errors import InvalidInputError

LoginAs = Callable[..., int]
SQUARE = [[36.0, 35.0], [37.5, 35.0], [37.5, 36.5], [36.0, 36.5], [36.0, 35.0]]


def _post(client: FlaskClient, path: str, data: dict[str, str]) -> Any:
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def _count(database_url: str, model: type[Any]) -> int:
    with session_factory(database_url)() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            '{"type": "Polygon", "coordinates": '
            '[[["36.5","35.4"],[37,35],[37,36],["36.5","35.4"]]]}',
            "finite numbers",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[true,35.4],[37,35],[37,36],[true,35.4]]]}',
            "finite numbers",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[NaN,35.4],[37,35],[37,36],[NaN,35.4]]]}',
            "GeoJSON Polygon",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[200,35.4],[37,35],[37,36],[200,35.4]]]}',
            "finite numbers",
        ),
        ("[" * 200_000, "GeoJSON Polygon"),
        (
            '{"type": "Polygon", "coordinates": [[' + ",".join(["[36,35]"] * 100_001) + "]]}",
            "too large",
        ),
    ],
    ids=["text", "boolean", "nan", "out-of-range", "deep", "huge"],
)
def test_a_shape_with_bad_positions_is_refused_beside_the_field(
    client: FlaskClient, login_as: LoginAs, database_url: str, geometry: str, message: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        slug = make_agreement(db).slug
    login_as("analyst")
    response = _post(
        client,
        f"/agreements/{slug}/territories/new",
        {"name_en": "Zone", "name_ar": "", "admin_pcodes": "", "geometry": geometry},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(database_url, Territory) == 0
    assert client.get(f"/agreements/{slug}/report").status_code == 200


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "9999-12-31 23:59", "0001-01-01", "2101"])
def test_an_incident_date_outside_the_years_is_refused_and_pages_still_open(
    client: FlaskClient, login_as: LoginAs, database_url: str, when: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_agreement(db)
    login_as("analyst")
    response = _post(
        client,
        "/incidents/new",
        {
            "when": when,
            "category": "shelling",
            "location_precision": "exact",
            "count_qualifier": "exact",
            "status": "submitted",
            "save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Dates must lie between 1900-01-01 and 2100-12-31" in response.get_data(as_text=True)
    assert _count(database_url, Incident) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("effective_from", "0001-01-01T00:00"),
        ("effective_from", "9999-12-31T23:59"),
        ("signed_on", "0001-01-01"),
        ("pax_id", "2147483648"),
        ("pax_id", "9" * 400),
        ("name_en", "Sochi\x07memorandum"),
    ],
)
def test_agreement_values_beyond_the_rules_are_refused_beside_the_field(
    client: FlaskClient, login_as: LoginAs, database_url: str, field: str, value: str
) -> None:
    login_as("analyst")
    data = {
        "name_en": "Sochi memorandum",
        "slug": "sochi",
        "kind": "demilitarized_zone",
        "effective_from": "2018-09-17T00:00",
        "parent_id": "None",
        field: value,
    }
    response = _post(client, "/agreements/new", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in html
    assert _count(database_url, Agreement) == 0


def test_every_flush_refuses_values_beyond_the_rules(database_url: str) -> None:
    with session_factory(database_url)() as db:
        with pytest.raises(InvalidInputError, match="control character"):
            make_actor(db, name_en="Brigade\x0b100%")
        db.rollback()
        with pytest.raises(InvalidInputError, match="whole number"):
            make_agreement(db, pax_id=2**31)
        db.rollback()
        with pytest.raises(InvalidInputError, match="Dates must lie"):
            make_agreement(db, signed_on=dt.date(1, 1, 1))


def test_db_check_names_the_table_and_ids_of_rows_that_break_the_rules(
    run_cli: Any, database_url: str
) -> None:
    assert run_cli("db", "check").exit_code == 0
    with engine_for(database_url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO actors (id, slug, name_en, kind, aliases, search_key, created_at) "
                "VALUES (4242, 'bell', :name, 'armed_group', '[]', 'bell', :now)"
            ),
            {"name": "Bell\x07Brigade", "now": dt.datetime(2019, 5, 1, tzinfo=dt.UTC)},
        )
    result = run_cli("db", "check")
    assert result.exit_code != 0
    assert "actors.name_en: control in rows 4242" in result.output
