"""The incident pages: entry with sources in Arabic, pickers, validation, locking, retraction."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import factories
from tests.conftest import TEST_PASSWORD, create_user, csrf_token
from tests.pages import listed_incident_ids
from tracker.db import session_factory
from tracker.models import Incident, IncidentSource, Provision, Revision, Source, Territory

UTC = dt.UTC
ZONE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 35.0], [37.5, 35.0], [37.5, 36.5], [36.0, 36.5], [36.0, 35.0]]],
}


@dataclass
class World:
    agreement_id: int
    ceasefire_id: int
    heavy_weapons_id: int
    other_provision_id: int
    kafr_nabudah: int
    hamamiyat: int
    tell_malah: int
    government: int
    nfl: int
    sasa_post: int


def build_world(database_url: str) -> World:
    """An agreement with a zone, parties and provisions; places; actors; an existing source."""
    with session_factory(database_url)() as session, session.begin():
        sochi = factories.make_agreement(
            session,
            name_en="Sochi memorandum",
            name_ar="مذكرة سوتشي",
            kind="demilitarized_zone",
            effective_from=dt.datetime(2018, 9, 17, 9, tzinfo=UTC),
            expires_at=None,
        )
        session.add(Territory(agreement=sochi, name_en="Buffer zone", geometry=ZONE))
        ceasefire = Provision(agreement=sochi, code="1", title_en="Cease fire", kind="cease_fire")
        weapons = Provision(
            agreement=sochi,
            code="2",
            title_en="Heavy weapons out",
            kind="heavy_weapons_withdrawal",
            deadline=dt.datetime(2018, 10, 10, tzinfo=UTC),
        )
        session.add_all([ceasefire, weapons])
        other = factories.make_agreement(session)
        foreign = Provision(agreement=other, code="9", title_en="Other", kind="other")
        session.add(foreign)
        government = factories.make_actor(
            session, name_en="Syrian government forces", name_ar="قوات النظام", kind="state_force"
        )
        nfl = factories.make_actor(
            session, name_en="National Front for Liberation", name_ar="الجبهة الوطنية للتحرير"
        )
        factories.add_party(session, sochi, government, "bound")
        factories.add_party(session, sochi, nfl, "bound")
        kafr = factories.make_place(
            session,
            name_en="Kafr Nabudah",
            name_ar="كفرنبودة",
            aliases=["Kafranbouda"],
            latitude=35.46,
            longitude=36.50,
        )
        hamamiyat = factories.make_place(
            session, name_en="al-Hamamiyat", name_ar="الحماميات", latitude=35.38, longitude=36.56
        )
        tell_malah = factories.make_place(
            session, name_en="Tell Malah", name_ar="تل ملح", latitude=35.40, longitude=36.57
        )
        factories.make_place(
            session, name_en="Tell Othman", name_ar="تل عثمان", latitude=35.45, longitude=36.58
        )
        sasa = factories.make_source(
            session,
            title="Idlib: the story of the agreements",
            publisher="Sasa Post",
            language="ar",
            published_at=dt.datetime(2019, 8, 3, 9, tzinfo=UTC),
        )
        session.flush()
        return World(
            agreement_id=sochi.id,
            ceasefire_id=ceasefire.id,
            heavy_weapons_id=weapons.id,
            other_provision_id=foreign.id,
            kafr_nabudah=kafr.id,
            hamamiyat=hamamiyat.id,
            tell_malah=tell_malah.id,
            government=government.id,
            nfl=nfl.id,
            sasa_post=sasa.id,
        )


@pytest.fixture
def world(app: Flask, database_url: str) -> World:
    return build_world(database_url)


def form_data(client: FlaskClient, url: str = "/incidents/new", **fields: Any) -> dict[str, Any]:
    """A minimal valid incident post (with the page's CSRF token), changed by ``fields``."""
    page = client.get(url)
    assert page.status_code == 200
    data: dict[str, Any] = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "when": "2019-05-22",
        "category": "shelling",
        "location_precision": "exact",
        "count_qualifier": "exact",
        "status": "submitted",
        "save": "Save",
    }
    data.update({k.replace("__", "-"): v for k, v in fields.items()})
    return data


