"""Agreement reports: every figure of the JSON report recomputed here from the records, the
public version without confidential sources, the formats, the command line and the comparison."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from tests.demo_data import demo_into
from tests.factories import add_party, make_actor, make_agreement, make_incident, make_place
from tests.factories import make_source as make_plain_source
from tracker.db import engine_for, session_factory
from tracker.models import (
    Actor,
    Agreement,
    AgreementParty,
    Incident,
    IncidentSource,
    Provision,
    Source,
    Territory,
)
from tracker.queries.applicability import (
    agreement_facts,
    incident_facts,
    judged_agreements,
    judged_incidents,
)
from tracker.rules.applicability import VERDICT_OF_FINDING, Judgement, judge
from tracker.services.report_store import changing

TZ = ZoneInfo("Asia/Damascus")
UTC = dt.UTC
CANARY = "CANARY-7f3a-WITNESS"
PUBLIC = {"submitted", "verified", "disputed", "rejected"}
VERDICTS = ("violation", "contested", "outside_scope", "indeterminate")
#: The test truce's territory, away from the demo's places (which other tests judge against it).
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[38.0, 33.0], [39.0, 33.0], [39.0, 34.0], [38.0, 34.0], [38.0, 33.0]]],
}
COUNTED = {"verified", "submitted", "disputed"}


@dataclass(frozen=True)
class Dataset:
    slug: str
    refs: dict[str, str]  # ref -> the verdict the rule must give


def _source(session: Session, **values: Any) -> Source:
    """A source with any stored address (an import can store what the form refuses)."""
    url = values.pop("url", None)
    source = make_plain_source(session, **values)
    source.url = url
    session.flush()
    return source


def _link(session: Session, incident: Incident, source: Source, **values: Any) -> None:
    with changing(session, [incident.id]):
        session.add(IncidentSource(incident_id=incident.id, source_id=source.id, **values))


def build_dataset(database_url: str) -> Dataset:
    """The demo data set plus a 72-hour truce with one incident of each kind the report must
    tell apart; committed."""
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
        truce = make_agreement(session, slug="test-truce", name_en="Test truce")
        session.add(Territory(agreement=truce, name_en="Test square", geometry=SQUARE))
        cease = Provision(agreement=truce, code="T-1", title_en="Cease fire", kind="cease_fire")
        weapons = Provision(
            agreement=truce,
            code="T-2",
            title_en="Heavy weapons out",
            kind="heavy_weapons_withdrawal",
            deadline=dt.datetime(2019, 5, 19, 0, tzinfo=UTC),
        )
        session.add_all([cease, weapons])
        gov = make_actor(
            session, slug="t-gov", name_en="Test government forces", kind="state_force"
        )
        rebels = make_actor(session, slug="t-rebels", name_en="Test rebels")
        hts = make_actor(session, slug="t-hts", name_en="Test designated group")
        outsider = make_actor(session, slug="t-outsider", name_en="=HYPERLINK(1) outsider")
        add_party(session, truce, gov, "bound")
        add_party(session, truce, rebels, "signatory")
        add_party(session, truce, hts, "excluded")
        inside = make_place(
            session, latitude=33.5, longitude=38.5, admin1_name="Idleb", admin2_name="Ariha"
        )
        outside = make_place(
            session, latitude=33.5, longitude=40.0, admin1_name="Aleppo", admin2_name="Jebel Saman"
        )
        outlet_a = _source(
            session,
            title="Outlet A report",
            publisher="Outlet A",
            reliability="B",
            url="https://outlet-a.example/report",
        )
        outlet_a2 = _source(
            session, title="Outlet A again", publisher=" outlet a ", reliability="C"
        )
        outlet_b = _source(
            session,
            title="Outlet B report",
            publisher="Outlet B",
            reliability="C",
            url="javascript:alert(1)",
        )
        witness = _source(
            session,
            kind="witness",
            title=f"Interview {CANARY}",
            author=CANARY,
            reliability="F",
            is_confidential=True,
        )
        in_window = dt.datetime(2019, 5, 18, 9, tzinfo=UTC)

        def incident(ref: str, **values: Any) -> Incident:
            values.setdefault("agreement", truce)
            values.setdefault("place", inside)
            values.setdefault("perpetrator", gov)
            values.setdefault("occurred_start", in_window)
            made = make_incident(session, ref=ref, **values)
            return made

        i1 = incident(
            "T-VIOLATION",
            category="air_strike",
            event_count=400,
            count_qualifier="more_than",
            civilians_killed_low=2,
            civilians_killed_best=3,
            civilians_killed_high=5,
            combatants_killed_best=4,
            provisions=[cease],
        )
        _link(session, i1, outlet_a, credibility=2, blames_actor_id=gov.id)
        _link(session, i1, outlet_b, credibility=3, blames_actor_id=gov.id)
        _link(session, i1, witness, credibility=2, blames_actor_id=gov.id, excerpt=CANARY)
        i2 = incident("T-CONTESTED", perpetrator=hts, civilians_injured_high=7)
        _link(session, i2, outlet_a, credibility=3, blames_actor_id=hts.id)
        _link(session, i2, outlet_a2, credibility=3, blames_actor_id=gov.id)
        i3 = incident("T-OUTSIDE-PLACE", place=outside, event_count=12, count_qualifier="about")
        _link(session, i3, outlet_b, credibility=4, stance="denies")
        incident(
            "T-MONTH",
            occurred_start=dt.datetime(2019, 4, 30, 21, tzinfo=UTC),
            occurred_end=dt.datetime(2019, 5, 31, 21, tzinfo=UTC),
            date_precision="month",
            occurred_on=dt.date(2019, 5, 1),
        )
        incident("T-BEFORE", occurred_start=dt.datetime(2019, 5, 16, 9, tzinfo=UTC))
        incident("T-AFTER", occurred_start=dt.datetime(2019, 5, 22, 9, tzinfo=UTC))
        incident(
            "T-WEAPONS",
            category="heavy_weapons_in_zone",
            occurred_start=dt.datetime(2019, 5, 19, 12, tzinfo=UTC),
            provisions=[weapons],
            event_count=3,
            count_qualifier="at_least",
        )
        incident("T-EARLY-WEAPONS", category="heavy_weapons_in_zone", provisions=[weapons])
        incident("T-DRAFT", status="draft", perpetrator=rebels)
        incident("T-RETRACTED", status="retracted")
        incident("T-UNKNOWN", perpetrator=None, category="sniper_fire")
        incident("T-OUTSIDER", perpetrator=outsider, category="other")
    return Dataset(
        slug="test-truce",
        refs={
            "T-VIOLATION": "violation",
            "T-CONTESTED": "contested",
            "T-OUTSIDE-PLACE": "outside_scope",
            "T-MONTH": "indeterminate",
            "T-BEFORE": "outside_scope",
            "T-AFTER": "outside_scope",
            "T-WEAPONS": "violation",
            "T-EARLY-WEAPONS": "outside_scope",
            "T-DRAFT": "violation",
            "T-UNKNOWN": "indeterminate",
            "T-OUTSIDER": "outside_scope",
        },
    )


# --- the independent recomputation -------------------------------------------------------------


def _judged(
    session: Session, slug: str, public: bool
) -> tuple[Agreement, list[tuple[Incident, Judgement]]]:
    """Every incident the audience sees, judged by the rule against the agreement ``slug``:
    the pairs the rule keeps (independently of the stored verdicts)."""
    agreement = session.scalars(judged_agreements().where(Agreement.slug == slug)).one()
    facts = agreement_facts(agreement)
    rows = session.scalars(
        judged_incidents().options(
            selectinload(Incident.source_links).selectinload(IncidentSource.source),
        )
    ).all()
    pairs = []
    for incident in rows:
        if not (incident.status in PUBLIC if public else incident.status != "retracted"):
            continue
        found = judge(
            incident_facts(incident, facts.roles),
            facts,
            alleged=incident.alleged_agreement_id == agreement.id,
        )
        if found is not None:
            pairs.append((incident, found))
    return agreement, pairs


def _incidents(session: Session, slug: str, public: bool) -> list[tuple[Incident, str]]:
    """The incidents the report of ``slug`` counts, with the rule's verdict of each."""
    _agreement, pairs = _judged(session, slug, public)
    return [
        (i, str(VERDICT_OF_FINDING[j.finding]))
        for i, j in pairs
        if j.in_report and i.status in COUNTED
    ]


