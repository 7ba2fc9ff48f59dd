"""Every column has a classification and every table a per-agreement dump decision; public
columns are nullable where masked and point only to public tables."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.export.acled import interaction
from tracker.export.canonical import Kind, canonical_row
from tracker.export.dump_schema import dump_tables
from tracker.export.scope import IN_AGREEMENT_DUMPS
from tracker.export.tables import neutralise
from tracker.models.base import Visibility
from tracker.queries.visibility import Audience, classification, public_columns, shown_columns


def test_every_column_of_every_table_has_a_classification() -> None:
    missing = []
    for table in dump_tables():
        for column in table.columns:
            try:
                classification(column)
            except LookupError:
                missing.append(f"{table.name}.{column.name}")
    assert missing == [], f"columns without info={{'visibility': ...}}: {missing}"


def test_every_table_has_a_per_agreement_decision() -> None:
    missing = [t.name for t in dump_tables() if t.name not in IN_AGREEMENT_DUMPS]
    assert missing == [], f"tables without a decision in tracker/export/scope.py: {missing}"


def test_masked_columns_of_public_tables_may_be_null() -> None:
    for table in dump_tables():
        allowed = public_columns(table)
        if not allowed:
            continue
        for column in table.columns:
            if column.name not in allowed:
                assert column.nullable, f"{table.name}.{column.name} is masked but NOT NULL"


def test_public_columns_refer_only_to_public_tables() -> None:
    for table in dump_tables():
        allowed = public_columns(table)
        for fk in table.foreign_keys:
            if fk.parent.name in allowed:
                target = fk.column.table
                assert public_columns(target), (
                    f"{table.name}.{fk.parent.name} points to non-public {target.name}"
                )


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("users", "password_hash"),
        ("api_tokens", "token_hash"),
        ("user_sessions", "token_hash"),
        ("sources", "notes"),
        ("incidents", "status_reason"),
        ("incidents", "created_by_id"),
    ],
)
def test_secrets_and_internal_notes_are_not_public(table: str, column: str) -> None:
    assert column not in public_columns(table)
    for audience in (Audience.PUBLIC, Audience.VIEWER):
        assert column not in shown_columns(table, audience)


def test_secrets_reach_no_audience_and_notes_only_the_staff() -> None:
    for audience in Audience:
        assert "password_hash" not in shown_columns("users", audience)
        assert ("notes" in shown_columns("sources", audience)) is not audience.public
    assert Audience.ANALYST.levels() == {Visibility.PUBLIC, Visibility.INTERNAL}


def test_canonical_row_is_a_sql_literal_of_every_kind() -> None:
    row = canonical_row(
        [Kind.TEXT, Kind.INTEGER, Kind.BOOLEAN, Kind.DATETIME, Kind.DATE, Kind.JSON, Kind.FLOAT],
        [
            "it's\nد",
            2_147_483_647,
            0,
            "2019-05-22 21:00:00",
            dt.date(2019, 5, 22),
            '{"b": 1, "a": ["x"]}',
            0.1 + 0.2,
        ],
    )
    assert row == (
        "('it''s\nد',2147483647,0,'2019-05-22 21:00:00.000000','2019-05-22',"
        '\'{"a":["x"],"b":1}\',0.30000000000000004)'
    )
    assert canonical_row([Kind.TEXT, Kind.TEXT], [None, ""]) == "(NULL,'')"


def test_aware_timestamps_are_canonical_in_utc() -> None:
    damascus = dt.timezone(dt.timedelta(hours=3))
    value = dt.datetime(2019, 5, 23, 0, 30, tzinfo=damascus)
    assert canonical_row([Kind.DATETIME], [value]) == "('2019-05-22 21:30:00.000000')"


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("plain") == "plain"
    assert neutralise(-5) == -5


def test_acled_interaction_codes() -> None:
    assert interaction(8, 7) == 78
    assert interaction(1, 0) == 10
    assert interaction(2, 1) == 12
