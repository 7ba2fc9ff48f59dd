"""The stored verdicts and report totals stay what a rebuild from the evidence gives, through
every kind of write, and are rebuilt when what verdicts depend on changes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.acled_rows import write_acled_file
from tests.conftest import POSTGRES_ADMIN_URL, empty_all_tables
from tests.demo_data import demo_into
from tests.factories import make_agreement, make_incident
from tracker import migrate
from tracker.cli import cli
from tracker.db import engine_for, session_factory
from tracker.models import (
    Actor,
    Agreement,
    Incident,
    IncidentSource,
    IncidentVerdict,
    Place,
    ReportCell,
    ReportState,
    Source,
    User,
)
from tracker.models.report_store import CELL_KEY
from tracker.queries.applicability import judge_incidents, judged_agreements, judged_incidents
from tracker.queries.report_cells import cell_rows
from tracker.queries.report_rates import WindowSpec, _window_of, rate_line
from tracker.queries.report_types import RateLine
from tracker.services import agreement_parts, imports, incidents, places, sources
from tracker.services.import_runs import EventOptions
from tracker.services.report_rebuild import RULES_VERSION, ensure_built, rebuild
from tracker.services.users import create_user

TZ = ZoneInfo("Asia/Damascus")
UTC = dt.UTC


def _user(session: Session, role: str) -> User:
    return create_user(session, f"{role}-{uuid.uuid4().hex[:8]}", "long enough password", role)


def _id(session: Session, model: Any, slug: str) -> int:
    return int(session.scalars(select(model.id).where(model.slug == slug)).one())


def _store(session: Session) -> tuple[list[Any], list[Any]]:
    cells = ReportCell.__table__
    verdicts = IncidentVerdict.__table__
    return (
        [tuple(r) for r in session.execute(select(cells).order_by(*cells.primary_key.columns))],
        [
            tuple(r)
            for r in session.execute(
                select(verdicts).order_by(verdicts.c.incident_id, verdicts.c.agreement_id)
            )
        ],
    )


def _rebuilt(session: Session) -> tuple[list[Any], list[Any]]:
    """What the store holds when every built agreement is rebuilt from the evidence (the
    rebuild is rolled back)."""
    session.flush()
    built = list(session.scalars(select(ReportState.agreement_id)))
    savepoint = session.begin_nested()
    for agreement_id in built:
        rebuild(session, agreement_id)
    store = _store(session)
    savepoint.rollback()
    return store


def _assert_current(session: Session) -> None:
    kept, rebuilt = _store(session), _rebuilt(session)
    assert kept[1] == rebuilt[1], "stored verdicts differ from a rebuild"
    assert kept[0] == rebuilt[0], "stored totals differ from a rebuild"


@pytest.fixture
def demo(session: Session) -> Session:
    demo_into(session)
    for agreement_id in session.scalars(select(Agreement.id)):
        ensure_built(session, agreement_id)
    return session


def test_the_store_equals_a_rebuild_through_every_kind_of_write(demo: Session) -> None:
    session = demo
    analyst, reviewer = _user(session, "analyst"), _user(session, "reviewer")
    _assert_current(session)
    truce = _id(session, Agreement, "truce-2019-05-17")
    witness = session.scalars(select(Source).where(Source.is_confidential.is_(True))).first()
    assert witness is not None
    created = incidents.create_incident(
        session,
        {
            "when": "2019-05-19 10:00",
            "alleged_agreement_id": truce,
            "place_id": _id(session, Place, "kafr-nabudah"),
            "perpetrator_id": _id(session, Actor, "syrian-government-forces"),
            "category": "shelling",
            "civilians_killed_best": 3,
            "event_count": 40,
            "count_qualifier": "more_than",
            "status": "submitted",
            "sources": [
                {"source_id": witness.id, "credibility": 2, "stance": "supports"},
                {
                    "new_source": {"kind": "news_article", "title": "A new report"},
                    "credibility": 3,
                    "stance": "supports",
                    "blames_actor_id": _id(session, Actor, "hts"),
                },
            ],
        },
        actor=analyst,
        tz=TZ,
    )
    _assert_current(session)

    moved = {
        "when": "2018-10-20",
        "alleged_agreement_id": _id(session, Agreement, "sochi-2018"),
        "place_id": _id(session, Place, "al-hamamiyat"),
        "category": "ground_assault",
        "status": "submitted",
    }
    incidents.update_incident(session, created.id, moved, created.version, actor=analyst, tz=TZ)
    _assert_current(session)

    incidents.change_status(session, created.id, "verified", created.version, actor=reviewer)
    _assert_current(session)

    link = session.scalars(
        select(IncidentSource).where(IncidentSource.incident_id == created.id)
    ).first()
    assert link is not None
    incidents.retract_link(session, link.id, "misread", actor=analyst)
    _assert_current(session)

    cited = session.scalars(
        select(Source)
        .join(IncidentSource, IncidentSource.source_id == Source.id)
        .group_by(Source.id)
        .order_by(func.count().desc(), Source.id)
    ).first()
    assert cited is not None
    values = {
        "kind": cited.kind,
        "title": cited.title,
        "publisher": "Another publisher",
        "reliability": "E" if cited.reliability != "E" else "B",
        "is_confidential": not cited.is_confidential,
    }
    sources.update_source(session, cited.id, values, cited.version, actor=analyst)
    _assert_current(session)
    sources.retract_source(session, cited.id, "fabricated", actor=analyst)
    _assert_current(session)
    sources.restore_source(session, cited.id, actor=analyst)
    _assert_current(session)

    incidents.retract_incident(session, created.id, "duplicate", actor=analyst)
    _assert_current(session)
    incidents.restore_incident(session, created.id, actor=analyst)
    _assert_current(session)


def test_stored_verdicts_are_the_rules_verdicts(demo: Session) -> None:
    rows = list(demo.scalars(judged_incidents()))
    agreements_ = list(demo.scalars(judged_agreements()))
    stored = {
        (v.incident_id, v.agreement_id): (
            v.finding,
            v.scope_finding,
            v.territory_finding,
            v.in_report,
        )
        for v in demo.scalars(select(IncidentVerdict))
    }
    expected = {
        key: (j.finding, j.scope_finding, j.territory_finding, j.in_report)
        for key, j in judge_incidents(rows, agreements_).items()
    }
    assert stored == expected
    assert Counter(finding for finding, *_rest in stored.values()).keys() >= {0, 1, 2, 3}
    judged_per_incident = Counter(incident_id for incident_id, _a in stored)
    assert max(judged_per_incident.values()) >= 3  # the lens: one incident, several agreements


def test_each_audiences_stored_totals_are_the_report_statements_rows(demo: Session) -> None:
    """Both audiences' totals are built in one statement; each equals the report statement
    run for that audience alone (the public's leave out drafts and confidential sources)."""
    cells = ReportCell.__table__
    measures = [c.name for c in cells.columns if c.name not in CELL_KEY]
    differ = 0
    for agreement_id in demo.scalars(select(Agreement.id)):
        stored = {}
        for public, audience in ((False, "internal"), (True, "public")):
            stored[public] = {
                tuple(row[:4]): tuple(row[4:])
                for row in demo.execute(
                    select(
                        cells.c.part,
                        cells.c.finding,
                        cells.c.k1,
                        cells.c.k2,
                        *(cells.c[m] for m in measures),
                    )
                    .where(cells.c.agreement_id == agreement_id, cells.c.audience == audience)
                    .where(cells.c.part != "grades")
                )
            }
            statement = cell_rows(IncidentVerdict.agreement_id == agreement_id, public=public)
            ran = {
                (row.part, row.finding, row.k1, row.k2): tuple(row[m] for m in measures)
                for row in demo.execute(statement).mappings()
            }
            assert stored[public] == ran
        differ += stored[False] != stored[True]
    assert differ


def test_agreement_and_gazetteer_edits_have_the_totals_rebuilt(demo: Session) -> None:
    session = demo
    admin = _user(session, "admin")
    truce = session.scalars(select(Agreement).where(Agreement.slug == "truce-2019-05-17")).one()
    agreement_parts.add_party(
        session,
        truce,
        {"actor_id": _id(session, Actor, "hts"), "role": "bound"},
        actor=admin,
    )
    assert session.get(ReportState, truce.id) is None
    assert ensure_built(session, truce.id)
    _assert_current(session)

    place = session.get(Place, _id(session, Place, "kafr-nabudah"))
    assert place is not None
    data = {c: getattr(place, c) for c in ("slug", "name_en", "name_ar", "kind", "pcode")}
    places.update_place(session, place, {**data, "latitude": 36.9, "longitude": 40.1}, actor=admin)
    assert session.scalar(select(func.count()).select_from(ReportState)) == 0


def test_rates_read_split_days_one_by_one(session: Session) -> None:
    """An agreement in force from 06:00 local time: exactly timed incidents on that day fall
    before or during by their hour, whole-day ones are imprecise."""
    entry = dt.datetime(2019, 8, 31, 3, tzinfo=UTC)  # 06:00 in Damascus
    agreement = make_agreement(
        session, slug="from-six", effective_from=entry, expires_at=entry + dt.timedelta(days=2)
    )
    moments = [entry + dt.timedelta(hours=h) for h in range(-80, 80, 5)]
    for n, moment in enumerate(moments):
        make_incident(session, agreement=agreement, ref=f"S-{n}", occurred_start=moment)
    day = dt.datetime(2019, 8, 30, 21, tzinfo=UTC)  # the local day of the entry into force
    make_incident(
        session,
        agreement=agreement,
        ref="S-DAY",
        occurred_start=day,
        occurred_end=day + dt.timedelta(days=1),
        occurred_on=dt.date(2019, 8, 31),
        date_precision="day",
    )
    line, expected = _rates_and_recount(session, agreement, entry)
    assert {w.name: w.incidents for w in line.windows} == {
        w.name: expected[w.name] for w in line.windows
    }
    assert line.imprecise == expected["imprecise"] == 1


def _rates_and_recount(
    session: Session, agreement: Agreement, now: dt.datetime
) -> tuple[RateLine, Counter[str | None]]:
    """The agreement's rates from its store (built first), and its incidents counted by the
    window their whole range lies in, one by one in Python."""
    ensure_built(session, agreement.id)
    line = rate_line(session, agreement, public=False, now=now, tz=TZ)
    windows = [WindowSpec(w.name, w.start, w.end) for w in line.windows]
    expected = Counter(
        _window_of(i.occurred_start, i.occurred_end, windows)
        for i in session.scalars(
            select(Incident).where(Incident.alleged_agreement_id == agreement.id)
        )
    )
    return line, expected


@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)
def test_rates_are_the_same_on_a_server_in_another_time_zone(empty_database_url: str) -> None:
    """The store keys date ranges by their text, compared as text: a PostgreSQL server whose
    sessions default to another time zone (here UTC-4) writes and reads them in UTC all the
    same, and the rates count each incident in the window its whole range lies in."""
    name = make_url(empty_database_url).database
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET TimeZone = 'America/Caracas'"))
    admin.dispose()
    migrate.upgrade(empty_database_url)
    with session_factory(empty_database_url)() as session, session.begin():
        assert session.scalar(text("SHOW TimeZone")) == "UTC"
        entry = dt.datetime(2019, 8, 31, 3, tzinfo=UTC)  # 06:00 in Damascus
        agreement = make_agreement(
            session, slug="caracas", effective_from=entry, expires_at=entry + dt.timedelta(days=3)
        )
        # ranges of one to four local days, starting every 13 hours around the windows
        for n in range(24):
            start = dt.datetime(2019, 8, 25, 21, tzinfo=UTC) + dt.timedelta(hours=13 * n)
            make_incident(
                session,
                agreement=agreement,
                ref=f"R-{n}",
                occurred_start=start,
                occurred_end=start + dt.timedelta(days=1 + n % 4),
                date_precision="week",
            )
        line, expected = _rates_and_recount(session, agreement, entry)
        got = {w.name: w.incidents for w in line.windows}
        assert got == {w.name: expected[w.name] for w in line.windows}
        assert line.imprecise == expected["imprecise"]
        assert sum(got.values()) > 0
        assert line.imprecise > 0
    engine_for(empty_database_url).dispose()


