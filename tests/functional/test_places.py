"""Place pages: search by Arabic, English, alias or transliteration, filters, pages, create,
edit, history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.factories import make_place
from tracker.db import session_factory
from tracker.models import Place

LoginAs = Callable[..., int]
KAFR_NABUDAH = {
    "name_en": "Kafr Nabudah",
    "name_ar": "كفرنبودة",
    "slug": "kafr-nabudah",
    "aliases": "Kafranbouda\nKafr Nbouda",
    "kind": "town",
    "pcode": "C4179",
    "admin1_name": "Hama",
    "admin1_pcode": "SY05",
    "admin2_name": "As-Suqaylabiyah",
    "admin2_pcode": "SY0503",
    "admin3_name": "",
    "admin3_pcode": "",
    "latitude": "35.4167",
    "longitude": "36.5167",
}


def _post_form(client: FlaskClient, path: str, data: dict[str, str]):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def test_analyst_creates_a_place_and_finds_it_by_every_spelling(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst")
    response = _post_form(client, "/places/new", KAFR_NABUDAH)
    assert response.status_code == 302
    assert response.location == "/places/kafr-nabudah"
    with session_factory(database_url)() as db, db.begin():
        make_place(db, name_en="Khan Shaykhun", name_ar="خان شيخون")
    for query in ("Kafr Nabudah", "Kafranbouda", "كفرنبودة", "كَفرنبودَه", "kafr-nabuda"):
        html = client.get("/places/", query_string={"q": query}).get_data(as_text=True)
        assert ">Kafr Nabudah<" in html, query
        assert "Khan Shaykhun" not in html, query


def test_edit_writes_history_and_coordinates_must_come_in_pairs(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst", username="gazetteer")
    _post_form(client, "/places/new", KAFR_NABUDAH)
    bad = _post_form(client, "/places/kafr-nabudah/edit", {**KAFR_NABUDAH, "longitude": ""})
    assert "Give both latitude and longitude, or neither." in bad.get_data(as_text=True)
    out_of_range = _post_form(
        client, "/places/kafr-nabudah/edit", {**KAFR_NABUDAH, "latitude": "95"}
    )
    assert 'id="latitude-errors"' in out_of_range.get_data(as_text=True)
    response = _post_form(
        client, "/places/kafr-nabudah/edit", {**KAFR_NABUDAH, "admin3_name": "Kafr Nabudah"}
    )
    assert response.status_code == 302
    with session_factory(database_url)() as db:
        place = db.scalar(select(Place).where(Place.slug == "kafr-nabudah"))
        assert place is not None
        assert place.latitude == 35.4167
        assert place.admin3_name == "Kafr Nabudah"
    html = client.get("/places/kafr-nabudah").get_data(as_text=True)
    assert "gazetteer" in html
    assert "admin3_name" in html


def test_taken_pcode_is_refused_beside_the_field(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_place(db, pcode="C4179")
    login_as("analyst")
    response = _post_form(client, "/places/new", KAFR_NABUDAH)
    html = response.get_data(as_text=True)
    assert 'id="pcode-errors"' in html
    assert "already has the P-code C4179" in html


def test_governorate_filter_and_arabic_names_on_an_arabic_page(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_place(db, name_en="Hmeimim", name_ar="حميميم", admin1_name="Latakia")
        make_place(db, name_en="Qiratah", admin1_name="Hama")
    login_as("viewer")
    html = client.get("/places/?admin1=Latakia").get_data(as_text=True)
    assert ">Hmeimim<" in html
    assert "Qiratah" not in html
    token = csrf_token(html)
    client.post("/language", data={"locale": "ar", "next": "/places/", "csrf_token": token})
    html = client.get("/places/").get_data(as_text=True)
    assert ">حميميم<" in html
    assert ">Qiratah<" in html


def test_newest_first_sort_pages_by_creation_time(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    app.config["PAGE_SIZE"] = 2
    with session_factory(database_url)() as db, db.begin():
        for n, name in enumerate(("Oldest", "Older", "Newer", "Newest")):
            make_place(db, name_en=name, created_at=dt.datetime(2020, 1, 1 + n, tzinfo=dt.UTC))
    login_as("viewer")
    first = client.get("/places/?sort=newest").get_data(as_text=True)
    assert re.findall(r">(Old\w*|New\w*)</a>", first) == ["Newest", "Newer"]
    href = first.rindex('href="', 0, first.index('rel="next"')) + len('href="')
    link = first[href : first.index('"', href)]
    second = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert re.findall(r">(Old\w*|New\w*)</a>", second) == ["Older", "Oldest"]
