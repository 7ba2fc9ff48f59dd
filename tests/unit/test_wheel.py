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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
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


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(
        path for path in folder.rglob(pattern) if path.is_file() and "__pycache__" not in path.parts
    )


def test_the_wheel_holds_every_module_and_the_files_the_package_reads(wheel: Path) -> None:
    wheel_names = _names(wheel)
    expected = {
        # every module of the package
        *(path.relative_to(ROOT).as_posix() for path in _files(ROOT / "tracker", "*.py")),
        # static files and translations, inside the package in the tree too
        *(path.relative_to(ROOT).as_posix() for path in _files(ROOT / "tracker" / "static")),
        "tracker/translations/ar/LC_MESSAGES/messages.mo",
        # the top-level templates and migrations, moved inside the package
        *(f"tracker/{path.relative_to(ROOT).as_posix()}" for path in _files(ROOT / "templates")),
        *(f"tracker/{path.relative_to(ROOT).as_posix()}" for path in _files(ROOT / "migrations")),
    }
    assert len(expected) > 200
    assert sorted(expected - wheel_names) == []
    assert "tracker/templates/reports/_body.html" in wheel_names
    assert "tracker/migrations/env.py" in wheel_names


def test_the_wheel_gives_the_tracker_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        entry_points = archive.read(name).decode()
    assert "[console_scripts]\ntracker = tracker.cli:main" in entry_points
