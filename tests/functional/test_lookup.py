"""The picker suggestions: places and actors by any spelling, for analysts only."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests import factories
from tracker.db import session_factory


def test_place_suggestions_find_every_spelling_and_ignore_arabic_variants(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        kafr = factories.make_place(
            session, name_en="Kafr Nabudah", name_ar="كفرنبودة", aliases=["Kafranbouda"]
        )
        factories.make_place(session, name_en="Khan Shaykhun", name_ar="خان شيخون")
        kafr_id = kafr.id
    login_as("analyst")
    for query in ("Kafr Nabudah", "kafranbouda", "كفرنبودة", "كَفرنبودـة", "Kafr Nabuda"):
        found = client.get("/lookup/places", query_string={"q": query}).get_json()
        assert [item["id"] for item in found] == [kafr_id], query
        assert found[0]["label"] == "Kafr Nabudah"
    assert client.get("/lookup/places?q=zzzz").get_json() == []
    assert client.get("/lookup/places").get_json() == []


def test_actor_suggestions_match_arabic_with_alef_and_ta_marbuta_variants(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        hts = factories.make_actor(
            session, name_en="Hayat Tahrir al-Sham", name_ar="هيئة تحرير الشام", aliases=["HTS"]
        )
        hts_id = hts.id
    login_as("analyst")
    for query in ("هيئه تحرير الشام", "hts", "tahrir", "هَيْئَة"):
        found = client.get("/lookup/actors", query_string={"q": query}).get_json()
        assert [item["id"] for item in found] == [hts_id], query


def test_provisions_of_an_agreement_are_listed_for_the_form_script(
    client: FlaskClient, login_as: Any, database_url: str
) -> None:
    from tracker.models import Provision

    with session_factory(database_url)() as session, session.begin():
        agreement = factories.make_agreement(session)
        session.add(
            Provision(agreement=agreement, code="A", title_en="Cease fire", kind="cease_fire")
        )
        session.flush()
        agreement_id = agreement.id
    login_as("analyst")
    found = client.get(f"/lookup/provisions?agreement={agreement_id}").get_json()
    assert [item["label"] for item in found] == ["A: Cease fire"]
    assert client.get("/lookup/provisions?agreement=x").get_json() == []


def test_viewers_get_no_suggestions(client: FlaskClient, login_as: Any) -> None:
    login_as("viewer")
    for kind in ("places", "actors", "sources", "provisions"):
        assert client.get(f"/lookup/{kind}?q=a").status_code == 403
