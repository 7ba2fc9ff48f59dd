"""Every table has a public/full decision, and the public allow-list can be loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.export.acled import interaction
from tracker.export.canonical import Kind, canonical_row
from tracker.export.scope import POLICIES
from tracker.export.sqldump import dump_tables
from tracker.export.tables import neutralise


def test_every_table_has_a_public_and_per_agreement_decision() -> None:
    missing = [t.name for t in dump_tables() if t.name not in POLICIES]
    assert missing == [], f"tables without a decision in tracker/export/scope.py: {missing}"


def test_allow_listed_columns_exist_and_the_others_may_be_null() -> None:
    for table in dump_tables():
        allowed = POLICIES[table.name].public_columns
        if allowed is None:
            continue
        assert allowed <= set(table.columns.keys()), table.name
        for column in table.columns:
            if column.name not in allowed:
                assert column.nullable, f"{table.name}.{column.name} is masked but NOT NULL"


def test_public_columns_refer_only_to_public_tables() -> None:
    for table in dump_tables():
        allowed = POLICIES[table.name].public_columns or frozenset()
        for fk in table.foreign_keys:
            if fk.parent.name in allowed:
                target = fk.column.table.name
                assert POLICIES[target].public_columns is not None, (
                    f"{table.name}.{fk.parent.name} points to non-public {target}"
                )


@pytest.mark.parametrize("column", ["password_hash", "token_hash", "notes", "status_reason"])
def test_confidential_columns_are_not_allow_listed(column: str) -> None:
    for policy in POLICIES.values():
        assert column not in (policy.public_columns or frozenset())


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
