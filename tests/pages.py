"""Reading the web pages the way a user follows them."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def listed_incident_ids(client: FlaskClient, query: str) -> list[int]:
    """Every incident id of the web incidents list for ``query``, following its pages."""
    url: str | None = f"/incidents/?{query}"
    found: list[int] = []
    while url:
        html = client.get(url).get_data(as_text=True)
        found += [int(n) for n in re.findall(r'<a href="/incidents/(\d+)">', html)]
        following = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = following.group(1).replace("&amp;", "&") if following else None
    return found
