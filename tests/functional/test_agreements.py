"""Agreement pages: list, detail with parties, provisions, territory, sources and successors,
create, edit with optimistic locking, and the history of every change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tests.factories import add_party, make_actor, make_agreement, make_source
from tracker.db import session_factory
from tracker.models import Agreement, AgreementSource, Provision, Revision, Territory

LoginAs = Callable[..., int]
SOCHI = {
    "name_en": "Sochi memorandum on Idlib",
    "name_ar": "مذكرة سوتشي",
    "slug": "sochi-2018",
    "kind": "demilitarized_zone",
    "signed_on": "2018-09-17",
    "effective_from": "2018-09-17T00:00",
    "expires_at": "",
    "parent_id": "None",
    "summary_en": "A demilitarized zone 15 to 20 km wide.",
    "summary_ar": "",
    "text_url": "",
    "pax_id": "2169",
}


def _post_form(client: FlaskClient, path: str, data: dict[str, str]):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def _agreement(database_url: str, slug: str) -> Agreement:
    with session_factory(database_url)() as db:
        record = db.scalar(select(Agreement).where(Agreement.slug == slug))
        assert record is not None
        return record


def test_analyst_creates_an_agreement_in_local_time(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst")
    response = _post_form(client, "/agreements/new", SOCHI)
    assert response.status_code == 302
    assert response.location == "/agreements/sochi-2018"
    stored = _agreement(database_url, "sochi-2018")
    assert stored.effective_from == dt.datetime(2018, 9, 16, 21, tzinfo=dt.UTC)
    assert stored.pax_id == 2169
    html = client.get(response.location).get_data(as_text=True)
    assert "Sochi memorandum on Idlib" in html
    assert "17 September 2018 00:00 Damascus" in html
    assert "/agreements/sochi-2018/report" in html
    assert "History" in html


def test_bad_input_is_shown_beside_the_fields_and_nothing_is_written(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst")
    bad = {**SOCHI, "slug": "Not A Slug", "effective_from": "", "expires_at": "2018-09-18T00:00"}
    response = _post_form(client, "/agreements/new", bad)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="slug-errors"' in html
    assert 'id="effective_from-errors"' in html
    assert "Enter the date and time it took effect." in html
    assert 'value="Sochi memorandum on Idlib"' in html
    with session_factory(database_url)() as db:
        assert db.scalar(select(Agreement.id)) is None


def test_end_before_start_and_taken_slug_are_refused(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_agreement(db, slug="taken")
    login_as("analyst")
    response = _post_form(
        client, "/agreements/new", {**SOCHI, "slug": "taken", "expires_at": "2018-09-01T00:00"}
    )
    html = response.get_data(as_text=True)
    assert "The end must come after the start." in html
    response = _post_form(client, "/agreements/new", {**SOCHI, "slug": "taken"})
    assert "already has the short name" in response.get_data(as_text=True)


def test_stale_edit_is_refused_with_both_versions_and_the_input_kept(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst")
    _post_form(client, "/agreements/new", SOCHI)
    first_page = client.get("/agreements/sochi-2018/edit").get_data(as_text=True)

    other = app.test_client()
    create_user(database_url, "second", "analyst")
    token = csrf_token(other.get("/login").get_data(as_text=True))
    other.post(
        "/login", data={"username": "second", "password": TEST_PASSWORD, "csrf_token": token}
    )
    response = _post_form(
        other, "/agreements/sochi-2018/edit", {**SOCHI, "version": "1", "name_en": "Sochi (theirs)"}
    )
    assert response.status_code == 302

    response = client.post(
        "/agreements/sochi-2018/edit",
        data={
            **SOCHI,
            "version": "1",
            "name_en": "Sochi (mine)",
            "csrf_token": csrf_token(first_page),
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this agreement" in html
    assert "Sochi (theirs)" in html
    assert 'value="Sochi (mine)"' in html
    assert 'name="version" type="hidden" value="2"' in html
    assert _agreement(database_url, "sochi-2018").name_en == "Sochi (theirs)"

    again = client.post(
        "/agreements/sochi-2018/edit",
        data={**SOCHI, "version": "2", "name_en": "Sochi (mine)", "csrf_token": csrf_token(html)},
    )
    assert again.status_code == 302
    assert _agreement(database_url, "sochi-2018").name_en == "Sochi (mine)"


def test_every_change_writes_a_revision_shown_in_the_history(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    login_as("analyst", username="editor")
    _post_form(client, "/agreements/new", SOCHI)
    _post_form(client, "/agreements/sochi-2018/edit", {**SOCHI, "version": "1", "pax_id": "2273"})
    with session_factory(database_url)() as db:
        changes = db.scalars(
            select(Revision.changes)
            .where(Revision.entity_type == "agreements")
            .order_by(Revision.id)
        ).all()
    assert changes[-1] == {"pax_id": [2169, 2273]}
    html = client.get("/agreements/sochi-2018").get_data(as_text=True)
    assert "editor" in html
    assert "PA-X agreement number" in html
    assert "2169" in html
    assert "2273" in html


def test_parties_provisions_and_territories_are_added_and_shown(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        actor_id = make_actor(db, slug="turkey", name_en="Turkey", kind="state").id
    login_as("analyst")
    _post_form(client, "/agreements/new", SOCHI)
    response = _post_form(
        client,
        "/agreements/sochi-2018/parties/new",
        {"actor_id": str(actor_id), "role": "guarantor", "note": ""},
    )
    assert response.status_code == 302
    response = _post_form(
        client,
        "/agreements/sochi-2018/provisions/new",
        {
            "code": "heavy-weapons",
            "title_en": "Heavy weapons out of the zone",
            "title_ar": "",
            "kind": "heavy_weapons_withdrawal",
            "deadline": "2018-10-10T00:00",
            "text": "",
        },
    )
    assert response.status_code == 302
    again = _post_form(
        client,
        "/agreements/sochi-2018/provisions/new",
        {
            "code": "heavy-weapons",
            "title_en": "Another provision",
            "title_ar": "",
            "kind": "cease_fire",
            "deadline": "",
            "text": "",
        },
    )
    assert "This agreement already has a provision heavy-weapons." in again.get_data(as_text=True)
    bad = _post_form(
        client,
        "/agreements/sochi-2018/territories/new",
        {"name_en": "Zone", "name_ar": "", "admin_pcodes": "", "geometry": '{"type": "Point"}'},
    )
    assert "GeoJSON Polygon" in bad.get_data(as_text=True)
    response = _post_form(
        client,
        "/agreements/sochi-2018/territories/new",
        {
            "name_en": "Idlib governorate",
            "name_ar": "",
            "admin_pcodes": "sy07, SY0703",
            "geometry": "",
        },
    )
    assert response.status_code == 302
    html = client.get("/agreements/sochi-2018").get_data(as_text=True)
    assert "Turkey" in html
    assert "Guarantor" in html
    assert "Heavy weapons out of the zone" in html
    assert "10 October 2018 00:00 Damascus" in html
    assert "SY07, SY0703" in html
    assert _agreement(database_url, "sochi-2018").version == 4


def test_detail_shows_sources_successors_and_hides_confidential_sources_from_viewers(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        astana = make_agreement(db, slug="astana", name_en="Astana memorandum")
        make_agreement(db, slug="sochi", name_en="Sochi memorandum", parent=astana)
        add_party(db, astana, make_actor(db, name_en="Iran"), "guarantor")
        secret = make_source(db, title="Witness in Khan Shaykhun", is_confidential=True)
        public = make_source(db, title="Sasa Post feature")
        for source in (secret, public):
            db.add(
                AgreementSource(
                    agreement_id=astana.id, source_id=source.id, claim="signed 4 May 2017"
                )
            )
    login_as("viewer")
    html = client.get("/agreements/astana").get_data(as_text=True)
    assert "Sochi memorandum" in html
    assert "Iran" in html
    assert "Sasa Post feature" in html
    assert "Witness in Khan Shaykhun" not in html
    assert html.count("signed 4 May 2017") == 1, "the confidential link is listed"


def test_list_filters_sorts_and_pages(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    app.config["PAGE_SIZE"] = 2
    with session_factory(database_url)() as db, db.begin():
        for n in range(5):
            make_agreement(
                db,
                slug=f"truce-{n}",
                name_en=f"Truce {n}",
                effective_from=dt.datetime(2019, 5, 1 + n, tzinfo=dt.UTC),
                expires_at=None,
            )
        make_agreement(db, slug="zone", name_en="Zone", kind="de_escalation_zone", expires_at=None)
    login_as("viewer")
    seen: list[str] = []
    path = "/agreements/?kind=truce"
    while path:
        html = client.get(path).get_data(as_text=True)
        seen += re.findall(r">(Truce \d)<", html)
        assert ">Zone<" not in html
        marker = 'rel="next"'
        if marker not in html:
            break
        start = html.rindex('href="', 0, html.index(marker)) + len('href="')
        path = html[start : html.index('"', start)].replace("&amp;", "&")
    assert seen == ["Truce 4", "Truce 3", "Truce 2", "Truce 1", "Truce 0"]
    html = client.get("/agreements/?sort=name&q=zon").get_data(as_text=True)
    assert ">Zone<" in html
    assert "Truce" not in html.split("<tbody>")[1]


def test_arabic_page_shows_arabic_names_with_english_fallback(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        make_agreement(db, slug="with-ar", name_en="Sochi", name_ar="سوتشي")
        make_agreement(db, slug="no-ar", name_en="Only English")
    login_as("viewer")
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/language", data={"locale": "ar", "next": "/agreements/", "csrf_token": token})
    html = client.get("/agreements/").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert ">سوتشي<" in html
    assert ">Only English<" in html


def test_party_provision_and_territory_are_edited_with_history(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        agreement = make_agreement(db, slug="sochi", name_en="Sochi memorandum")
        party = add_party(db, agreement, make_actor(db, name_en="Turkey"), "signatory")
        provision = Provision(
            agreement=agreement, code="hw", title_en="Heavy weapons out", kind="other"
        )
        territory = Territory(agreement=agreement, name_en="Zone", admin_pcodes=["SY07"])
        db.add_all([provision, territory])
        db.flush()
        ids = (party.id, provision.id, territory.id)
        opened = agreement.version
    login_as("analyst")
    response = _post_form(
        client, f"/agreements/sochi/parties/{ids[0]}/edit", {"role": "guarantor", "note": "x"}
    )
    assert response.status_code == 302
    page = client.get(f"/agreements/sochi/provisions/{ids[1]}/edit").get_data(as_text=True)
    assert 'value="Heavy weapons out"' in page
    response = client.post(
        f"/agreements/sochi/provisions/{ids[1]}/edit",
        data={
            "code": "hw",
            "title_en": "Heavy weapons out",
            "kind": "heavy_weapons_withdrawal",
            "deadline": "2018-10-10T00:00",
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302
    response = _post_form(
        client,
        f"/agreements/sochi/territories/{ids[2]}/edit",
        {"name_en": "Zone", "admin_pcodes": "", "geometry": ""},
    )
    assert "Give admin area P-codes, a shape, or both." in response.get_data(as_text=True)
    assert client.get(f"/agreements/other/parties/{ids[0]}/edit").status_code == 404
    with session_factory(database_url)() as db:
        stored = db.get(Provision, ids[1])
        assert stored is not None
        assert stored.deadline == dt.datetime(2018, 10, 9, 21, tzinfo=dt.UTC)
        changes = db.scalars(
            select(Revision.changes).where(
                Revision.entity_type.in_(["provisions", "agreement_parties"])
            )
        ).all()
    assert {"role": ["signatory", "guarantor"], "note": [None, "x"]} in changes
    html = client.get("/agreements/sochi").get_data(as_text=True)
    history = html[html.index('<section class="history">') :]
    assert "Heavy weapons withdrawal" in history  # the kind's label, not its stored value
    assert "Deadline" in history
    assert _agreement(database_url, "sochi").version == opened + 2


def test_in_force_on_filter_uses_the_local_day(
    client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        # the 72-hour truce from 00:00 on 18 May 2019 local time (21:00 UTC the day before)
        make_agreement(
            db,
            slug="truce-72h",
            name_en="72-hour truce",
            effective_from=dt.datetime(2019, 5, 17, 21, tzinfo=dt.UTC),
            expires_at=dt.datetime(2019, 5, 20, 21, tzinfo=dt.UTC),
        )
        make_agreement(db, slug="open", name_en="Open-ended", expires_at=None)
    login_as("viewer")
    on_17 = client.get("/agreements/?on=2019-05-17").get_data(as_text=True)
    assert "72-hour truce" not in on_17
    on_20 = client.get("/agreements/?on=2019-05-20").get_data(as_text=True)
    assert "72-hour truce" in on_20
    assert "Open-ended" in on_20
    on_21 = client.get("/agreements/?on=2019-05-21").get_data(as_text=True)
    assert "72-hour truce" not in on_21
    assert client.get("/agreements/?on=not-a-date&after=x_y").status_code == 200
