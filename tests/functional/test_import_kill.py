"""An import killed with SIGKILL at any point leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.acled_rows import write_acled_file
from tests.conftest import empty_all_tables
from tracker.db import session_factory
from tracker.models import ExternalRecord, ImportRun, Incident, Place, Revision

ROOT = Path(__file__).resolve().parent.parent.parent
ROWS = 6_000
#: Seconds after the start at which the import is killed: while it reads, matches and writes.
KILL_AFTER = (0.8, 1.6, 2.4, 3.2, 4.5)


def _counts(url: str) -> tuple[int, ...]:
    with session_factory(url)() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Incident, ExternalRecord, ImportRun, Place, Revision)
        )


@pytest.mark.parametrize("delay", KILL_AFTER)
def test_an_import_killed_at_any_point_leaves_the_database_as_before(
    database_url: str, tmp_path: Path, delay: float
) -> None:
    path = tmp_path / "events.csv"
    write_acled_file(path, ROWS)
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    before = _counts(database_url)
    try:
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "import", "acled", str(path), "--quiet"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        finished = child.poll() is not None
        child.send_signal(signal.SIGKILL)
        child.wait()
        after = _counts(database_url)
        if finished:
            assert after[0] == before[0] + ROWS  # it ended before the kill: all of it
        else:
            assert after == before  # killed: nothing of it
    finally:
        empty_all_tables(database_url)
