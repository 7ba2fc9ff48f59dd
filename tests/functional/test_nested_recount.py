"""Every figure of the reports of a nested set (a zone, a demilitarised area inside it, a
72-hour truce inside that) recounted by hand-written SQL on the exported dump, loaded with the
stock client of each engine. The set keeps to what plain SQL can judge (exact places, exact
times, untagged attacks) while incidents are filed under one agreement and counted in others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, create_engine, text

from tests.conftest import TempPostgres, empty_all_tables, require_postgres
from tests.factories import add_party, make_actor, make_agreement, make_incident, make_place
from tests.functional.test_export_sql import load_with_client, make_dump
from tracker.db import session_factory
from tracker.models import Territory

UTC = dt.UTC
BOX = (35.4, 35.7, 36.5, 36.9)  # the demilitarised area: lat from, lat to, lon from, lon to
ZONE_START = dt.datetime(2018, 1, 1, 0, tzinfo=UTC)
DMZ_START = dt.datetime(2018, 9, 16, 21, tzinfo=UTC)
TRUCE = (dt.datetime(2019, 5, 17, 21, tzinfo=UTC), dt.datetime(2019, 5, 20, 21, tzinfo=UTC))
SLUGS = ("zone", "dmz", "truce")


def _box() -> dict[str, Any]:
    lat0, lat1, lon0, lon1 = BOX
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def build(url: str) -> None:
    with session_factory(url)() as session, session.begin():
        zone = make_agreement(
            session,
            slug="zone",
            effective_from=ZONE_START,
            expires_at=None,
            kind="de_escalation_zone",
        )
        dmz = make_agreement(
            session, slug="dmz", parent=zone, effective_from=DMZ_START, expires_at=None
        )
        truce = make_agreement(
            session, slug="truce", parent=dmz, effective_from=TRUCE[0], expires_at=TRUCE[1]
        )
        session.add(Territory(agreement=zone, name_en="Areas", admin_pcodes=["SY07"]))
        session.add(Territory(agreement=dmz, name_en="Band", geometry=_box()))
        session.add(Territory(agreement=truce, name_en="Band", geometry=_box()))
        gov = make_actor(session, slug="gov")
        rebels = make_actor(session, slug="rebels")
        hts = make_actor(session, slug="hts")
        for agreement in (zone, dmz, truce):
            add_party(session, agreement, gov, "bound")
            add_party(session, agreement, hts, "excluded")
        add_party(session, zone, rebels, "bound")
        add_party(session, dmz, rebels, "bound")
        add_party(session, truce, rebels, "rejected")
        band = make_place(session, latitude=35.5, longitude=36.6, admin1_pcode="SY07")
        zone_only = make_place(session, latitude=35.9, longitude=36.2, admin1_pcode="SY07")
        elsewhere = make_place(session, latitude=35.1, longitude=36.6, admin1_pcode="SY05")
        places = (band, zone_only, elsewhere)
        actors = (gov, rebels, hts, None)
        alleged = (zone, dmz, truce, None)
        statuses = ("verified", "submitted", "disputed", "draft", "rejected", "verified")
        moments = [
            dt.datetime(2017, 12, 20, 9, tzinfo=UTC),
            dt.datetime(2018, 6, 1, 9, tzinfo=UTC),
            dt.datetime(2019, 5, 15, 9, tzinfo=UTC),
            dt.datetime(2019, 5, 18, 9, tzinfo=UTC),
            dt.datetime(2019, 5, 19, 23, tzinfo=UTC),
            dt.datetime(2019, 5, 22, 9, tzinfo=UTC),
            dt.datetime(2019, 8, 1, 9, tzinfo=UTC),
        ]
        categories = ("shelling", "air_strike", "ground_assault")
        n = 0
        for moment in moments:
            for place in places:
                for actor in actors:
                    n += 1
                    make_incident(
                        session,
                        ref=f"N-{n}",
                        agreement=alleged[n % 4],
                        place=place,
                        perpetrator=actor,
                        occurred_start=moment,
                        category=categories[n % 3],
                        status=statuses[n % 6],
                        civilians_killed_best=n % 5,
                    )


@pytest.fixture
def restored(database_url: str, tmp_path: Path) -> Iterator[Connection]:
    """The test database exported as a dump of its engine's dialect and loaded with that
    engine's stock client (sqlite3, psql) into a new database."""
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    dump = tmp_path / "dump.sql"
    make_dump(database_url, dump, dialect=dialect)
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path / 'recount.db'}"
        loaded = load_with_client(dump, url)
        assert loaded.returncode == 0, loaded.stderr
        engine = create_engine(url)
        with engine.connect() as conn:
            yield conn
        engine.dispose()
        return
    require_postgres()
    database = TempPostgres()
    try:
        loaded = load_with_client(dump, database.url)
        assert loaded.returncode == 0, loaded.stderr
        engine = create_engine(database.url)
        with engine.connect() as conn:
            yield conn
        engine.dispose()
    finally:
        database.drop()


