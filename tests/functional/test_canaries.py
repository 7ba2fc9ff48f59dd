"""Canaries: a unique string in every column classified internal or confidential (every table)
and in the records the public may not see (drafts, retracted incidents, confidential and
retracted sources and links) never reaches an audience that may not see it: on any route of
the application (as every role), through the API (every role's token), in any report format,
incident export format (web and command line) or SQL dump dialect. An admin's full export
carries them, so the search can fail.

The data is built once per engine (module scope); the tests loop over many requests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    String,
    Table,
    cast,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from tests.conftest import TEST_PASSWORD, bearer, create_user, empty_all_tables
from tests.factories import add_party, make_actor, make_agreement, make_incident, make_source
from tracker.app import create_app
from tracker.cli import cli
from tracker.db import session_factory
from tracker.export.incidents import FORMATS
from tracker.export.sqldump import DIALECTS
from tracker.models import (
    AdminArea,
    AgreementSource,
    Base,
    ExternalRecord,
    ImportRun,
    IncidentSource,
    Place,
    Provision,
    ReviewClaim,
    Territory,
    User,
)
from tracker.models.base import Visibility
from tracker.queries.visibility import classification
from tracker.services.api_tokens import create_token
from tracker.services.history import record_revision, snapshot

UTC = dt.UTC
ROLES = ("viewer", "analyst", "reviewer", "admin")
STAFF = frozenset({"analyst", "reviewer", "admin"})
#: The records the public may not see, by what the canary marks.
ROW_CANARIES = {
    "draft": "cnryDRAFTz",
    "retracted_incident": "cnryRETRACTEDz",
    "confidential_title": "cnryCONFTITLEz",
    "confidential_claim": "cnryCONFCLAIMz",
    "confidential_link": "cnryCONFLINKz",
    "retracted_source": "cnryWITHDRAWNz",
    "retracted_link": "cnryDEADLINKz",
}
#: Columns whose canary goes into one row of its own, not every row: the others find their
#: records through them (a revision's table), so every row would hide the history it guards.
ONE_ROW = {("revisions", "entity_type"), ("audit_events", "entity_type")}


@dataclass
class Planted:
    """The planted database: its canaries and who may see them."""

    app: Flask
    url: str
    ids: dict[str, Any]
    #: canary -> (table.column, classification)
    columns: dict[str, tuple[str, Visibility]] = field(default_factory=dict)
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def hidden(self, *, public: bool, full: bool = False) -> set[str]:
        """The canaries a public (or staff, or an admin's full) version must not hold."""
        if full:
            return set()
        shown = {Visibility.PUBLIC} if public else {Visibility.PUBLIC, Visibility.INTERNAL}
        hidden = {c for c, (_where, level) in self.columns.items() if level not in shown}
        return hidden | set(ROW_CANARIES.values()) if public else hidden

    def leaked(self, body: str, *, public: bool, full: bool = False) -> list[str]:
        found = [c for c in self.hidden(public=public, full=full) if c in body]
        return sorted(self.columns.get(c, (c, None))[0] for c in found)


def _plantable(table: Table, column: Column[Any]) -> bool:
    """Whether a canary fits ``column``: text or JSON, not limited to a list of values."""
    if classification(column) is Visibility.PUBLIC:
        return False
    if not isinstance(column.type, String | JSON):
        return False
    enums = (
        c
        for c in table.constraints
        if isinstance(c, CheckConstraint) and str(c.sqltext).startswith(f"{column.name} IN (")
    )
    return next(enums, None) is None


def _build(db: Session, canary_user: User) -> dict[str, Any]:
    agreement = make_agreement(
        db,
        slug="canary",
        effective_from=dt.datetime(2019, 5, 1, tzinfo=UTC),
        expires_at=dt.datetime(2019, 7, 1, tzinfo=UTC),
    )
    actor = make_actor(db, slug="canary-actor")
    party = add_party(db, agreement, actor, "bound")
    provision = Provision(agreement=agreement, code="1", title_en="Cease fire", kind="cease_fire")
    territory = Territory(agreement=agreement, name_en="Zone", admin_pcodes=["SY07"])
    db.add_all([provision, territory, AdminArea(pcode="SY07", level=1, name_en="Idlib")])
    place = Place(slug="canary-place", name_en="Saraqib", kind="town", admin1_pcode="SY07")
    db.add(place)
    db.flush()
    public = make_source(db, title="Open report", publisher="Open Outlet")
    confidential = make_source(
        db, title=ROW_CANARIES["confidential_title"], publisher="Hidden", is_confidential=True
    )
    withdrawn = make_source(
        db,
        title=ROW_CANARIES["retracted_source"],
        state="retracted",
        retraction_reason="wrong",
    )
    db.add(
        AgreementSource(
            agreement_id=agreement.id, source=confidential, claim=ROW_CANARIES["confidential_claim"]
        )
    )
    db.add(AgreementSource(agreement_id=agreement.id, source=public, claim="signed"))
    kwargs: dict[str, Any] = {"agreement": agreement, "place": place, "perpetrator": actor}
    published = make_incident(
        db,
        occurred_start=dt.datetime(2019, 5, 20, 9, tzinfo=UTC),
        status="verified",
        status_reason="checked",
        created_by_id=canary_user.id,
        **kwargs,
    )
    published.provisions.append(provision)
    submitted = make_incident(
        db, occurred_start=dt.datetime(2019, 5, 21, 9, tzinfo=UTC), status="submitted", **kwargs
    )
    draft = make_incident(
        db,
        occurred_start=dt.datetime(2019, 5, 20, 11, tzinfo=UTC),
        status="draft",
        description_en=ROW_CANARIES["draft"],
        **kwargs,
    )
    retracted = make_incident(
        db, status="retracted", description_en=ROW_CANARIES["retracted_incident"], **kwargs
    )
    db.flush()
    for source, excerpt, state in (
        (public, "a public quote", "active"),
        (confidential, ROW_CANARIES["confidential_link"], "active"),
        (withdrawn, "withdrawn quote", "active"),
        (make_source(db, title="Second report"), ROW_CANARIES["retracted_link"], "retracted"),
    ):
        db.add(
            IncidentSource(incident_id=published.id, source=source, excerpt=excerpt, state=state)
        )
    before = snapshot(published)
    published.weapon = "mortar"
    record_revision(db, published, user=canary_user, action="incident.update", before=before)
    record_revision(db, public, user=canary_user, action="source.create")
    record_revision(db, retracted, user=canary_user, action="incident.create")  # the ONE_ROW row
    db.add(ReviewClaim(incident_id=submitted.id, user_id=canary_user.id))
    run = ImportRun(
        kind="acled",
        file_name="events.csv",
        file_sha256="0" * 64,
        user_id=canary_user.id,
        run_by="someone",
        options={},
        rows_read=1,
        imported=1,
        updated=0,
        unchanged=0,
        rejected=0,
        started_at=dt.datetime(2020, 1, 1, tzinfo=UTC),
    )
    db.add(run)
    db.flush()
    db.add(
        ExternalRecord(
            system="acled",
            external_id="SYR1",
            incident_id=published.id,
            row_sha256="0" * 64,
            extra={},
            import_run_id=run.id,
        )
    )
    create_token(db, canary_user, "canary token", "read", 30, actor=canary_user)
    return {
        "incidents": [published.id, submitted.id, draft.id, retracted.id],
        "published": published.id,
        "sources": [public.id, confidential.id, withdrawn.id],
        "agreement": agreement.slug,
        "actor": actor.slug,
        "place": place.slug,
        "part": {"party": party.id, "provision": provision.id, "territory": territory.id},
        "user": canary_user.id,
        "token": run.id,
    }


def _plant(db: Session) -> dict[str, tuple[str, Visibility]]:
    """A canary in every internal or confidential column that can hold one, in every row (one
    row for :data:`ONE_ROW`)."""
    planted: dict[str, tuple[str, Visibility]] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not _plantable(table, column):
                continue
            canary = f"cnry{len(planted):03d}z"
            key = next(iter(table.primary_key.columns))
            # the row's key after the canary keeps unique columns unique
            value: Any = literal(canary, String) + cast(key, String)
            if isinstance(column.type, JSON):
                value = {"status_reason": [None, canary]}
            statement = update(table).values({column.name: value})
            if (table.name, column.name) in ONE_ROW:
                newest = select(func.max(table.c.id)).scalar_subquery()
                statement = statement.where(table.c.id == newest)
            assert db.execute(statement).rowcount, f"no row of {table.name} holds a canary"
            planted[canary] = (f"{table.name}.{column.name}", classification(column))
    return planted


@pytest.fixture(scope="module")
def planted(database_url: str) -> Iterator[Planted]:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    try:
        canary_id = create_user(database_url, "canaryuser", "analyst")
        app.test_client().post("/login", data={"username": "canaryuser", "password": TEST_PASSWORD})
        with session_factory(database_url)() as db, db.begin():
            user = db.get(User, canary_id)
            assert user is not None
            ids = _build(db, user)
        with session_factory(database_url)() as db, db.begin():
            columns = _plant(db)
        found = Planted(app, database_url, ids, columns)
        for role in ROLES:
            name = f"{role}-canaries"
            create_user(database_url, name, role)
            client = app.test_client()
            response = client.post("/login", data={"username": name, "password": TEST_PASSWORD})
            assert response.status_code == 302
            found.clients[role] = client
            with session_factory(database_url)() as db, db.begin():
                user = db.scalars(select(User).where(User.username == name)).one()
                found.tokens[role] = create_token(db, user, "t", "read", 30, actor=user)[1]
        found.clients["public"] = app.test_client()
        yield found
    finally:
        empty_all_tables(database_url)


def test_every_internal_and_confidential_text_column_holds_a_canary(planted: Planted) -> None:
    wanted = {
        f"{t.name}.{c.name}"
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if _plantable(t, c)
    }
    assert {where for where, _level in planted.columns.values()} == wanted
    # only columns limited to a list of values (roles, locales, scopes) or not text are left
    assert {"users.password_hash", "sources.notes", "incidents.status_reason"} <= wanted


# -- the web application -------------------------------------------------------------------

#: Query strings tried on some endpoints besides none: versions, formats, lists with drafts.
QUERIES: dict[str, tuple[str, ...]] = {
    "reports.report": (
        "",
        "?public=1",
        *(f"?format={f}" for f in ("csv", "json", "geojson")),
        *(f"?format={f}&full=1" for f in ("csv", "json", "geojson")),
    ),
    "exports.incidents": ("", "?full=1", "?retracted=1&status=draft,retracted"),
    "incidents.index": ("", "?retracted=1&status=draft,retracted"),
    "sources.index": ("", "?retracted=1"),
    "reports.compare_page": ("?agreements=canary", "?agreements=canary&public=1"),
    "reports.methodology_page": ("", "?public=1"),
    "lookup.sources": ("?q=report",),
    "lookup.actors": ("?q=actor",),
    "lookup.places": ("?q=sar",),
    "lookup.provisions": ("?agreement=canary",),
    "api.incidents": ("", "?retracted=1&status=draft,retracted"),
    "api.report": ("", "?public=1"),
}


def _path_values(endpoint: str, arguments: set[str], ids: dict[str, Any]) -> list[dict[str, Any]]:
    """Every way to fill the path of ``endpoint`` with the planted records."""
    choices: dict[str, list[Any]] = {}
    area = endpoint.split(".")[-1] if endpoint.startswith("api.") else endpoint.split(".")[0]
    for name in arguments:
        if name == "incident_id":
            choices[name] = ids["incidents"]
        elif name == "source_id":
            choices[name] = ids["sources"]
        elif name == "slug":
            choices[name] = [
                ids["actor"] if "actor" in area else ids["place"] if "place" in area else "canary"
            ]
        elif name == "part_id":
            choices[name] = [ids["part"][endpoint.rsplit("_", 1)[-1]]]
        elif name == "user_id":
            choices[name] = [ids["user"]]
        elif name == "fmt":
            choices[name] = list(FORMATS)
        elif name == "filename":
            choices[name] = ["tracker.css"]
        else:
            choices[name] = [ids["token"]]
    combinations: list[dict[str, Any]] = [{}]
    for name, values in choices.items():
        combinations = [{**c, name: v} for c in combinations for v in values]
    return combinations


def _urls(app: Flask, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """``(endpoint, url)`` of every GET route, its path filled with every planted record."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or set()):
                continue
            for values in _path_values(rule.endpoint, set(rule.arguments), ids):
                url = url_for(rule.endpoint, **values)
                for query in QUERIES.get(rule.endpoint, ("",)):
                    found.append((rule.endpoint, url + query))
    return found


def _public_version(endpoint: str, url: str, role: str) -> tuple[bool, bool]:
    """Whether ``url`` gives ``role`` the public version, and whether the full one."""
    full = role == "admin" and "full=1" in url
    if endpoint == "exports.incidents" or (endpoint == "reports.report" and "format=" in url):
        return not full, full
    return role not in STAFF or "public=1" in url, False


def test_no_route_shows_a_role_what_it_may_not_see(planted: Planted) -> None:
    urls = _urls(planted.app, planted.ids)
    assert len({endpoint for endpoint, _url in urls}) > 50
    leaks = []
    full_bodies = []
    seen: dict[str, set[str]] = {}
    for role, client in planted.clients.items():
        for endpoint, url in urls:
            if endpoint.startswith("api."):
                continue
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            public, full = _public_version(endpoint, url, role)
            body = response.get_data(as_text=True)
            if leaked := planted.leaked(body, public=public, full=full):
                leaks.append((role, url, leaked))
            seen.setdefault(role, set()).update(c for c in planted.hidden(public=True) if c in body)
            if full and endpoint == "exports.incidents" and ".acled" not in url:
                full_bodies.append(body)  # (ACLED's columns hold no status reason)
    assert leaks == []
    # the canaries are within reach: the staff's pages show what the public's may not
    for role in STAFF:
        shown = {planted.columns.get(c, (c, None))[0] for c in seen[role]}
        assert {"incidents.status_reason", "sources.notes", "users.display_name"} <= shown, role
        assert {ROW_CANARIES["draft"], ROW_CANARIES["confidential_link"]} <= shown, role
    assert full_bodies
    for body in full_bodies:
        assert ROW_CANARIES["draft"] in body, "an admin's full export holds drafts"
        assert _canary_of(planted, "incidents.status_reason") in body


def _canary_of(planted: Planted, where: str) -> str:
    return next(c for c, (column, _level) in planted.columns.items() if column == where)


def test_no_api_token_reads_what_its_role_may_not_see(planted: Planted) -> None:
    urls = [(e, u) for e, u in _urls(planted.app, planted.ids) if e.startswith("api.")]
    assert len(urls) > 10
    client = planted.app.test_client()
    leaks = []
    for role in ROLES:
        headers = bearer(planted.tokens[role])
        for endpoint, url in urls:
            response = client.get(url, headers=headers)
            assert response.status_code < 500, (role, url)
            public, _full = _public_version(endpoint, url, role)
            if leaked := planted.leaked(response.get_data(as_text=True), public=public):
                leaks.append((role, url, leaked))
    assert leaks == []
    analyst = bearer(planted.tokens["analyst"])
    staff = client.get(f"/api/v1/incidents/{planted.ids['published']}", headers=analyst)
    assert _canary_of(planted, "incidents.status_reason") in staff.get_data(as_text=True)
    assert client.get("/api/v1/incidents").status_code == 401


def test_dumps_are_public_unless_an_admin_asks_for_all(planted: Planted) -> None:
    every = set(planted.columns)
    for role in ("reviewer", "admin"):
        client = planted.clients[role]
        for dialect in DIALECTS:
            for agreements in ([], ["canary"]):
                form = {"dialect": dialect, "agreement": agreements}
                body = client.post("/exports/sql", data=form).get_data(as_text=True)
                assert "public" in body.splitlines()[0], (role, dialect)
                assert planted.leaked(body, public=True) == [], (role, dialect, agreements)
            full = client.post("/exports/sql", data={"dialect": dialect, "full": "1"})
            if role != "admin":
                assert full.status_code == 403
                continue
            body = full.get_data(as_text=True)
            # a full dump is a backup: every column of every table, sessions and secrets too
            assert {c for c in every if c in body} == every, dialect


def _cli(planted: Planted, *args: str) -> str:
    result = CliRunner().invoke(
        cli, list(args), env={"TRACKER_DATABASE_URL": planted.url}, catch_exceptions=False
    )
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_public_command_line_exports_and_reports_hold_no_canary(planted: Planted) -> None:
    for fmt in FORMATS:
        public = _cli(planted, "export", "incidents", "--format", fmt, "--public", "--quiet")
        assert planted.leaked(public, public=True) == [], fmt
        full = _cli(planted, "export", "incidents", "--format", fmt, "--retracted", "--quiet")
        assert ROW_CANARIES["draft"] in full, fmt
    for fmt in ("html", "csv", "json", "geojson"):
        public = _cli(planted, "report", "canary", "--format", fmt, "--public")
        assert planted.leaked(public, public=True) == [], fmt
        internal = _cli(planted, "report", "canary", "--format", fmt)
        assert planted.leaked(internal, public=False) == [], fmt
    for dialect in DIALECTS:
        public = _cli(planted, "export", "sql", "--dialect", dialect, "--public", "--quiet")
        assert planted.leaked(public, public=True) == [], dialect
        assert re.search(r"(INSERT INTO|COPY) \"?incidents\"? \(", public), "it has incidents"
        full = _cli(planted, "export", "sql", "--dialect", dialect, "--quiet")
        assert {c for c in planted.columns if c in full} == set(planted.columns), dialect
