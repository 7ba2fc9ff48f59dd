"""SQL dumps: loaded by the stock sqlite3 and psql clients, exact across engines, verified,
scoped to agreements or to public data, and restored by ``import sql``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import MetaData, insert, select, text
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import TempPostgres, empty_all_tables, require_postgres
from tracker import migrate
from tracker.cli import cli
from tracker.db import engine_for, session_factory
from tracker.export.dump_rows import TableSpec, table_digest
from tracker.export.dump_schema import dump_tables
from tracker.export.manifest import Manifest
from tracker.export.snapshot import Snapshot
from tracker.export.sqldump import SqlDump
from tracker.models import (
    AgreementSource,
    AuditEvent,
    Incident,
    IncidentSource,
    Provision,
    Revision,
    Source,
    User,
)
from tracker.services.history import audit

CANARY = "CANARY-7f3a"
TRICKY = 'it\'s "quoted" \\ back\\\\slash\nnew line\r\ttab -- not a comment; كفرنبودة ☃'
UTC = dt.UTC


def fill(url: str) -> dict[str, int]:
    """Commit a small data set with awkward values and a canary in every confidential field."""
    with session_factory(url)() as session, session.begin():
        user = User(username="analyst1", password_hash=f"$argon2id${CANARY}", role="analyst")
        session.add(user)
        session.flush()
        parent = factories.make_agreement(session, slug="astana", name_ar="أستانا")
        sochi = factories.make_agreement(
            session,
            slug="sochi",
            parent=parent,
            summary_en=TRICKY,
            name_ar="سوتشي",
            is_unilateral=True,
            signed_on=dt.date(2018, 9, 17),
        )
        other = factories.make_agreement(
            session,
            slug="truce-72h",
            effective_from=dt.datetime(2020, 3, 5, 21, tzinfo=UTC),
            expires_at=dt.datetime(2020, 3, 8, 21, tzinfo=UTC),
        )
        provision = Provision(agreement=sochi, code="P1", title_en="Cease fire", kind="cease_fire")
        session.add(provision)
        actor = factories.make_actor(session, aliases=["HTS", "هيئة تحرير الشام"], name_ar="هيئة")
        place = factories.make_place(session, latitude=35.4 + 1e-13, longitude=0.1 + 0.2)
        public = factories.make_incident(
            session,
            agreement=sochi,
            place=place,
            perpetrator=actor,
            description_en=TRICKY,
            description_ar="قصف على كفرنبودة",
            status="verified",
            status_reason=CANARY,
            created_by_id=user.id,
            occurred_start=dt.datetime(2019, 5, 22, 23, 59, 59, 123456, tzinfo=UTC),
        )
        public.provisions.append(provision)
        public.event_count = 2_147_483_647  # the largest INTEGER, beyond what a form accepts
        draft = factories.make_incident(
            session, agreement=sochi, place=place, status="draft", description_en=CANARY
        )
        retracted = factories.make_incident(
            session, agreement=sochi, place=place, status="retracted", weapon=CANARY
        )
        elsewhere = factories.make_incident(
            session,
            agreement=other,
            description_en="elsewhere",
            occurred_start=dt.datetime(2020, 3, 6, 9, tzinfo=UTC),
        )
        secret = Source(
            kind="witness",
            title=CANARY,
            author=CANARY,
            url=f"https://x/{CANARY}",
            is_confidential=True,
            notes=CANARY,
            reliability="B",
        )
        open_source = Source(
            kind="news_article",
            title="Sasa Post",
            publisher="Sasa Post",
            notes=CANARY,
            published_at=dt.datetime(2019, 8, 3, tzinfo=UTC),
            created_by_id=user.id,
        )
        session.add_all([secret, open_source])
        session.flush()
        session.add_all(
            [
                IncidentSource(incident_id=public.id, source_id=secret.id, excerpt=CANARY),
                IncidentSource(incident_id=public.id, source_id=open_source.id, excerpt=TRICKY),
                AgreementSource(agreement_id=sochi.id, source_id=secret.id, claim=CANARY),
            ]
        )
        session.add(
            Revision(
                entity_type="sources", entity_id=secret.id, version=1, snapshot={"notes": CANARY}
            )
        )
        audit(session, "create", user=user, details={"title": CANARY})
        session.execute(
            text(
                "INSERT INTO user_sessions (token_hash, user_id, created_at, last_seen_at) "
                "VALUES (:token, :user, :now, :now)"
            ),
            {"token": CANARY.ljust(64, "0"), "user": user.id, "now": "2019-01-01 00:00:00"},
        )
        session.execute(
            text(
                "INSERT INTO login_attempts (username, address, succeeded, created_at) "
                "VALUES (:name, '127.0.0.1', :ok, :now)"
            ),
            {"name": CANARY, "ok": True, "now": "2019-01-01 00:00:00"},
        )
        return {
            "public": public.id,
            "draft": draft.id,
            "retracted": retracted.id,
            "elsewhere": elsewhere.id,
        }


@pytest.fixture
def filled(database_url: str) -> Iterator[dict[str, int]]:
    ids = fill(database_url)
    try:
        yield ids
    finally:
        empty_all_tables(database_url)


@pytest.fixture
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the engine named by the test's ``dialect`` parameter."""
    dialect = request.node.callspec.params["dialect"]
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    require_postgres()
    database = TempPostgres()
    try:
        yield database.url
    finally:
        database.drop()


