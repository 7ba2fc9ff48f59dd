"""Configuration: defaults, then TRACKER_* environment variables, then explicit overrides."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from tracker.resources import SOURCE_TREE

ENV_PREFIX = "TRACKER_"

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # computed from the instance folder when unset
    "SECRET_KEY": None,  # generated once into the instance folder when unset
    "LOCAL_TIMEZONE": "Asia/Damascus",
    "BEHIND_TLS": False,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "MAP_TILE_URL": "",
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_MAX_PER_ADDRESS": 30,
    "SESSION_IDLE_MINUTES": 480,
    "PAGE_SIZE": 50,
    "API_RATE_LIMIT": 600,  # requests per minute and token
    "FREEZE_STARTUP_HEAP": True,
    "IMPORT_MAX_MB": 100,
}

_BOOL_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, bool)}
_INT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, int) and not isinstance(v, bool)}


def _coerce(key: str, raw: str) -> Any:
    if key in _BOOL_KEYS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if key in _INT_KEYS:
        return int(raw)
    return raw


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the TRACKER_* variables of ``environ`` without their prefix, typed as the defaults."""
    env = os.environ if environ is None else environ
    return {
        key[len(ENV_PREFIX) :]: _coerce(key[len(ENV_PREFIX) :], value)
        for key, value in env.items()
        if key.startswith(ENV_PREFIX)
    }


def default_instance_path() -> Path:
    """``TRACKER_INSTANCE_PATH``; else the ``instance`` folder at the top of the source tree
    when the package runs from one, or ``var/tracker-instance`` under the environment's prefix
    (a virtual environment's folder) when it is installed."""
    configured = os.environ.get(f"{ENV_PREFIX}INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    if (SOURCE_TREE / "pyproject.toml").is_file():
        return SOURCE_TREE / "instance"
    return Path(sys.prefix) / "var" / "tracker-instance"


def default_database_url(instance_path: Path) -> str:
    """The embedded default: a SQLite file in the instance folder."""
    return f"sqlite:///{instance_path / 'tracker.db'}"


def instance_secret_key(instance_path: Path) -> str:
    """Read the secret key kept in the instance folder, generating it on first use."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def resolve(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge defaults, the environment and ``overrides``; fill in the instance-folder values."""
    settings = dict(DEFAULTS)
    settings.update(from_environment())
    settings.update(overrides or {})
    if not settings["DATABASE_URL"]:
        instance_path.mkdir(parents=True, exist_ok=True)
        settings["DATABASE_URL"] = default_database_url(instance_path)
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = instance_secret_key(instance_path)
    return settings