def test_a_restored_dump_builds_its_report_totals(
    run_cli: Callable[..., Any], database_url: str, tmp_path: Path
) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    dump = tmp_path / "full.sql"
    assert run_cli("report", "sochi-2018", "--format", "json", "-o", str(first)).exit_code == 0
    exported = run_cli("export", "sql", "--dialect", "sqlite", "-o", str(dump))
    assert exported.exit_code == 0, exported.output
    text = dump.read_text(encoding="utf-8")
    assert "CREATE TABLE report_cells" in text
    assert "INSERT INTO report_cells" not in text
    assert "INSERT INTO incident_verdicts" not in text
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    runner = CliRunner()
    restored = runner.invoke(cli, ["--database-url", target, "import", "sql", str(dump)])
    assert restored.exit_code == 0, restored.output
    again = runner.invoke(
        cli,
        ["--database-url", target, "report", "sochi-2018", "--format", "json", "-o", str(second)],
    )
    assert again.exit_code == 0, again.output
    assert _without_time(first) == _without_time(second)
    engine_for(target).dispose()


def _without_time(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated_at", None)
    return data


def test_the_report_page_counts_an_incident_entered_after_it_was_built(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    login_as("analyst")
    url = "/agreements/truce-2019-05-17/report?format=json"
    before = client.get(url).get_json()
    with session_factory(database_url)() as session, session.begin():
        incidents.create_incident(
            session,
            {
                "when": "2019-05-19",
                "alleged_agreement_id": _id(session, Agreement, "truce-2019-05-17"),
                "category": "air_strike",
                "status": "submitted",
            },
            actor=None,
            tz=TZ,
        )
    after = client.get(url).get_json()
    assert after["total"] == before["total"] + 1


def test_rebuild_reports_command_catches_up_with_changes_made_in_raw_sql(
    run_cli: Callable[..., Any], database_url: str, tmp_path: Path
) -> None:
    with session_factory(database_url)() as session, session.begin():
        demo_into(session)
    out = tmp_path / "report.json"

    def total() -> int:
        assert run_cli("report", "sochi-2018", "--format", "json", "-o", str(out)).exit_code == 0
        return int(json.loads(out.read_text(encoding="utf-8"))["total"])

    before = total()
    assert before > 0
    with engine_for(database_url).begin() as conn:  # behind the application's back
        conn.execute(update(Incident).values(status="retracted"))
    assert total() == before  # the stored totals do not know
    rebuilt = run_cli("db", "rebuild-reports", "sochi-2018")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "report totals rebuilt for 1 agreement(s)" in rebuilt.output
    assert total() == 0
    refused = run_cli("db", "rebuild-reports", "no-such-truce")
    assert refused.exit_code != 0
    assert "no agreement no-such-truce" in refused.output


def test_timeline_by_perpetrator_keeps_the_top_eight_and_adds_up_the_others(
    client: FlaskClient, login_as: Callable[[str], int], database_url: str
) -> None:
    counts = {f"gunner-{n}": n for n in range(1, 12)}  # eleven perpetrators, 1 to 11 incidents
    with session_factory(database_url)() as session, session.begin():
        agreement = make_agreement(session, slug="many-gunners")
        for slug, many in counts.items():
            actor = Actor(slug=slug, name_en=slug.title(), kind="armed_group")
            session.add(actor)
            session.flush()
            for n in range(many):
                make_incident(
                    session,
                    agreement=agreement,
                    perpetrator_id=actor.id,
                    occurred_start=dt.datetime(2019, 5, 18 + n % 2, 9, tzinfo=UTC),
                )
    login_as("analyst")
    whole = client.get("/agreements/many-gunners/report?format=json&stack=perpetrator")
    period = client.get(
        "/agreements/many-gunners/report?format=json&stack=perpetrator"
        "&from=2019-05-01&to=2019-05-31"
    )
    for response in (whole, period):
        timeline = response.get_json()["timeline"]
        series = [s["key"] for s in timeline["series"]]
        top = sorted(counts, key=lambda s: -counts[s])[:8]
        assert series == [*top, "other"]
        per_series = Counter[str]()
        for bar in timeline["bars"]:
            per_series[bar["key"]] += bar["count"]
        assert per_series == Counter({**{s: counts[s] for s in top}, "other": 1 + 2 + 3})
    assert whole.get_json()["timeline"]["bars"] == period.get_json()["timeline"]["bars"]


def test_concurrent_writers_keep_the_store_exact(database_url: str) -> None:
    """Writers that add and edit incidents of one agreement at the same time, each in its own
    transaction, leave the totals a rebuild would give."""
    factory = session_factory(database_url)
    try:
        with factory() as session, session.begin():
            demo_into(session)
            truce = _id(session, Agreement, "truce-2019-05-17")
            ensure_built(session, truce)
            place = _id(session, Place, "kafr-nabudah")

        def write(worker: int) -> None:
            for n in range(4):
                with factory() as session, session.begin():
                    incident = incidents.create_incident(
                        session,
                        {
                            "when": f"2019-05-{18 + n % 3} 1{worker}:00",
                            "alleged_agreement_id": truce,
                            "place_id": place,
                            "category": "shelling",
                            "civilians_killed_best": worker + n,
                            "status": "submitted",
                        },
                        actor=None,
                        tz=TZ,
                    )
                with factory() as session, session.begin():
                    incidents.update_incident(
                        session,
                        incident.id,
                        {
                            "when": "2019-05-25",
                            "alleged_agreement_id": truce,
                            "category": "air_strike",
                        },
                        1,
                        actor=None,
                        tz=TZ,
                    )

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(write, range(4)))
        with factory() as session, session.begin():
            _assert_current(session)
            assert (
                session.scalar(
                    select(func.count()).where(
                        IncidentVerdict.agreement_id == truce, IncidentVerdict.finding == 3
                    )
                )
                >= 16
            )  # the 25th is after the truce: outside its window
    finally:
        empty_all_tables(database_url)


def test_totals_built_with_older_rules_are_built_again(demo: Session) -> None:
    truce = _id(demo, Agreement, "truce-2019-05-17")
    assert not ensure_built(demo, truce)  # current: nothing to do
    state = demo.get(ReportState, truce)
    assert state is not None
    state.rules -= 1
    demo.flush()
    assert ensure_built(demo, truce)
    rules = demo.scalar(select(ReportState.rules).where(ReportState.agreement_id == truce))
    assert rules == RULES_VERSION
    _assert_current(demo)


@pytest.mark.parametrize("small", [True, False], ids=["kept-current", "rebuilt"])
def test_an_event_import_leaves_the_store_equal_to_a_rebuild(
    demo: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: bool
) -> None:
    """A small import keeps the store current incident by incident, a large one rebuilds it:
    either way, after new events and after changed ones, the store is what a rebuild gives."""
    if not small:
        monkeypatch.setattr(imports, "INCREMENTAL_MOST", 0)
    path = tmp_path / "acled.csv"
    write_acled_file(path, 150)
    tz = ZoneInfo("Asia/Damascus")
    options = EventOptions("acled")
    before = demo.scalar(select(func.count()).select_from(IncidentVerdict))
    summary = imports.import_events(demo, path, options, tz, user=None, run_by="test")
    assert summary.imported == 150
    assert demo.scalar(select(func.count()).select_from(IncidentVerdict)) > (before or 0)
    _assert_current(demo)
    # the same events again, with other fatalities: each changed one is updated in place
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    at = header.index("fatalities")
    for number, cells in enumerate(rows):
        if number % 3 == 0:
            cells[at] = str(int(cells[at] or 0) + 7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    summary = imports.import_events(demo, path, options, tz, user=None, run_by="test")
    assert summary.updated == 50
    assert summary.unchanged == 100
    _assert_current(demo)


def test_a_rebuild_repairs_stored_totals_changed_behind_its_back(demo: Session) -> None:
    """A rebuild writes only the cells that differ from what it computes: a cell whose count
    was changed, a cell that should not be there and a cell that went missing are all put
    right, and every other cell is left as it was."""
    demo.flush()
    before = _store(demo)[0]
    cells = ReportCell.__table__
    sochi = _id(demo, Agreement, "sochi-2018")
    stored = demo.execute(
        select(cells).where(cells.c.agreement_id == sochi).order_by(*cells.primary_key.columns)
    ).all()
    changed, removed = stored[0], stored[-1]
    key = cells.primary_key.columns

    def same(row: Any) -> Any:
        return [column == row._mapping[column.name] for column in key]

    demo.execute(update(cells).where(*same(changed)).values(incidents=cells.c.incidents + 5))
    demo.execute(cells.delete().where(*same(removed)))
    demo.execute(cells.insert().values({**changed._mapping, "part": "place", "k1": "999999"}))
    assert _store(demo)[0] != before

    rebuild(demo, sochi)
    assert _store(demo)[0] == before