def make_dump(url: str, path: Path, **options: object) -> Manifest:
    dump = SqlDump(url, created_by="tester", **options)  # type: ignore[arg-type]
    path.write_bytes(b"".join(dump.chunks()))
    assert dump.manifest is not None
    return dump.manifest


def load_with_client(dump: Path, url: str) -> subprocess.CompletedProcess[str]:
    """Load ``dump`` with the stock client of the engine of ``url``."""
    if url.startswith("sqlite"):
        database = url.removeprefix("sqlite:///")
        with dump.open("rb") as handle:
            return subprocess.run(
                ["sqlite3", "-bail", database],
                stdin=handle,
                capture_output=True,
                text=True,
                check=False,
            )
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    return subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-f", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )


def digests(url: str, manifest: Manifest) -> dict[str, tuple[int, str]]:
    with Snapshot(url) as snapshot:
        result = {}
        for name, entry in manifest.tables.items():
            digest = table_digest(snapshot, TableSpec.from_entry(name, entry))
            result[name] = (digest.rows, digest.hexdigest())
        return result


def expected(manifest: Manifest) -> dict[str, tuple[int, str]]:
    return {name: (e.rows, e.sha256) for name, e in manifest.tables.items()}


DIALECTS = pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])


@DIALECTS
def test_dump_loads_in_the_stock_client_with_every_row_exact(
    database_url: str, filled: dict[str, int], dialect: str, target: str, tmp_path: Path
) -> None:
    dump = tmp_path / "dump.sql"
    manifest = make_dump(database_url, dump, dialect=dialect)
    loaded = load_with_client(dump, target)
    assert loaded.returncode == 0, loaded.stderr
    assert "ERROR" not in loaded.stderr
    assert manifest.tables["incidents"].rows == 4
    assert digests(target, manifest) == expected(manifest)
    assert migrate.current_revision(target) == migrate.head_revisions()[0]
    assert migrate.check(target) is None
    with Session(engine_for(target)) as session:
        incident = session.get(Incident, filled["public"])
        assert incident is not None
        assert incident.description_en == TRICKY
        assert incident.description_ar == "قصف على كفرنبودة"
        assert incident.event_count == 2_147_483_647
        assert incident.occurred_start == dt.datetime(2019, 5, 22, 23, 59, 59, 123456, UTC)
        assert incident.place is not None
        assert incident.place.longitude == 0.1 + 0.2
        assert incident.place.latitude == 35.4 + 1e-13
        assert incident.alleged_agreement is not None
        assert incident.alleged_agreement.signed_on == dt.date(2018, 9, 17)
        assert incident.alleged_agreement.is_unilateral is True
        assert incident.perpetrator is not None
        assert incident.perpetrator.aliases == ["HTS", "هيئة تحرير الشام"]
        # the sequences continue after the restored ids
        session.add(User(username="after-restore", password_hash="x", role="viewer"))
        session.commit()
    engine_for(target).dispose()


