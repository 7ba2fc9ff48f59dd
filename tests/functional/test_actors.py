"""Actor pages: search by any spelling, kind filter, pages, create, edit, history."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.factories import add_party, make_actor, make_agreement
from tracker.db import session_factory
from tracker.models import Actor

LoginAs = Callable[..., int]
HTS = {
    "name_en": "Hayat Tahrir al-Sham",
    "name_ar": "هيئة تحرير الشام",
    "slug": "hts",
    "aliases": "HTS\nTahrir al-Sham",
    "kind": "designated_group",
    "parent_id": "None",
    "country": "sy",
}


def _post_form(client: FlaskClient, path: str, data: dict[str, str]):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def test_analyst_creates_and_edits_an_actor_and_sees_the_history(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst", username="mapper")
    response = _post_form(client, "/actors/new", HTS)
    assert response.status_code == 302
    assert response.location == "/actors/hts"
    with session_factory(database_url)() as db:
        actor = db.scalar(select(Actor).where(Actor.slug == "hts"))
        assert actor is not None
        assert actor.aliases == ["HTS", "Tahrir al-Sham"]
        assert actor.country == "SY"
    response = _post_form(client, "/actors/hts/edit", {**HTS, "aliases": "HTS\nJabhat al-Nusra"})
    assert response.status_code == 302
    html = client.get("/actors/hts").get_data(as_text=True)
    assert "Jabhat al-Nusra" in html
    assert "mapper" in html
    assert "aliases" in html


def test_bad_input_is_shown_beside_the_fields(client: FlaskClient, login_as: LoginAs) -> None:
    login_as("analyst")
    response = _post_form(
        client, "/actors/new", {**HTS, "name_en": "", "slug": "HTS!", "country": "Syria"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for field in ("name_en", "slug", "country"):
        assert f'id="{field}-errors"' in html
    assert 'value="هيئة تحرير الشام"' in html


def test_actor_cannot_be_part_of_its_own_member(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        room = make_actor(db, slug="fath-mubin", name_en="al-Fath al-Mubin", kind="operations_room")
        member = make_actor(db, slug="nfl", name_en="National Front for Liberation", parent=room)
        member_id = member.id
    login_as("analyst")
    response = _post_form(
        client,
        "/actors/fath-mubin/edit",
        {**HTS, "slug": "fath-mubin", "name_en": "al-Fath al-Mubin", "parent_id": str(member_id)},
    )
    assert "cannot be part of itself" in response.get_data(as_text=True)


def test_search_finds_arabic_english_and_transliterated_names(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_actor(db, name_en="Jaish al-Izza", name_ar="جيش العزة", aliases=["Jaysh al-Izzah"])
        make_actor(db, name_en="Ahrar al-Sham", name_ar="أحرار الشام")
    login_as("viewer")
    for query in ("izza", "جيش العزه", "Jaysh al Izzah", "jaish-al-izza"):
        html = client.get("/actors/", query_string={"q": query}).get_data(as_text=True)
        assert "Jaish al-Izza" in html, query
        assert "Ahrar al-Sham" not in html, query


def test_list_pages_and_kind_filter(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    app.config["PAGE_SIZE"] = 2
    with session_factory(database_url)() as db, db.begin():
        for name in ("Delta", "Alpha", "Echo", "Bravo", "Charlie"):
            make_actor(db, name_en=name, kind="militia")
        make_actor(db, name_en="Russia", kind="state")
    login_as("viewer")
    first = client.get("/actors/?kind=militia").get_data(as_text=True)
    assert "Alpha" in first
    assert "Bravo" in first
    assert "Charlie" not in first
    assert "Russia" not in first
    second = client.get("/actors/?kind=militia&after=Bravo_0").get_data(as_text=True)
    assert "Charlie" in second
    assert "Alpha" not in second
    assert 'rel="first"' in second


def test_detail_shows_agreements_and_members(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        turkey = make_actor(db, slug="turkey", name_en="Turkey", kind="state")
        make_actor(db, name_en="Turkish army", kind="state_force", parent=turkey)
        add_party(db, make_agreement(db, name_en="Sochi memorandum"), turkey, "guarantor")
    login_as("viewer")
    html = client.get("/actors/turkey").get_data(as_text=True)
    assert "Turkish army" in html
    assert "Sochi memorandum" in html
    assert "Guarantor" in html
    assert client.get("/actors/no-such-actor").status_code == 404


def test_short_name_new_is_reserved(client: FlaskClient, login_as: LoginAs) -> None:
    login_as("analyst")
    response = _post_form(client, "/actors/new", {**HTS, "slug": "new"})
    assert "This short name is reserved: choose another." in response.get_data(as_text=True)
