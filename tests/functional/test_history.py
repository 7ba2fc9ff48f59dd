"""The history panel: every change listed with its author, time and changed fields; the audit
chain under concurrent writers, and its verifier."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from click.testing import Result
from flask.testing import FlaskClient
from sqlalchemy import select, text

from tests.conftest import csrf_token
from tracker.db import engine_for, session_factory
from tracker.models import AuditEvent
from tracker.services.exports import record_export
from tracker.services.history import verify_audit_chain
from tracker.services.sources import create_source

Run = Callable[..., Result]


def test_source_history_lists_each_change_newest_first(client: FlaskClient, login_as: Any) -> None:
    login_as("analyst", username="hala")
    token = csrf_token(client.get("/sources/new").get_data(as_text=True))
    base = {"csrf_token": token, "kind": "witness", "title": "Witness", "reliability": "F"}
    created = client.post("/sources/new", data=base)
    url = created.location
    edit = csrf_token(client.get(f"{url}/edit").get_data(as_text=True))
    client.post(
        f"{url}/edit", data={**base, "csrf_token": edit, "reliability": "B", "version": "1"}
    )
    html = client.get(url).get_data(as_text=True)
    history = html[html.index('<section class="history">') :]
    entries = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert len(entries) == 2
    assert "version 2" in entries[0]
    assert re.search(
        r"<td data-field=\"reliability\">Reliability</td>\s*"
        r"<td class=\"old\">F: reliability cannot be judged</td>\s*"
        r"<td class=\"new\">B: usually reliable</td>",
        entries[0],
    )
    assert "hala" in entries[0]
    assert "version 1" in entries[1]
    assert re.search(
        r"<td data-field=\"title\">Title</td>\s*"
        r"<td class=\"old\">—</td>\s*<td class=\"new\">Witness</td>",
        entries[1],
    )


WRITERS = 8
WRITES = 12


def _writer(database_url: str, index: int, start: threading.Barrier) -> None:
    """One writer: a source created through its service (a revision and an audit event), then
    an export recorded (an audit event alone), each in its own transaction, many times."""
    start.wait()
    for n in range(WRITES):
        with session_factory(database_url)() as db, db.begin():
            create_source(
                db, {"kind": "witness", "title": f"Writer {index} #{n}", "reliability": "C"},
                actor=None,
            )  # fmt: skip
        with session_factory(database_url)() as db, db.begin():
            record_export(db, "csv", {"writer": index, "n": n}, user=None)


def test_concurrent_writers_keep_one_audit_chain(run_cli: Run, database_url: str) -> None:
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            _writer(database_url, index, start)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with session_factory(database_url)() as db:
        events = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert len(events) == WRITERS * WRITES * 2
        assert len({event.prev_hash for event in events}) == len(events), "the chain forked"
        assert verify_audit_chain(db) is None
    result = run_cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "audit chain intact" in result.output


def test_audit_verify_names_the_event_edited_or_removed_in_sql(
    run_cli: Run, database_url: str
) -> None:
    with session_factory(database_url)() as db, db.begin():
        ids = [record_export(db, "sql", {"n": n}, user=None).id for n in range(5)]
    assert run_cli("audit", "verify").exit_code == 0
    engine = engine_for(database_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_events SET action = 'import' WHERE id = :id"), {"id": ids[2]}
        )
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    assert f"audit event {ids[2]}: its hash does not match its content" in result.output
    assert "audit events: 2/5" in result.output  # the progress, up to the broken link
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_events SET action = 'export' WHERE id = :id"), {"id": ids[2]}
        )
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[3]})
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    assert f"audit event {ids[4]}: it does not follow event {ids[2]}" in result.output
