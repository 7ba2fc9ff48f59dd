"""The start-up heap is frozen by the production entry point, never by the factory."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from tracker.app import create_app

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_factory_leaves_the_garbage_collector_alone(tmp_path: Path) -> None:
    frozen = gc.get_freeze_count()
    create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "k"})
    assert gc.get_freeze_count() == frozen


def run_entry_point(tmp_path: Path, **settings: str) -> str:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": "k",
        **settings,
    }
    script = (
        "import gc, tracker.wsgi; "
        "print(tracker.wsgi.app.name, gc.get_freeze_count() > 0, gc.get_threshold()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    return result.stdout.strip()


def test_the_wsgi_entry_point_builds_the_app_and_freezes_its_heap(tmp_path: Path) -> None:
    # frozen, and the youngest generation collected every 50,000 allocations instead of 700
    assert run_entry_point(tmp_path) == "tracker True 50000"


def test_the_freeze_can_be_switched_off(tmp_path: Path) -> None:
    name, frozen, threshold = run_entry_point(tmp_path, TRACKER_FREEZE_STARTUP_HEAP="false").split()
    assert (name, frozen) == ("tracker", "False")
    assert threshold != "50000"  # Python's own threshold