def test_source_checksums_equal_on_both_engines_for_the_same_data(
    database_url: str, filled: dict[str, int], tmp_path: Path
) -> None:
    manifest = make_dump(database_url, tmp_path / "dump.sql")
    derived = {t.name for t in dump_tables() if t.info.get("derived")}
    assert derived == {"incident_verdicts", "report_cells", "report_states"}
    assert all(manifest.tables[name].rows == 0 for name in derived)

    def evidence(found: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
        return {name: value for name, value in found.items() if name not in derived}

    assert evidence(digests(database_url, manifest)) == evidence(expected(manifest))
    empty_hash = hashlib.sha256().hexdigest()
    assert manifest.tables["incidents"].sha256 != empty_hash
    assert manifest.tables["alembic_version"].rows == 1


def test_public_dump_holds_no_confidential_value(
    database_url: str, filled: dict[str, int], tmp_path: Path
) -> None:
    dump = tmp_path / "public.sql"
    manifest = make_dump(database_url, dump, public=True)
    data = dump.read_bytes()
    assert CANARY.encode() not in data
    assert manifest.scope == "public"
    assert manifest.tables["incidents"].rows == 2  # verified + the other agreement's submitted
    for table in ("users", "user_sessions", "login_attempts", "revisions", "audit_events"):
        assert manifest.tables[table].rows == 0
    assert manifest.tables["sources"].rows == 1
    assert manifest.tables["incident_sources"].rows == 1
    assert b"Sasa Post" in data


def test_agreement_dump_keeps_its_incidents_and_everything_they_refer_to(
    database_url: str, filled: dict[str, int], tmp_path: Path
) -> None:
    dump = tmp_path / "sochi.sql"
    manifest = make_dump(database_url, dump, agreements=["sochi"])
    assert manifest.agreements == ["sochi"]
    assert manifest.tables["incidents"].rows == 3
    assert manifest.tables["agreements"].rows == 2  # sochi and the agreement it stands on
    assert manifest.tables["users"].rows == 2  # the author and the reviewer of an incident
    assert manifest.tables["audit_events"].rows == 0
    restored = f"sqlite:///{tmp_path / 'sochi.db'}"
    loaded = load_with_client(dump, restored)
    assert loaded.returncode == 0, loaded.stderr
    with engine_for(restored).connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        refs = (
            conn.execute(text("SELECT DISTINCT alleged_agreement_id FROM incidents"))
            .scalars()
            .all()
        )
        slugs = conn.execute(text("SELECT slug FROM agreements ORDER BY slug")).scalars().all()
    assert len(refs) == 1
    assert slugs == ["astana", "sochi"]
    engine_for(restored).dispose()


def test_unknown_agreement_is_refused_with_its_slug(
    database_url: str, filled: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(Exception, match="no agreement with the slug nowhere"):
        make_dump(database_url, tmp_path / "x.sql", agreements=["nowhere"])


def test_dump_reads_one_snapshot_while_the_app_writes(
    database_url: str, filled: dict[str, int]
) -> None:
    dump = SqlDump(database_url, created_by="tester")
    chunks = dump.chunks()
    first = next(chunks)
    with session_factory(database_url)() as session, session.begin():
        factories.make_incident(session, description_en="written during the dump")
    rest = b"".join(chunks)
    assert b"written during the dump" not in first + rest
    assert dump.manifest is not None
    assert dump.manifest.tables["incidents"].rows == 4


def older_revision() -> str:
    """The revision before the newest migration."""
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    head = script.get_revision("head")
    assert head is not None
    assert isinstance(head.down_revision, str), "needs two migrations"
    return head.down_revision


def invoke(url: str, *args: str) -> object:
    runner = CliRunner()
    return runner.invoke(cli, ["--database-url", url, *args], catch_exceptions=False)


def table_count(url: str) -> int:
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0
    with Snapshot(url) as snapshot:
        if snapshot.engine == "sqlite":
            return int(snapshot.fetch_all("SELECT count(*) FROM sqlite_master")[0][0])
        return int(
            snapshot.fetch_all(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            )[0][0]
        )


@DIALECTS
def test_import_sql_restores_and_verifies_into_an_empty_database(
    database_url: str, filled: dict[str, int], dialect: str, target: str, tmp_path: Path
) -> None:
    dump = tmp_path / "dump.sql"
    result = invoke(database_url, "export", "sql", "--dialect", dialect, "-o", str(dump))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    manifest_file = tmp_path / "dump.sql.manifest.json"
    assert '"dump_sha256"' in manifest_file.read_text()
    restored = invoke(target, "import", "sql", str(dump), "--quiet")
    assert restored.exit_code == 0, restored.output  # type: ignore[attr-defined]
    assert "checksums verified" in restored.output  # type: ignore[attr-defined]
    manifest = Manifest.from_lines(*_manifest_lines(dump))
    derived = {"incident_verdicts", "report_cells", "report_states"}
    loaded = {k: v for k, v in digests(target, manifest).items() if k not in derived}
    assert loaded == {k: v for k, v in expected(manifest).items() if k not in derived}
    assert _has_statistics(target, "incidents")  # the first report must not scan blind
    with engine_for(target).connect() as conn:  # and the store is built for it
        assert conn.execute(text("SELECT count(*) FROM report_states")).scalar() == 3
    again = invoke(target, "import", "sql", str(dump))
    assert again.exit_code == 1  # type: ignore[attr-defined]
    assert "not empty" in again.output  # type: ignore[attr-defined]
    engine_for(target).dispose()


def _has_statistics(url: str, table: str) -> bool:
    """Whether the planner has statistics of ``table`` (gathered by ANALYZE)."""
    with engine_for(url).connect() as conn:
        if conn.dialect.name == "sqlite":
            found = conn.execute(
                text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}
            )
        else:
            found = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_user_tables "
                    "WHERE relname = :t AND last_analyze IS NOT NULL"
                ),
                {"t": table},
            )
        return bool(found.scalar())


