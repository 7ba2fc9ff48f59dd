"""The command line: schema commands and user accounts, with messages instead of tracebacks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from tracker import migrate
from tracker.db import engine_for, session_factory
from tracker.models import AuditEvent, LoginAttempt, User

ROOT = Path(__file__).resolve().parents[2]
ENGINES = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


def manage(
    url: str, tmp_path: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@ENGINES
def test_db_upgrade_then_check_succeeds_and_check_fails_when_the_schema_drifts(
    empty_database_url: str, tmp_path: Path
) -> None:
    upgraded = manage(empty_database_url, tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert migrate.head_revisions()[0] in upgraded.stdout
    assert manage(empty_database_url, tmp_path, "db", "check").returncode == 0
    with engine_for(empty_database_url).begin() as conn:
        conn.execute(text("ALTER TABLE places ADD COLUMN stray_note VARCHAR(20)"))
    engine_for(empty_database_url).dispose()
    drifted = manage(empty_database_url, tmp_path, "db", "check")
    assert drifted.returncode != 0
    assert "stray_note" in drifted.stderr
    assert "Traceback" not in drifted.stderr


def test_commands_on_an_empty_database_say_to_upgrade_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'never-migrated.db'}"
    result = manage(url, tmp_path, "demo", "load")
    assert result.returncode != 0
    assert "db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_users_create_reads_the_password_from_stdin_and_stores_an_argon2id_hash(
    run_cli: Callable[..., Any], database_url: str
) -> None:
    result = run_cli(
        "users",
        "create",
        "rania",
        "--role",
        "reviewer",
        "--password-stdin",
        input="a long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    with session_factory(database_url)() as session:
        user = session.scalar(select(User).where(User.username == "rania"))
        assert user is not None
        assert user.role == "reviewer"
        assert user.password_hash.startswith("$argon2id$")
        assert "a long enough secret" not in user.password_hash


def test_users_create_has_no_password_argument(run_cli: Callable[..., Any]) -> None:
    result = run_cli("users", "create", "omar", "--role", "viewer", "--password", "x")
    assert result.exit_code != 0
    assert "No such option" in result.output


def test_users_create_refuses_a_short_password_with_a_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    migrate.upgrade(url)
    result = manage(
        url,
        tmp_path,
        "users",
        "create",
        "omar",
        "--role",
        "viewer",
        "--password-stdin",
        stdin="short\n",
    )
    assert result.returncode == 1
    assert "at least" in result.stderr
    assert "Traceback" not in result.stderr
    with session_factory(url)() as session:
        assert session.scalar(select(User).where(User.username == "omar")) is None


def test_users_prune_attempts_keeps_the_recent_ones_and_audits_the_count(
    run_cli: Callable[..., Any], database_url: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    with session_factory(database_url)() as session, session.begin():
        for days in (0, 2, 40, 100, 400):
            session.add(
                LoginAttempt(
                    username="omar",
                    address="192.0.2.7",
                    succeeded=False,
                    created_at=now - dt.timedelta(days=days, minutes=1),
                )
            )
    result = run_cli("users", "prune-attempts", "--keep-days", "30")
    assert result.exit_code == 0, result.output
    assert "3 sign-in attempt(s) older than 30 days deleted" in result.output
    with session_factory(database_url)() as session:
        ages = sorted(
            (now - moment).days for moment in session.scalars(select(LoginAttempt.created_at))
        )
        assert ages == [0, 2]
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login_attempts.prune")
        ).one()
        assert event.details["deleted"] == 3
    refused = run_cli("users", "prune-attempts", "--keep-days", "0")
    assert refused.exit_code != 0
    assert "0 is not in the range x>=1" in refused.output
