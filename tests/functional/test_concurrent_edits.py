"""Eight analysts editing one incident at the same moment: no server error, no lost update."""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.functional.test_incidents import World, form_data, saved_id, sign_in, world
from tracker.db import session_factory
from tracker.models import Incident, Revision

__all__ = ["world"]  # the fixture, imported for this module's test

EDITORS = 8
EDITS = 50
VERSION_FIELD = re.compile(r'name="version"[^>]*value="(\d+)"')


def _editor(
    app: Flask, database_url: str, index: int, url: str, outcomes: list[tuple[int, str]]
) -> None:
    """One analyst: opens the edit page once, then saves 50 times; after a save the next edit
    starts from the version it wrote, after a refusal from the version the 409 page shows."""
    client, _user = sign_in(app, database_url, "analyst", f"editor-{index}")
    html = client.get(url).get_data(as_text=True)
    token = csrf_token(html)
    version = int(VERSION_FIELD.search(html).group(1))  # type: ignore[union-attr]
    for n in range(EDITS):
        weapon = f"editor {index} edit {n}"
        data = {
            "csrf_token": token,
            "version": str(version),
            "when": "2019-05-22",
            "category": "shelling",
            "location_precision": "exact",
            "count_qualifier": "exact",
            "status": "submitted",
            "weapon": weapon,
            "save": "Save",
        }
        response = client.post(url, data=data)
        outcomes.append((response.status_code, weapon))
        if response.status_code == 302:
            version += 1
        elif response.status_code == 409:
            kept = response.get_data(as_text=True)
            assert f'value="{weapon}"' in kept, "the analyst's input was not kept"
            assert "Stored values now" in kept, "the stored version is not shown"
            version = int(VERSION_FIELD.search(kept).group(1))  # type: ignore[union-attr]


def test_eight_analysts_editing_one_incident_lose_nothing_and_never_see_a_server_error(
    app: Flask, client: Any, login_as: Any, world: World, database_url: str
) -> None:
    login_as("analyst")
    incident_id = saved_id(client.post("/incidents/new", data=form_data(client, weapon="start")))
    url = f"/incidents/{incident_id}/edit"
    outcomes: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            _editor(app, database_url, index, url, outcomes)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    codes = Counter(code for code, _weapon in outcomes)
    assert len(outcomes) == EDITORS * EDITS
    assert set(codes) <= {302, 409}, codes
    saved = [weapon for code, weapon in outcomes if code == 302]
    assert saved, codes
    with session_factory(database_url)() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        updates = list(
            session.scalars(
                select(Revision).where(
                    Revision.entity_type == "incidents",
                    Revision.entity_id == incident_id,
                    Revision.version > 1,
                )
            )
        )
    # Every acknowledged save is in the history with its value, and nothing else is.
    assert sorted(r.snapshot["weapon"] for r in updates) == sorted(saved)
    assert incident.version == 1 + len(saved)
    assert incident.weapon in saved
