"""The built wheel holds every module, the templates, static files, translations and
migrations, and the ``tracker`` command: an installed package needs no source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What the wheel is built from: a copy of these, so that no stale ``build/`` folder leaks in.
SHIPPED = ("pyproject.toml", "README.md", "tracker", "templates", "migrations")


def build_wheel(work: Path) -> Path:
    """Build the wheel from a copy of the shipped files in ``work``; skip when pip cannot."""
    source = work / "src"
    source.mkdir()
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(work)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wheels = list(work.glob("*.whl"))
    if built.returncode != 0 or not wheels:
        pytest.skip(f"the wheel cannot be built here: {built.stderr.strip()[-500:]}")
    return wheels[0]


def _files(folder: Path, pattern: str = "*") -> list[str]:
    """The files under ``folder`` matching ``pattern``, relative to the top of the tree."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in folder.rglob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    )


def test_the_wheel_holds_every_module_the_files_the_package_reads_and_the_command(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(build_wheel(tmp_path)) as wheel:
        names = set(wheel.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        commands = wheel.read(entry_points).decode()
    expected = {
        # every module, and the static files and translations beside them in the tree
        *_files(ROOT / "tracker", "*.py"),
        *_files(ROOT / "tracker" / "static"),
        "tracker/translations/ar/LC_MESSAGES/messages.mo",
        # the top-level templates and migrations, inside the package
        *(f"tracker/{name}" for name in _files(ROOT / "templates")),
        *(f"tracker/{name}" for name in _files(ROOT / "migrations")),
    }
    assert len(expected) > 200
    assert sorted(expected - names) == []
    assert {"tracker/templates/reports/_body.html", "tracker/migrations/env.py"} <= names
    assert "[console_scripts]\ntracker = tracker.cli:main" in commands
