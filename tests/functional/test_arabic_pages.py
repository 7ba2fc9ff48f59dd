"""Every page of the demo, in Arabic, speaks Arabic: no English word is left outside names,
codes and what people wrote (which are the data's own words)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, Text, inspect, select

from tests.conftest import csrf_token
from tests.demo_data import demo_into
from tracker.db import session_factory
from tracker.models import Actor, Agreement, Base, Incident, Place, Source, User

TZ = ZoneInfo("Asia/Damascus")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
#: Names of formats, standards and units that have no Arabic word of their own.
TECHNICAL = {
    "CSV", "JSON", "GeoJSON", "SQL", "HTML", "UTC", "ACLED", "PA-X", "P-code", "km", "ISO",
    "SHA-256", "SQLite", "PostgreSQL", "psql", "sqlite", "URL", "A-F", "https", "http", "www",
    "English",  # a language's own name, as the language switch shows it
}  # fmt: skip
#: Elements whose text is data or a machine format, not interface: scripts, styles, text
#: typed into fields, the choices of the language switch.
SKIPPED = re.compile(
    r"<(script|style|textarea|code|pre)\b.*?</\1>|<button[^>]*lang=\"en\"[^>]*>.*?</button>",
    re.S,
)
TAG = re.compile(r"<[^>]+>")


def _data_words(database_url: str) -> set[str]:
    """Every Latin word stored in any text column: names, titles, descriptions, excerpts."""
    words: set[str] = set()
    with session_factory(database_url)() as session:
        for mapper in Base.registry.mappers:
            model = mapper.class_
            columns = [c for c in inspect(model).columns if isinstance(c.type, String | Text)]
            json_columns = [
                c for c in inspect(model).columns if c.type.__class__.__name__ == "JSON"
            ]
            for column in [*columns, *json_columns]:
                for value in session.scalars(select(column)):
                    if value:
                        words.update(LATIN_WORD.findall(str(value)))
    return words


def _pages(database_url: str) -> list[str]:
    with session_factory(database_url)() as session:
        paths = ["/", "/agreements/", "/incidents/", "/sources/", "/actors/", "/places/"]
        paths += ["/review/", "/exports/", "/users/", "/account", "/incidents/new"]
        paths += ["/agreements/new", "/sources/new", "/actors/new", "/places/new", "/users/new"]
        slugs = list(session.scalars(select(Agreement.slug)))
        paths += [f"/agreements/{s}" for s in slugs]
        paths += [f"/agreements/{s}/report" for s in slugs]
        paths += [f"/reports/compare?agreements={','.join(slugs[:4])}"]
        paths += [f"/incidents/{i}" for i in session.scalars(select(Incident.id))]
        paths += [f"/incidents/{i}/edit" for i in session.scalars(select(Incident.id).limit(3))]
        paths += [f"/sources/{i}" for i in session.scalars(select(Source.id))]
        paths += [f"/actors/{s}" for s in session.scalars(select(Actor.slug))]
        paths += [f"/places/{s}" for s in session.scalars(select(Place.slug))]
        paths += [f"/users/{i}/edit" for i in session.scalars(select(User.id))]
    return paths


def english_left(page: str, allowed: set[str]) -> set[str]:
    """The Latin words of ``page``'s visible text that are neither data nor technical."""
    text = html.unescape(TAG.sub(" ", SKIPPED.sub(" ", page)))
    return {
        word
        for word in LATIN_WORD.findall(text)
        if word not in allowed and word not in TECHNICAL and not word.isupper()
    }


def test_every_demo_page_in_arabic_has_no_english_word_outside_names_and_codes(
    app: Flask, client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    login_as("admin")
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/language", data={"locale": "ar", "csrf_token": token})
    allowed = _data_words(database_url)
    left: dict[str, set[str]] = {}
    for path in _pages(database_url):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert 'lang="ar"' in page[:200], path
        words = english_left(page, allowed)
        if words:
            left[path] = words
    assert left == {}, "\n".join(f"{path}: {sorted(words)}" for path, words in left.items())
