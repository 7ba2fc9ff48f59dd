"""Static files are cached for a long time, under URLs that change when the file changes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask.testing import FlaskClient

STATIC = Path(__file__).resolve().parent.parent.parent / "tracker" / "static"


def test_pages_link_static_files_by_content_and_browsers_keep_them(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    link = re.search(r'href="(/static/tracker\.css\?v=([0-9a-f]+))"', page)
    assert link, "the stylesheet link carries no version"
    content = (STATIC / "tracker.css").read_bytes()
    assert hashlib.sha256(content).hexdigest().startswith(link.group(2))

    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.get_data() == content
    assert response.cache_control.max_age is not None
    assert response.cache_control.max_age >= 30 * 24 * 3600


def test_pages_are_never_cached(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.headers["Cache-Control"] == "no-store"
