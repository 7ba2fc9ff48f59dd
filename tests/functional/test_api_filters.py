"""The API's incidents list filters as the web incidents list does: the same incidents for the
same filters (verdict against an agreement, alleged agreement, and the others), bad values
refused with a problem naming the parameter, every filter in the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Tokens, bearer, empty_all_tables
from tests.demo_data import demo_into
from tests.pages import listed_incident_ids
from tracker.db import session_factory

AGREEMENTS = ("astana-2017", "sochi-2018", "truce-2019-05-17")
VERDICTS = ("violation", "contested", "indeterminate", "outside_scope")


@pytest.fixture
def demo(database_url: str) -> Iterator[str]:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    try:
        yield database_url
    finally:
        empty_all_tables(database_url)


def _api_list(client: FlaskClient, secret: str, query: str) -> list[int]:
    """Every incident id of the API's incidents list for ``query``, following ``next``."""
    url: str | None = f"/api/v1/incidents?{query}&limit=2"
    found: list[int] = []
    while url:
        response = client.get(url, headers=bearer(secret))
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        page = response.get_json()
        found += [item["id"] for item in page["items"]]
        url = page["next"]
    return found


@pytest.mark.parametrize("slug", AGREEMENTS)
def test_verdict_against_an_agreement_lists_what_the_web_list_does(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[[str], int],
    token_for: Tokens,
    demo: str,
    slug: str,
) -> None:
    app.config["PAGE_SIZE"] = 3
    login_as("analyst")
    secret = token_for("analyst", scope="read")
    listed = 0
    for verdict in VERDICTS:
        query = f"agreement={slug}&verdict={verdict}"
        web = listed_incident_ids(client, query)
        assert _api_list(client, secret, query) == web, verdict
        listed += len(web)
    everything = _api_list(client, secret, f"agreement={slug}")
    assert listed == len(everything) > 0
    assert sorted(everything) == sorted(listed_incident_ids(client, f"agreement={slug}"))


@pytest.mark.parametrize(
    "query",
    [
        "alleged=sochi-2018",
        "alleged=astana-2017&order=oldest",
        "agreement=astana-2017&verdict=violation&category=shelling",
        "agreement=astana-2017&verdict=violation&q=shelling&order=newest",
        "alleged=nothing-of-that-name",
    ],
)
def test_other_filters_list_what_the_web_list_does(
    client: FlaskClient,
    login_as: Callable[[str], int],
    token_for: Tokens,
    demo: str,
    query: str,
) -> None:
    login_as("viewer")
    assert _api_list(client, token_for("viewer", scope="read"), query) == listed_incident_ids(
        client, query
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("agreement=astana-2017&verdict=maybe", "verdict"),
        ("verdict=violation", "verdict"),
        ("category=picnic", "category"),
        ("order=loudest", "order"),
        ("status=draft,unknown", "status"),
    ],
)
def test_a_filter_value_the_list_cannot_read_is_a_problem_naming_it(
    client: FlaskClient, token_for: Tokens, demo: str, query: str, parameter: str
) -> None:
    response = client.get(f"/api/v1/incidents?{query}", headers=bearer(token_for("viewer")))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]) == [parameter]


def test_the_document_lists_every_filter_of_the_web_list(
    client: FlaskClient, login_as: Callable[[str], int]
) -> None:
    login_as("analyst")
    page = client.get("/incidents/").get_data(as_text=True)
    form = page.split('<form method="get"', 1)[1].split("</form>", 1)[0]
    web_filters = set(re.findall(r'name="([a-z_]+)"', form))
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/incidents"]["get"]["parameters"]}
    assert "verdict" in web_filters
    assert web_filters <= set(parameters)
    assert set(parameters["verdict"]["schema"]["enum"]) == set(VERDICTS)
