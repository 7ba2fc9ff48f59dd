"""One page key for every keyset list: ``<key>_<id>``, or ``<id>`` for a list sorted by id."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from tracker.models import Actor, Agreement, Incident
from tracker.queries.listing import MAX_ID, SortOrder


def test_a_page_key_reads_back_as_the_row_it_was_written_from() -> None:
    moment = dt.datetime(2019, 5, 6, 7, 8, tzinfo=dt.UTC)
    cases = [
        (SortOrder(Actor.name_en), "name_en", "Jaysh_al-Izza 2"),
        (SortOrder(Agreement.effective_from, is_time=True), "effective_from", moment),
        (SortOrder(Incident.occurred_on, is_date=True), "occurred_on", dt.date(2019, 5, 6)),
    ]
    for order, attribute, value in cases:
        row = SimpleNamespace(id=42, **{attribute: value})
        assert order.read(order.key_of(row)) == (value, 42), order
    by_id = SortOrder(None, descending=True)
    assert by_id.key_of(SimpleNamespace(id=42)) == "42"
    assert by_id.read("42") == (None, 42)


def test_an_unreadable_page_key_starts_from_the_first_page() -> None:
    by_date = SortOrder(Incident.occurred_on, is_date=True)
    by_id = SortOrder(None)
    for raw in (
        None,
        "",
        "x_y",
        "2019-13-01_4",
        "2019-05-01_",
        "2019-05-01",
        f"2019-05-01_{MAX_ID + 1}",
    ):
        assert by_date.read(raw) is None, raw
    for raw in ("x", "1_2", "-3", "١٢"):
        assert by_id.read(raw) is None, raw
