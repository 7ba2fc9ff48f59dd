"""Data is never markup: 36 hostile payloads stored in every text field; every page, every
report format and the report file open without a server error and with nothing injected."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import (
    add_party,
    make_actor,
    make_agreement,
    make_incident,
    make_place,
    make_source,
)
from tests.hostile import MARKUP_PAYLOADS, injected
from tracker.db import session_factory
from tracker.models import AgreementSource, IncidentSource, Provision, Territory

LoginAs = Callable[..., int]
UTC = dt.UTC
N = len(MARKUP_PAYLOADS)
DETAIL = re.compile(r"^/(actors|places|sources|incidents)/[^/?]+")
SQUARE = [[36.0, 35.0], [37.5, 35.0], [37.5, 36.5], [36.0, 36.5], [36.0, 35.0]]


def _p(i: int) -> str:
    return MARKUP_PAYLOADS[i % N]


def _store_payloads(database_url: str, slug: str = "hostile") -> dict[str, list[Any]]:
    """An agreement, and per payload an actor, a place, a provision with a deadline, a source
    and an incident, every text field holding payloads."""
    ids: dict[str, list[Any]] = {"actors": [], "places": [], "sources": [], "incidents": []}
    with session_factory(database_url)() as db, db.begin():
        agreement = make_agreement(
            db,
            slug=slug,
            name_en=_p(0),
            name_ar=_p(1),
            summary_en=_p(2),
            summary_ar=_p(3),
            effective_from=dt.datetime(2019, 5, 1, tzinfo=UTC),
            expires_at=dt.datetime(2019, 8, 1, tzinfo=UTC),
        )
        make_agreement(db, slug=f"{slug}-child", name_en=_p(4), parent=agreement)
        db.add(
            Territory(
                agreement=agreement,
                name_en=_p(5),
                name_ar=_p(6),
                geometry={"type": "Polygon", "coordinates": [SQUARE]},
            )
        )
        for i in range(N):
            actor = make_actor(db, name_en=_p(i), name_ar=_p(i + 1), aliases=[_p(i + 2)])
            add_party(db, agreement, actor, "bound")
            place = make_place(
                db,
                name_en=_p(i),
                name_ar=_p(i + 3),
                aliases=[_p(i + 4)],
                admin1_name=_p(i + 5)[:120],
                admin2_name=_p(i + 6)[:120],
                latitude=35.0 + i / 100,
                longitude=36.5,
            )
            provision = Provision(
                agreement=agreement,
                code=_p(i)[:40],
                title_en=_p(i + 7),
                title_ar=_p(i + 8),
                kind="cease_fire",
                text=_p(i + 9),
                deadline=dt.datetime(2019, 6, 1 + i % 28, tzinfo=UTC),
            )
            db.add(provision)
            source = make_source(
                db,
                title=_p(i),
                publisher=_p(i + 10),
                author=_p(i + 11),
                notes=_p(i + 12),
                is_confidential=i % 5 == 0,
            )
            db.add(
                AgreementSource(
                    agreement_id=agreement.id,
                    source=source,
                    claim=_p(i + 13)[:500],
                    excerpt=_p(i + 14),
                )
            )
            incident = make_incident(
                db,
                agreement=agreement,
                place=place,
                perpetrator=actor,
                occurred_start=dt.datetime(2019, 6, 1 + i % 28, 9, tzinfo=UTC),
                weapon=_p(i + 15)[:200],
                description_en=_p(i + 16),
                description_ar=_p(i + 17),
                claimed_justification=_p(i + 18),
                status_reason=_p(i + 19) if i % 3 else None,  # a reviewer's reason
                status="verified" if i % 3 else "submitted",
            )
            incident.provisions = [provision]
            db.add(
                IncidentSource(
                    incident_id=incident.id, source=source, excerpt=_p(i + 20), blames_actor=actor
                )
            )
            db.flush()
            ids["actors"].append(actor.slug)
            ids["places"].append(place.slug)
            ids["sources"].append(source.id)
            ids["incidents"].append(incident.id)
    return ids


def _pages(ids: dict[str, list[Any]]) -> list[str]:
    report = "/agreements/hostile/report"
    return [
        "/",
        "/incidents/",
        "/incidents/?text=%25",
        "/sources/",
        "/agreements/",
        "/agreements/hostile",
        "/agreements/hostile/edit",
        "/agreements/hostile-child",
        "/actors/",
        "/places/",
        report,
        f"{report}?stack=perpetrator",
        f"{report}?public=1&stack=perpetrator",
        "/reports/compare?agreements=hostile,hostile-child",
        *(f"/actors/{slug}" for slug in ids["actors"]),
        *(f"/places/{slug}" for slug in ids["places"]),
        *(f"/sources/{i}" for i in ids["sources"]),
        *(f"/incidents/{i}" for i in ids["incidents"]),
        *(f"/incidents/{i}/edit" for i in ids["incidents"][:6]),
    ]


def test_stored_payloads_never_become_markup_on_any_page_for_any_role(
    app: Flask, client: FlaskClient, login_as: LoginAs, database_url: str
) -> None:
    ids = _store_payloads(database_url)
    for role in ("analyst", "viewer"):
        client.get("/logout")
        login_as(role)
        for url in _pages(ids):
            if role == "viewer" and (DETAIL.match(url) or url.endswith("/edit")):
                continue  # the detail pages are the analyst's; the viewer's lists and reports
            response = client.get(url)
            assert response.status_code in {200, 404}, (role, url, response.status_code)
            assert injected(response.get_data(as_text=True)) == [], (role, url)
        for fmt in ("csv", "json", "geojson"):
            for stack in ("category", "perpetrator"):
                response = client.get(f"/agreements/hostile/report?format={fmt}&stack={stack}")
                assert response.status_code == 200, (role, fmt)
                if fmt != "csv":
                    json.loads(response.get_data(as_text=True))
        for fmt in ("csv", "json", "geojson"):
            assert client.get(f"/exports/incidents.{fmt}").status_code == 200


def test_the_report_file_carries_a_csp_and_nothing_injected(
    run_cli: Any, database_url: str, tmp_path: Path
) -> None:
    _store_payloads(database_url)
    for extra in ((), ("--public",)):
        output = tmp_path / f"report{len(extra)}.html"
        result = run_cli("report", "hostile", "--format", "html", "-o", str(output), *extra)
        assert result.exit_code == 0, result.output
        html = output.read_text(encoding="utf-8")
        head = unescape(html.split("</head>")[0])
        assert 'http-equiv="Content-Security-Policy"' in head
        assert "script-src 'none'" in head
        assert head.index("Content-Security-Policy") < head.index("<title>")
        assert injected(html) == []
        assert "Brigade 100%" in html
        assert "Art. 5%" in html
