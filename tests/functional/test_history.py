"""The history panel: every change listed with its author, time and changed fields."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import csrf_token


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
