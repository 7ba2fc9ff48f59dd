"""Configuration: defaults, TRACKER_* variables, and the instance folder's secret key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tracker import config


def test_environment_overrides_defaults_with_typed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "9")
    monkeypatch.setenv("TRACKER_BEHIND_TLS", "true")
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://db.example/tracker")
    settings = config.resolve(Path("/nonexistent-instance"))
    assert settings["LOGIN_MAX_FAILURES"] == 9
    assert settings["BEHIND_TLS"] is True
    assert settings["DATABASE_URL"] == "postgresql://db.example/tracker"


def test_without_settings_the_database_is_a_sqlite_file_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    settings = config.resolve(tmp_path / "instance")
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'tracker.db'}"


def test_secret_key_is_generated_once_private_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    first = config.resolve(tmp_path)["SECRET_KEY"]
    second = config.resolve(tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_explicit_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SECRET_KEY", "from-environment")
    settings = config.resolve(Path("/nonexistent-instance"), {"SECRET_KEY": "explicit"})
    assert settings["SECRET_KEY"] == "explicit"
