"""Fast entry on the incident form: Enter saves, typed dates and misspelt names are understood,
a missing place or a new spelling is added without leaving the form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.functional.test_incidents import (
    World,
    build_world,
    form_data,
    load_incident,
    saved_id,
)
from tracker.db import session_factory
from tracker.models import Actor, Place


@pytest.fixture
def world(app: Flask, database_url: str) -> World:
    return build_world(database_url)


SUBMIT = re.compile(r'<(?:input|button)[^>]*type="submit"[^>]*>')


def test_the_first_submit_button_of_the_incident_form_saves(
    client: FlaskClient, login_as: Any, world: World
) -> None:
    """Enter in a text field presses the form's first submit button: it must be the save."""
    login_as("analyst")
    page = client.get("/incidents/new").get_data(as_text=True)
    form = page[page.index('<form method="post" class="incident-form"') :]
    first = SUBMIT.search(form)
    assert first is not None
    assert 'name="save"' in first.group(0)


def test_the_two_reason_boxes_of_the_incident_page_have_their_own_ids(
    client: FlaskClient, login_as: Any, world: World
) -> None:
    login_as("reviewer")
    incident_id = saved_id(
        client.post("/incidents/new", data=form_data(client, **{"place-text": "Tell Malah"}))
    )
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    ids = re.findall(r'<textarea[^>]*id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) >= 2
    for box in ids:
        assert f'for="{box}"' in page


def test_a_day_typed_in_words_and_arabic_is_saved_as_that_local_day(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    for typed in ("17 May 2019", "17 أيار 2019", "١٧/٥/٢٠١٩", "17/05/2019"):
        incident_id = saved_id(client.post("/incidents/new", data=form_data(client, when=typed)))
        assert load_incident(database_url, incident_id).occurred_on.isoformat() == "2019-05-17"
    morning = saved_id(
        client.post("/incidents/new", data=form_data(client, when="صباح 17 أيار 2019"))
    )
    stored = load_incident(database_url, morning)
    assert (stored.date_precision, stored.occurred_on.isoformat()) == ("time", "2019-05-17")


def test_a_refused_date_is_answered_in_the_pages_language_with_examples(
    client: FlaskClient, login_as: Any, world: World
) -> None:
    login_as("analyst")
    english = client.post("/incidents/new", data=form_data(client, when="soon")).get_data(
        as_text=True
    )
    assert "17 May 2019" in english
    client.post("/language", data={"locale": "ar", "csrf_token": form_data(client)["csrf_token"]})
    arabic = client.post("/incidents/new", data=form_data(client, when="قريبا")).get_data(
        as_text=True
    )
    assert "17 أيار 2019" in arabic
    assert "is not a date" not in arabic


def test_a_misspelt_place_is_offered_as_did_you_mean_and_its_spelling_can_be_kept(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    page = client.post(
        "/incidents/new", data=form_data(client, **{"place-text": "الحميميات"})
    ).get_data(as_text=True)
    assert "Did you mean" in page
    assert f'value="{world.hamamiyat}"' in page
    suggestions = client.get("/lookup/places", query_string={"q": "Hamamiat"}).get_json()
    assert suggestions[0]["id"] == world.hamamiyat
    assert suggestions[0]["guess"] is True
    data = form_data(
        client,
        **{
            "place-text": "الحماميات",
            "place-selected": str(world.hamamiyat),
            "place-typed": "الحميميات",
            "place-remember": "y",
        },
    )
    incident_id = saved_id(client.post("/incidents/new", data=data))
    assert load_incident(database_url, incident_id).place_id == world.hamamiyat
    with session_factory(database_url)() as session:
        place = session.get(Place, world.hamamiyat)
        assert place is not None
        assert "الحميميات" in place.aliases
    found = client.get("/lookup/places", query_string={"q": "الحميميات"}).get_json()
    assert found[0]["id"] == world.hamamiyat
    assert found[0]["guess"] is False


def test_an_analyst_adds_a_missing_place_without_leaving_the_form(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(
        client,
        when="2019-07-10",
        weapon="Grad",
        **{
            "place-text": "Tell Sakhr",
            "new_place-name_ar": "تل صخر",
            "new_place-latitude": "35.41",
            "new_place-longitude": "36.55",
            "add_place": "Add this place",
        },
    )
    data.pop("save")
    page = client.post("/incidents/new", data=data).get_data(as_text=True)
    with session_factory(database_url)() as session:
        place = session.scalar(select(Place).where(Place.name_en == "Tell Sakhr"))
        assert place is not None
        assert place.name_ar == "تل صخر"
        place_id = place.id
    assert f'value="{place_id}"' in page  # chosen in the picker
    assert "Place Tell Sakhr added to the gazetteer and chosen." in page
    assert 'value="Grad"' in page  # the rest of the form kept
    missing = form_data(client, **{"place-text": "Tell Nowhere", "add_place": "Add this place"})
    missing.pop("save")
    refused = client.post("/incidents/new", data=missing).get_data(as_text=True)
    assert "latitude and longitude" in refused
    with session_factory(database_url)() as session:
        assert session.scalar(select(Place).where(Place.name_en == "Tell Nowhere")) is None
        assert session.scalar(select(Actor).where(Actor.name_en == "Tell Nowhere")) is None


def test_history_speaks_in_words_one_row_per_change(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("reviewer", username="rami")
    first = form_data(client, when="2019-05-22", **{"place-text": "Kafr Nabudah"})
    incident_id = saved_id(client.post("/incidents/new", data=first))
    url = f"/incidents/{incident_id}/edit"
    second = form_data(
        client, url, when="17 May 2019", version="1", **{"place-text": "Kafr Nabudah"}
    )
    saved_id(client.post(url, data=second))
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    client.post(
        f"/incidents/{incident_id}/status",
        data={"csrf_token": token.group(1), "status": "disputed", "version": "2", "reason": "x"},
    )
    history = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    history = history[history.index('<section class="history">') :]
    for entry in history.split("<li>")[1:]:
        labels = re.findall(r'<td data-field="[^"]+">([^<]*)</td>', entry)
        assert labels.count("Date") <= 1  # the four date columns make one row
    assert "22 May 2019" in history
    assert "17 May 2019" in history
    assert re.search(r'data-field="status">Status</td>\s*<td class="old">Submitted</td>', history)
    assert re.search(r'data-field="reviewed_by_id">Reviewed by</td>.*?rami', history, re.S)
    for raw in ("incident_id", "reviewed_by_id</td>", "occurred_start", ">submitted<"):
        assert raw not in re.sub(r'data-field="[^"]+"', "", history)
    client.post("/language", data={"locale": "ar", "csrf_token": token.group(1)})
    arabic = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    arabic = arabic[arabic.index('<section class="history">') :]
    assert "17 أيار 2019" in arabic
    assert ">Date<" not in arabic
    assert ">Status<" not in arabic
