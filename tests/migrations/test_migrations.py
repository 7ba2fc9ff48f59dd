"""The migrations build, check, revert and rebuild the schema on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from tracker import migrate
from tracker.db import engine_for
from tracker.models import Base

ENGINES = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


def table_names(url: str) -> set[str]:
    engine = engine_for(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_migrations_have_a_single_head() -> None:
    assert len(migrate.head_revisions()) == 1


@ENGINES
def test_upgrade_from_empty_builds_every_model_table_and_check_is_clean(
    empty_database_url: str,
) -> None:
    migrate.upgrade(empty_database_url)
    assert set(Base.metadata.tables) <= table_names(empty_database_url)
    assert migrate.current_revision(empty_database_url) == migrate.head_revisions()[0]
    assert migrate.check(empty_database_url) is None


@ENGINES
def test_downgrade_to_empty_then_upgrade_again(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}
    assert migrate.current_revision(empty_database_url) is None
    migrate.upgrade(empty_database_url)
    assert set(Base.metadata.tables) <= table_names(empty_database_url)
    assert migrate.check(empty_database_url) is None


@ENGINES
def test_the_stored_values_migration_reports_rows_that_break_the_rules(
    empty_database_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    from tracker.db import engine_for

    migrate.upgrade(empty_database_url, "a5ad37426859")
    with engine_for(empty_database_url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO actors (id, slug, name_en, kind, aliases, search_key, created_at) "
                "VALUES (77, 'bell', :name, 'armed_group', '[]', 'bell', CURRENT_TIMESTAMP)"
            ),
            {"name": "Bell\x07Brigade"},
        )
    capfd.readouterr()
    migrate.upgrade(empty_database_url)
    reported = capfd.readouterr().err
    assert "actors.name_en: control in rows 77" in reported
    with engine_for(empty_database_url).connect() as conn:
        assert conn.execute(text("SELECT name_en FROM actors")).scalar() == "Bell\x07Brigade"
    engine_for(empty_database_url).dispose()
