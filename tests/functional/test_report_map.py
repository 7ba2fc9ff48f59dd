"""The report's map over admin boundaries: a territory given by admin areas' names is stored as
their P-codes, judged by them and drawn as those areas with their names; the boundaries are
the base layer, incidents cluster with their counts, and the legend says what is drawn. The
map a new place's point is picked on."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import SHARED, csrf_token
from tests.factories import add_party, make_actor, make_agreement, make_incident, make_place
from tracker.db import session_factory
from tracker.models import AdminArea, Agreement, Incident, IncidentVerdict, Territory
from tracker.queries.applicability import assess_incident
from tracker.rules.applicability import Finding

SVG = "{http://www.w3.org/2000/svg}"
BOUNDARIES = SHARED / "research-data" / "boundaries"


def _square(west: float, south: float, size: float) -> dict[str, Any]:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


#: Two governorates side by side and a district of the first.
AREAS = (
    ("SY07", 1, "Idlib", "إدلب", None, _square(36.0, 35.0, 1.0)),
    ("SY0703", 2, "Jisr-Ash-Shugur", "جسر الشغور", "SY07", _square(36.0, 35.5, 0.5)),
    ("SY02", 1, "Aleppo", "حلب", None, _square(37.0, 35.0, 1.0)),
)


def _setup(database_url: str) -> str:
    """The areas, an agreement with a bound party, and four incidents: three in the district
    (two places a few metres apart) and one in the other governorate."""
    with session_factory(database_url)() as db, db.begin():
        for pcode, level, name_en, name_ar, parent, geometry in AREAS:
            db.add(
                AdminArea(
                    pcode=pcode,
                    level=level,
                    name_en=name_en,
                    name_ar=name_ar,
                    parent_pcode=parent,
                    geometry=geometry,
                )
            )
        agreement = make_agreement(db, slug="north-truce")
        army = make_actor(db)
        add_party(db, agreement, army, "signatory")
        inside = {"admin1_pcode": "SY07", "admin2_pcode": "SY0703"}
        first = make_place(db, name_en="Bdama", latitude=35.7, longitude=36.2, **inside)
        second = make_place(db, name_en="Next door", latitude=35.7001, longitude=36.2, **inside)
        other = make_place(
            db, name_en="Far east", latitude=35.5, longitude=37.5, admin1_pcode="SY02"
        )
        for place in (first, first, second, other):
            make_incident(db, agreement=agreement, place=place, perpetrator=army)
        return agreement.slug


def _post(client: FlaskClient, path: str, data: dict[str, str]) -> Any:
    return client.post(
        path, data={**data, "csrf_token": csrf_token(client.get(path).get_data(as_text=True))}
    )


def _map(page: str) -> ET.Element:
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart map"')
    return ET.fromstring(page[start : page.index("</svg>", start) + 6])  # noqa: S314 (own output)


def _texts(svg: ET.Element, css_class: str) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == css_class]


def test_territory_given_by_area_names_is_judged_by_them_and_drawn_named(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    slug = _setup(database_url)
    login_as("analyst")
    path = f"/agreements/{slug}/territories/new"
    refused = _post(client, path, {"name_en": "North", "admin_pcodes": "Idlib, Nowhere"})
    assert "No admin area is called Nowhere." in refused.get_data(as_text=True)
    response = _post(client, path, {"name_en": "North", "admin_pcodes": "جسر الشغور، idlib"})
    assert response.status_code == 302
    with session_factory(database_url)() as db:
        territory = db.scalar(select(Territory).where(Territory.name_en == "North"))
        assert territory is not None
        assert territory.admin_pcodes == ["SY0703", "SY07"]

    report = client.get(f"/agreements/{slug}/report?format=json").get_json()
    verdicts = {row["key"]: row["incidents"] for row in report["verdicts"]}
    assert verdicts.get("violation") == 3
    assert verdicts.get("outside_scope") == 1

    detail = client.get(f"/agreements/{slug}").get_data(as_text=True)
    assert '<bdi>Jisr-Ash-Shugur</bdi> <small dir="ltr">(SY0703)</small>' in detail

    page = client.get(f"/agreements/{slug}/report").get_data(as_text=True)
    svg = _map(page)
    drawn = {
        p.get("data-pcode")
        for p in svg.iter(f"{SVG}path")
        if "territory-area" in (p.get("class") or "")
    }
    assert drawn == {"SY07", "SY0703"}
    assert {"Idlib", "Jisr-Ash-Shugur"} <= set(_texts(svg, "territory-name"))
    boundaries = {
        p.get("data-pcode")
        for p in svg.iter(f"{SVG}path")
        if "admin-area" in (p.get("class") or "")
    }
    assert {"SY07", "SY02"} <= boundaries
    clusters = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "incident-cluster"]
    assert [c.get("data-count") for c in clusters] == ["3"]
    assert "3" in _texts(svg, "cluster-count")
    written = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert not re.search(r"\bSY\d", written)  # areas are named, never shown as P-codes
    caption = page[page.index('<section id="map"') : page.index('<section id="rates"')]
    assert 'class="legend"' in caption
    assert "administrative boundaries" in caption
    assert "several places close together" in caption

    client.post("/language", data={"locale": "ar", "csrf_token": csrf_token(page)})
    arabic = _map(client.get(f"/agreements/{slug}/report").get_data(as_text=True))
    assert {"إدلب", "جسر الشغور"} <= set(_texts(arabic, "territory-name"))


def test_pick_map_draws_the_boundaries_and_frames_a_click(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    _setup(database_url)
    login_as("analyst")
    whole = client.get("/lookup/map")
    assert whole.mimetype == "image/svg+xml"
    svg = ET.fromstring(whole.get_data(as_text=True))  # noqa: S314 (own output)
    assert {"SY07", "SY02"} <= {p.get("data-pcode") for p in svg.iter(f"{SVG}path")}
    west, _north, scale = (float(svg.get(f"data-{k}") or "nan") for k in ("west", "north", "scale"))
    assert 35.5 < west < 36.0
    assert scale > 100
    zoomed = client.get("/lookup/map?lon=36.2&lat=35.7&zoom=2").get_data(as_text=True)
    assert 'class="picked"' in zoomed
    assert float(ET.fromstring(zoomed).get("data-scale") or 0) > 2 * scale  # noqa: S314
    for bad in ("lon=181", "lat=nan", "zoom=99", "lon=" + "9" * 40):
        assert client.get(f"/lookup/map?{bad}").status_code == 400
    form = client.get("/incidents/new").get_data(as_text=True)
    assert 'class="pick-map"' in form
    assert "pick-map.js" in form


def test_real_boundaries_draw_a_small_map_of_the_agreement_surroundings(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str, run_cli: Any
) -> None:
    files = sorted(BOUNDARIES.glob("syr_admbnda_adm[12]_*.geojson"))
    if len(files) < 2:
        pytest.skip("the OCHA boundary files are not at hand")
    for path in files:
        assert run_cli("import", "boundaries", str(path)).exit_code == 0
    with session_factory(database_url)() as db, db.begin():
        agreement = make_agreement(db, slug="real-areas")
        db.add(Territory(agreement=agreement, name_en="Zone", admin_pcodes=["SY0703"]))
        place = make_place(db, latitude=35.82, longitude=36.32, admin2_pcode="SY0703")
        make_incident(db, agreement=agreement, place=place)
    login_as("analyst")
    page = client.get("/agreements/real-areas/report").get_data(as_text=True)
    svg = _map(page)
    assert "Harim" in _texts(svg, "territory-name")  # SY0703
    areas = [p for p in svg.iter(f"{SVG}path") if "admin-area" in (p.get("class") or "")]
    assert 5 < len(areas) < 200  # only the areas around the territory
    assert len(ET.tostring(svg)) < 400_000  # outlines simplified to the map's scale
    path = "/agreements/real-areas/territories/new"
    page = _post(client, path, {"name_en": "Idlib", "admin_pcodes": "Idlib"}).get_data(as_text=True)
    assert "Idlib names several admin areas (SY07, SY0700)" in page
    assert _post(client, path, {"name_en": "Idlib", "admin_pcodes": "SY07"}).status_code == 302


def test_a_place_known_only_to_its_district_is_located_by_the_district_polygon(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    """The district SY0703 is the square 36.0-36.5 E, 35.5-36.0 N; a zone holding it, a zone
    apart from it and a zone across its edge give inside, outside and uncertain, in the rule
    and in the report alike."""
    _setup(database_url)
    zones = {
        "holds-district": _square(35.9, 35.4, 0.8),
        "apart-from-district": _square(38.0, 35.0, 0.5),
        "across-district": _square(36.25, 35.25, 0.5),
    }
    with session_factory(database_url)() as db, db.begin():
        army = make_actor(db)
        place = make_place(
            db, name_en="Somewhere", latitude=None, longitude=None, admin2_pcode="SY0703"
        )
        for slug, shape in zones.items():
            agreement = make_agreement(db, slug=slug)
            add_party(db, agreement, army, "signatory")
            db.add(Territory(agreement=agreement, name_en=slug, geometry=shape))
            db.flush()
            make_incident(
                db, agreement=agreement, place=place, perpetrator=army, location_precision="admin2"
            )
        place_id = place.id
    login_as("analyst")
    found = {}
    with session_factory(database_url)() as db:
        for slug in zones:
            agreement = db.scalar(select(Agreement).where(Agreement.slug == slug))
            assert agreement is not None
            incident = db.scalar(
                select(Incident).where(
                    Incident.place_id == place_id, Incident.alleged_agreement_id == agreement.id
                )
            )
            assert incident is not None
            reasons = assess_incident(incident, agreement).reasons
            rule = next(r.finding for r in reasons if r.test == "territory")
            client.get(f"/agreements/{slug}/report")  # the store is brought up to date
            stored = db.scalar(
                select(IncidentVerdict.territory_finding).where(
                    IncidentVerdict.incident_id == incident.id,
                    IncidentVerdict.agreement_id == agreement.id,
                )
            )
            found[slug] = (rule, stored)
    shapes = client.get("/agreements/holds-district/report?format=geojson").get_json()
    somewhere = next(f for f in shapes["features"] if f["properties"].get("name") == "Somewhere")
    assert somewhere["properties"]["located_by_admin_area"] is True
    lon, lat = somewhere["geometry"]["coordinates"]
    assert 36.0 < lon < 36.5  # inside the district's square
    assert 35.5 < lat < 36.0
    assert found == {
        "holds-district": (Finding.INSIDE, int(Finding.INSIDE)),
        "apart-from-district": (Finding.OUTSIDE, int(Finding.OUTSIDE)),
        "across-district": (Finding.UNCERTAIN, int(Finding.UNCERTAIN)),
    }
