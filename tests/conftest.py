"""Fixtures: the database on both engines (schema from the migrations), app, client, runner."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.app import create_app
from tracker.db import engine_for
from tracker.models import Base
from tracker.models.search import SEARCH_TABLES

POSTGRES_ADMIN_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
TZ = ZoneInfo("Asia/Damascus")


def postgres_unavailable() -> str | None:
    """Why the PostgreSQL server cannot be used, or None when it can."""
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "unavailable"
        return f"PostgreSQL at {make_url(POSTGRES_ADMIN_URL).render_as_string()} unreachable: {exc}"
    return None


def require_postgres() -> None:
    """Skip (outside CI) or fail (in CI) when PostgreSQL cannot be reached."""
    reason = postgres_unavailable()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL tests are mandatory in CI: {reason}")
    pytest.skip(reason)


class TempPostgres:
    """A fresh, uniquely named PostgreSQL database, dropped at the end."""

    def __init__(self) -> None:
        self.name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = make_url(POSTGRES_ADMIN_URL).set(database=self.name).render_as_string(False)

    def drop(self) -> None:
        engine_for(self.url).dispose()
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the engine in ``request.param``."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    require_postgres()
    database = TempPostgres()
    try:
        yield database.url
    finally:
        database.drop()


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2id with small costs in the test processes: the default costs (64 MB, three
    passes) make each account and each sign-in of a test take about 130 ms of CPU, by design.
    The costs differ from the library's, so a sign-in in a server started by a test rehashes
    the password as it would an old one, and from those of the old hash that
    ``test_hash_with_old_parameters_is_replaced_at_sign_in`` stores."""
    from argon2 import PasswordHasher

    from tracker.services import passwords

    default = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = default


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database migrated to head, shared by the tests of one engine."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"
        migrate.upgrade(url)
        yield url
        engine_for(url).dispose()
        return
    require_postgres()
    database = TempPostgres()
    try:
        migrate.upgrade(database.url)
        yield database.url
    finally:
        database.drop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec else ()
        if "postgresql" in params:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine_for(database_url).connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        finally:
            transaction.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits become savepoints of the test's rolled-back transaction."""
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as db_session:
        yield db_session


def empty_all_tables(url: str) -> None:
    """Delete every row (keeping the schema and the Alembic revision)."""
    engine = engine_for(url)
    tables = list(reversed(Base.metadata.sorted_tables))
    if engine.dialect.name == "postgresql":
        # DELETE rather than TRUNCATE: a test's few rows go in a few milliseconds, where
        # TRUNCATE gives each of the tables a new file (about 190 ms a test); foreign keys are
        # not checked row by row while everything goes, and the ids start again at 1
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                conn.execute(table.delete())
            for name in SEARCH_TABLES:
                conn.execute(text(f"DELETE FROM {name}"))
            sequences = conn.scalars(
                text(
                    "SELECT sequence_name FROM information_schema.sequences"
                    " WHERE sequence_schema = current_schema()"
                )
            ).all()
            for sequence in sequences:
                conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        return
    with engine.connect() as conn:
        # RESTRICT is checked row by row in SQLite, so self-references (Sochi stands on
        # Astana) would block a plain DELETE; switch the checks off for this connection.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        for table in tables:
            conn.execute(table.delete())
        for name in SEARCH_TABLES:
            conn.exec_driver_sql(f"DELETE FROM {name}")
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The application on the engine's database, emptied after the test."""
    application = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "TESTING": True,
        }
    )
    try:
        yield application
    finally:
        empty_all_tables(database_url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for running ``manage.py`` against the test database."""
    return {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
    }


@pytest.fixture
def run_cli(database_url: str, tmp_path: Path) -> Iterator[object]:
    """Run ``manage.py`` commands in-process against the test database; emptied afterwards."""
    from click.testing import CliRunner, Result

    from tracker.cli import cli

    runner = CliRunner()
    env = {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    try:
        yield run
    finally:
        empty_all_tables(database_url)


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TEST_PASSWORD = "correct horse battery staple"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def create_user(database_url: str, username: str, role: str) -> int:
    """Create and commit a user with the test password; return its id."""
    from tracker.db import session_factory
    from tracker.services.users import create_user as create

    with session_factory(database_url)() as db_session, db_session.begin():
        return create(db_session, username, TEST_PASSWORD, role).id


@pytest.fixture
def login_as(app: Flask, client: FlaskClient, database_url: str) -> object:
    """Sign ``client`` in as a new user of ``role`` through the sign-in form (CSRF on)."""

    def login(role: str, username: str | None = None) -> int:
        name = username or f"{role}-{uuid.uuid4().hex[:6]}"
        user_id = create_user(database_url, name, role)
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login", data={"username": name, "password": TEST_PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    return login


Tokens = Callable[..., str]


@pytest.fixture
def token_for(app: Flask, database_url: str) -> Tokens:
    """Make a user of ``role`` and an API token of ``scope``; return the token's secret."""
    from tracker.db import session_factory
    from tracker.models import User
    from tracker.services.api_tokens import create_token

    def make(role: str, scope: str = "write", days: int = 30, **changes: Any) -> str:
        user_id = create_user(database_url, f"{role}-{uuid.uuid4().hex[:6]}", role)
        with session_factory(database_url)() as db, db.begin():
            user = db.get(User, user_id)
            assert user is not None
            token, secret = create_token(db, user, "test", scope, days, actor=user)
            for key, value in changes.items():
                setattr(token, key, value)
        return secret

    return make


def bearer(secret: str) -> dict[str, str]:
    """The header that sends an API token."""
    return {"Authorization": f"Bearer {secret}"}