def _manifest_lines(dump: Path) -> tuple[str, str]:
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines[1], lines[-2]


def reseal(data: bytes) -> bytes:
    """Recompute the last line of an edited dump, as a forger would."""
    body = data[: data.rstrip(b"\n").rfind(b"\n") + 1]
    return body + f"-- dump-sha256 {hashlib.sha256(body).hexdigest()} {len(body)}\n".encode()


@pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d[: len(d) // 2], "not a complete"),
        (lambda d: d.replace(b"elsewhere", b"Elsewhere"), "was changed after it was written"),
        (lambda d: reseal(d.replace(b"elsewhere", b"Elsewhere")), "checksum"),
    ],
    ids=["truncated", "edited", "edited-and-resealed"],
)
def test_damaged_dump_is_refused_and_nothing_is_loaded(
    database_url: str,
    filled: dict[str, int],
    empty_database_url: str,
    tmp_path: Path,
    damage: object,
    message: str,
) -> None:
    engine = "sqlite" if empty_database_url.startswith("sqlite") else "postgresql"
    dump = tmp_path / "dump.sql"
    make_dump(database_url, dump, dialect=engine)
    dump.write_bytes(damage(dump.read_bytes()))  # type: ignore[operator]
    result = invoke(empty_database_url, "import", "sql", str(dump))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert message in result.output  # type: ignore[attr-defined]
    assert "nothing" in result.output  # type: ignore[attr-defined]
    assert table_count(empty_database_url) == 0


