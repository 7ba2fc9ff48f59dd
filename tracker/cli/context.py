"""What every command receives: the settings, a transaction, and the web application; the
name commands record as their author; the date option."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

import click
from flask import Flask
from sqlalchemy.orm import Session

from tracker import config as tracker_config
from tracker import migrate
from tracker.app import create_app
from tracker.db import session_factory


class Context:
    """What every command needs: the settings, and the web application when serving."""

    def __init__(self, database_url: str | None) -> None:
        self._overrides: dict[str, Any] = {"DATABASE_URL": database_url} if database_url else {}
        self._settings: dict[str, Any] | None = None

    @property
    def settings(self) -> dict[str, Any]:
        if self._settings is None:
            instance = tracker_config.default_instance_path()
            self._settings = tracker_config.resolve(instance, self._overrides)
        return self._settings

    def app(self) -> Flask:
        """The web application with these settings."""
        return create_app(self._overrides)

    @property
    def url(self) -> str:
        return str(self.settings["DATABASE_URL"])

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings["LOCAL_TIMEZONE"])

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, committed when the block succeeds and rolled back otherwise."""
        self._require_schema()
        with session_factory(self.url)() as session, session.begin():
            yield session

    def _require_schema(self) -> None:
        heads = migrate.head_revisions()
        current = migrate.current_revision(self.url)
        if current not in heads:
            raise click.ClickException(
                f"the database is at revision {current or 'none (empty)'}, not {heads[0]}: "
                "run `db upgrade` first (`python manage.py db upgrade`, or `tracker db upgrade`)"
            )


F = TypeVar("F", bound=Callable[..., Any])

pass_context = cast(Callable[[F], F], click.make_pass_decorator(Context))


def cli_user() -> str:
    """Who runs the command, as exports and imports record it."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"{name} (command line)"


def parse_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A click callback: ``value`` (YYYY-MM-DD) as a date, or None when not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param=param) from None