def count(database_url: str, model: type[Any]) -> int:
    with session_factory(database_url)() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def load_incident(database_url: str, incident_id: int) -> Incident:
    with session_factory(database_url)() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        _ = incident.source_links, incident.provisions
        for link in incident.source_links:
            _ = link.source
        return incident


def saved_id(response: Any) -> int:
    assert response.status_code == 302, errors_in(response.get_data(as_text=True))
    match = re.search(r"/incidents/(\d+)", response.location)
    assert match
    return int(match.group(1))


def errors_in(html: str) -> dict[str, list[str]]:
    """The messages beside each field, by the field's id."""
    found: dict[str, list[str]] = {}
    for field, items in re.findall(
        r'<ul class="errors" id="([^"]+)-errors">(.*?)</ul>', html, re.S
    ):
        found[field] = re.findall(r'<li class="error">(.*?)</li>', items, re.S)
    return found


def sign_in(app: Flask, database_url: str, role: str, name: str) -> tuple[FlaskClient, int]:
    """A second browser, signed in as a new user."""
    other = app.test_client()
    user_id = create_user(database_url, name, role)
    token = csrf_token(other.get("/login").get_data(as_text=True))
    response = other.post(
        "/login", data={"username": name, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return other, user_id


HAMAMIYAT_AR = (
    "هجوم لفصائل المعارضة على بلدة الحماميات وتلتها شمالي حماة؛ تسع محاولات فاشلة لاستعادتها "
    "ومعركة دامت أكثر من 30 ساعة شنّت فيها أكثر من 400 غارة جوية."
)


def test_analyst_enters_the_hamamiyat_incident_in_arabic_with_two_sources(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(
        client,
        alleged_agreement_id=str(world.agreement_id),
        provision_ids=[str(world.ceasefire_id)],
        when="2019-07-10/2019-07-11",
        place__text="الحماميات",
        perpetrator__text="قوات النظام",
        perpetrator_confidence="medium",
        target_actor__text="الجبهة الوطنية للتحرير",
        category="air_strike",
        event_count="400",
        count_qualifier="more_than",
        count_period_hours="30",
        description_ar=HAMAMIYAT_AR,
        sources__0__source__text="Idlib: the story",
        sources__0__credibility="3",
        sources__0__blames__text="Syrian government forces",
        sources__0__stance="supports",
        sources__0__excerpt="أكثر من 400 غارة جوية",
        sources__1__kind="official_statement",
        sources__1__title="النقيب ناجي مصطفى: تصريح",
        sources__1__publisher="الجبهة الوطنية للتحرير",
        sources__1__language="ar",
        sources__1__published_at="2019-07-11",
        sources__1__reliability="D",
        sources__1__credibility="4",
        sources__1__stance="supports",
        sources__1__blames__text="قوات النظام",
    )
    incident_id = saved_id(client.post("/incidents/new", data=data))

    incident = load_incident(database_url, incident_id)
    assert incident.description_ar == HAMAMIYAT_AR
    assert (incident.event_count, incident.count_qualifier, incident.count_period_hours) == (
        400,
        "more_than",
        30,
    )
    assert incident.place_id == world.hamamiyat
    assert incident.perpetrator_id == world.government
    assert incident.date_precision == "day"
    assert incident.occurred_on == dt.date(2019, 7, 10)
    assert [p.code for p in incident.provisions] == ["1"]
    titles = sorted(link.source.title for link in incident.source_links)
    assert titles == ["Idlib: the story of the agreements", "النقيب ناجي مصطفى: تصريح"]
    assert {link.blames_actor_id for link in incident.source_links} == {world.government}

    detail = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Violation" in detail
    assert "is within the agreement" in detail
    assert "أكثر من 400 غارة جوية" in detail

    for query in ("Hamamiyat", "al hamamiyat", "الحَمَاميات", "ٱلحماميات"):
        listing = client.get("/incidents/", query_string={"q": query}).get_data(as_text=True)
        assert f"/incidents/{incident_id}" in listing, query
    nothing = client.get("/incidents/", query_string={"q": "Saraqib"}).get_data(as_text=True)
    assert f"/incidents/{incident_id}" not in nothing


def test_unreadable_date_is_explained_beside_the_field_and_nothing_is_written(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(client, when="22 May", sources__1__title="A new report")
    response = client.post("/incidents/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is not a date" in " ".join(errors_in(html)["when"])
    with_other_problems = form_data(client, when="22 May", place__text="Tell", event_count="x")
    errors = errors_in(client.post("/incidents/new", data=with_other_problems).get_data(True))
    assert "is not a date" in " ".join(errors["when"])
    assert {"place-text", "event_count"} <= set(errors)
    assert 'value="A new report"' in html
    assert count(database_url, Incident) == 0
    assert count(database_url, Source) == 1


def test_the_date_is_read_back_with_its_precision(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(client, when="early 2018", update_provisions="Update provisions")
    data.pop("save")
    html = client.post("/incidents/new", data=data).get_data(as_text=True)
    assert "Read as January–April 2018 (month)." in html
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client, when="early 2018")))
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    assert 'value="2018-01/2018-04"' in edit


BAD_INPUT = [
    ({"event_count": "many"}, "event_count"),
    ({"event_count": "-3"}, "event_count"),
    ({"civilians_killed_low": "9", "civilians_killed_best": "4"}, "civilians_killed_best"),
    ({"alleged_agreement_id": "99999"}, "alleged_agreement_id"),
    ({"category": "picnic"}, "category"),
    ({"when": "2019-02-30"}, "when"),
    ({"when": "2019-07-11/2019-07-10"}, "when"),
    ({"weapon": "x" * 300}, "weapon"),
    ({"place__text": "Atlantis"}, "place-text"),
    ({"sources__0__source__text": "no such title"}, "sources-0-source-text"),
    ({"sources__0__title": "New", "sources__0__credibility": "9"}, "sources-0-credibility"),
    ({"sources__0__title": "New", "sources__0__url": "javascript:alert(1)"}, "sources-0-url"),
    ({"sources__0__url": "https://example.org/report"}, "sources-0-title"),
]


def test_bad_input_is_refused_beside_its_field_without_a_server_error(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    for fields, field_id in BAD_INPUT:
        response = client.post("/incidents/new", data=form_data(client, **fields))
        assert response.status_code == 200, fields
        assert field_id in errors_in(response.get_data(as_text=True)), fields
    assert count(database_url, Incident) == 0
    assert count(database_url, Source) == 1


def test_provisions_of_another_agreement_are_refused(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(
        client,
        alleged_agreement_id=str(world.agreement_id),
        provision_ids=[str(world.other_provision_id)],
    )
    response = client.post("/incidents/new", data=data)
    assert response.status_code == 200
    assert "provision_ids" in errors_in(response.get_data(as_text=True))
    assert count(database_url, Incident) == 0


def test_update_provisions_lists_the_chosen_agreements_provisions_without_saving(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(client, alleged_agreement_id=str(world.agreement_id))
    data.pop("save")
    data["update_provisions"] = "Update provisions"
    html = client.post("/incidents/new", data=data).get_data(as_text=True)
    assert "1: Cease fire" in html
    assert "2: Heavy weapons out" in html
    assert count(database_url, Incident) == 0


def test_add_another_source_adds_a_row_and_keeps_the_input(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(client, weapon="Grad rockets", sources__1__title="Second")
    data.pop("save")
    data["add_source"] = "Add another source"
    html = client.post("/incidents/new", data=data).get_data(as_text=True)
    assert 'name="sources-2-title"' in html
    assert 'value="Grad rockets"' in html
    assert count(database_url, Incident) == 0


def test_place_picker_resolves_every_spelling_to_the_same_place(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    for name in ("Kafr Nabudah", "Kafranbouda", "كفرنبودة", "كَفْرنبودة", "kafr nabuda"):
        data = form_data(client, place__text=name)
        incident_id = saved_id(client.post("/incidents/new", data=data))
        assert load_incident(database_url, incident_id).place_id == world.kafr_nabudah, name


def test_ambiguous_place_offers_a_choice_and_the_choice_is_saved(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(client, place__text="Tell", weapon="mortar")
    response = client.post("/incidents/new", data=data)
    html = response.get_data(as_text=True)
    assert "Several records match" in " ".join(errors_in(html)["place-text"])
    assert "Tell Malah" in html
    assert "Tell Othman" in html
    assert 'value="mortar"' in html
    assert count(database_url, Incident) == 0
    data["place-choice"] = str(world.tell_malah)
    data["csrf_token"] = csrf_token(html)
    incident_id = saved_id(client.post("/incidents/new", data=data))
    assert load_incident(database_url, incident_id).place_id == world.tell_malah


def test_a_second_save_of_the_same_version_is_refused_with_both_versions_and_input_kept(
    app: Flask, client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client, weapon="mortar")))
    url = f"/incidents/{incident_id}/edit"
    first = form_data(client, url, weapon="artillery")
    other, _ = sign_in(app, database_url, "analyst", "second-analyst")
    second = form_data(other, url, weapon="Grad rockets", description_en="my careful notes")
    first["version"] = second["version"] = "1"
    saved_id(client.post(url, data=first))

    refused = other.post(url, data=second)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else saved this incident" in html
    assert "Stored values now (version 2)" in html
    assert "artillery" in html
    assert 'value="Grad rockets"' in html
    assert "my careful notes" in html
    assert load_incident(database_url, incident_id).weapon == "artillery"

    second["csrf_token"] = csrf_token(html)
    second["version"] = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    saved_id(other.post(url, data=second))
    assert load_incident(database_url, incident_id).weapon == "Grad rockets"


def test_retraction_needs_a_reason_hides_the_incident_and_can_be_undone(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client)))
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    token = csrf_token(page)

    blank = client.post(f"/incidents/{incident_id}/retract", data={"csrf_token": token})
    assert "This field is required." in blank.get_data(as_text=True)
    assert load_incident(database_url, incident_id).status == "submitted"

    reason = "Duplicate of a report entered twice"
    client.post(f"/incidents/{incident_id}/retract", data={"csrf_token": token, "reason": reason})
    retracted = load_incident(database_url, incident_id)
    assert (retracted.status, retracted.status_reason) == ("retracted", reason)
    assert f"/incidents/{incident_id}" not in client.get("/incidents/").get_data(as_text=True)
    with_retracted = client.get("/incidents/?retracted=1").get_data(as_text=True)
    assert f"/incidents/{incident_id}" in with_retracted

    client.post(f"/incidents/{incident_id}/restore", data={"csrf_token": token})
    assert load_incident(database_url, incident_id).status == "submitted"
    assert f"/incidents/{incident_id}" in client.get("/incidents/").get_data(as_text=True)


def test_history_shows_who_changed_which_field_from_what_to_what(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst", username="rania")
    first = form_data(client, weapon="mortar", place__text="Kafr Nabudah")
    incident_id = saved_id(client.post("/incidents/new", data=first))
    url = f"/incidents/{incident_id}/edit"
    second = form_data(client, url, weapon="Grad", place__text="Tell Malah", version="1")
    saved_id(client.post(url, data=second))
    html = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    history = html[html.index('<section class="history">') :]
    assert "rania" in history
    assert re.search(
        r"<td data-field=\"weapon\">Weapon</td>\s*"
        r"<td class=\"old\">mortar</td>\s*<td class=\"new\">Grad</td>",
        history,
    )
    assert re.search(
        r"<td data-field=\"place_id\">Place</td>\s*"
        r"<td class=\"old\"><bdi>Kafr Nabudah</bdi></td>\s*"
        r"<td class=\"new\"><bdi>Tell Malah</bdi></td>",
        history,
    )
    assert "version 2" in history
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\dT", history)


def test_reviewer_cannot_verify_own_incident_but_another_reviewer_can(
    app: Flask, client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("reviewer")
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client)))
    token = csrf_token(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    verify = {"csrf_token": token, "status": "verified", "version": "1"}
    response = client.post(f"/incidents/{incident_id}/status", data=verify, follow_redirects=True)
    assert "another reviewer must verify it" in response.get_data(as_text=True)
    assert load_incident(database_url, incident_id).status == "submitted"

    other, other_id = sign_in(app, database_url, "reviewer", "second-reviewer")
    token = csrf_token(other.get(f"/incidents/{incident_id}").get_data(as_text=True))
    other.post(f"/incidents/{incident_id}/status", data={**verify, "csrf_token": token})
    verified = load_incident(database_url, incident_id)
    assert (verified.status, verified.reviewed_by_id) == ("verified", other_id)


def test_analyst_cannot_change_status(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client)))
    token = csrf_token(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    response = client.post(
        f"/incidents/{incident_id}/status",
        data={"csrf_token": token, "status": "verified", "version": "1"},
    )
    assert response.status_code == 403
    assert load_incident(database_url, incident_id).status == "submitted"


def test_post_without_csrf_token_keeps_the_input_and_writes_nothing(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(client, weapon="barrel bombs")
    data.pop("csrf_token")
    response = client.post("/incidents/new", data=data)
    assert response.status_code == 400
    assert 'value="barrel bombs"' in response.get_data(as_text=True)
    assert count(database_url, Incident) == 0


def test_withdrawing_a_source_keeps_the_link_marked(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(
        client, sources__0__source__text="Idlib: the story", sources__0__credibility="2"
    )
    incident_id = saved_id(client.post("/incidents/new", data=data))
    link = load_incident(database_url, incident_id).source_links[0]
    token = csrf_token(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    url = f"/incidents/{incident_id}/sources/{link.id}/retract"
    client.post(url, data={"csrf_token": token, "reason": "misread the report"})
    assert count(database_url, IncidentSource) == 1
    assert load_incident(database_url, incident_id).source_links[0].state == "retracted"


def test_viewer_sees_published_incidents_only_and_no_edit_controls(
    app: Flask, client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    draft_id = saved_id(client.post("/incidents/new", data=form_data(client, status="draft")))
    public_id = saved_id(client.post("/incidents/new", data=form_data(client)))
    viewer, _ = sign_in(app, database_url, "viewer", "reader")
    listing = viewer.get("/incidents/").get_data(as_text=True)
    assert f"/incidents/{public_id}" in listing
    assert f"/incidents/{draft_id}" not in listing
    assert viewer.get(f"/incidents/{draft_id}").status_code == 404
    detail = viewer.get(f"/incidents/{public_id}").get_data(as_text=True)
    assert "/edit" not in detail
    assert viewer.get("/incidents/new").status_code == 403


def test_deep_keyset_pages_follow_each_other_newest_first(
    app: Flask, client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        for day in range(23):
            start = dt.datetime(2019, 1, 1, 9, tzinfo=UTC) + dt.timedelta(days=day // 2)
            factories.make_incident(
                session,
                agreement_id=world.agreement_id,
                place_id=world.hamamiyat,
                occurred_start=start,
                weapon=f"w{day}",
            )
    app.config["PAGE_SIZE"] = 5
    login_as("analyst")
    seen = listed_incident_ids(client, "agreement=" + _slug(database_url, world.agreement_id))
    assert len(seen) == 23
    assert len(set(seen)) == 23
    with session_factory(database_url)() as session:
        keys = {i.id: (i.occurred_on, i.id) for i in session.scalars(select(Incident))}
    assert [keys[i] for i in seen] == sorted((keys[i] for i in seen), reverse=True)


def _slug(database_url: str, agreement_id: int) -> str:
    from tracker.models import Agreement

    with session_factory(database_url)() as session:
        agreement = session.get(Agreement, agreement_id)
        assert agreement is not None
        return agreement.slug


def test_verdict_filter_keeps_only_incidents_with_that_verdict(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    inside = saved_id(
        client.post(
            "/incidents/new",
            data=form_data(
                client,
                alleged_agreement_id=str(world.agreement_id),
                place__text="Kafr Nabudah",
                perpetrator__text="Syrian government forces",
            ),
        )
    )
    before = saved_id(
        client.post(
            "/incidents/new",
            data=form_data(
                client,
                alleged_agreement_id=str(world.agreement_id),
                when="2018-01-22",
                place__text="Kafr Nabudah",
                perpetrator__text="Syrian government forces",
            ),
        )
    )
    slug = _slug(database_url, world.agreement_id)
    violations = client.get(f"/incidents/?agreement={slug}&verdict=violation")
    assert f'"/incidents/{inside}"' in violations.get_data(as_text=True)
    assert f'"/incidents/{before}"' not in violations.get_data(as_text=True)
    outside = client.get(f"/incidents/?agreement={slug}&verdict=outside_scope")
    assert f'"/incidents/{before}"' in outside.get_data(as_text=True)
    bogus = client.get("/incidents/?verdict=maybe")
    assert bogus.status_code == 200
    assert "is not a verdict" in bogus.get_data(as_text=True)


def test_revisions_are_written_for_the_incident_and_its_links(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    data = form_data(
        client, sources__0__source__text="Idlib: the story", sources__0__credibility="2"
    )
    with session_factory(database_url)() as session:
        before = session.scalar(select(func.max(Revision.id))) or 0
    saved_id(client.post("/incidents/new", data=data))
    with session_factory(database_url)() as session:
        kinds = sorted(session.scalars(select(Revision.entity_type).where(Revision.id > before)))
    assert kinds == ["incident_sources", "incidents"]


def test_nonsense_ids_and_page_keys_never_break_a_page(
    client: FlaskClient, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    huge = "99999999999999999999999"
    assert client.get(f"/incidents/{huge}").status_code == 404
    assert client.get(f"/sources/{huge}/edit").status_code == 404
    for query in ("after=x_y", "from=2019-13-01", "place=abc", "place=²", "from=0001-01-01"):
        page = client.get(f"/incidents/?{query}")
        assert page.status_code == 200, query
    for query in (f"after=2019-01-01_{huge}", f"place={huge}", "place=2147483648"):
        page = client.get(f"/incidents/?{query}")
        assert page.status_code == 400, query
        assert "beyond the range the database holds" in page.get_data(as_text=True)
    assert "is not a date" in client.get("/incidents/?from=2019-13-01").get_data(as_text=True)
    data = form_data(
        client,
        alleged_agreement_id=huge,
        place__text="Kafr Nabudah",
        place__selected=huge,
        place__choice="٣",
        sources__0__source__selected=huge,
        sources__0__source__text="Idlib: the story",
        sources__0__credibility="2",
    )
    response = client.post("/incidents/new", data=data)
    assert response.status_code == 200
    assert "alleged_agreement_id" in errors_in(response.get_data(as_text=True))
    assert client.get(f"/lookup/provisions?agreement={huge}").status_code == 400
    assert client.get("/lookup/provisions?agreement=٣").get_json() == []
