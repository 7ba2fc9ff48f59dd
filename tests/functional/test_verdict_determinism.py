"""The verdict store is deterministic: on 10,000 random incidents, the verdicts that a rebuild
computes in SQL equal those of the rule in Python, pair for pair, on both engines, with and
without planner statistics."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from tests.demo_data import demo_into
from tests.factories import add_party, make_actor, make_agreement, make_place
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    IncidentVerdict,
    Place,
    Provision,
    Territory,
    incident_provisions,
)
from tracker.queries.applicability import (
    agreement_facts,
    incident_facts,
    judge_incidents,
    judged_agreements,
    judged_incidents,
    stored_incident_facts,
)
from tracker.services.report_rebuild import rebuild

TZ = ZoneInfo("Asia/Damascus")
UTC = dt.UTC
INCIDENTS = 10_000
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 35.0], [37.0, 35.0], [37.0, 36.0], [36.0, 36.0], [36.0, 35.0]]],
}
PRECISIONS = ("exact", "near", "admin3", "admin2", "admin1")
CATEGORIES = ("shelling", "air_strike", "heavy_weapons_in_zone", "troop_build_up", "other")
SPANS = {
    "time": dt.timedelta(0),
    "day": dt.timedelta(days=1),
    "week": dt.timedelta(days=7),
    "month": dt.timedelta(days=31),
    "year": dt.timedelta(days=365),
}


def _world(session: Session) -> dict[str, list[Any]]:
    """The demo, plus an agreement with a shape, admin areas, a coalition among its parties
    and provisions whose deadlines pass at different times; places at every precision."""
    demo_into(session)
    square = make_agreement(
        session,
        slug="gen-square",
        effective_from=dt.datetime(2019, 5, 17, 21, tzinfo=UTC),
        expires_at=dt.datetime(2019, 6, 30, 21, tzinfo=UTC),
    )
    session.add(Territory(agreement=square, name_en="Square", geometry=SQUARE))
    session.add(Territory(agreement=square, name_en="Areas", admin_pcodes=["SY0702", "SY050300"]))
    for code, days in (("G-1", None), ("G-2", 2), ("G-3", 20), ("G-4", 60)):
        deadline = square.effective_from + dt.timedelta(days=days) if days else None
        session.add(
            Provision(agreement=square, code=code, title_en=code, kind="other", deadline=deadline)
        )
    bound = make_actor(session, slug="gen-bound")
    excluded = make_actor(session, slug="gen-excluded", name_en="Jabhat Example")
    room = make_actor(session, slug="gen-room", kind="operations_room")
    make_actor(session, slug="gen-room-a", parent=room)
    make_actor(session, slug="gen-room-b", parent=room)
    add_party(session, square, bound, "bound")
    add_party(session, square, excluded, "excluded")
    room_a = session.scalars(select(Actor).where(Actor.slug == "gen-room-a")).one()
    add_party(session, square, room_a, "signatory")
    for lat, lon, codes in (
        (35.5, 36.5, {}),
        (35.5, 36.02, {}),
        (35.5, 38.0, {}),
        (None, None, {"admin1_pcode": "SY07"}),
        (34.0, 40.0, {"admin1_pcode": "SY07", "admin2_pcode": "SY0702"}),
        (35.3, 36.6, {"admin1_pcode": "SY05", "admin2_pcode": "SY0503"}),
    ):
        make_place(session, latitude=lat, longitude=lon, **codes)
    session.flush()
    return {
        "agreements": list(session.scalars(select(Agreement))),
        "places": [*session.scalars(select(Place.id)), None],
        "actors": [*session.scalars(select(Actor.id)), None],
        "provisions": list(session.scalars(select(Provision))),
    }


def _incidents(
    session: Session, world: dict[str, list[Any]], seed: int, count: int = INCIDENTS
) -> None:
    """``count`` random incidents on the edges the rule cares about, written with Core."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    edges = sorted(
        {a.effective_from for a in world["agreements"]}
        | {a.expires_at for a in world["agreements"] if a.expires_at}
        | {p.deadline for p in world["provisions"] if p.deadline}
    )
    first = session.scalar(select(Incident.id).order_by(Incident.id.desc()).limit(1)) or 0
    rows, links = [], []
    for n in range(count):
        precision = rng.choice(tuple(SPANS))
        start = rng.choice(edges) + dt.timedelta(hours=rng.choice([-800, -30, -1, 0, 1, 30, 400]))
        end = start + SPANS[precision]
        alleged = rng.choice([*world["agreements"], None, None])
        incident_id = first + 1 + n
        rows.append(
            {
                "id": incident_id,
                "alleged_agreement_id": alleged.id if alleged else None,
                "occurred_start": start,
                "occurred_end": end,
                "occurred_on": start.astimezone(TZ).date(),
                "date_precision": precision,
                "place_id": rng.choice(world["places"]),
                "location_precision": rng.choice(PRECISIONS),
                "perpetrator_id": rng.choice(world["actors"]),
                "claimed_target_id": rng.choice([None, None, None, *world["actors"]]),
                "claimed_justification": rng.choice(
                    [None, None, "targeting Jabhat Example", "against HTS", "self-defence"]
                ),
                "category": rng.choice(CATEGORIES),
                "status": "submitted",
            }
        )
        for provision in rng.sample(world["provisions"], rng.choice([0, 0, 1, 2, 3])):
            links.append({"incident_id": incident_id, "provision_id": provision.id})
    session.execute(insert(Incident), rows)
    if links:
        session.execute(insert(incident_provisions), links)


