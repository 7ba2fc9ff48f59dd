"""The reference page of the load benchmark: bare Flask, one ORM query of 50 rows, Jinja.

It reads the newest 50 incidents of the database in ``TRACKER_DATABASE_URL`` through a mapped
class of its own (no tracker code) and renders them as a table. Serve it with the same
gunicorn configuration as the app, on another port:

    TRACKER_DATABASE_URL=sqlite:///bench/out/synthetic-100000-seed0.db \\
        gunicorn -c gunicorn.conf.py -b 127.0.0.1:8001 bench.bare_flask:app
"""

from __future__ import annotations

import datetime as dt
import os

from flask import Flask
from sqlalchemy import String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incidents</title></head><body>
<h1>Incidents</h1>
<table>
<thead><tr><th>Date</th><th>Category</th><th>Status</th></tr></thead>
<tbody>
{% for incident in incidents %}<tr class="status-{{ incident.status }}">
<td><a href="/incidents/{{ incident.id }}">{{ incident.occurred_on }}</a></td>
<td>{{ incident.category }}</td><td>{{ incident.status }}</td></tr>
{% endfor %}</tbody></table></body></html>
"""


class Base(DeclarativeBase):
    pass


class Incident(Base):
    """The few columns of an incident that the reference page shows."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[dt.date]
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))


def _engine_url() -> str:
    url = os.environ.get("TRACKER_DATABASE_URL", "sqlite:///instance/tracker.db")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


app = Flask(__name__)
engine = create_engine(_engine_url())
template = app.jinja_env.from_string(PAGE)
newest = select(Incident).order_by(Incident.occurred_on.desc(), Incident.id.desc()).limit(50)


@app.get("/")
def index() -> str:
    """The newest 50 incidents."""
    with Session(engine) as session:
        incidents = session.scalars(newest).all()
    return template.render(incidents=incidents)