def test_dump_from_a_newer_schema_is_refused(
    database_url: str, filled: dict[str, int], tmp_path: Path
) -> None:
    dump = tmp_path / "dump.sql"
    make_dump(database_url, dump)
    head = migrate.head_revisions()[0].encode()
    dump.write_bytes(reseal(dump.read_bytes().replace(head, b"ffffffffffff")))
    restored = f"sqlite:///{tmp_path / 'new.db'}"
    result = invoke(restored, "import", "sql", str(dump))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "newer version" in result.output  # type: ignore[attr-defined]
    assert table_count(restored) == 0


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_dump_from_an_older_schema_is_upgraded_after_loading(engine: str, tmp_path: Path) -> None:
    older = older_revision()
    databases: list[TempPostgres] = []
    if engine == "sqlite":
        source, restored = (f"sqlite:///{tmp_path / n}" for n in ("old.db", "new.db"))
    else:
        require_postgres()
        databases = [TempPostgres(), TempPostgres()]
        source, restored = (d.url for d in databases)
    try:
        migrate.upgrade(source, older)
        metadata = MetaData()
        metadata.reflect(engine_for(source))
        with engine_for(source).begin() as conn:
            conn.execute(
                insert(metadata.tables["users"]).values(
                    username="old-timer",
                    password_hash="x",
                    role="admin",
                    locale="en",
                    is_active=True,
                    failed_logins=0,
                    created_at=dt.datetime(2019, 1, 1, tzinfo=UTC),
                )
            )
        tables = [
            metadata.tables["alembic_version"],
            *(t for t in metadata.sorted_tables if t.name != "alembic_version"),
        ]
        dump = tmp_path / "old.sql"
        old = SqlDump(source, dialect=engine, created_by="old version", tables=tables)
        dump.write_bytes(b"".join(old.chunks()))
        result = invoke(restored, "import", "sql", str(dump))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        assert f"upgraded from {older}" in result.output  # type: ignore[attr-defined]
        assert migrate.current_revision(restored) == migrate.head_revisions()[0]
        with engine_for(restored).connect() as conn:
            assert conn.execute(select(User.username)).scalars().all() == ["old-timer"]
        engine_for(source).dispose()
        engine_for(restored).dispose()
    finally:
        for database in databases:
            database.drop()


def test_export_sql_to_stdout_is_recorded_in_the_audit_log(
    database_url: str, filled: dict[str, int]
) -> None:
    result = invoke(database_url, "export", "sql", "--public", "--quiet")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.output.startswith("-- Ceasefire Tracker SQL dump (public")  # type: ignore[attr-defined]
    assert re.search(r"-- dump-sha256 [0-9a-f]{64} \d+\n$", result.output)  # type: ignore[attr-defined]
    with session_factory(database_url)() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None
    assert event.details["scope"] == "public"
    assert event.details["dialect"] == "sqlite"
    assert "command line" in event.details["by"]


def test_export_sql_of_an_unmigrated_database_says_to_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    older = older_revision()
    migrate.upgrade(url, older)
    result = invoke(url, "export", "sql", "-o", str(tmp_path / "x.sql"))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "db upgrade" in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "x.sql").exists()
    engine_for(url).dispose()


@DIALECTS
def test_tables_too_wide_for_printf_give_the_same_dump(
    database_url: str,
    filled: dict[str, int],
    dialect: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tracker.export import dump_rows

    normal = make_dump(database_url, tmp_path / "a.sql", dialect=dialect)
    monkeypatch.setattr(dump_rows, "PRINTF_ARGS", 1)
    concatenated = make_dump(database_url, tmp_path / "b.sql", dialect=dialect)
    assert expected(concatenated) == expected(normal)
    body = [
        (tmp_path / n).read_bytes().split(b"\n-- tables ")[0].split(b"\n", 2)[2]
        for n in ("a.sql", "b.sql")
    ]
    assert body[0] == body[1]


def test_export_to_a_missing_folder_is_a_clear_message(database_url: str, tmp_path: Path) -> None:
    target_file = tmp_path / "no-such-folder" / "dump.sql"
    result = invoke(database_url, "export", "sql", "--quiet", "-o", str(target_file))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"cannot write {target_file}" in result.output  # type: ignore[attr-defined]
