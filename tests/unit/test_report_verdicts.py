"""The verdict written in SQL for rebuilds agrees with the applicability rule on every incident."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import add_party, make_actor, make_agreement, make_incident, make_place
from tracker.demo.load import load_demo
from tracker.models import Agreement, Incident, IncidentVerdict, Provision, Territory
from tracker.queries.applicability import assess_incident
from tracker.queries.report_verdicts import VERDICT_OF_FINDING
from tracker.services.report_store import rebuild

TZ = ZoneInfo("Asia/Damascus")
UTC = dt.UTC
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 35.0], [37.0, 35.0], [37.0, 36.0], [36.0, 36.0], [36.0, 35.0]]],
}


def _generated(session: Session, seed: int) -> None:
    """Incidents on the edges the rule cares about: window and deadline edges at every date
    precision, places on and near the territory's edge at every location precision,
    excluded, unbound and coalition perpetrators, justifications naming an excluded group."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    truce = make_agreement(session, slug="gen-truce")
    session.add(Territory(agreement=truce, name_en="Square", geometry=SQUARE))
    session.add(Territory(agreement=truce, name_en="Admin area", admin_pcodes=["SY0702"]))
    deadline = Provision(
        agreement=truce,
        code="G-2",
        title_en="Weapons out",
        kind="heavy_weapons_withdrawal",
        deadline=dt.datetime(2019, 5, 19, 0, tzinfo=UTC),
    )
    plain = Provision(agreement=truce, code="G-1", title_en="Cease fire", kind="cease_fire")
    session.add_all([deadline, plain])
    bound = make_actor(session, slug="g-bound")
    excluded = make_actor(
        session, slug="g-excluded", name_en="Jabhat Example", aliases=["Example Front"]
    )
    room = make_actor(session, slug="g-room", kind="operations_room")
    make_actor(session, slug="g-room-a", parent=room)
    make_actor(session, slug="g-room-b", parent=room)
    stranger = make_actor(session, slug="g-stranger")
    add_party(session, truce, bound, "bound")
    add_party(session, truce, excluded, "excluded")
    session.flush()
    room_a = session.scalars(select(type(room)).where(type(room).slug == "g-room-a")).one()
    add_party(session, truce, room_a, "signatory")
    places = [
        make_place(session, latitude=35.5, longitude=36.5),
        make_place(session, latitude=35.5, longitude=36.02),
        make_place(session, latitude=35.5, longitude=38.0),
        make_place(session, latitude=None, longitude=None, admin1_pcode="SY07"),
        make_place(
            session, latitude=34.0, longitude=40.0, admin2_pcode="SY0702", admin1_pcode="SY07"
        ),
    ]
    actors = [bound, excluded, room, stranger, None]
    justifications = [None, None, "targeting the Example Front", "self-defence"]
    edges = [
        truce.effective_from,
        truce.expires_at,
        dt.datetime(2019, 5, 19, 0, tzinfo=UTC),
    ]
    for n in range(120):
        edge = rng.choice(edges)
        assert edge is not None
        start = edge + dt.timedelta(hours=rng.choice([-30, -1, 0, 1, 30]))
        precision = rng.choice(["time", "day", "week", "month"])
        end = (
            start
            if precision == "time"
            else start
            + {
                "day": dt.timedelta(days=1),
                "week": dt.timedelta(days=7),
                "month": dt.timedelta(days=31),
            }[precision]
        )
        make_incident(
            session,
            ref=f"GEN-{seed}-{n}",
            agreement=truce,
            occurred_start=start,
            occurred_end=end,
            date_precision=precision,
            place=rng.choice(places),
            location_precision=rng.choice(["exact", "near", "admin3", "admin2", "admin1"]),
            perpetrator=rng.choice(actors),
            claimed_target=rng.choice([None, None, excluded]),
            claimed_justification=rng.choice(justifications),
            provisions=rng.choice([[], [plain], [deadline], [plain, deadline]]),
        )


def test_sql_verdict_equals_the_rule_on_demo_and_generated_incidents(session: Session) -> None:
    """A rebuild judges in SQL (and reads claimed justifications with the rule): every stored
    verdict and scope finding is the one the rule gives the incident."""
    load_demo(session, TZ)
    _generated(session, seed=4)
    checked = 0
    for agreement_id in session.scalars(select(Agreement.id)):
        rebuild(session, agreement_id)
    stored = {
        v.incident_id: (v.finding, v.scope_finding)
        for v in session.scalars(select(IncidentVerdict))
    }
    for incident in session.scalars(select(Incident).where(Incident.agreement_id.is_not(None))):
        assessment = assess_incident(incident)
        assert assessment is not None
        finding, scope_finding = stored[incident.id]
        assert VERDICT_OF_FINDING[finding] == assessment.verdict, (
            incident.ref,
            assessment.reasons,
        )
        others = [r.finding for r in assessment.reasons if r.test not in {"time", "deadline"}]
        assert scope_finding == max(others), incident.ref
        checked += 1
    assert checked >= 140
