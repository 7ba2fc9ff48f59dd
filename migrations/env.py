"""Alembic environment: the database URL comes from the tracker's configuration."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from tracker import config as tracker_config
from tracker.db import create_tracker_engine
from tracker.models import Base
from tracker.models.base import UTCDateTime
from tracker.models.search import is_search_table

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    settings = tracker_config.resolve(tracker_config.default_instance_path())
    return str(settings["DATABASE_URL"])


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the tracker's UTC type as the plain column type it stores, so that migrations
    never import the application's models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _include_object(
    _obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    """Leave the search index tables (and FTS5's tables behind them) out of autogenerate: the
    migrations create them per engine, the ORM does not map them."""
    return not (type_ == "table" and is_search_table(name))


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_tracker_engine(_database_url())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