def _stored(session: Session) -> dict[tuple[int, int], tuple[int, int, int, bool]]:
    return {
        (v.incident_id, v.agreement_id): (
            v.finding,
            v.scope_finding,
            v.territory_finding,
            bool(v.in_report),
        )
        for v in session.scalars(select(IncidentVerdict))
    }


def _rebuilt(session: Session) -> dict[tuple[int, int], tuple[int, int, int, bool]]:
    for agreement_id in session.scalars(select(Agreement.id).order_by(Agreement.id)):
        rebuild(session, agreement_id)
    session.expire_all()
    return _stored(session)


def test_sql_verdicts_equal_the_rule_on_10000_random_incidents_whatever_the_plan(
    session: Session,
) -> None:
    world = _world(session)
    _incidents(session, world, seed=7)
    session.expire_all()
    incidents = list(session.scalars(judged_incidents().order_by(Incident.id)))
    agreements = list(session.scalars(judged_agreements().order_by(Agreement.id)))
    expected = {
        key: (j.finding, j.scope_finding, j.territory_finding, j.in_report)
        for key, j in judge_incidents(incidents, agreements).items()
    }
    assert len(incidents) >= INCIDENTS
    findings = {value[0] for value in expected.values()}
    assert findings == {0, 1, 2, 3}

    without_statistics = _rebuilt(session)
    assert without_statistics == expected

    session.execute(text("ANALYZE"))
    assert _rebuilt(session) == expected

    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
        assert _rebuilt(session) == expected


def test_the_facts_read_as_plain_rows_are_those_read_through_the_mapped_records(
    session: Session,
) -> None:
    """Reports read the facts of the incidents they list as plain rows: on 2,000 random
    incidents (coarse places, a coalition, provisions of several agreements), against every
    agreement, they equal those the rule reads from the mapped records."""
    world = _world(session)
    _incidents(session, world, seed=11, count=2_000)
    session.expire_all()
    incidents = list(session.scalars(judged_incidents().order_by(Incident.id)))
    with_members = [i for i in incidents if i.perpetrator is not None and i.perpetrator.members]
    assert with_members
    assert any(i.provisions for i in incidents)
    for agreement in session.scalars(judged_agreements().order_by(Agreement.id)):
        facts = agreement_facts(agreement)
        read = stored_incident_facts(session, [i.id for i in incidents], facts.roles)
        assert read == {i.id: incident_facts(i, facts.roles) for i in incidents}