def _visible_links(incident: Incident, public: bool) -> list[IncidentSource]:
    return [
        link
        for link in incident.source_links
        if link.state == "active"
        and link.source.state == "active"
        and not (public and link.source.is_confidential)
    ]


def _split(pairs: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for key, verdict in pairs:
        table[key][verdict] += 1
    return {key: {v: counts[v] for v in VERDICTS} for key, counts in table.items()}


def _report_split(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    for row in rows:
        assert row["incidents"] == sum(row["verdicts"].values())
    return {row["key"]: row["verdicts"] for row in rows}


def _first(*values: int | None) -> int:
    return next((v for v in values if v is not None), 0)


def _sum3(
    low: int | None, best: int | None, high: int | None, qualifier: str
) -> tuple[int, int, int]:
    floor = _first(low) if qualifier == "at_most" else _first(low, best)
    return floor, _first(best, low), _first(high, best, low)


def expected_figures(
    session: Session,
    slug: str,
    *,
    public: bool,
    now: dt.datetime,
    period: tuple[dt.date | None, dt.date | None] | None = None,
) -> dict[str, Any]:
    """The report's figures computed in plain Python from the records (over ``period`` when
    one is given, either end open when None; the rates always cover the agreement's whole
    record)."""
    agreement = session.scalars(
        select(Agreement)
        .where(Agreement.slug == slug)
        .options(selectinload(Agreement.parties).selectinload(AgreementParty.actor))
    ).one()
    judged = _incidents(session, slug, public)
    if period is not None:
        judged = [(i, v) for i, v in judged if _within(i.occurred_on, period)]
    incidents = [i for i, _v in judged]
    verdict = {i.id: v for i, v in judged}
    own = {
        p.id
        for p in session.scalars(select(Provision).where(Provision.agreement_id == agreement.id))
    }
    figures: dict[str, Any] = {
        "total": len(incidents),
        "verdicts": Counter(verdict.values()),
        "category": _split([(i.category, verdict[i.id]) for i in incidents]),
        "status": _split([(i.status, verdict[i.id]) for i in incidents]),
        "perpetrator": _split(
            [(i.perpetrator.slug if i.perpetrator else "unknown", verdict[i.id]) for i in incidents]
        ),
        "governorate": _split(
            [
                ((i.place.admin1_name if i.place else None) or "unknown", verdict[i.id])
                for i in incidents
            ]
        ),
        "provision": _split(
            [(p.code, verdict[i.id]) for i in incidents for p in i.provisions if p.id in own]
        ),
        "by_status": {
            v: Counter(i.status for i in incidents if verdict[i.id] == v) for v in VERDICTS
        },
    }
    casualties: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    events = Counter()
    for i in incidents:
        for group in ("civilians_killed", "civilians_injured", "combatants_killed"):
            low, best, high = _sum3(
                getattr(i, f"{group}_low"),
                getattr(i, f"{group}_best"),
                getattr(i, f"{group}_high"),
                getattr(i, f"{group}_qualifier"),
            )
            casualties[group][0] += low
            casualties[group][1] += best
            casualties[group][2] += high
        if i.event_count is not None:
            events[i.count_qualifier] += i.event_count
            events["total"] += i.event_count
            events["incidents"] += 1
    figures["casualties"] = dict(casualties)
    figures["events"] = events
    blamed: dict[str, set[int]] = defaultdict(set)
    disputed: set[int] = set()
    named: Counter[str] = Counter()
    with_sources = two = 0
    grades: dict[str, set[int]] = defaultdict(set)
    citations: Counter[str] = Counter()
    for i in incidents:
        links = _visible_links(i, public)
        blames = {link.blames_actor_id for link in links if link.blames_actor_id is not None}
        for actor_id in blames:
            blamed[actor_id].add(i.id)
            if actor_id == i.perpetrator_id:
                named[actor_id] += 1
        if len(blames) > 1:
            disputed.add(i.id)
        if links:
            with_sources += 1
        publishers = {_origin(link.source) for link in links if link.stance == "supports"}
        two += len(publishers) >= 2
        for link in links:
            grades[link.source.reliability].add(link.source.id)
            citations[link.source.reliability] += 1
    figures["blamed"] = {
        actor_id: (len(ids), len(ids & disputed), named[actor_id])
        for actor_id, ids in blamed.items()
    }
    figures["disputed"] = len(disputed)
    figures["with_sources"] = with_sources
    figures["two_or_more"] = two
    figures["grades"] = {g: (len(ids), citations[g]) for g, ids in grades.items()}
    figures["map"] = Counter(
        i.place.name_en for i in incidents if i.place is not None and i.place.latitude is not None
    )
    entry = agreement.effective_from.astimezone(TZ).date()
    expiry = agreement.expires_at.astimezone(TZ).date() if agreement.expires_at else entry
    days = [i.occurred_on for i in incidents]
    first, last = min([entry, *days]), max([expiry, *days])
    if period is not None:
        first, last = period[0] or first, period[1] or last
    weekly = (last - first).days > 92
    figures["bars"] = Counter(
        (
            (i.occurred_on - dt.timedelta(days=i.occurred_on.weekday()))
            if weekly
            else i.occurred_on,
            i.category,
        )
        for i in incidents
    )
    figures["rates"] = _expected_rates(session, agreement, public, now, period)
    return figures


def _within(day: dt.date, period: tuple[dt.date | None, dt.date | None]) -> bool:
    """Whether ``day`` lies in ``period`` (either end open when None)."""
    return (period[0] is None or period[0] <= day) and (period[1] is None or day <= period[1])


def _origin(source: Source) -> str:
    """Whom a source's report comes from: the publisher of the source that carried it (or of
    its own), else that source."""
    root = source.carried_by or source
    return f"publisher {root.publisher_id}" if root.publisher_id else f"source {root.id}"


def _expected_rates(
    session: Session,
    agreement: Agreement,
    public: bool,
    now: dt.datetime,
    period: tuple[dt.date | None, dt.date | None] | None = None,
) -> dict[str, tuple[int, int, int, float]]:
    """Per window: incidents in the territory, those by bound parties, violations, days."""
    start, end = agreement.effective_from, agreement.expires_at
    if end is not None:
        length = end - start
        windows = {"before": (start - length, start), "during": (start, end)}
        windows["after"] = (end, end + length)
    else:
        length = min(now - start, dt.timedelta(days=365))
        windows = {"before": (start - length, start), "during": (start, start + length)}
    if period is not None:
        first = (
            dt.datetime.combine(period[0], dt.time(), TZ)
            if period[0]
            else min(low for low, _high in windows.values())
        )
        last = (
            dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time(), TZ)
            if period[1]
            else max(high for _low, high in windows.values())
        )
        windows = {
            name: (max(low, first), min(high, last))
            for name, (low, high) in windows.items()
            if max(low, first) < min(high, last)
        }
    result = {}
    _agreement, pairs = _judged(session, agreement.slug, public)
    in_territory = [(i, j) for i, j in pairs if j.territory_finding == 0 and i.status in COUNTED]
    for name, (low, high) in windows.items():
        inside = [
            (i, j)
            for i, j in in_territory
            if low <= i.occurred_start < high and i.occurred_end <= high
        ]
        days = (high - low).total_seconds() / 86400
        bound = sum(j.scope_finding == 0 for _i, j in inside)
        violations = sum(j.finding == 0 for _i, j in inside)
        result[name] = (len(inside), bound, violations, days)
    return result


def assert_report_matches(
    report: dict[str, Any], figures: dict[str, Any], session: Session
) -> None:
    """Every figure of the JSON report equals its recomputation."""
    assert report["total"] == figures["total"]
    assert {r["key"]: r["incidents"] for r in report["verdicts"]} == {
        v: figures["verdicts"].get(v, 0) for v in VERDICTS
    }
    for row in report["verdicts"]:
        want = figures["by_status"][row["key"]]
        assert row["by_status"] == {
            s: want.get(s, 0) for s in ("verified", "submitted", "disputed")
        }
    breakdowns = report["breakdowns"]
    for name in ("category", "status", "perpetrator", "governorate", "provision"):
        assert _report_split(breakdowns[name]) == figures[name], name
    district_total = sum(row["incidents"] for row in breakdowns["district"])
    assert district_total == figures["total"]
    for row in report["casualties"]["all"]:
        assert [row["low"], row["best"], row["high"]] == figures["casualties"][row["group"]]
    events = report["events"]
    assert events["total"] == figures["events"]["total"]
    assert events["incidents"] == figures["events"]["incidents"]
    for part in ("exact", "about", "at_least", "more_than"):
        assert events[part] == figures["events"][part]
    assert events["lower_bound"] == bool(
        figures["events"]["at_least"] or figures["events"]["more_than"]
    )
    rough = "about " if figures["events"]["about"] else ("≥ " if events["lower_bound"] else "")
    assert events["text"] == f"{rough}{figures['events']['total']}"
    actors = {a.slug: a.id for a in session.scalars(select(Actor))}
    assert {
        actors[row["key"]]: (row["incidents"], row["disputed"], row["named_perpetrator"])
        for row in report["blamed"]
    } == figures["blamed"]
    assert report["disputed_attribution"] == figures["disputed"]
    quality = report["source_quality"]
    assert quality["incidents"] == figures["total"]
    assert quality["with_sources"] == figures["with_sources"]
    assert quality["two_or_more_independent"] == figures["two_or_more"]
    assert {
        g["grade"]: (g["sources"], g["citations"]) for g in quality["grades"] if g["sources"]
    } == figures["grades"]
    assert (
        Counter(
            {
                (dt.date.fromisoformat(b["start"]), b["key"]): b["count"]
                for b in report["timeline"]["bars"]
            }
        )
        == figures["bars"]
    )
    assert {p["name"]: p["incidents"] for p in report["map"]["places"]} == dict(figures["map"])
    line = report["rates"][0]
    got = {
        w["name"]: (w["incidents"], w["bound"], w["violations"], round(w["days"], 3))
        for w in line["windows"]
    }
    want = {k: (n, b, v, round(d, 3)) for k, (n, b, v, d) in figures["rates"].items()}
    assert got == want


# --- the tests ----------------------------------------------------------------------------------


def _json(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    data: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return data


def test_every_figure_of_the_json_report_matches_a_recomputation(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("admin")  # the full version of a download is an admin's to ask for
    reports: dict[tuple[str, bool], dict[str, Any]] = {}
    for slug, public in [
        ("test-truce", False),
        ("test-truce", True),
        ("sochi-2018", False),
        ("astana-2017", False),
        ("truce-2019-05-17", True),
    ]:
        query = "&public=1" if public else "&full=1"
        report = _json(client, f"/agreements/{slug}/report?format=json{query}")
        reports[(slug, public)] = report
        assert report["public"] is public
        now = dt.datetime.fromisoformat(report["generated_at"])
        with session_factory(database_url)() as session:
            figures = expected_figures(session, slug, public=public, now=now)
            assert_report_matches(report, figures, session)
    public_refs = {line["ref"] for line in reports[("test-truce", True)]["incidents"]}
    assert "T-DRAFT" not in public_refs
    assert "T-RETRACTED" not in public_refs
    assert "T-VIOLATION" in public_refs


@pytest.mark.parametrize(
    ("slug", "first", "last", "public"),
    [
        ("test-truce", "2019-05-18", "2019-05-19", False),  # cuts the record: read live
        ("sochi-2018", "2018-09-01", "2018-12-31", True),
        ("sochi-2018", "2017-01-01", "2020-12-31", False),  # holds it all: read stored
        ("sochi-2018", "2018-10-01", "", True),  # from a day on
        ("test-truce", "", "2019-05-18", False),  # up to a day
    ],
)
def test_every_figure_of_a_period_report_matches_a_recomputation(
    client: FlaskClient,
    login_as: Callable[[str], int],
    database_url: str,
    slug: str,
    first: str,
    last: str,
    public: bool,
) -> None:
    build_dataset(database_url)
    login_as("admin")
    query = f"&from={first}&to={last}" + ("&public=1" if public else "&full=1")
    report = _json(client, f"/agreements/{slug}/report?format=json{query}")
    now = dt.datetime.fromisoformat(report["generated_at"])
    period = (
        dt.date.fromisoformat(first) if first else None,
        dt.date.fromisoformat(last) if last else None,
    )
    with session_factory(database_url)() as session:
        figures = expected_figures(session, slug, public=public, now=now, period=period)
        assert figures["total"] > 0
        assert_report_matches(report, figures, session)


def test_each_incident_gets_the_verdict_the_rule_gives(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    dataset = build_dataset(database_url)
    login_as("admin")
    report = _json(client, "/agreements/test-truce/report?format=json&full=1")
    got = {line["ref"]: line["verdict"] for line in report["incidents"]}
    counted = {ref: v for ref, v in dataset.refs.items() if ref != "T-DRAFT"}
    assert got == counted
    assert report["total"] == len(counted)
    assert report["left_out"] == {"draft": 1}
    listed = {line["ref"] for line in report["outside_scope"]}
    assert listed == {ref for ref, v in dataset.refs.items() if v == "outside_scope"}
    indeterminate = {line["ref"]: line["reasons"] for line in report["indeterminate"]}
    assert set(indeterminate) == {"T-MONTH", "T-UNKNOWN"}
    assert any("straddles" in reason for reason in indeterminate["T-MONTH"])
    violation_row = next(r for r in report["verdicts"] if r["key"] == "violation")
    assert violation_row["link"] == {"agreement": "test-truce", "verdict": "violation"}


def test_the_page_and_the_json_give_the_same_reasons_and_the_json_explains_every_line(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    # the page shows the rule's reasons in its outside-scope and indeterminate lists; the
    # JSON gives them for every incident it lists, violations included
    build_dataset(database_url)
    login_as("admin")
    report = _json(client, "/agreements/test-truce/report?format=json&full=1")
    assert report["incidents"]
    assert all(line["reasons"] for line in report["incidents"])
    page = html.unescape(client.get("/agreements/test-truce/report").get_data(as_text=True))
    for line in report["outside_scope"] + report["indeterminate"]:
        assert line["reasons"]
        for reason in line["reasons"]:
            assert f"<li>{reason}</li>" in page


def test_month_precision_incident_at_the_edge_of_a_72_hour_window_is_indeterminate(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    report = _json(client, "/agreements/test-truce/report?format=json")
    month = next(line for line in report["indeterminate"] if line["ref"] == "T-MONTH")
    assert month["precision"] == "month"
    assert month["verdict"] == "indeterminate"
    assert next(r for r in report["verdicts"] if r["key"] == "violation")["incidents"] == 2
    during = next(w for w in report["rates"][0]["windows"] if w["name"] == "during")
    assert report["rates"][0]["imprecise"] == 1  # the month-dated one fits no window
    assert during["days"] == 3


def test_event_count_more_than_400_counts_as_at_least_400_and_says_so(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    report = _json(client, "/agreements/test-truce/report?format=json")
    assert report["events"]["more_than"] == 400
    assert report["events"]["text"] == "about 415"  # the "about 12" makes it a rough total
    line = next(line for line in report["incidents"] if line["ref"] == "T-VIOLATION")
    assert line["events"] == "more than 400"
    page = client.get("/agreements/test-truce/report").get_data(as_text=True)
    assert "more than 400" in page
    assert "about 415" in page


def test_confidential_sources_only_for_analysts_and_never_in_public_output(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    internal = client.get("/agreements/test-truce/report").get_data(as_text=True)
    assert CANARY in internal
    for fmt in ("html", "csv", "json", "geojson"):
        body = client.get(f"/agreements/test-truce/report?public=1&format={fmt}").get_data(
            as_text=True
        )
        assert CANARY not in body, fmt
    public = _json(client, "/agreements/test-truce/report?public=1&format=json")
    line = next(line for line in public["incidents"] if line["ref"] == "T-VIOLATION")
    assert line["withheld_sources"] == 0
    assert len(line["sources"]) == 2


def test_only_web_addresses_of_sources_are_linked(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    page = client.get("/agreements/test-truce/report").get_data(as_text=True)
    assert 'href="https://outlet-a.example/report"' in page
    assert "javascript:" not in page
    assert "Outlet B report" in page


def test_viewer_sees_the_public_scope_without_confidential_sources(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("viewer")
    response = client.get("/agreements/test-truce/report")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert CANARY not in page
    assert "T-DRAFT" not in page
    report = _json(client, "/agreements/test-truce/report?format=json")
    assert report["public"] is True


def test_signed_out_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/agreements/sochi-2018/report?format=json")
    assert response.status_code == 302
    assert "/login" in response.location


def test_report_page_draws_one_bar_per_segment_and_one_point_per_mapped_incident(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    report = _json(client, "/agreements/sochi-2018/report?format=json")
    page = client.get("/agreements/sochi-2018/report").get_data(as_text=True)
    assert page.count('class="bar"') == len(report["timeline"]["bars"])
    # one dot per incident, or one circle with its count for places that overlap on the map
    clustered = sum(
        int(n)
        for n in re.findall(r'class="incident-(?:cluster|group)"[^>]*data-count="(\d+)"', page)
    )
    assert page.count('class="incident-point"') + clustered == report["map"]["mapped"]
    assert page.count('class="territory"') == 1  # Sochi's buffer zone has a shape
    assert "<script" not in page
    assert "Demilitarized zone" in page


def test_bad_period_and_unknown_things_get_clear_answers(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    bad = client.get("/agreements/test-truce/report?from=2019-13-01")
    assert bad.status_code == 400
    assert "is not a date" in bad.get_data(as_text=True)
    reversed_period = client.get("/agreements/test-truce/report?from=2019-06-01&to=2019-05-01")
    assert reversed_period.status_code == 400
    assert "ends before it starts" in reversed_period.get_data(as_text=True)
    assert client.get("/agreements/no-such-thing/report").status_code == 404
    assert client.get("/agreements/test-truce/report?format=xml").status_code == 400
    assert client.get("/agreements/test-truce/report?stack=colour").status_code == 400


def test_period_narrows_the_report(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    report = _json(
        client, "/agreements/test-truce/report?format=json&from=2019-05-18&to=2019-05-19"
    )
    refs = {line["ref"] for line in report["incidents"]}
    assert "T-BEFORE" not in refs
    assert "T-AFTER" not in refs
    assert "T-VIOLATION" in refs
    assert report["filter_args"] == {
        "agreement": "test-truce",
        "from": "2019-05-18",
        "to": "2019-05-19",
    }


def test_csv_report_neutralises_formulas_and_matches_the_json(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    report = _json(client, "/agreements/test-truce/report?format=json")
    response = client.get("/agreements/test-truce/report?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "key", "label", "measure", "value"]
    verdicts = {r[1]: int(r[4]) for r in rows if r[0] == "verdict"}
    assert verdicts == {r["key"]: r["incidents"] for r in report["verdicts"]}
    labels = [r[2] for r in rows if r[0] == "perpetrator"]
    assert "'=HYPERLINK(1) outsider" in labels
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_geojson_report_has_the_places_and_the_territory(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    data = _json_geo(client, "/agreements/test-truce/report?format=geojson")
    kinds = Counter(f["properties"]["kind"] for f in data["features"])
    assert kinds == {"place": 2, "territory": 1}
    territory = next(f for f in data["features"] if f["properties"]["kind"] == "territory")
    assert territory["geometry"] == SQUARE
    counts = sorted(
        f["properties"]["incidents"] for f in data["features"] if "incidents" in f["properties"]
    )
    assert counts == [1, 9]  # the draft is not counted


def _json_geo(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    data: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return data


def test_nested_agreements_have_their_own_rate_lines(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    report = _json(client, "/agreements/astana-2017/report?format=json")
    lines = [(line["slug"], line["depth"]) for line in report["rates"]]
    assert lines[0] == ("astana-2017", 0)
    assert ("sochi-2018", 1) in lines
    assert ("truce-2019-05-17", 2) in lines
    with session_factory(database_url)() as session:
        now = dt.datetime.fromisoformat(report["generated_at"])
        for line in report["rates"]:
            agreement = session.scalars(
                select(Agreement).where(Agreement.slug == line["slug"])
            ).one()
            want = _expected_rates(session, agreement, False, now)
            got = {
                w["name"]: (w["incidents"], w["bound"], w["violations"]) for w in line["windows"]
            }
            assert got == {k: (n, b, v) for k, (n, b, v, _d) in want.items()}, line["slug"]


def test_comparison_page_puts_rates_side_by_side(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    form = client.get("/reports/compare")
    assert form.status_code == 200
    assert 'name="agreement" value="test-truce"' in form.get_data(as_text=True)
    page = client.get("/reports/compare?agreements=test-truce,truce-2019-05-17,nope")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('class="compare-line"') == 2
    assert "nope" in html  # named as left out
    with session_factory(database_url)() as session:
        truce = session.scalars(select(Agreement).where(Agreement.slug == "test-truce")).one()
        rates = _expected_rates(session, truce, False, dt.datetime.now(UTC))
    before, during, after = (rates[k][1] / rates[k][3] for k in ("before", "during", "after"))
    row = html.split('data-slug="test-truce"')[1].split("</tr>")[0]
    for value in (before, during, after):
        assert f"{value:.2f}" in row


def test_report_queries_do_not_grow_with_the_number_of_incidents(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    build_dataset(database_url)
    login_as("analyst")
    engine = engine_for(database_url)
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("x")

    def measure() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get("/agreements/test-truce/report").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    def total() -> int:
        return int(client.get("/agreements/test-truce/report?format=json").get_json()["total"])

    before = total()  # the first report builds the agreement's stored totals
    measure()  # and the first page reads the map's boundaries, kept for the process after
    first = measure()
    with session_factory(database_url)() as session, session.begin():
        truce = session.scalars(select(Agreement).where(Agreement.slug == "test-truce")).one()
        for n in range(30):
            make_incident(
                session,
                agreement=truce,
                ref=f"T-MORE-{n}",
                occurred_start=dt.datetime(2019, 5, 19, n % 24, tzinfo=UTC),
                place=make_place(session, latitude=33.2 + n / 100, longitude=38.3),
            )
    assert measure() == first
    assert total() == before + 30
