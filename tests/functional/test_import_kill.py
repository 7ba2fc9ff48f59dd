"""An import killed with SIGKILL at any point leaves the database exactly as it was.

The kill points follow the import's own progress through the file, read from
``/proc/PID/fdinfo``: halfway through the first pass (checking), early and late in the second
(matching and writing), and once the file is closed for the second time (the last statements and
the commit); and at a fixed delay after start."""

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
from tracker.models import Actor, ExternalRecord, ImportRun, Incident, Place, Revision, Source

ROOT = Path(__file__).resolve().parent.parent.parent
ROWS = 4_500  # not a multiple of the batch: the last batch is written after the file closes
#: (pass over the file, share of it read) at which the import is killed; pass 3 means after
#: the second pass closed the file.
KILL_POINTS = [(1, 0.5), (2, 0.2), (2, 0.9), (3, 0.0)]
pytestmark = pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs /proc")


def _counts(url: str) -> tuple[int, ...]:
    with session_factory(url)() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Incident, ExternalRecord, ImportRun, Place, Actor, Source, Revision)
        )


def _position(pid: int, path: Path) -> int | None:
    """How far the process has read into ``path``, or None when it does not hold it open."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                    info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
                    return int(info.split("pos:", 1)[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue
    except OSError:
        return None
    return None


def _wait_for(child: subprocess.Popen[bytes], path: Path, wanted: tuple[int, float]) -> bool:
    """Follow the child's reading of ``path`` until the kill point; False if it ended first."""
    size = path.stat().st_size
    passes, was_open = 0, False
    target_pass, share = wanted
    while child.poll() is None:
        position = _position(child.pid, path)
        if position is not None and not was_open:
            passes += 1
        if position is None and was_open and target_pass == 3 and passes == 2:
            return True
        was_open = position is not None
        if passes == target_pass and position is not None and position >= share * size:
            return True
        time.sleep(0.002)
    return False


def _start(url: str, path: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    command = [sys.executable, str(ROOT / "manage.py"), "import", "acled", str(path), "--quiet"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("point", KILL_POINTS, ids=lambda p: f"pass{p[0]}-{p[1]:.0%}")
def test_an_import_killed_at_any_point_leaves_the_database_as_before(
    database_url: str, tmp_path: Path, point: tuple[int, float]
) -> None:
    path = tmp_path / "events.csv"
    write_acled_file(path, ROWS)
    before = _counts(database_url)
    try:
        child = _start(database_url, path, tmp_path)
        reached = _wait_for(child, path, point)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert reached, "the import ended before the kill point: make the file larger"
        assert _counts(database_url) == before
        # and the database still takes the same import in full afterwards
        again = _start(database_url, path, tmp_path)
        assert again.wait(timeout=600) == 0
        assert _counts(database_url)[:3] == (before[0] + ROWS, before[1] + ROWS, before[2] + 1)
    finally:
        empty_all_tables(database_url)


def test_an_import_killed_soon_after_start_leaves_the_database_as_before(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    write_acled_file(path, ROWS)
    before = _counts(database_url)
    child = _start(database_url, path, tmp_path)
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert _counts(database_url) == before