#: The verdict of each incident against each agreement, in plain SQL for this set: the
#: territory (admin code prefix or the band's box), the window, and the perpetrator's role.
JUDGED = """
WITH judged AS (
  SELECT i.id, i.status, i.category, i.civilians_killed_best AS killed,
         i.occurred_start AS moment, a.slug,
         CASE WHEN i.alleged_agreement_id = a.id THEN 1 ELSE 0 END AS alleged,
         CASE
           WHEN a.slug = 'zone' THEN CASE WHEN p.admin1_pcode LIKE 'SY07%' THEN 0 ELSE 3 END
           WHEN p.latitude BETWEEN :lat0 AND :lat1 AND p.longitude BETWEEN :lon0 AND :lon1
           THEN 0 ELSE 3
         END AS territory,
         CASE WHEN i.occurred_start >= a.effective_from
                   AND (a.expires_at IS NULL OR i.occurred_start < a.expires_at)
              THEN 0 ELSE 3 END AS inside_window,
         CASE WHEN i.perpetrator_id IS NULL THEN 2
              WHEN ap.role IN ('bound', 'signatory', 'guarantor') THEN 0
              WHEN ap.role = 'excluded' THEN 1
              ELSE 3 END AS perpetrator
  FROM incidents i
  JOIN places p ON p.id = i.place_id
  CROSS JOIN agreements a
  LEFT JOIN agreement_parties ap ON ap.agreement_id = a.id AND ap.actor_id = i.perpetrator_id
  WHERE i.status <> 'retracted'
)
SELECT id, status, category, killed, moment, slug, alleged, territory, perpetrator,
       CASE WHEN inside_window > territory AND inside_window > perpetrator THEN inside_window
            WHEN territory > perpetrator THEN territory ELSE perpetrator END AS finding,
       CASE WHEN alleged = 1 OR (inside_window < 3 AND territory < 3) THEN 1 ELSE 0 END
         AS in_report
FROM judged
"""
VERDICT = {0: "violation", 1: "contested", 2: "indeterminate", 3: "outside_scope"}
COUNTED = ("verified", "submitted", "disputed")


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=UTC)
    moment: dt.datetime = value
    return moment.astimezone(UTC)


def recount(conn: Connection, slug: str, now: dt.datetime) -> dict[str, Any]:
    lat0, lat1, lon0, lon1 = BOX
    rows = [
        row
        for row in conn.execute(
            text(JUDGED), {"lat0": lat0, "lat1": lat1, "lon0": lon0, "lon1": lon1}
        ).mappings()
        if row["slug"] == slug
    ]
    counted = [r for r in rows if r["in_report"] and r["status"] in COUNTED]
    verdicts = {v: sum(VERDICT[r["finding"]] == v for r in counted) for v in VERDICT.values()}
    categories: dict[str, int] = {}
    for r in counted:
        categories[r["category"]] = categories.get(r["category"], 0) + 1
    start, end = conn.execute(
        text("SELECT effective_from, expires_at FROM agreements WHERE slug = :s"), {"s": slug}
    ).one()
    start = _moment(start)
    if end is None:
        length = min(now - start, dt.timedelta(days=365))
        windows = {"before": (start - length, start), "during": (start, start + length)}
    else:
        end = _moment(end)
        length = end - start
        windows = {
            "before": (start - length, start),
            "during": (start, end),
            "after": (end, end + length),
        }
    in_territory = [r for r in rows if r["territory"] == 0 and r["status"] in COUNTED]
    rates = {}
    for name, (low, high) in windows.items():
        inside = [r for r in in_territory if low <= _moment(r["moment"]) < high]
        bound = [r for r in inside if r["perpetrator"] == 0]
        violations = [r for r in bound if name == "during"]
        rates[name] = (len(inside), len(bound), len(violations))
    return {
        "total": len(counted),
        "verdicts": verdicts,
        "categories": categories,
        "killed": sum(r["killed"] or 0 for r in counted),
        "rates": rates,
        "left_out": sum(1 for r in rows if r["in_report"] and r["status"] not in COUNTED),
    }


@pytest.fixture
def nested(database_url: str) -> Iterator[None]:
    build(database_url)
    try:
        yield
    finally:
        empty_all_tables(database_url)


def test_every_figure_of_the_nested_reports_survives_a_recount_in_sql_on_the_dump(
    client: FlaskClient,
    login_as: Callable[[str], int],
    nested: None,
    restored: Connection,
) -> None:
    login_as("admin")
    for slug in SLUGS:
        report = client.get(f"/agreements/{slug}/report?format=json&full=1").get_json()
        now = dt.datetime.fromisoformat(report["generated_at"])
        want = recount(restored, slug, now)
        assert report["total"] == want["total"], slug
        assert {r["key"]: r["incidents"] for r in report["verdicts"]} == want["verdicts"], slug
        categories = {r["key"]: r["incidents"] for r in report["breakdowns"]["category"]}
        assert categories == want["categories"], slug
        killed = next(c for c in report["casualties"]["all"] if c["group"] == "civilians_killed")
        assert killed["best"] == want["killed"], slug
        assert sum(report["left_out"].values()) == want["left_out"], slug
        got = {
            w["name"]: (w["incidents"], w["bound"], w["violations"])
            for w in report["rates"][0]["windows"]
        }
        assert got == want["rates"], slug
    zone = client.get("/agreements/zone/report?format=json").get_json()
    filed_elsewhere = client.get("/incidents/?agreement=zone&alleged=truce").get_data(as_text=True)
    assert zone["total"] > 0
    assert "/incidents/" in filed_elsewhere  # the zone counts incidents filed under the truce
